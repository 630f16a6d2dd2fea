//! The questions of "Check your leg cramps", as data, and the order they are asked in.
//!
//! The terminal check and the web check both walk this list with [`next_question`], so they
//! ask the same questions, in the same order, and stop at the same point. The signs of a clot
//! come first (breathlessness or chest pain, which is a 999 call; then one swollen, warm or red
//! leg), then the other red flags; as soon as the outcome can only be urgent, the check asks
//! whether the GP surgery is open (to decide on 111) and stops. A yes to breathlessness or chest
//! pain stops at once: the outcome is 999, and nothing else can change it. "Not sure" about
//! breathlessness or chest pain never stops the check early: every other question is still
//! asked (but not whether the surgery is open: the number is 111 whatever its hours).

use crate::assessment::{Assessment, Conditions, Field, Minutes, YesNo};
use crate::triage::{Level, evaluate, long_enough_for_red_flag};

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
    /// Only when the longest cramp was 10 minutes or more or its length is not known, and the
    /// outcome is not yet certain to be urgent.
    LongOrUnknownCramp,
    /// Only after a cramp of 10 minutes or more (or of unknown length) that did not ease, or
    /// that the person was not sure eased, and the outcome is not yet certain to be urgent.
    LongNotEased,
    /// Unless the outcome is already certain to be urgent, or the combined contract field
    /// `toxin_or_wound_contact` already answers both halves (from `--answers` or the API).
    ToxinOrWoundPart,
    /// Only once the outcome is certain to be urgent-gp (to decide whether to phone 111).
    OnceUrgent,
}

impl AskWhen {
    /// When it is asked, in words, for the review document.
    pub fn describe(self) -> &'static str {
        match self {
            AskWhen::NotYetUrgent => "until the outcome is certain to be urgent",
            AskWhen::LongOrUnknownCramp => {
                "the longest cramp was 10 minutes or more or its length is unknown, and the outcome is not yet certain to be urgent"
            }
            AskWhen::LongNotEased => {
                "that cramp was 10 minutes or more (or its length is unknown) and did not ease (or the person is not sure), and the outcome is not yet certain to be urgent"
            }
            AskWhen::ToxinOrWoundPart => {
                "until the outcome is certain to be urgent, unless `toxin_or_wound_contact` was given"
            }
            AskWhen::OnceUrgent => {
                "only once the outcome is certain to be `urgent-gp` (never for `emergency`, and never when breathlessness or chest pain was \"not sure\": then it is 111 whatever the surgery's hours)"
            }
        }
    }
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
    /// True for questions whose answer can make the outcome urgent or an emergency.
    pub red_flag: bool,
    /// The facts this question's wording carries.
    pub facts: &'static [&'static str],
}

/// The answers a yes/no question offers, in order, as the radios and the terminal word them.
pub const YES_NO_OPTIONS: [(&str, Option<bool>); 3] = [
    ("Yes", Some(true)),
    ("No", Some(false)),
    ("I\u{2019}m not sure", None),
];

/// How far back "recent" cramps go in the duration question: a product setting for the
/// wording (the source gives no period), not a clinical threshold.
pub const RECENT_WEEKS: u32 = 4;

/// Read a duration the way people type it: the one reader, shared with the diary, lives with
/// the diary's `Duration`.
pub use crate::diary::read_minutes;

