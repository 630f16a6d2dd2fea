//! What a person has told us: the answers to the check, each of which may be missing.

use std::fmt;

/// The most minutes a cramp duration may be (one day). Longer values are data-entry mistakes.
pub const MAX_MINUTES: f64 = 1440.0;

/// A cramp duration in minutes: finite, at least 0 and at most [`MAX_MINUTES`].
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Minutes(f64);

/// Why a number is not a valid [`Minutes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MinutesError {
    NotFinite,
    Negative,
    TooLong,
}

impl fmt::Display for MinutesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MinutesError::NotFinite => "must be a finite number of minutes",
            MinutesError::Negative => "must not be negative",
            MinutesError::TooLong => "must be at most 1440 minutes (one day)",
        })
    }
}

impl std::error::Error for MinutesError {}

impl Minutes {
    pub fn new(value: f64) -> Result<Self, MinutesError> {
        if !value.is_finite() {
            Err(MinutesError::NotFinite)
        } else if value < 0.0 {
            Err(MinutesError::Negative)
        } else if value > MAX_MINUTES {
            Err(MinutesError::TooLong)
        } else {
            // Normalise -0.0 so that equal durations compare and print the same.
            Ok(Minutes(value + 0.0))
        }
    }

    pub fn get(self) -> f64 {
        self.0
    }
}

/// A diagnosed condition the person already knows they have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Condition {
    Neurological,
    LiverDisease,
}

impl Condition {
    pub const ALL: [Condition; 2] = [Condition::Neurological, Condition::LiverDisease];

    /// The name used in the JSON contract and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Condition::Neurological => "neurological",
            Condition::LiverDisease => "liver-disease",
        }
    }

    /// Words a person would recognise.
    pub fn label(self) -> &'static str {
        match self {
            Condition::Neurological => {
                "a condition of the nerves (such as motor neurone disease or peripheral neuropathy)"
            }
            Condition::LiverDisease => "liver disease",
        }
    }

    pub fn from_name(name: &str) -> Option<Condition> {
        Condition::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// A set of [`Condition`]s (an empty set means "none that I know of").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Conditions(u8);

impl Conditions {
    pub const NONE: Conditions = Conditions(0);

    pub fn with(self, c: Condition) -> Conditions {
        Conditions(self.0 | Self::bit(c))
    }

    pub fn contains(self, c: Condition) -> bool {
        self.0 & Self::bit(c) != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn iter(self) -> impl Iterator<Item = Condition> {
        Condition::ALL
            .into_iter()
            .filter(move |c| self.contains(*c))
    }

    fn bit(c: Condition) -> u8 {
        match c {
            Condition::Neurological => 1,
            Condition::LiverDisease => 2,
        }
    }
}

impl FromIterator<Condition> for Conditions {
    fn from_iter<I: IntoIterator<Item = Condition>>(iter: I) -> Self {
        iter.into_iter().fold(Conditions::NONE, Conditions::with)
    }
}

/// A yes/no question of the check, named as in the JSON contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum YesNo {
    EasesWhenMoving,
    ToxinOrWoundContact,
    GpOpen,
    QualityOfLifeAffected,
    Frequent,
    SleepDisturbed,
    NumbnessOrSwelling,
    MuscleShrinkingOrWeaker,
    NewMedication,
    Pregnant,
    AfterExercise,
    Dehydrated,
    /// Breathlessness or chest pain as well as the leg pain (a clot may have reached the lungs).
    BreathlessOrChestPain,
    /// Pain in one leg with swelling, warmth, or red or darker skin in that leg (a possible DVT).
    OneLegSwollenWarmOrRed,
    /// The first half of [`YesNo::ToxinOrWoundContact`], as the check asks it: contact with lead,
    /// mercury or a similar substance before the cramps began.
    LeadOrMercury,
    /// The second half: dirt got into a cut or wound before the cramps began.
    DirtInWound,
    /// The long cramp that did not ease is still going on, or ended within the recent window
    /// ([`crate::triage::RECENT_HOURS`]); asked only after such a cramp.
    LongCrampRecent,
}

impl YesNo {
    pub const ALL: [YesNo; 17] = [
        YesNo::EasesWhenMoving,
        YesNo::ToxinOrWoundContact,
        YesNo::GpOpen,
        YesNo::QualityOfLifeAffected,
        YesNo::Frequent,
        YesNo::SleepDisturbed,
        YesNo::NumbnessOrSwelling,
        YesNo::MuscleShrinkingOrWeaker,
        YesNo::NewMedication,
        YesNo::Pregnant,
        YesNo::AfterExercise,
        YesNo::Dehydrated,
        YesNo::BreathlessOrChestPain,
        YesNo::OneLegSwollenWarmOrRed,
        YesNo::LeadOrMercury,
        YesNo::DirtInWound,
        YesNo::LongCrampRecent,
    ];

    /// The answer that can raise urgency: yes, except for "did it ease when you moved", where
    /// it is no. (Whether the surgery is open changes only which number to phone.)
    pub fn raising_answer(self) -> bool {
        self != YesNo::EasesWhenMoving
    }
}

/// Any field of an assessment, named as in the JSON contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    LongestCrampMinutes,
    YesNo(YesNo),
    KnownConditions,
}

