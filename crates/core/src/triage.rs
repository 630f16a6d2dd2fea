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
//! missing answer then also fires (on the safe reading) when the level it gives on that reading
//! is *higher* than that. So a cramp of 10 minutes or more with "eases when moving" unanswered
//! fires the urgent rule, and an assessment with nothing answered is urgent: nothing has been
//! ruled out. One rule gives a lower level on the safe reading than when answered yes: a
//! missing or "not sure" answer about breathlessness or chest pain gives `urgent-gp` (111,
//! with the 999 safety net), never `emergency`: only a yes sends a person to 999 (docs/product.md).
//!
//! Once the answers given make the outcome urgent, questions left unasked add nothing: they
//! could not raise it further, and advice about them (a "new medicine" the person never
//! mentioned) would only confuse. The level is the same as reading every missing answer as
//! the worst case; only what is listed differs.

use crate::assessment::{Assessment, Condition, YesNo};

/// The version of the rule table. Bump it whenever a rule, a level or the reading of a
/// missing answer changes, so that a saved check says which rules produced what was shown.
pub const RULES_VERSION: &str = "2026.12.3";

/// The five outcomes, least urgent first (so `Ord` ranks urgency).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    SelfCare,
    Pharmacist,
    Gp,
    UrgentGp,
    Emergency,
}

impl Level {
    pub const ALL: [Level; 5] = [
        Level::SelfCare,
        Level::Pharmacist,
        Level::Gp,
        Level::UrgentGp,
        Level::Emergency,
    ];

    /// The level's value in the JSON contract.
    pub fn code(self) -> &'static str {
        match self {
            Level::Emergency => "emergency",
            Level::UrgentGp => "urgent-gp",
            Level::Gp => "gp",
            Level::Pharmacist => "pharmacist",
            Level::SelfCare => "self-care",
        }
    }

    /// The level in words, as docs/product.md names it (for reviewers and the diary; what a person
    /// is told to do is [`Action::headline`]).
    pub fn headline(self) -> &'static str {
        match self {
            Level::Emergency => "Phone 999 now",
            Level::UrgentGp => "Speak to your GP urgently (phone 111 if the surgery is closed)",
            Level::Gp => "Speak to your GP",
            Level::Pharmacist => "Speak to a pharmacist",
            Level::SelfCare => "Look after yourself at home",
        }
    }

    pub fn from_code(code: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.code() == code)
    }

    /// Emergency and urgent GP: the person must act now.
    pub fn is_urgent(self) -> bool {
        self >= Level::UrgentGp
    }
}

/// The one thing a person is told to do: the level, with the urgent level split by whether
/// the GP surgery is known to be open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Action {
    SelfCare,
    SeePharmacist,
    SeeGp,
    /// Urgent, and the surgery is open: phone it now.
    PhoneGpNow,
    /// Urgent, and the surgery is closed or not known to be open: phone 111.
    Phone111,
    Phone999,
}

impl Action {
    pub const ALL: [Action; 6] = [
        Action::SelfCare,
        Action::SeePharmacist,
        Action::SeeGp,
        Action::PhoneGpNow,
        Action::Phone111,
        Action::Phone999,
    ];

    /// The headline: what to do, in a few words (the page's H1).
    pub fn headline(self) -> &'static str {
        match self {
            Action::Phone999 => "Phone 999 now",
            Action::Phone111 => "Phone 111 now",
            Action::PhoneGpNow => "Phone your GP surgery now",
            Action::SeeGp => "Speak to your GP",
            Action::SeePharmacist => "Speak to a pharmacist",
            Action::SelfCare => "Look after yourself at home",
        }
    }

    /// A stable name, for tests and the review document.
    pub fn code(self) -> &'static str {
        match self {
            Action::Phone999 => "phone-999",
            Action::Phone111 => "phone-111",
            Action::PhoneGpNow => "phone-gp-now",
            Action::SeeGp => "see-gp",
            Action::SeePharmacist => "see-pharmacist",
            Action::SelfCare => "self-care",
        }
    }

    pub fn level(self) -> Level {
        match self {
            Action::Phone999 => Level::Emergency,
            Action::Phone111 | Action::PhoneGpNow => Level::UrgentGp,
            Action::SeeGp => Level::Gp,
            Action::SeePharmacist => Level::Pharmacist,
            Action::SelfCare => Level::SelfCare,
        }
    }
}

