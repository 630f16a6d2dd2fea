//! The triage engine: one table of rules, the advice they lead to, and the safety net.
//!
//! The rules are data a clinician can read (`legcramps rules` prints them as Markdown). The
//! engine is a pure function from an [`Assessment`] to an [`Outcome`]: it allocates nothing, so
//! one evaluation costs well under a microsecond and the safety tests can enumerate the whole
//! answer space.
//!
//! How a missing answer is read: every rule is a set of conditions that must all hold. An
//! answer that was given is taken as given. A missing answer matters only if it could raise
//! the urgency: the rules that the answers given already meet set a level; a rule that needs a
//! missing answer then also fires (on the safe reading) when its level is *higher* than that.
//! So a cramp longer than 10 minutes with "eases when moving" unanswered fires the urgent
//! rule, and an assessment with nothing answered is urgent: nothing has been ruled out. But
//! once the answers given make the outcome urgent, questions left unasked add nothing: they
//! could not raise it further, and advice about them (a "new medicine" the person never
//! mentioned) would only confuse. The level is the same as reading every missing answer as
//! the worst case; only what is listed differs.

use crate::assessment::{Assessment, Condition, YesNo};

/// The four outcomes, least urgent first (so `Ord` ranks urgency).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    SelfCare,
    Pharmacist,
    Gp,
    UrgentGp,
}

impl Level {
    pub const ALL: [Level; 4] = [
        Level::SelfCare,
        Level::Pharmacist,
        Level::Gp,
        Level::UrgentGp,
    ];

    /// The level's value in the JSON contract.
    pub fn code(self) -> &'static str {
        match self {
            Level::UrgentGp => "urgent-gp",
            Level::Gp => "gp",
            Level::Pharmacist => "pharmacist",
            Level::SelfCare => "self-care",
        }
    }

    /// The headline a person sees.
    pub fn headline(self) -> &'static str {
        match self {
            Level::UrgentGp => "Speak to your GP urgently (phone 111 if the surgery is closed)",
            Level::Gp => "Speak to your GP",
            Level::Pharmacist => "Speak to a pharmacist",
            Level::SelfCare => "Look after yourself at home",
        }
    }

    pub fn from_code(code: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.code() == code)
    }
}

/// What a rule tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Test {
    /// The longest cramp lasted more than 10 minutes and did not ease when the person moved.
    LongUnrelieved,
    /// The person answered yes to this question.
    Yes(YesNo),
}

/// The longest a cramp may last, in minutes, before it is a red flag (only *longer* is one).
/// Clinical: fact `help.urgent.long-unrelieved`.
pub const RED_FLAG_MINUTES: f64 = 10.0;

/// Why a rule fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// The answers given meet the rule.
    Answered,
    /// At least one answer the rule depends on is missing, and the safe reading was taken.
    Assumed,
}

impl Test {
    /// Whether the rule fires for `a`, and on what basis.
    pub fn fires(self, a: &Assessment) -> Option<Basis> {
        match self {
            Test::LongUnrelieved => {
                let long = match a.longest_cramp_minutes {
                    Some(m) if m.get() <= RED_FLAG_MINUTES => return None,
                    Some(_) => true,
                    None => false,
                };
                match a.get(YesNo::EasesWhenMoving) {
                    Some(true) => None,
                    Some(false) if long => Some(Basis::Answered),
                    _ => Some(Basis::Assumed),
                }
            }
            Test::Yes(q) => match a.get(q) {
                Some(true) => Some(Basis::Answered),
                Some(false) => None,
                None => Some(Basis::Assumed),
            },
        }
    }
}

/// One row of the rule table.
#[derive(Debug)]
pub struct Rule {
    /// The fact this rule implements; reported in `triggered`.
    pub fact: &'static str,
    pub level: Level,
    pub test: Test,
    /// When it fires, for a clinical reviewer.
    pub when: &'static str,
    /// The reason shown when the answers given meet the rule.
    pub because: &'static str,
    /// The reason shown when the rule fired on the safe reading of a missing answer.
    pub assumed: &'static str,
}

