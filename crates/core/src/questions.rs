//! The questions of "Check your leg cramps", as data, and the order they are asked in.
//!
//! The terminal check and the web check both walk this list with [`next_question`], so they
//! ask the same questions, in the same order, and stop at the same point. Red-flag questions
//! come first; as soon as the outcome can only be urgent, the check asks whether the GP
//! surgery is open (to decide on 111) and stops.

use crate::assessment::{Assessment, Conditions, Field, Minutes, YesNo};
use crate::triage::{Level, RED_FLAG_MINUTES, evaluate};

/// What kind of answer a question takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerKind {
    /// A number of minutes (0 to 1440), or "not sure".
    Minutes,
    /// Yes, no, or "not sure".
    YesNo,
    /// Any of the known conditions, "none", or "not sure".
    Conditions,
}

/// When a question is asked (it is skipped otherwise).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AskWhen {
    /// Unless the outcome is already certain to be urgent.
    NotYetUrgent,
    /// Only when the longest cramp was over 10 minutes or its length is not known, and the
    /// outcome is not yet certain to be urgent.
    LongOrUnknownCramp,
    /// Only once the outcome is certain to be urgent (to decide whether to phone 111).
    OnceUrgent,
}

/// One question of the check.
#[derive(Debug)]
pub struct Question {
    /// The contract field this question answers.
    pub field: Field,
    pub text: &'static str,
    pub hint: &'static str,
    pub kind: AnswerKind,
    pub ask_when: AskWhen,
    /// True for questions whose "yes" can make the outcome urgent.
    pub red_flag: bool,
    /// The facts this question's wording carries.
    pub facts: &'static [&'static str],
}