/// What a rule tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Test {
    /// A cramp lasted 10 minutes or more and did not ease when the person moved, and it is
    /// still going on or ended within [`RECENT_HOURS`] (or when is not known: the safe reading).
    LongUnrelieved,
    /// The same cramp, over, and ended longer ago than [`RECENT_HOURS`]: something to tell the
    /// GP, and to phone about the same day if it happens again (docs/product.md, "Rules with a time
    /// in them").
    LongUnrelievedPast,
    /// Contact with lead, mercury or a similar substance, or dirt in a cut, before the cramps
    /// began: asked as two questions ([`YesNo::LeadOrMercury`], [`YesNo::DirtInWound`]), or
    /// answered as one ([`YesNo::ToxinOrWoundContact`]) through the JSON contract.
    ToxinOrWound,
    /// The longest cramp lasted [`VERY_LONG_MINUTES`] or more, eased or not: far longer than a
    /// cramp lasts (`symptoms.duration`), so something else may be going on.
    VeryLong,
    /// The person answered yes to this question.
    Yes(YesNo),
}

/// A cramp this long or longer is a red flag when moving does not ease it.
///
/// Clinical: fact `help.urgent.long-unrelieved` says "longer than 10 minutes". People round: a
/// person who says 10 may mean 11 or 12, so a reported 10 counts as possibly more than 10 and
/// is asked whether it eased (hazard H11 in docs/clinical-safety/hazard-log.md).
pub const RED_FLAG_MINUTES: f64 = 10.0;

/// Whether a cramp of `minutes` is long enough to be a red flag (see [`RED_FLAG_MINUTES`]).
pub fn long_enough_for_red_flag(minutes: f64) -> bool {
    minutes >= RED_FLAG_MINUTES
}

/// How recent a long cramp that did not ease must be for it to be urgent, counted from when it
/// **ended**: a product setting (docs/product.md, "Settings a host owns"), not a clinical figure —
/// the source says to speak to a GP urgently, and gives no period. The check's question and
/// the diary both use it; a test keeps the question's wording in step with it.
pub const RECENT_HOURS: i64 = 24;

/// A "cramp" this long or longer is a reason to see a GP even when moving eased it (issue 18,
/// finding 17): a product setting, not a clinical figure. The source says a cramp lasts up to
/// 10 minutes (`symptoms.duration`) and that cramps can be a sign of something more serious
/// (`help.serious-sign`); it gives no upper figure.
pub const VERY_LONG_MINUTES: f64 = 60.0;

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
            Test::LongUnrelieved | Test::LongUnrelievedPast => {
                let long = match a.longest_cramp_minutes {
                    Some(m) if !long_enough_for_red_flag(m.get()) => return None,
                    Some(_) => true,
                    None => false,
                };
                let unrelieved = match a.get(YesNo::EasesWhenMoving) {
                    Some(true) => return None,
                    Some(false) if long => Basis::Answered,
                    _ => Basis::Assumed,
                };
                // When it was: recent (or not known) is urgent; over and longer ago is not.
                match (self, a.get(YesNo::LongCrampRecent)) {
                    (Test::LongUnrelieved, Some(false)) | (Test::LongUnrelievedPast, None) => None,
                    (Test::LongUnrelievedPast, Some(true)) => None,
                    (Test::LongUnrelieved, None) => Some(Basis::Assumed),
                    _ => Some(unrelieved),
                }
            }
            Test::ToxinOrWound => {
                let parts = [
                    a.get(YesNo::ToxinOrWoundContact),
                    a.get(YesNo::LeadOrMercury),
                    a.get(YesNo::DirtInWound),
                ];
                if parts.contains(&Some(true)) {
                    Some(Basis::Answered)
                } else if parts[0] == Some(false)
                    || (parts[1] == Some(false) && parts[2] == Some(false))
                {
                    None
                } else {
                    Some(Basis::Assumed)
                }
            }
            Test::VeryLong => match a.longest_cramp_minutes {
                Some(m) if m.get() >= VERY_LONG_MINUTES => Some(Basis::Answered),
                Some(_) => None,
                None => Some(Basis::Assumed),
            },
            Test::Yes(q) => match a.get(q) {
                Some(true) => Some(Basis::Answered),
                Some(false) => None,
                None => Some(Basis::Assumed),
            },
        }
    }

    /// The questions whose answers this test reads.
    pub fn reads(self) -> &'static [YesNo] {
        match self {
            Test::LongUnrelieved | Test::LongUnrelievedPast => {
                &[YesNo::EasesWhenMoving, YesNo::LongCrampRecent]
            }
            Test::VeryLong => &[],
            Test::ToxinOrWound => &[
                YesNo::ToxinOrWoundContact,
                YesNo::LeadOrMercury,
                YesNo::DirtInWound,
            ],
            Test::Yes(q) => match q {
                YesNo::EasesWhenMoving => &[YesNo::EasesWhenMoving],
                YesNo::ToxinOrWoundContact => &[YesNo::ToxinOrWoundContact],
                YesNo::GpOpen => &[YesNo::GpOpen],
                YesNo::QualityOfLifeAffected => &[YesNo::QualityOfLifeAffected],
                YesNo::Frequent => &[YesNo::Frequent],
                YesNo::SleepDisturbed => &[YesNo::SleepDisturbed],
                YesNo::NumbnessOrSwelling => &[YesNo::NumbnessOrSwelling],
                YesNo::MuscleShrinkingOrWeaker => &[YesNo::MuscleShrinkingOrWeaker],
                YesNo::NewMedication => &[YesNo::NewMedication],
                YesNo::Pregnant => &[YesNo::Pregnant],
                YesNo::AfterExercise => &[YesNo::AfterExercise],
                YesNo::Dehydrated => &[YesNo::Dehydrated],
                YesNo::BreathlessOrChestPain => &[YesNo::BreathlessOrChestPain],
                YesNo::OneLegSwollenWarmOrRed => &[YesNo::OneLegSwollenWarmOrRed],
                YesNo::LeadOrMercury => &[YesNo::LeadOrMercury],
                YesNo::DirtInWound => &[YesNo::DirtInWound],
                YesNo::LongCrampRecent => &[YesNo::LongCrampRecent],
            },
        }
    }
}

