//! Strict parsing of an assessment.

use std::fmt;

use legcramps_core::{Assessment, Condition, Conditions, Minutes, YesNo};
use serde::Deserialize;
use serde::de::{self, Deserializer};

/// The largest assessment we accept, in bytes. A complete assessment is under 600 bytes; the
/// limit leaves room for whitespace while refusing anything absurd.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// What kind of problem an input has: the HTTP API answers 400, 422 and 413 for these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Not one well-formed JSON object (empty, broken, trailing data, not an object).
    Syntax,
    /// Well-formed JSON that breaks the contract (unknown field, wrong type, out of range,
    /// duplicated field, unknown condition).
    Invalid,
    /// Larger than [`MAX_BODY_BYTES`].
    TooLarge,
}

/// Why an assessment was refused. `field` names the field when the problem is in one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractError {
    pub kind: ErrorKind,
    pub field: Option<String>,
    pub message: String,
    /// 1-based line and column of the problem in the input, when known.
    pub position: Option<(usize, usize)>,
}

impl fmt::Display for ContractError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(field) = &self.field {
            write!(f, "{field}: ")?;
        }
        f.write_str(&self.message)?;
        if let Some((line, column)) = self.position {
            write!(f, " (line {line}, column {column})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ContractError {}

/// An assessment: the answers to "Check your leg cramps". Every field is optional; a missing
/// field or `null` means "not answered", and a missing answer that could raise the urgency is
/// read the safe way.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Assessment))]
pub struct AssessmentIn {
    /// How long the longest recent cramp lasted, in minutes (0 to 1440).
    #[serde(default, deserialize_with = "minutes")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>, minimum = 0, maximum = 1440))]
    longest_cramp_minutes: Option<Minutes>,
    /// Whether the cramp got better once the person started to move.
    eases_when_moving: Option<bool>,
    /// Cramps began after contact with mercury, lead or a similar substance, or after dirt got into a cut.
    /// The check asks this as two questions (`lead_or_mercury_contact`, `dirt_in_wound`); give
    /// either this field or those two, not both.
    toxin_or_wound_contact: Option<bool>,
    /// Whether the person's GP surgery is open now.
    gp_open: Option<bool>,
    /// Cramps affect quality of life.
    quality_of_life_affected: Option<bool>,
    /// The person is having frequent cramps.
    frequent: Option<bool>,
    /// Cramps interfere with sleep.
    sleep_disturbed: Option<bool>,
    /// Numbness or swelling in the legs as well.
    numbness_or_swelling: Option<bool>,
    /// Leg muscles shrinking or getting weaker.
    muscle_shrinking_or_weaker: Option<bool>,
    /// Cramps began after starting a new medication.
    new_medication: Option<bool>,
    /// The person is pregnant.
    pregnant: Option<bool>,
    /// Cramps come during or after exercise.
    after_exercise: Option<bool>,
    /// The person may be short of fluids.
    dehydrated: Option<bool>,
    /// Diagnosed conditions the person already knows about.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Vec<ConditionName>>))]
    known_conditions: Option<Vec<ConditionIn>>,
    /// Breathlessness or chest pain that is new, or worse than usual, since the leg pain began
    /// (possible pulmonary embolism: `emergency`). Only `true` gives `emergency`; missing gives
    /// at least `urgent-gp` with `phone_111` true, whatever `gp_open` says.
    breathless_or_chest_pain: Option<bool>,
    /// Pain in one leg with swelling, warmth, or red or darker skin in that leg (possible DVT:
    /// `urgent-gp`).
    one_leg_swollen_warm_or_red: Option<bool>,
    /// The first half of `toxin_or_wound_contact`, as the check asks it: contact with lead,
    /// mercury in the weeks before the cramps began.
    lead_or_mercury_contact: Option<bool>,
    /// The second half of `toxin_or_wound_contact`: dirt got into a cut or wound in the weeks
    /// before the cramps began.
    dirt_in_wound: Option<bool>,
    /// The long cramp that did not ease is still going on, or ended within the last 24 hours.
    /// Missing counts as recent; `false` (over, and longer ago) gives `gp`, not `urgent-gp`.
    long_cramp_recent: Option<bool>,
}

/// A diagnosed condition, as named in the contract (for the OpenAPI schema).
#[cfg(feature = "openapi")]
#[derive(Debug, utoipa::ToSchema)]
#[schema(rename_all = "kebab-case")]
pub enum ConditionName {
    Neurological,
    LiverDisease,
}

/// A condition name; read as a string first so that any other JSON value is reported as a
/// wrong type rather than as broken JSON.
#[derive(Debug)]
struct ConditionIn(Condition);

impl<'de> Deserialize<'de> for ConditionIn {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        Condition::from_name(&name).map(ConditionIn).ok_or_else(|| {
            de::Error::custom(format_args!(
                "unknown condition `{name}`, expected `neurological` or `liver-disease`"
            ))
        })
    }
}

fn minutes<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Minutes>, D::Error> {
    match Option::<f64>::deserialize(d)? {
        None => Ok(None),
        Some(v) => Minutes::new(v).map(Some).map_err(de::Error::custom),
    }
}

impl From<AssessmentIn> for Assessment {
    fn from(w: AssessmentIn) -> Self {
        let mut a = Assessment {
            longest_cramp_minutes: w.longest_cramp_minutes,
            known_conditions: w
                .known_conditions
                .map(|cs| cs.into_iter().map(|c| c.0).collect::<Conditions>()),
            ..Assessment::default()
        };
        for (q, v) in [
            (YesNo::EasesWhenMoving, w.eases_when_moving),
            (YesNo::ToxinOrWoundContact, w.toxin_or_wound_contact),
            (YesNo::GpOpen, w.gp_open),
            (YesNo::QualityOfLifeAffected, w.quality_of_life_affected),
            (YesNo::Frequent, w.frequent),
            (YesNo::SleepDisturbed, w.sleep_disturbed),
            (YesNo::NumbnessOrSwelling, w.numbness_or_swelling),
            (YesNo::MuscleShrinkingOrWeaker, w.muscle_shrinking_or_weaker),
            (YesNo::NewMedication, w.new_medication),
            (YesNo::Pregnant, w.pregnant),
            (YesNo::AfterExercise, w.after_exercise),
            (YesNo::Dehydrated, w.dehydrated),
            (YesNo::BreathlessOrChestPain, w.breathless_or_chest_pain),
            (YesNo::OneLegSwollenWarmOrRed, w.one_leg_swollen_warm_or_red),
            (YesNo::LeadOrMercury, w.lead_or_mercury_contact),
            (YesNo::DirtInWound, w.dirt_in_wound),
            (YesNo::LongCrampRecent, w.long_cramp_recent),
        ] {
            a.set(q, v);
        }
        a
    }
}

fn error(
    kind: ErrorKind,
    field: Option<String>,
    message: impl Into<String>,
    position: Option<(usize, usize)>,
) -> ContractError {
    ContractError {
        kind,
        field,
        message: message.into(),
        position,
    }
}

/// Parse one assessment from JSON text.
pub fn parse_assessment(text: &str) -> Result<Assessment, ContractError> {
    if text.len() > MAX_BODY_BYTES {
        return Err(error(
            ErrorKind::TooLarge,
            None,
            format!(
                "the assessment is {} bytes; the most accepted is {MAX_BODY_BYTES}",
                text.len()
            ),
            None,
        ));
    }
    // serde's derived structs also accept a JSON array of values in field order; the contract
    // is an object, so look at the first character before handing over.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let body = text.trim_start_matches([' ', '\t', '\n', '\r']);
    let found = match body.chars().next() {
        None => {
            return Err(error(
                ErrorKind::Syntax,
                None,
                "the input is empty: expected one JSON object",
                None,
            ));
        }
        Some('{') => None,
        Some('[') => Some("an array"),
        Some('"') => Some("a string"),
        Some('t' | 'f') => Some("a boolean"),
        Some('n') => Some("null"),
        Some(c) if c == '-' || c.is_ascii_digit() => Some("a number"),
        Some(_) => Some("something that is not JSON"),
    };
    if let Some(found) = found {
        let (line, column) = position_of(text, text.len() - body.len());
        return Err(error(
            ErrorKind::Syntax,
            None,
            format!("expected one JSON object, found {found}"),
            Some((line, column)),
        ));
    }

    let mut de = serde_json::Deserializer::from_str(text);
    let parsed: Result<AssessmentIn, _> = serde_path_to_error::deserialize(&mut de);
    match parsed {
        Ok(wire) => {
            de.end().map_err(|e| {
                error(
                    ErrorKind::Syntax,
                    None,
                    "unexpected data after the JSON object (send one object only)",
                    Some((e.line(), e.column())),
                )
            })?;
            if wire.toxin_or_wound_contact.is_some()
                && (wire.lead_or_mercury_contact.is_some() || wire.dirt_in_wound.is_some())
            {
                // Both at once could disagree (no to the whole, yes to a part); say so rather
                // than guess which the person meant.
                return Err(error(
                    ErrorKind::Invalid,
                    Some("toxin_or_wound_contact".to_owned()),
                    "give either `toxin_or_wound_contact` or its two parts (`lead_or_mercury_contact`, `dirt_in_wound`), not both",
                    None,
                ));
            }
            Ok(wire.into())
        }
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner();
            let position = Some((inner.line(), inner.column()));
            let message = describe(&inner);
            // serde reports struct-level problems (duplicates, unknown fields) at the object
            // itself: name the field from the message instead of the path.
            let field = if path == "." || path == "?" || path.is_empty() {
                field_in_message(&message)
            } else {
                Some(path)
            };
            let kind = if inner.is_syntax() || inner.is_eof() {
                ErrorKind::Syntax
            } else {
                ErrorKind::Invalid
            };
            Err(error(kind, field, message, position))
        }
    }
}