impl Field {
    /// The field's name in the JSON contract (and the web form).
    pub fn name(self) -> &'static str {
        match self {
            Field::LongestCrampMinutes => "longest_cramp_minutes",
            Field::KnownConditions => "known_conditions",
            Field::YesNo(q) => match q {
                YesNo::EasesWhenMoving => "eases_when_moving",
                YesNo::ToxinOrWoundContact => "toxin_or_wound_contact",
                YesNo::GpOpen => "gp_open",
                YesNo::QualityOfLifeAffected => "quality_of_life_affected",
                YesNo::Frequent => "frequent",
                YesNo::SleepDisturbed => "sleep_disturbed",
                YesNo::NumbnessOrSwelling => "numbness_or_swelling",
                YesNo::MuscleShrinkingOrWeaker => "muscle_shrinking_or_weaker",
                YesNo::NewMedication => "new_medication",
                YesNo::Pregnant => "pregnant",
                YesNo::AfterExercise => "after_exercise",
                YesNo::Dehydrated => "dehydrated",
                YesNo::BreathlessOrChestPain => "breathless_or_chest_pain",
                YesNo::OneLegSwollenWarmOrRed => "one_leg_swollen_warm_or_red",
                YesNo::LeadOrMercury => "lead_or_mercury_contact",
                YesNo::DirtInWound => "dirt_in_wound",
                YesNo::LongCrampRecent => "long_cramp_recent",
            },
        }
    }

    /// Every field, in contract order.
    pub fn all() -> impl Iterator<Item = Field> {
        std::iter::once(Field::LongestCrampMinutes)
            .chain(YesNo::ALL.into_iter().map(Field::YesNo))
            .chain(std::iter::once(Field::KnownConditions))
    }

    pub fn from_name(name: &str) -> Option<Field> {
        Field::all().find(|f| f.name() == name)
    }
}

/// The answers to the check. `None` everywhere means "not answered".
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Assessment {
    pub longest_cramp_minutes: Option<Minutes>,
    pub yes_no: [Option<bool>; YesNo::ALL.len()],
    pub known_conditions: Option<Conditions>,
}

impl Assessment {
    pub fn get(&self, q: YesNo) -> Option<bool> {
        self.yes_no[q as usize]
    }

    pub fn set(&mut self, q: YesNo, answer: Option<bool>) -> &mut Self {
        self.yes_no[q as usize] = answer;
        self
    }

    /// A copy with `q` answered.
    pub fn with(mut self, q: YesNo, answer: Option<bool>) -> Self {
        self.set(q, answer);
        self
    }

    /// Whether `field` has an answer.
    pub fn is_answered(&self, field: Field) -> bool {
        match field {
            Field::LongestCrampMinutes => self.longest_cramp_minutes.is_some(),
            Field::KnownConditions => self.known_conditions.is_some(),
            Field::YesNo(q) => self.get(q).is_some(),
        }
    }

    /// Remove the answer to `field`.
    pub fn clear(&mut self, field: Field) {
        match field {
            Field::LongestCrampMinutes => self.longest_cramp_minutes = None,
            Field::KnownConditions => self.known_conditions = None,
            Field::YesNo(q) => {
                self.set(q, None);
            }
        }
    }
}