/// One row of the rule table.
#[derive(Debug)]
pub struct Rule {
    /// The fact this rule implements; reported in `triggered`.
    pub fact: &'static str,
    /// The level when the answers given meet the rule.
    pub level: Level,
    /// The level when it fires on the safe reading of a missing answer (the same as `level`
    /// for every rule but the 999 one: only a yes sends a person to 999).
    pub assumed_level: Level,
    pub test: Test,
    /// When it fires, for a clinical reviewer.
    pub when: &'static str,
    /// The reason shown when the answers given meet the rule.
    pub because: &'static str,
    /// The reason shown when the rule fired on the safe reading of a missing answer.
    pub assumed: &'static str,
}

impl Rule {
    /// The level this rule gives on a basis.
    pub fn level_on(&self, basis: Basis) -> Level {
        match basis {
            Basis::Answered => self.level,
            Basis::Assumed => self.assumed_level,
        }
    }

    /// The reason shown for a basis.
    pub fn reason(&self, basis: Basis) -> &'static str {
        match basis {
            Basis::Answered => self.because,
            Basis::Assumed => self.assumed,
        }
    }
}

/// The rule table. Order is the order reasons are shown in; the highest level that fires is
/// the outcome.
pub const RULES: &[Rule] = &[
    Rule {
        fact: "dvt.emergency",
        level: Level::Emergency,
        assumed_level: Level::UrgentGp,
        test: Test::Yes(YesNo::BreathlessOrChestPain),
        when: "breathlessness or chest pain that is new, or worse than usual, since the leg pain began (a clot may have moved to the lungs). A missing or 'not sure' answer never gives `emergency` and never ends the check early: it gives at least `urgent-gp` with `phone_111` true whatever the surgery's hours, is always named in the reasons, and the outcome opens with 'If you are short of breath or have chest pain now, phone 999'",
        because: "You have pain in your leg, and you are short of breath or have chest pain. A blood clot may have moved to your lungs. This can put your life at risk.",
        assumed: "You were not sure if you have new or worse shortness of breath or chest pain. With pain in your leg, these can be signs of a blood clot. So you need to be checked today.",
    },
    Rule {
        fact: "dvt.urgent",
        level: Level::UrgentGp,
        assumed_level: Level::UrgentGp,
        test: Test::Yes(YesNo::OneLegSwollenWarmOrRed),
        when: "pain in one leg with swelling, warmth, or red or darker skin in that leg (a possible DVT)",
        because: "The leg that hurts is swollen, warm, or red or darker. This can be a sign of a blood clot in the leg. It needs to be checked today.",
        assumed: "You were not sure if the leg that hurts is swollen, warm, or red or darker. These can be signs of a blood clot, so it needs to be checked today.",
    },
    Rule {
        fact: "help.urgent.long-unrelieved",
        level: Level::UrgentGp,
        assumed_level: Level::UrgentGp,
        test: Test::LongUnrelieved,
        when: "longest cramp of 10 minutes or more AND it did not ease on moving AND it is still going on or ended in the last 24 hours (`RECENT_HOURS`, counted from its end; a reported 10 may have been rounded down, so it counts; a missing duration, 'eases' or 'when' answer counts as meeting its condition)",
        because: "A cramp lasted 10 minutes or more, and moving did not ease it. It is still going on, or it ended in the last 24 hours. This needs to be checked today.",
        assumed: "You were not sure how long your cramp lasted, if moving eased it, or when it ended. To be safe, this needs to be checked today.",
    },
    Rule {
        fact: "help.urgent.long-unrelieved",
        level: Level::Gp,
        assumed_level: Level::Gp,
        test: Test::LongUnrelievedPast,
        when: "the same long cramp that did not ease, over, and ended more than 24 hours ago: tell the GP, and if it happens again phone that day (a missing duration or 'eases' answer counts as meeting its condition)",
        because: "A cramp lasted 10 minutes or more, and moving did not ease it. It ended more than 24 hours ago. That is a reason to tell your GP.",
        assumed: "You were not sure how long a cramp lasted, or if moving eased it. It ended more than 24 hours ago. To be safe, we count that as a reason to tell your GP.",
    },
    Rule {
        fact: "help.urgent.toxin-or-wound",
        level: Level::UrgentGp,
        assumed_level: Level::UrgentGp,
        test: Test::ToxinOrWound,
        when: "in the weeks before the cramps began, contact with lead or mercury (the substances the source names), or dirt got into a cut (asked as two questions; either yes fires it; it is ruled out only when both are no, or the combined contract field is no; 'not sure' is read the safe way)",
        because: "Your cramps began after contact with lead or mercury, or after dirt got into a cut. This needs to be checked today.",
        assumed: "You were not sure if your cramps began after contact with lead or mercury, or after dirt got into a cut. To be safe, this needs to be checked today.",
    },
    Rule {
        fact: "help.serious-sign",
        level: Level::Gp,
        assumed_level: Level::Gp,
        test: Test::VeryLong,
        when: "the longest cramp lasted 60 minutes or more (`VERY_LONG_MINUTES`, a product setting), whether or not it eased: far longer than a cramp lasts, so something else may be going on (a missing duration counts as meeting it)",
        because: "Your longest cramp lasted an hour or more. Cramps usually last less than 10 minutes, so a GP should check what is going on.",
        assumed: "You were not sure how long your longest cramp lasted. If it was an hour or more, a GP should check what is going on.",
    },
    Rule {
        fact: "help.gp.quality-of-life",
        level: Level::Gp,
        assumed_level: Level::Gp,
        test: Test::Yes(YesNo::QualityOfLifeAffected),
        when: "cramps affect quality of life",
        because: "Your cramps get in the way of your daily life. That is a reason to see your GP.",
        assumed: "You were not sure if cramps get in the way of your daily life. To be safe, we count that as a reason to see your GP.",
    },
    Rule {
        fact: "help.gp.frequent",
        level: Level::Gp,
        assumed_level: Level::Gp,
        test: Test::Yes(YesNo::Frequent),
        when: "cramps are frequent",
        because: "You get cramps often. That is a reason to see your GP.",
        assumed: "You were not sure if you get cramps often. To be safe, we count that as a reason to see your GP.",
    },
    Rule {
        fact: "help.gp.sleep",
        level: Level::Gp,
        assumed_level: Level::Gp,
        test: Test::Yes(YesNo::SleepDisturbed),
        when: "cramps interfere with sleep",
        because: "Your cramps wake you up or stop you sleeping. That is a reason to see your GP.",
        assumed: "You were not sure if cramps spoil your sleep. To be safe, we count that as a reason to see your GP.",
    },
    Rule {
        fact: "help.gp.numbness-swelling",
        level: Level::Gp,
        assumed_level: Level::Gp,
        test: Test::Yes(YesNo::NumbnessOrSwelling),
        when: "numbness or swelling in the legs as well",
        because: "One or both legs are numb or swollen as well. That is a reason to see your GP.",
        assumed: "You were not sure if your legs are numb or swollen. To be safe, we count that as a reason to see your GP.",
    },
    Rule {
        fact: "help.gp.muscle-wasting-weakness",
        level: Level::Gp,
        assumed_level: Level::Gp,
        test: Test::Yes(YesNo::MuscleShrinkingOrWeaker),
        when: "leg muscles shrinking or getting weaker",
        because: "The muscles in your legs are getting smaller or weaker. That is a reason to see your GP.",
        assumed: "You were not sure if the muscles in your legs are getting smaller or weaker. To be safe, we count that as a reason to see your GP.",
    },
    Rule {
        fact: "medication.can-cause",
        level: Level::Pharmacist,
        assumed_level: Level::Pharmacist,
        test: Test::Yes(YesNo::NewMedication),
        when: "cramps began after starting a new medication",
        because: "Your cramps began after you started a new medicine. A pharmacist can tell you if it might be the cause.",
        assumed: "You were not sure if your cramps began after a new medicine. A pharmacist can help you find out.",
    },
];