/// The questions, in the order they are asked.
pub const QUESTIONS: &[Question] = &[
    Question {
        field: Field::LongestCrampMinutes,
        text: "How many minutes did your longest recent cramp last?",
        hint: "A rough number is fine. A cramp can last anything from a few seconds to 10 minutes. Enter 0 if it was under a minute.",
        kind: AnswerKind::Minutes,
        ask_when: AskWhen::NotYetUrgent,
        red_flag: true,
        facts: &["symptoms.duration"],
    },
    Question {
        field: Field::YesNo(YesNo::EasesWhenMoving),
        text: "Did that cramp get better once you started to move?",
        hint: "For example, walking about or stretching the leg.",
        kind: AnswerKind::YesNo,
        ask_when: AskWhen::LongOrUnknownCramp,
        red_flag: true,
        facts: &["help.urgent.long-unrelieved"],
    },
    Question {
        field: Field::YesNo(YesNo::ToxinOrWoundContact),
        text: "Did your cramps start after you had contact with lead, mercury or a similar substance, or after dirt got into a cut?",
        hint: "For example, at work, or from a wound that got dirty.",
        kind: AnswerKind::YesNo,
        ask_when: AskWhen::NotYetUrgent,
        red_flag: true,
        facts: &["help.urgent.toxin-or-wound"],
    },
    Question {
        field: Field::YesNo(YesNo::GpOpen),
        text: "Is your GP surgery open now?",
        hint: "If it is closed, or you are not sure, you should phone 111.",
        kind: AnswerKind::YesNo,
        ask_when: AskWhen::OnceUrgent,
        red_flag: false,
        facts: &["help.urgent.gp-closed-111"],
    },
    Question {
        field: Field::YesNo(YesNo::QualityOfLifeAffected),
        text: "Are your cramps affecting your everyday life?",
        hint: "For example, stopping you doing things you want or need to do.",
        kind: AnswerKind::YesNo,
        ask_when: AskWhen::NotYetUrgent,
        red_flag: false,
        facts: &["help.gp.quality-of-life"],
    },
    Question {
        field: Field::YesNo(YesNo::Frequent),
        text: "Are you getting leg cramps often?",
        hint: "Think about the last few weeks.",
        kind: AnswerKind::YesNo,
        ask_when: AskWhen::NotYetUrgent,
        red_flag: false,
        facts: &["help.gp.frequent"],
    },
    Question {
        field: Field::YesNo(YesNo::SleepDisturbed),
        text: "Are your cramps disturbing your sleep?",
        hint: "Cramps often happen at night, during sleep.",
        kind: AnswerKind::YesNo,
        ask_when: AskWhen::NotYetUrgent,
        red_flag: false,
        facts: &["help.gp.sleep", "symptoms.night"],
    },
    Question {
        field: Field::YesNo(YesNo::NumbnessOrSwelling),
        text: "Are your legs numb or swollen as well?",
        hint: "Numbness means less feeling than usual, or none.",
        kind: AnswerKind::YesNo,
        ask_when: AskWhen::NotYetUrgent,
        red_flag: false,
        facts: &["help.gp.numbness-swelling"],
    },
    Question {
        field: Field::YesNo(YesNo::MuscleShrinkingOrWeaker),
        text: "Are the muscles in your legs getting smaller or weaker?",
        hint: "For example, a leg looks thinner than it did, or climbing stairs is harder.",
        kind: AnswerKind::YesNo,
        ask_when: AskWhen::NotYetUrgent,
        red_flag: false,
        facts: &["help.gp.muscle-wasting-weakness"],
    },
    Question {
        field: Field::YesNo(YesNo::NewMedication),
        text: "Did your cramps start after you began taking a new medicine?",
        hint: "Do not stop taking a prescribed medicine because of this check.",
        kind: AnswerKind::YesNo,
        ask_when: AskWhen::NotYetUrgent,
        red_flag: false,
        facts: &["medication.can-cause", "medication.do-not-stop"],
    },
    Question {
        field: Field::YesNo(YesNo::Pregnant),
        text: "Are you pregnant?",
        hint: "Pregnancy can make cramps more likely.",
        kind: AnswerKind::YesNo,
        ask_when: AskWhen::NotYetUrgent,
        red_flag: false,
        facts: &["causes.secondary.pregnancy"],
    },
    Question {
        field: Field::YesNo(YesNo::AfterExercise),
        text: "Do your cramps come during or after exercise?",
        hint: "Including while you rest afterwards.",
        kind: AnswerKind::YesNo,
        ask_when: AskWhen::NotYetUrgent,
        red_flag: false,
        facts: &["causes.secondary.exercise"],
    },
    Question {
        field: Field::YesNo(YesNo::Dehydrated),
        text: "Might you be short of fluids?",
        hint: "For example, you have not had much to drink, or have lost fluid through sweating, sickness or diarrhoea.",
        kind: AnswerKind::YesNo,
        ask_when: AskWhen::NotYetUrgent,
        red_flag: false,
        facts: &["causes.secondary.dehydration"],
    },
    Question {
        field: Field::KnownConditions,
        text: "Have you been told you have either of these conditions?",
        hint: "Choose any that apply, or none.",
        kind: AnswerKind::Conditions,
        ask_when: AskWhen::NotYetUrgent,
        red_flag: false,
        facts: &[
            "causes.secondary.neurological",
            "causes.secondary.liver-disease",
        ],
    },
];

/// Which fields have been asked (answered, or answered "not sure").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Asked(u16);

impl Asked {
    pub fn contains(self, field: Field) -> bool {
        self.0 & bit(field) != 0
    }

    pub fn with(self, field: Field) -> Asked {
        Asked(self.0 | bit(field))
    }

    pub fn without(self, field: Field) -> Asked {
        Asked(self.0 & !bit(field))
    }
}

fn bit(field: Field) -> u16 {
    let index = Field::all().position(|f| f == field).unwrap_or(0);
    1 << index
}

/// Whether the outcome is urgent whatever the questions not yet asked turn out to be: the
/// answers so far, with every unasked question answered in the least urgent way.
pub fn urgent_is_certain(a: &Assessment, asked: Asked) -> bool {
    let mut least = *a;
    for field in Field::all() {
        if asked.contains(field) {
            continue;
        }
        match field {
            Field::LongestCrampMinutes => least.longest_cramp_minutes = Minutes::new(0.0).ok(),
            Field::KnownConditions => least.known_conditions = Some(Conditions::NONE),
            Field::YesNo(YesNo::EasesWhenMoving) => {
                least.set(YesNo::EasesWhenMoving, Some(true));
            }
            Field::YesNo(q) => {
                least.set(q, Some(false));
            }
        }
    }
    evaluate(&least).level == Level::UrgentGp
}

