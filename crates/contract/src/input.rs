//! Strict parsing of an assessment.

use std::fmt;

use legcramps_core::{Assessment, Condition, Conditions, Minutes, YesNo};
use serde::Deserialize;
use serde::de::{self, Deserializer};

/// The largest assessment we accept, in bytes. A complete assessment is under 600 bytes; the
/// limit leaves room for whitespace while refusing anything absurd.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// Why an assessment was refused. `field` names the field when the problem is in one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractError {
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

/// The wire shape of an assessment. `null` is accepted as "not answered".
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AssessmentIn {
    #[serde(default, deserialize_with = "minutes")]
    longest_cramp_minutes: Option<Minutes>,
    eases_when_moving: Option<bool>,
    toxin_or_wound_contact: Option<bool>,
    gp_open: Option<bool>,
    quality_of_life_affected: Option<bool>,
    frequent: Option<bool>,
    sleep_disturbed: Option<bool>,
    numbness_or_swelling: Option<bool>,
    muscle_shrinking_or_weaker: Option<bool>,
    new_medication: Option<bool>,
    pregnant: Option<bool>,
    after_exercise: Option<bool>,
    dehydrated: Option<bool>,
    known_conditions: Option<Vec<ConditionIn>>,
}

/// A condition name; read as a string first so that any other JSON value is reported as a
/// wrong type rather than as broken JSON.
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
        ] {
            a.set(q, v);
        }
        a
    }
}

fn error(
    field: Option<String>,
    message: impl Into<String>,
    position: Option<(usize, usize)>,
) -> ContractError {
    ContractError {
        field,
        message: message.into(),
        position,
    }
}

/// Parse one assessment from JSON text.
pub fn parse_assessment(text: &str) -> Result<Assessment, ContractError> {
    if text.len() > MAX_BODY_BYTES {
        return Err(error(
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
                    None,
                    "unexpected data after the JSON object (send one object only)",
                    Some((e.line(), e.column())),
                )
            })?;
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
            Err(error(field, message, position))
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