/// When a piece of advice applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// The outcome's action is this one.
    ActionIs(Action),
    /// The rule with this fact id fired.
    Fired(&'static str),
    /// Any rule of this level fired (whatever the outcome).
    AnyFiredAt(Level),
    /// The person answered yes to this question.
    AnsweredYes(YesNo),
    /// The person answered yes to any of these questions.
    AnsweredYesToAny(&'static [YesNo]),
    /// The person said they have this condition.
    Has(Condition),
    /// The person was not sure (or did not say) about this question.
    Unsure(YesNo),
    /// A rule with this test fired.
    RuleFired(Test),
    /// Home care: never beside a 999 call, and never while a clot is possible (a leg that is
    /// swollen, warm or red, or breathlessness or chest pain, answered yes or not sure) —
    /// moving and stretching are not what a person with a possible clot should be told to do.
    NoClotSign,
}

/// Which part of an outcome a piece of advice belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// The line an outcome opens with, before anything else (the 999 line when breathlessness
    /// or chest pain was "not sure").
    Lead,
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
        id: "breathless-now-999",
        group: Group::Lead,
        facts: &["dvt.emergency", "dvt.do-not-drive"],
        when: When::Unsure(YesNo::BreathlessOrChestPain),
        text: "If you are short of breath or have chest pain now, phone 999. Do not drive yourself to hospital.",
    },
    Advice {
        id: "emergency-999",
        group: Group::DoNow,
        facts: &["dvt.emergency", "dvt.do-not-drive"],
        when: When::ActionIs(Action::Phone999),
        text: "Ask for an ambulance. If you go to A&E, do not drive yourself: ask someone to take you.",
    },
    Advice {
        id: "urgent-111",
        group: Group::DoNow,
        facts: &["help.urgent.gp-closed-111", "dvt.urgent"],
        when: When::ActionIs(Action::Phone111),
        text: "Phone 111 now. Tell them what you told us here.",
    },
    Advice {
        id: "urgent-gp-now",
        group: Group::DoNow,
        facts: &[
            "help.urgent.long-unrelieved",
            "help.urgent.toxin-or-wound",
            "dvt.urgent",
        ],
        when: When::ActionIs(Action::PhoneGpNow),
        text: "Phone your GP surgery now and ask to speak to a GP today. Tell them what you told us here.",
    },
    Advice {
        id: "gp-appointment",
        group: Group::DoNow,
        facts: &["help.gp.assessment"],
        when: When::AnyFiredAt(Level::Gp),
        text: "Make an appointment to see your GP about your cramps. The GP will ask about them and look at your legs and feet.",
    },
    Advice {
        id: "long-cramp-again",
        group: Group::DoNow,
        facts: &["help.urgent.long-unrelieved", "help.urgent.gp-closed-111"],
        when: When::RuleFired(Test::LongUnrelievedPast),
        text: "Tell your GP about the long cramp that did not ease. If a cramp like this happens again, phone your GP surgery that day, or 111 if it is closed.",
    },
    Advice {
        id: "very-long-leg-signs",
        group: Group::DoNow,
        facts: &[
            "symptoms.duration",
            "dvt.signs",
            "dvt.one-leg",
            "dvt.urgent",
        ],
        when: When::RuleFired(Test::VeryLong),
        text: "Pain that lasts this long may not be a cramp. If the leg that hurts is swollen, warm, or red or darker, get help today: phone your GP surgery, or 111 if it is closed.",
    },
    Advice {
        id: "gp-tests",
        group: Group::DoNow,
        facts: &["help.gp.secondary-sign", "help.gp.tests"],
        when: When::Fired("help.gp.numbness-swelling"),
        text: "Numb or swollen legs can mean something else is causing the cramps. So your GP may ask for tests, such as blood or urine tests.",
    },
    Advice {
        id: "medicine-when-persistent",
        group: Group::DoNow,
        facts: &["treatment.medication-persistent"],
        when: When::AnyFiredAt(Level::Gp),
        text: "Medicine for cramps is only used in some cases. It is for cramps that keep coming back when exercise has not helped.",
    },
    Advice {
        id: "pharmacist",
        group: Group::DoNow,
        facts: &["medication.can-cause"],
        when: When::Fired("medication.can-cause"),
        text: "Ask a pharmacist about your new medicine. A few people get leg cramps from some medicines.",
    },
    Advice {
        id: "do-not-stop-medicine",
        group: Group::DoNow,
        facts: &["medication.do-not-stop"],
        when: When::Fired("medication.can-cause"),
        text: "Do not stop a medicine you were prescribed. Only stop if your GP or a health worker says so.",
    },
    Advice {
        id: "cause-toxins-infection",
        group: Group::PossibleCause,
        facts: &["causes.secondary.toxins", "causes.secondary.infection"],
        when: When::AnsweredYesToAny(TOXIN_OR_WOUND),
        text: "Lead or mercury in the blood can cause cramps. So can some germs that get into a cut, such as tetanus.",
    },
    Advice {
        id: "cause-pregnancy",
        group: Group::PossibleCause,
        facts: &["causes.secondary.pregnancy", "treatment.pregnancy-passes"],
        when: When::AnsweredYes(YesNo::Pregnant),
        text: "Being pregnant may play a part: the extra weight puts strain on your leg muscles. These cramps should stop once your baby is born.",
    },
    Advice {
        id: "cause-exercise",
        group: Group::PossibleCause,
        facts: &[
            "causes.secondary.exercise",
            "causes.idiopathic.muscle-strain",
        ],
        when: When::AnsweredYes(YesNo::AfterExercise),
        text: "Exercise may play a part. Cramps often start when you rest after it, or when you have worked your legs hard.",
    },
    Advice {
        id: "cause-dehydration",
        group: Group::PossibleCause,
        facts: &["causes.secondary.dehydration"],
        when: When::AnsweredYes(YesNo::Dehydrated),
        text: "Being short of fluids may play a part. Too little water in your body can lower its salt levels, and that can set off cramps.",
    },
    Advice {
        id: "cause-neurological",
        group: Group::PossibleCause,
        facts: &[
            "causes.secondary.neurological",
            "treatment.treat-underlying",
        ],
        when: When::Has(Condition::Neurological),
        text: "A problem with the nerves can cause cramps. Treating that problem may ease them.",
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
        text: "Liver disease can cause cramps, as toxins build up in the blood. Treating the liver may help, but these cramps can be harder to treat.",
    },
    Advice {
        id: "move",
        group: Group::SelfCare,
        facts: &["stretch.relief"],
        when: When::NoClotSign,
        text: "When a cramp starts, move and stretch the muscle. This eases most cramps.",
    },
    Advice {
        id: "calf-stretch",
        group: Group::SelfCare,
        facts: &[
            "stretch.calf-step",
            "prevent.regular-stretching",
            "prevent.bedtime-stretch",
        ],
        when: When::NoClotSign,
        text: "Do the calf stretch often, and each night before bed. It may mean fewer cramps.",
    },
    Advice {
        id: "daytime-exercise",
        group: Group::SelfCare,
        facts: &["stretch.daytime-exercise"],
        when: When::NoClotSign,
        text: "Exercise your legs in the day. This often means fewer cramps.",
    },
    Advice {
        id: "in-bed",
        group: Group::SelfCare,
        facts: &[
            "prevent.lying-on-back",
            "prevent.lying-on-front",
            "prevent.loose-bedding",
        ],
        when: When::NoClotSign,
        text: "In bed, keep your toes pointing up if you lie on your back. If you lie on your front, let your feet hang over the end of the bed. Do not tuck your sheets in tight.",
    },
];