/// The rule table. Order is the order reasons are shown in; the highest level that fires is
/// the outcome.
pub const RULES: &[Rule] = &[
    Rule {
        fact: "help.urgent.long-unrelieved",
        level: Level::UrgentGp,
        test: Test::LongUnrelieved,
        when: "longest cramp > 10 minutes AND it did not ease on moving (a missing duration or a missing 'eases' answer counts as meeting its condition)",
        because: "A cramp lasted more than 10 minutes and did not get better when you moved. That needs to be checked by a GP urgently.",
        assumed: "We could not rule out a cramp lasting more than 10 minutes that does not get better when you move, so we have taken the safe reading: that needs a GP urgently.",
    },
    Rule {
        fact: "help.urgent.toxin-or-wound",
        level: Level::UrgentGp,
        test: Test::Yes(YesNo::ToxinOrWoundContact),
        when: "cramps began after contact with mercury, lead or a similar substance, or after dirt got into a cut",
        because: "Your cramps began after contact with a substance like lead or mercury, or after dirt got into a cut. That needs to be checked by a GP urgently.",
        assumed: "We could not rule out that your cramps began after contact with lead, mercury or a similar substance, or after dirt got into a cut, so we have taken the safe reading: that needs a GP urgently.",
    },
    Rule {
        fact: "help.gp.quality-of-life",
        level: Level::Gp,
        test: Test::Yes(YesNo::QualityOfLifeAffected),
        when: "cramps affect quality of life",
        because: "Your cramps are affecting your everyday life, which is a reason to see your GP.",
        assumed: "We could not rule out that cramps are affecting your everyday life, which is a reason to see your GP.",
    },
    Rule {
        fact: "help.gp.frequent",
        level: Level::Gp,
        test: Test::Yes(YesNo::Frequent),
        when: "cramps are frequent",
        because: "You are getting cramps often, which is a reason to see your GP.",
        assumed: "We could not rule out that you are getting cramps often, which is a reason to see your GP.",
    },
    Rule {
        fact: "help.gp.sleep",
        level: Level::Gp,
        test: Test::Yes(YesNo::SleepDisturbed),
        when: "cramps interfere with sleep",
        because: "Your cramps are disturbing your sleep, which is a reason to see your GP.",
        assumed: "We could not rule out that cramps are disturbing your sleep, which is a reason to see your GP.",
    },
    Rule {
        fact: "help.gp.numbness-swelling",
        level: Level::Gp,
        test: Test::Yes(YesNo::NumbnessOrSwelling),
        when: "numbness or swelling in the legs as well",
        because: "Your legs are numb or swollen as well, which is a reason to see your GP.",
        assumed: "We could not rule out numbness or swelling in your legs, which is a reason to see your GP.",
    },
    Rule {
        fact: "help.gp.muscle-wasting-weakness",
        level: Level::Gp,
        test: Test::Yes(YesNo::MuscleShrinkingOrWeaker),
        when: "leg muscles shrinking or getting weaker",
        because: "The muscles in your legs are getting smaller or weaker, which is a reason to see your GP.",
        assumed: "We could not rule out that the muscles in your legs are getting smaller or weaker, which is a reason to see your GP.",
    },
    Rule {
        fact: "medication.can-cause",
        level: Level::Pharmacist,
        test: Test::Yes(YesNo::NewMedication),
        when: "cramps began after starting a new medication",
        because: "Your cramps began after you started a new medicine. A pharmacist can tell you whether it might be the cause.",
        assumed: "We could not rule out that your cramps began after you started a new medicine, so it is worth asking a pharmacist.",
    },
];

/// When a piece of advice applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// The outcome is this level.
    LevelIs(Level),
    /// The rule with this fact id fired.
    Fired(&'static str),
    /// Any rule of this level fired (whatever the outcome).
    AnyFiredAt(Level),
    /// The person answered yes to this question.
    AnsweredYes(YesNo),
    /// The person said they have this condition.
    Has(Condition),
    /// Always.
    Always,
}

/// Which part of an outcome a piece of advice belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// Who to speak to and how soon.
    DoNow,
    /// A possible cause matched to an answer (a possibility, never a diagnosis).
    PossibleCause,
    /// What helps at home: moving, stretching, prevention.
    SelfCare,
}

/// One piece of advice that an outcome can give.
#[derive(Debug)]
pub struct Advice {
    pub id: &'static str,
    pub group: Group,
    pub facts: &'static [&'static str],
    pub when: When,
    pub text: &'static str,
}