/// A plain-English version of serde_json's message, without its own position suffix.
fn describe(e: &serde_json::Error) -> String {
    let raw = e.to_string();
    let message = match raw.rfind(" at line ") {
        Some(i) => raw[..i].to_owned(),
        None => raw,
    };
    if e.is_eof() {
        return "the JSON ends too early (is something missing, such as a closing brace?)"
            .to_owned();
    }
    if e.is_syntax() {
        return match message.as_str() {
            "expected ident" => "invalid JSON: expected true, false or null".to_owned(),
            "expected value" => "invalid JSON: expected a value".to_owned(),
            "number out of range" => "the number is far too large".to_owned(),
            other => format!("invalid JSON: {other}"),
        };
    }
    if message.starts_with("recursion limit exceeded") {
        return "the JSON is nested too deeply".to_owned();
    }
    message
        .replacen("invalid type", "wrong type", 1)
        .replace("expected f64", "expected a number of minutes")
}

fn field_in_message(message: &str) -> Option<String> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(message[start..start + len].to_owned())
}

fn position_of(text: &str, byte: usize) -> (usize, usize) {
    let before = &text[..byte];
    let line = before.matches('\n').count() + 1;
    let column = before.rfind('\n').map_or(byte, |nl| byte - nl - 1) + 1;
    (line, column)
}