/// The questions that answer the toxin-or-wound rule.
const TOXIN_OR_WOUND: &[YesNo] = &[
    YesNo::ToxinOrWoundContact,
    YesNo::LeadOrMercury,
    YesNo::DirtInWound,
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
        when: When::AnsweredYesToAny(TOXIN_OR_WOUND),
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

/// One line of a safety net: when to seek help again, and where.
#[derive(Debug)]
pub struct NetLine {
    pub facts: &'static [&'static str],
    pub text: &'static str,
}

/// When to seek help again, for each action: short lines, shown as bullets.
#[derive(Debug)]
pub struct SafetyNet {
    pub action: Action,
    pub lines: &'static [NetLine],
}

impl SafetyNet {
    /// Every fact the safety net carries.
    pub fn facts(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.lines.iter().flat_map(|l| l.facts.iter().copied())
    }

    /// The lines as one paragraph (the JSON contract's `safety_net` is text).
    pub fn text(&self) -> String {
        self.lines
            .iter()
            .map(|l| l.text)
            .collect::<Vec<_>>()
            .join(" ")
    }
}

pub const NET_999: NetLine = NetLine {
    facts: &["dvt.emergency"],
    text: "Phone 999 if you get chest pain, or new or worse shortness of breath.",
};
pub const NET_CLOT: NetLine = NetLine {
    facts: &["dvt.urgent", "dvt.signs", "dvt.one-leg"],
    text: "Get help today if the leg that hurts becomes swollen, warm, or red or darker.",
};
pub const NET_URGENT: NetLine = NetLine {
    facts: &["help.urgent.long-unrelieved"],
    text: "Get help today if a cramp lasts 10 minutes or more and moving does not ease it.",
};
pub const NET_HOW: NetLine = NetLine {
    facts: &["help.urgent.gp-closed-111"],
    text: "For help today, phone your GP surgery, or 111 if it is closed.",
};
pub const NET_GP: NetLine = NetLine {
    facts: &[
        "help.gp.quality-of-life",
        "help.gp.frequent",
        "help.gp.sleep",
        "help.gp.numbness-swelling",
        "help.gp.muscle-wasting-weakness",
    ],
    text: "See your GP if cramps come often or spoil your sleep or your day. See them too if your legs go numb or swell, or your leg muscles get smaller or weaker.",
};