fn should_ask(q: &Question, a: &Assessment, asked: Asked) -> bool {
    let urgent = urgent_is_certain(a, asked);
    match q.ask_when {
        AskWhen::NotYetUrgent => !urgent,
        AskWhen::LongOrUnknownCramp => {
            !urgent
                && a.longest_cramp_minutes
                    .is_none_or(|m| m.get() > RED_FLAG_MINUTES)
        }
        AskWhen::OnceUrgent => urgent,
    }
}

/// The next question to ask, or `None` when the check is complete.
pub fn next_question(a: &Assessment, asked: Asked) -> Option<&'static Question> {
    QUESTIONS
        .iter()
        .find(|q| !asked.contains(q.field) && should_ask(q, a, asked))
}

/// Where a check has got to, given the answers so far.
#[derive(Debug, Clone)]
pub struct Walk {
    /// The answers to the questions reached, in the order asked (answers to questions the
    /// check would no longer ask are dropped).
    pub answers: Assessment,
    pub asked: Asked,
    pub order: Vec<&'static Question>,
    /// The next question to ask, or `None` when the check is complete.
    pub next: Option<&'static Question>,
}

/// Walk the questions in order, taking each answer from `a` if `answered` says it was given,
/// and stopping at the first question that has no answer yet. Both the terminal and the web
/// check use this, so changing an earlier answer (which can make later questions skipped, or
/// stop the check early) always leaves a consistent set of answers.
pub fn walk(a: &Assessment, answered: Asked) -> Walk {
    let mut seen = Assessment::default();
    let mut asked = Asked::default();
    let mut order = Vec::new();
    while let Some(q) = next_question(&seen, asked) {
        if !answered.contains(q.field) {
            return Walk {
                answers: seen,
                asked,
                order,
                next: Some(q),
            };
        }
        copy_answer(a, &mut seen, q.field);
        asked = asked.with(q.field);
        order.push(q);
    }
    Walk {
        answers: seen,
        asked,
        order,
        next: None,
    }
}

/// Every field marked as answered.
pub fn all_answered() -> Asked {
    Field::all().fold(Asked::default(), Asked::with)
}

/// The questions that would be asked, in order, if `a` held every answer in advance (answers
/// missing from `a` are "not sure").
pub fn asked_in_order(a: &Assessment) -> Vec<&'static Question> {
    walk(a, all_answered()).order
}

/// Copy the answer to `field` from one assessment to another.
pub fn copy_answer(from: &Assessment, to: &mut Assessment, field: Field) {
    match field {
        Field::LongestCrampMinutes => to.longest_cramp_minutes = from.longest_cramp_minutes,
        Field::KnownConditions => to.known_conditions = from.known_conditions,
        Field::YesNo(y) => {
            to.set(y, from.get(y));
        }
    }
}

/// The question that answers `field`.
pub fn question_for(field: Field) -> Option<&'static Question> {
    QUESTIONS.iter().find(|q| q.field == field)
}

/// The answer to `q` in `a`, in words ("12 minutes", "yes", "not sure", the conditions).
pub fn answer_text(q: &Question, a: &Assessment) -> String {
    match q.field {
        Field::LongestCrampMinutes => a.longest_cramp_minutes.map_or("not sure".to_owned(), |m| {
            let n = m.get();
            if n == 1.0 {
                "1 minute".to_owned()
            } else {
                format!("{n} minutes")
            }
        }),
        Field::KnownConditions => match a.known_conditions {
            None => "not sure".to_owned(),
            Some(cs) if cs.is_empty() => "none of these".to_owned(),
            Some(cs) => cs.iter().map(|c| c.label()).collect::<Vec<_>>().join("; "),
        },
        Field::YesNo(y) => match a.get(y) {
            Some(true) => "yes".to_owned(),
            Some(false) => "no".to_owned(),
            None => "not sure".to_owned(),
        },
    }
}