/// The questions, in the order they are asked.
pub const QUESTIONS: &[Question] = &[
    Question {
        field: Field::YesNo(YesNo::BreathlessOrChestPain),
        text: "Since your leg pain began, have you had chest pain, or new or worse shortness of breath?",
        hint: "Some people are often short of breath, such as from a lung or heart problem. If that is you, say yes only if it is new or worse than usual.",
        kind: AnswerKind::YesNo,
        ask_when: AskWhen::NotYetUrgent,
        red_flag: true,
        facts: &["dvt.emergency"],
    },
    Question {
        field: Field::YesNo(YesNo::OneLegSwollenWarmOrRed),
        text: "Is the leg that hurts swollen, warm, or red or darker than usual?",
        hint: "Compare it with your other leg. Red skin can be harder to see on brown or black skin. Veins that are swollen, hard or sore count too.",
        kind: AnswerKind::YesNo,
        ask_when: AskWhen::NotYetUrgent,
        red_flag: true,
        facts: &["dvt.signs", "dvt.one-leg"],
    },
    Question {
        field: Field::LongestCrampMinutes,
        text: "How long did your longest cramp last?",
        hint: "Think of the cramps you have had in the past 4 weeks. A rough guess is fine, such as 2 minutes, 15 minutes or 1 hour. Type 0 if it was less than a minute.",
        kind: AnswerKind::Minutes,
        ask_when: AskWhen::NotYetUrgent,
        red_flag: true,
        facts: &["help.urgent.long-unrelieved"],
    },
    Question {
        field: Field::YesNo(YesNo::EasesWhenMoving),
        text: "Did each cramp of 10 minutes or more ease once you started to move?",
        hint: "Such as when you got up and walked, or stretched your leg. If any one of them did not ease, answer no.",
        kind: AnswerKind::YesNo,
        ask_when: AskWhen::LongOrUnknownCramp,
        red_flag: true,
        facts: &["help.urgent.long-unrelieved"],
    },
    Question {
        field: Field::YesNo(YesNo::LongCrampRecent),
        text: "Is that long cramp still going on, or did it end in the last 24 hours?",
        hint: "If there was more than one, think of the latest. Answer no if it has stopped and it ended more than 24 hours ago.",
        kind: AnswerKind::YesNo,
        ask_when: AskWhen::LongNotEased,
        red_flag: true,
        facts: &["help.urgent.long-unrelieved"],
    },
    Question {
        field: Field::YesNo(YesNo::LeadOrMercury),
        text: "In the weeks before your cramps began, were you in contact with lead or mercury?",
        hint: "For example, at work or in a hobby.",
        kind: AnswerKind::YesNo,
        ask_when: AskWhen::ToxinOrWoundPart,
        red_flag: true,
        facts: &["help.urgent.toxin-or-wound"],
    },
    Question {
        field: Field::YesNo(YesNo::DirtInWound),
        text: "In the weeks before your cramps began, did dirt get into a cut or wound?",
        hint: "For example, a cut you got in the garden or while working outside.",
        kind: AnswerKind::YesNo,
        ask_when: AskWhen::ToxinOrWoundPart,
        red_flag: true,
        facts: &["help.urgent.toxin-or-wound"],
    },
    Question {
        field: Field::YesNo(YesNo::GpOpen),
        text: "Is your GP surgery open now?",
        hint: "If it is closed, or you are not sure, we will tell you to phone 111.",
        kind: AnswerKind::YesNo,
        ask_when: AskWhen::OnceUrgent,
        red_flag: false,
        facts: &["help.urgent.gp-closed-111"],
    },
    Question {
        field: Field::YesNo(YesNo::QualityOfLifeAffected),
        text: "Do your cramps get in the way of your daily life?",
        hint: "For example, they stop you doing things you want or need to do.",
        kind: AnswerKind::YesNo,
        ask_when: AskWhen::NotYetUrgent,
        red_flag: false,
        facts: &["help.gp.quality-of-life"],
    },
    Question {
        field: Field::YesNo(YesNo::Frequent),
        text: "Do you get leg cramps often?",
        hint: "Think about the past few weeks.",
        kind: AnswerKind::YesNo,
        ask_when: AskWhen::NotYetUrgent,
        red_flag: false,
        facts: &["help.gp.frequent"],
    },
    Question {
        field: Field::YesNo(YesNo::SleepDisturbed),
        text: "Do your cramps wake you up or stop you sleeping?",
        hint: "Think about the past few weeks.",
        kind: AnswerKind::YesNo,
        ask_when: AskWhen::NotYetUrgent,
        red_flag: false,
        facts: &["help.gp.sleep"],
    },
    Question {
        field: Field::YesNo(YesNo::NumbnessOrSwelling),
        text: "Are one or both legs numb or swollen as well?",
        hint: "Numb means you feel less than usual, or nothing at all.",
        kind: AnswerKind::YesNo,
        ask_when: AskWhen::NotYetUrgent,
        red_flag: false,
        facts: &["help.gp.numbness-swelling"],
    },
    Question {
        field: Field::YesNo(YesNo::MuscleShrinkingOrWeaker),
        text: "Are the muscles in your legs getting smaller or weaker?",
        hint: "For example, a leg looks thinner than it did, or stairs are harder to climb.",
        kind: AnswerKind::YesNo,
        ask_when: AskWhen::NotYetUrgent,
        red_flag: false,
        facts: &["help.gp.muscle-wasting-weakness"],
    },
    Question {
        field: Field::YesNo(YesNo::NewMedication),
        text: "Did your cramps start after you began a new medicine?",
        hint: "Do not stop a medicine you were prescribed just because of this check.",
        kind: AnswerKind::YesNo,
        ask_when: AskWhen::NotYetUrgent,
        red_flag: false,
        facts: &["medication.can-cause", "medication.do-not-stop"],
    },
    Question {
        field: Field::YesNo(YesNo::Pregnant),
        text: "Are you pregnant?",
        hint: "Being pregnant can make cramps more likely.",
        kind: AnswerKind::YesNo,
        ask_when: AskWhen::NotYetUrgent,
        red_flag: false,
        facts: &["causes.secondary.pregnancy"],
    },
    Question {
        field: Field::YesNo(YesNo::AfterExercise),
        text: "Do your cramps come during or after exercise?",
        hint: "This includes when you rest after it.",
        kind: AnswerKind::YesNo,
        ask_when: AskWhen::NotYetUrgent,
        red_flag: false,
        facts: &["causes.secondary.exercise"],
    },
    Question {
        field: Field::YesNo(YesNo::Dehydrated),
        text: "Might you be short of fluids?",
        hint: "For example, you have not had much to drink. Or you have lost fluid by sweating, being sick or having diarrhoea.",
        kind: AnswerKind::YesNo,
        ask_when: AskWhen::NotYetUrgent,
        red_flag: false,
        facts: &["causes.secondary.dehydration"],
    },
    Question {
        field: Field::KnownConditions,
        text: "Has a doctor told you that you have either of these?",
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
pub struct Asked(u32);

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

fn bit(field: Field) -> u32 {
    let index = Field::all().position(|f| f == field).unwrap_or(0);
    1 << index
}

/// The answers as the check asked them: every question not asked is read in its least urgent
/// way (no, it eased, under a minute, none), and fields that no question asks (the combined
/// `toxin_or_wound_contact`) are left as given. This is what the outcome of a check is worked
/// out from: a question the check never asked gives no "we could not rule out" reason and no
/// advice. Its level is always the level of the answers with every missing one read the safe
/// way, because the check only stops early once the outcome is certain (`flow.rs` proves it).
pub fn as_asked(a: &Assessment, asked: Asked) -> Assessment {
    let mut least = *a;
    for q in QUESTIONS {
        if asked.contains(q.field) {
            continue;
        }
        match q.field {
            Field::LongestCrampMinutes => least.longest_cramp_minutes = Minutes::new(0.0).ok(),
            Field::KnownConditions => least.known_conditions = Some(Conditions::NONE),
            Field::YesNo(y) => {
                least.set(y, Some(!y.raising_answer()));
            }
        }
    }
    least
}

/// The level the outcome is certain to reach, whatever the questions not yet asked turn out
/// to be.
pub fn certain_level(a: &Assessment, asked: Asked) -> Level {
    evaluate(&as_asked(a, asked)).level
}

/// Whether the outcome is urgent (or an emergency) whatever the questions not yet asked turn
/// out to be.
pub fn urgent_is_certain(a: &Assessment, asked: Asked) -> bool {
    certain_level(a, asked).is_urgent()
}

/// Whether the person said "not sure" to breathlessness or chest pain (docs/product.md: the check
/// then never ends early, and the number is 111 whatever the surgery's hours).
pub fn breathless_in_doubt(a: &Assessment, asked: Asked) -> bool {
    let field = Field::YesNo(YesNo::BreathlessOrChestPain);
    asked.contains(field) && !a.is_answered(field)
}

fn should_ask(q: &Question, a: &Assessment, asked: Asked, certain: Level) -> bool {
    let doubt = breathless_in_doubt(a, asked);
    // Stop early once the outcome is certain to be urgent, unless breathlessness is in doubt.
    let stop = certain.is_urgent() && !doubt;
    let long = a
        .longest_cramp_minutes
        .is_none_or(|m| long_enough_for_red_flag(m.get()));
    match q.ask_when {
        AskWhen::NotYetUrgent => !stop,
        AskWhen::LongOrUnknownCramp => !stop && long,
        AskWhen::LongNotEased => !stop && long && a.get(YesNo::EasesWhenMoving) != Some(true),
        AskWhen::ToxinOrWoundPart => !stop && a.get(YesNo::ToxinOrWoundContact).is_none(),
        AskWhen::OnceUrgent => certain == Level::UrgentGp && !doubt,
    }
}

/// The next question to ask, or `None` when the check is complete.
pub fn next_question(a: &Assessment, asked: Asked) -> Option<&'static Question> {
    let certain = certain_level(a, asked);
    QUESTIONS
        .iter()
        .find(|q| !asked.contains(q.field) && should_ask(q, a, asked, certain))
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
    // A field no question asks (the combined toxin-or-wound answer of the JSON contract) is
    // kept as given: it decides whether its two questions are asked.
    for field in Field::all().filter(|f| question_for(*f).is_none() && answered.contains(*f)) {
        copy_answer(a, &mut seen, field);
        asked = asked.with(field);
    }
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

/// The answer to `q` in `a`, in the words the person chose it by ("12 minutes", "Yes",
/// "I'm not sure", the conditions).
pub fn answer_text(q: &Question, a: &Assessment) -> String {
    let unsure = YES_NO_OPTIONS[2].0;
    match q.field {
        Field::LongestCrampMinutes => a.longest_cramp_minutes.map_or(unsure.to_owned(), |m| {
            let n = m.get();
            if n < 1.0 {
                "Less than a minute".to_owned()
            } else if n == 1.0 {
                "1 minute".to_owned()
            } else {
                format!("{n} minutes")
            }
        }),
        Field::KnownConditions => match a.known_conditions {
            None => unsure.to_owned(),
            Some(cs) if cs.is_empty() => "None of these".to_owned(),
            Some(cs) => {
                let mut text = cs.iter().map(|c| c.label()).collect::<Vec<_>>().join("; ");
                if let Some(first) = text.get(..1) {
                    text.replace_range(..1, &first.to_uppercase());
                }
                text
            }
        },
        Field::YesNo(y) => YES_NO_OPTIONS
            .iter()
            .find(|(_, v)| *v == a.get(y))
            .map_or(unsure, |(label, _)| label)
            .to_owned(),
    }
}