/// The safety net of a routine outcome (see a GP), which is also what the diary says after
/// every cramp is logged: 999, the signs of a clot, the 10-minute rule, and where to phone.
pub const ROUTINE_NET: &[NetLine] = &[NET_999, NET_CLOT, NET_URGENT, NET_HOW];

pub const SAFETY_NETS: &[SafetyNet] = &[
    SafetyNet {
        action: Action::Phone999,
        lines: &[NetLine {
            facts: &["dvt.emergency", "dvt.do-not-drive"],
            text: "If no one answers on 999, ask someone to take you to A&E now.",
        }],
    },
    SafetyNet {
        action: Action::Phone111,
        lines: &[NetLine {
            facts: &["dvt.emergency"],
            text: "Phone 999 at once if you get chest pain, or new or worse shortness of breath.",
        }],
    },
    SafetyNet {
        action: Action::PhoneGpNow,
        lines: &[
            NetLine {
                facts: &["help.urgent.gp-closed-111"],
                text: "If you cannot speak to a GP today, phone 111.",
            },
            NetLine {
                facts: &["dvt.emergency"],
                text: "Phone 999 at once if you get chest pain, or new or worse shortness of breath.",
            },
        ],
    },
    SafetyNet {
        action: Action::SeeGp,
        lines: ROUTINE_NET,
    },
    SafetyNet {
        action: Action::SeePharmacist,
        lines: &[NET_999, NET_CLOT, NET_URGENT, NET_HOW, NET_GP],
    },
    SafetyNet {
        action: Action::SelfCare,
        lines: &[
            NET_999,
            NET_CLOT,
            NET_URGENT,
            NET_HOW,
            NET_GP,
            NetLine {
                facts: &["source.nhs-inform"],
                text: "Do this check again if anything changes.",
            },
        ],
    },
];