/// All advice, in the order it is shown: what to do about the outcome first, then possible
/// causes, then what helps at home.
pub const ADVICE: &[Advice] = &[
    Advice {
        id: "urgent-contact",
        group: Group::DoNow,
        facts: &["help.urgent.gp-closed-111", "help.serious-sign"],
        when: When::LevelIs(Level::UrgentGp),
        text: "Contact your GP surgery now and ask to speak to a GP urgently. If the surgery is closed, phone 111.",
    },
    Advice {
        id: "gp-appointment",
        group: Group::DoNow,
        facts: &["help.gp.assessment"],
        when: When::AnyFiredAt(Level::Gp),
        text: "Make an appointment to speak to your GP about your cramps. Expect questions about them, and an examination of your legs and feet.",
    },
    Advice {
        id: "gp-tests",
        group: Group::DoNow,
        facts: &["help.gp.secondary-sign", "help.gp.tests"],
        when: When::Fired("help.gp.numbness-swelling"),
        text: "Numbness or swelling alongside cramps can mean they come from another condition, so your GP may suggest tests, such as blood or urine tests.",
    },
    Advice {
        id: "medicine-when-persistent",
        group: Group::DoNow,
        facts: &["treatment.medication-persistent"],
        when: When::AnyFiredAt(Level::Gp),
        text: "Medicine for cramps is usually only used when they carry on even though exercise has not helped.",
    },
    Advice {
        id: "pharmacist",
        group: Group::DoNow,
        facts: &["medication.can-cause"],
        when: When::Fired("medication.can-cause"),
        text: "Speak to a pharmacist about your new medicine: a small number of people get leg cramps from some medicines.",
    },
    Advice {
        id: "do-not-stop-medicine",
        group: Group::DoNow,
        facts: &["medication.do-not-stop"],
        when: When::Fired("medication.can-cause"),
        text: "Do not stop taking a medicine you were prescribed unless your GP or another healthcare professional tells you to.",
    },
    Advice {
        id: "cause-toxins-infection",
        group: Group::PossibleCause,
        facts: &["causes.secondary.toxins", "causes.secondary.infection"],
        when: When::AnsweredYes(YesNo::ToxinOrWoundContact),
        text: "High levels of substances like lead or mercury in the blood, and some bacterial infections such as tetanus, can cause cramps and spasms.",
    },
    Advice {
        id: "cause-pregnancy",
        group: Group::PossibleCause,
        facts: &["causes.secondary.pregnancy", "treatment.pregnancy-passes"],
        when: When::AnsweredYes(YesNo::Pregnant),
        text: "Pregnancy may be playing a part: the extra weight strains the leg muscles. Cramps from pregnancy should stop once the baby is born.",
    },
    Advice {
        id: "cause-exercise",
        group: Group::PossibleCause,
        facts: &[
            "causes.secondary.exercise",
            "causes.idiopathic.muscle-strain",
        ],
        when: When::AnsweredYes(YesNo::AfterExercise),
        text: "Exercise may be playing a part: cramps often start while resting afterwards, or when the leg muscles have been worked hard.",
    },
    Advice {
        id: "cause-dehydration",
        group: Group::PossibleCause,
        facts: &["causes.secondary.dehydration"],
        when: When::AnsweredYes(YesNo::Dehydrated),
        text: "Being short of fluids may be playing a part: too little water in the body can lower its salt levels, which can set off cramps.",
    },
    Advice {
        id: "cause-neurological",
        group: Group::PossibleCause,
        facts: &[
            "causes.secondary.neurological",
            "treatment.treat-underlying",
        ],
        when: When::Has(Condition::Neurological),
        text: "A condition of the nerves can cause cramps. Treating the condition itself may help ease them.",
    },
    Advice {
        id: "cause-liver",
        group: Group::PossibleCause,
        facts: &[
            "causes.secondary.liver-disease",
            "treatment.liver-harder",
            "treatment.treat-underlying",
        ],
        when: When::Has(Condition::LiverDisease),
        text: "Liver disease can cause cramps, because toxins build up in the blood. Treating the liver disease may help, though these cramps can be harder to treat.",
    },
    Advice {
        id: "move",
        group: Group::SelfCare,
        facts: &["stretch.relief"],
        when: When::Always,
        text: "When a cramp starts, move and stretch the muscle: this eases most cramps.",
    },
    Advice {
        id: "calf-stretch",
        group: Group::SelfCare,
        facts: &[
            "stretch.calf-step",
            "prevent.regular-stretching",
            "prevent.bedtime-stretch",
        ],
        when: When::Always,
        text: "Do the calf stretch regularly, and each night before bed: it may mean fewer cramps.",
    },
    Advice {
        id: "daytime-exercise",
        group: Group::SelfCare,
        facts: &["stretch.daytime-exercise"],
        when: When::Always,
        text: "Exercising your legs during the day often means cramps come less often.",
    },
    Advice {
        id: "in-bed",
        group: Group::SelfCare,
        facts: &[
            "prevent.lying-on-back",
            "prevent.lying-on-front",
            "prevent.loose-bedding",
        ],
        when: When::Always,
        text: "In bed, keep your toes pointing up if you lie on your back, let your feet hang over the end of the bed if you lie on your front, and keep sheets and blankets loose.",
    },
];