/// The safety net of an action (every action has one: a test checks it).
pub fn safety_net(action: Action) -> &'static SafetyNet {
    SAFETY_NETS
        .iter()
        .find(|s| s.action == action)
        .unwrap_or(&SAFETY_NETS[0])
}

/// The advice that an urgent outcome gives when it is not known whether the surgery is open
/// (phone 111), with its safety net: what the diary shows at once for a recent red-flag
/// episode.
pub fn urgent_advice() -> (&'static Advice, &'static SafetyNet) {
    let contact = ADVICE
        .iter()
        .find(|a| a.when == When::ActionIs(Action::Phone111))
        .unwrap_or(&ADVICE[0]);
    (contact, safety_net(Action::Phone111))
}

/// The 999 line shown after "not sure" about breathlessness or chest pain: it opens the
/// outcome, and it stands above every question still asked before it (the check goes on, as
/// docs/product.md asks, but the person is never left without it).
pub fn breathless_doubt_line() -> &'static Advice {
    ADVICE
        .iter()
        .find(|a| a.group == Group::Lead)
        .unwrap_or(&ADVICE[0])
}

/// The result of a triage. Small and `Copy`: the rules, advice and causes that apply are kept
/// as sets of indexes into the static tables, and read out through the accessors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Outcome {
    pub level: Level,
    /// True when the outcome is urgent and the surgery is closed or not known to be open.
    pub phone_111: bool,
    /// True exactly when the outcome is an emergency.
    pub phone_999: bool,
    fired: u16,
    assumed: u16,
    advice: u32,
    causes: u16,
}

// The sets above are bitsets; make sure the tables fit.
const _: () = assert!(RULES.len() <= 16 && ADVICE.len() <= 32 && CAUSES.len() <= 16);

/// Whether this rule fired, in `fired`.
fn rule_fired(fired: u16, test: Test) -> bool {
    RULES
        .iter()
        .enumerate()
        .any(|(i, r)| fired & (1 << i) != 0 && r.test == test)
}

fn applies(when: When, a: &Assessment, action: Action, fired: u16) -> bool {
    match when {
        When::ActionIs(x) => action == x,
        When::Fired(fact) => RULES
            .iter()
            .enumerate()
            .any(|(i, r)| fired & (1 << i) != 0 && r.fact == fact),
        When::AnyFiredAt(l) => RULES
            .iter()
            .enumerate()
            .any(|(i, r)| fired & (1 << i) != 0 && r.level == l),
        When::AnsweredYes(q) => a.get(q) == Some(true),
        When::AnsweredYesToAny(qs) => qs.iter().any(|q| a.get(*q) == Some(true)),
        When::Has(c) => a.known_conditions.is_some_and(|cs| cs.contains(c)),
        When::Unsure(q) => a.get(q).is_none(),
        When::RuleFired(test) => rule_fired(fired, test),
        When::NoClotSign => {
            action != Action::Phone999
                && a.get(YesNo::BreathlessOrChestPain) == Some(false)
                && a.get(YesNo::OneLegSwollenWarmOrRed) == Some(false)
        }
    }
}

/// Where a piece of advice belongs in an outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// What to do at once.
    Now,
    /// For when the urgent part is sorted (or, for a routine outcome, what else may help).
    Later,
}

impl Section {
    /// The value in the JSON contract.
    pub fn code(self) -> &'static str {
        match self {
            Section::Now => "now",
            Section::Later => "later",
        }
    }
}

/// Whether a piece of advice is for now, for an outcome of this level: the opening line
/// always; for an urgent outcome only the urgent action; for self-care what helps at home;
/// otherwise everything in the "do now" group.
fn is_now(level: Level, a: &Advice) -> bool {
    a.group == Group::Lead
        || match level {
            Level::SelfCare => a.group == Group::SelfCare,
            l if l.is_urgent() => matches!(a.when, When::ActionIs(_)),
            _ => a.group == Group::DoNow,
        }
}