/// A possible cause, matched to an answer of yes.
#[derive(Debug)]
pub struct Cause {
    pub facts: &'static [&'static str],
    pub when: When,
}

/// Possible causes. These are possibilities to discuss, never a diagnosis.
pub const CAUSES: &[Cause] = &[
    Cause {
        facts: &["causes.secondary.pregnancy"],
        when: When::AnsweredYes(YesNo::Pregnant),
    },
    Cause {
        facts: &["causes.secondary.exercise"],
        when: When::AnsweredYes(YesNo::AfterExercise),
    },
    Cause {
        facts: &["causes.secondary.dehydration"],
        when: When::AnsweredYes(YesNo::Dehydrated),
    },
    Cause {
        facts: &["medication.can-cause"],
        when: When::AnsweredYes(YesNo::NewMedication),
    },
    Cause {
        facts: &["causes.secondary.toxins", "causes.secondary.infection"],
        when: When::AnsweredYes(YesNo::ToxinOrWoundContact),
    },
    Cause {
        facts: &["causes.secondary.neurological"],
        when: When::Has(Condition::Neurological),
    },
    Cause {
        facts: &["causes.secondary.liver-disease"],
        when: When::Has(Condition::LiverDisease),
    },
];

/// When to seek help again, for each outcome.
#[derive(Debug)]
pub struct SafetyNet {
    pub level: Level,
    pub facts: &'static [&'static str],
    pub text: &'static str,
}

pub const SAFETY_NETS: &[SafetyNet] = &[
    SafetyNet {
        level: Level::UrgentGp,
        facts: &["help.urgent.gp-closed-111"],
        text: "Do not wait for the surgery to open: if it is closed, phone 111 now. If you cannot get through to your GP, phone 111.",
    },
    SafetyNet {
        level: Level::Gp,
        facts: &[
            "help.urgent.long-unrelieved",
            "help.urgent.toxin-or-wound",
            "help.urgent.gp-closed-111",
        ],
        text: "Before your appointment, speak to a GP urgently (phone 111 if the surgery is closed) if a cramp lasts more than 10 minutes and does not get better when you move, or if cramps start after contact with lead, mercury or dirt in a cut.",
    },
    SafetyNet {
        level: Level::Pharmacist,
        facts: &[
            "help.urgent.long-unrelieved",
            "help.urgent.toxin-or-wound",
            "help.urgent.gp-closed-111",
            "help.gp.quality-of-life",
            "help.gp.frequent",
            "help.gp.sleep",
            "help.gp.numbness-swelling",
            "help.gp.muscle-wasting-weakness",
        ],
        text: "Speak to a GP urgently (phone 111 if the surgery is closed) if a cramp lasts more than 10 minutes and does not get better when you move, or if cramps start after contact with lead, mercury or dirt in a cut. Speak to your GP if cramps become frequent, disturb your sleep or your everyday life, or come with numbness, swelling, or leg muscles getting smaller or weaker.",
    },
    SafetyNet {
        level: Level::SelfCare,
        facts: &[
            "help.urgent.long-unrelieved",
            "help.urgent.toxin-or-wound",
            "help.urgent.gp-closed-111",
            "help.gp.quality-of-life",
            "help.gp.frequent",
            "help.gp.sleep",
            "help.gp.numbness-swelling",
            "help.gp.muscle-wasting-weakness",
        ],
        text: "Speak to a GP urgently (phone 111 if the surgery is closed) if a cramp lasts more than 10 minutes and does not get better when you move, or if cramps start after contact with lead, mercury or dirt in a cut. Speak to your GP if cramps become frequent, disturb your sleep or your everyday life, or come with numbness, swelling, or leg muscles getting smaller or weaker. Do this check again if anything changes.",
    },
];

/// The safety net of a level (every level has one: a test checks it).
pub fn safety_net(level: Level) -> &'static SafetyNet {
    SAFETY_NETS
        .iter()
        .find(|s| s.level == level)
        .unwrap_or(&SAFETY_NETS[0])
}

/// The advice that an urgent outcome gives (contact the GP now, 111 if closed), with the
/// urgent safety net: what the diary shows at once for a red-flag episode.
pub fn urgent_advice() -> (&'static Advice, &'static SafetyNet) {
    let contact = ADVICE
        .iter()
        .find(|a| a.when == When::LevelIs(Level::UrgentGp))
        .unwrap_or(&ADVICE[0]);
    (contact, safety_net(Level::UrgentGp))
}

/// The result of a triage. Small and `Copy`: the rules, advice and causes that apply are kept
/// as sets of indexes into the static tables, and read out through the accessors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Outcome {
    pub level: Level,
    /// True when the outcome is urgent and the surgery is closed or not known to be open.
    pub phone_111: bool,
    fired: u16,
    assumed: u16,
    advice: u32,
    causes: u16,
}

// The sets above are bitsets; make sure the tables fit.
const _: () = assert!(RULES.len() <= 16 && ADVICE.len() <= 32 && CAUSES.len() <= 16);

fn applies(when: When, a: &Assessment, level: Level, fired: u16) -> bool {
    match when {
        When::LevelIs(l) => level == l,
        When::Fired(fact) => RULES
            .iter()
            .enumerate()
            .any(|(i, r)| fired & (1 << i) != 0 && r.fact == fact),
        When::AnyFiredAt(l) => RULES
            .iter()
            .enumerate()
            .any(|(i, r)| fired & (1 << i) != 0 && r.level == l),
        When::AnsweredYes(q) => a.get(q) == Some(true),
        When::Has(c) => a.known_conditions.is_some_and(|cs| cs.contains(c)),
        When::Always => true,
    }
}

/// Triage an assessment. Total: every assessment gets an outcome.
pub fn evaluate(a: &Assessment) -> Outcome {
    // First the rules the answers given meet; then those that need a missing answer, when
    // they would raise the level.
    let mut level = Level::SelfCare;
    let mut fired = 0u16;
    let mut assumed = 0u16;
    let mut bases = [None; RULES.len()];
    for (i, rule) in RULES.iter().enumerate() {
        bases[i] = rule.test.fires(a);
        if bases[i] == Some(Basis::Answered) {
            fired |= 1 << i;
            level = level.max(rule.level);
        }
    }
    let answered_level = level;
    for (i, rule) in RULES.iter().enumerate() {
        if bases[i] == Some(Basis::Assumed) && rule.level > answered_level {
            fired |= 1 << i;
            assumed |= 1 << i;
            level = level.max(rule.level);
        }
    }
    let mut advice = 0u32;
    for (i, item) in ADVICE.iter().enumerate() {
        if applies(item.when, a, level, fired) {
            advice |= 1 << i;
        }
    }
    let mut causes = 0u16;
    for (i, cause) in CAUSES.iter().enumerate() {
        if applies(cause.when, a, level, fired) {
            causes |= 1 << i;
        }
    }
    Outcome {
        level,
        phone_111: level == Level::UrgentGp && a.get(YesNo::GpOpen) != Some(true),
        fired,
        assumed,
        advice,
        causes,
    }
}

impl Outcome {
    /// The indexes into [`RULES`] of the rules that applied, with the basis each fired on.
    pub fn rule_indices(&self) -> impl Iterator<Item = (usize, Basis)> + '_ {
        (0..RULES.len())
            .filter(|i| self.fired & (1 << i) != 0)
            .map(|i| {
                let basis = if self.assumed & (1 << i) != 0 {
                    Basis::Assumed
                } else {
                    Basis::Answered
                };
                (i, basis)
            })
    }

    /// The rules that applied, each with the basis it fired on, in table order.
    pub fn reasons(&self) -> impl Iterator<Item = (&'static Rule, Basis)> + '_ {
        self.rule_indices().map(|(i, b)| (&RULES[i], b))
    }

    /// The fact ids of every rule that applied (the contract's `triggered`).
    pub fn triggered(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.reasons().map(|(r, _)| r.fact)
    }

    /// The indexes into [`ADVICE`] of every piece of advice that applies.
    pub fn advice_indices(&self) -> impl Iterator<Item = usize> + '_ {
        (0..ADVICE.len()).filter(|i| self.advice & (1 << i) != 0)
    }

    /// Every piece of advice that applies, in display order.
    pub fn advice(&self) -> impl Iterator<Item = &'static Advice> + '_ {
        self.advice_indices().map(|i| &ADVICE[i])
    }

    /// The indexes into [`CAUSES`] of the possible causes matched to the answers.
    pub fn cause_indices(&self) -> impl Iterator<Item = usize> + '_ {
        (0..CAUSES.len()).filter(|i| self.causes & (1 << i) != 0)
    }

    /// The fact ids of the possible causes matched to the answers.
    pub fn possible_causes(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.cause_indices()
            .flat_map(|i| CAUSES[i].facts.iter().copied())
    }

    /// When to seek help again.
    pub fn safety_net(&self) -> &'static SafetyNet {
        safety_net(self.level)
    }
}