/// The action for a level, given whether 111 is the number (the urgent level only).
pub fn action_for(level: Level, phone_111: bool) -> Action {
    match level {
        Level::Emergency => Action::Phone999,
        Level::UrgentGp if phone_111 => Action::Phone111,
        Level::UrgentGp => Action::PhoneGpNow,
        Level::Gp => Action::SeeGp,
        Level::Pharmacist => Action::SeePharmacist,
        Level::SelfCare => Action::SelfCare,
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
        // A rule whose safe reading is below its answered level (the 999 one) is always named
        // when it fires on that reading: the doubt is what the person must hear, whatever else
        // made the outcome urgent.
        let doubt_matters = rule.assumed_level < rule.level;
        if bases[i] == Some(Basis::Assumed)
            && (rule.assumed_level > answered_level || doubt_matters)
        {
            fired |= 1 << i;
            assumed |= 1 << i;
            level = level.max(rule.assumed_level);
        }
    }
    // 111 whenever the surgery is not known to be open, and whenever breathlessness or chest
    // pain is in doubt (a GP surgery's queue is no place for a possible clot on the lung).
    let phone_111 = level == Level::UrgentGp
        && (a.get(YesNo::GpOpen) != Some(true) || a.get(YesNo::BreathlessOrChestPain).is_none());
    let action = action_for(level, phone_111);
    // A possible clot (a swollen, warm or red leg, or breathlessness, yes or not sure) is not
    // the time to suggest that exercise or pregnancy "may play a part": that could reassure.
    // The causes stay in `possible_causes` for a clinician; they are not advice here.
    let clot_possible = a.get(YesNo::BreathlessOrChestPain) != Some(false)
        || a.get(YesNo::OneLegSwollenWarmOrRed) != Some(false);
    let mut advice = 0u32;
    for (i, item) in ADVICE.iter().enumerate() {
        if item.group == Group::PossibleCause && clot_possible {
            continue;
        }
        if applies(item.when, a, action, fired) {
            advice |= 1 << i;
        }
    }
    let mut causes = 0u16;
    for (i, cause) in CAUSES.iter().enumerate() {
        if applies(cause.when, a, action, fired) {
            causes |= 1 << i;
        }
    }
    Outcome {
        level,
        phone_111,
        phone_999: level == Level::Emergency,
        fired,
        assumed,
        advice,
        causes,
    }
}

impl Outcome {
    /// The one thing to do.
    pub fn action(&self) -> Action {
        action_for(self.level, self.phone_111)
    }

    /// What to do, in a few words: "Phone 111 now".
    pub fn headline(&self) -> &'static str {
        self.action().headline()
    }

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

    /// The rules that set the outcome's level (the reasons for the action), in table order.
    pub fn leading_reasons(&self) -> impl Iterator<Item = (&'static Rule, Basis)> + '_ {
        let level = self.level;
        self.reasons().filter(move |(r, b)| r.level_on(*b) == level)
    }

    /// The rules that applied below the outcome's level: for "later, when this is sorted".
    pub fn other_reasons(&self) -> impl Iterator<Item = (&'static Rule, Basis)> + '_ {
        let level = self.level;
        self.reasons().filter(move |(r, b)| r.level_on(*b) != level)
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

    /// The advice to act on now: for an urgent outcome, only the urgent action; for
    /// self-care, what helps at home; otherwise everything in the "do now" group.
    pub fn advice_now(&self) -> impl Iterator<Item = &'static Advice> + '_ {
        let level = self.level;
        self.advice().filter(move |a| is_now(level, a))
    }

    /// The line the outcome opens with, if any (shown before everything else, once).
    pub fn lead(&self) -> Option<&'static Advice> {
        self.advice().find(|a| a.group == Group::Lead)
    }

    /// Every piece of advice with its section (the contract's `section`): what to do now
    /// first, then everything for later, each in display order.
    pub fn advice_by_section(&self) -> impl Iterator<Item = (&'static Advice, Section)> + '_ {
        let level = self.level;
        self.advice()
            .filter(move |a| is_now(level, a))
            .map(|a| (a, Section::Now))
            .chain(
                self.advice()
                    .filter(move |a| !is_now(level, a))
                    .map(|a| (a, Section::Later)),
            )
    }

    /// Routine advice that also applies to an urgent outcome, for after the urgent action
    /// ("Later, when this is sorted"). Empty for other outcomes.
    pub fn advice_later(&self) -> impl Iterator<Item = &'static Advice> + '_ {
        let urgent = self.level.is_urgent();
        self.advice().filter(move |a| {
            urgent && a.group == Group::DoNow && !matches!(a.when, When::ActionIs(_))
        })
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
        safety_net(self.action())
    }
}
