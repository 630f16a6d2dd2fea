//! The diary as a FHIR R4 Bundle (type `collection`), in our own serde types: one Observation
//! per episode (code SNOMED CT 55300003 "Cramp", body site, laterality, effective period,
//! duration, severity, sleep, easing, context, note) and one QuestionnaireResponse per saved
//! check. Validated in CI by an independent validator (`fhir.resources`, run by
//! `scripts/validate-exports.py`). The issue fixes 55300003 "Cramp"; the SNOMED CT codes for
//! body site, laterality and severity were chosen by us and still need a clinical
//! terminologist's review before this export feeds a health record.

use chrono::{DateTime, Duration as Span, Utc};
use legcramps_core::diary::{Eased, Episode, Severity, Side, Site};
use legcramps_core::questions::{AnswerKind, QUESTIONS};
use legcramps_core::{CONTENT_VERSION, Field, YesNo};
use serde::Serialize;

use crate::diary_io::{DiaryFile, SavedCheck, format_start};

const SNOMED: &str = "http://snomed.info/sct";
const UCUM: &str = "http://unitsofmeasure.org";
/// The canonical URL of our questionnaire. We publish none on the web, so the Questionnaire
/// itself travels in the bundle, under this same address as its `fullUrl`: a validator
/// resolves the QuestionnaireResponse's `questionnaire` within the bundle (issue 18, finding
/// 29). A fixed `urn:uuid:`, so every export names the same questionnaire.
pub const QUESTIONNAIRE: &str = "urn:uuid:3b0f6f2e-7c1a-4d8e-9a55-0c6a4f1e2d7b";

/// A `urn:uuid:` full URL for a diary row, from its id: the id itself when it is a UUID, or
/// else a UUID made from it (version 8, RFC 9562: 128 bits of an FNV-1a hash of the kind and
/// the id), so the same row always has the same full URL.
fn full_url(kind: &str, id: &str) -> String {
    let is_uuid = id.len() == 36
        && id.char_indices().all(|(i, c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        });
    if is_uuid {
        return format!("urn:uuid:{}", id.to_ascii_lowercase());
    }
    // FNV-1a, 128 bits (not for security: a stable name for a row that has one already).
    let mut h: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    for b in kind.bytes().chain([0]).chain(id.bytes()) {
        h ^= u128::from(b);
        h = h.wrapping_mul(0x0000_0000_0100_0000_0000_0000_0000_013b);
    }
    let mut bytes = h.to_be_bytes();
    bytes[6] = (bytes[6] & 0x0f) | 0x80; // version 8
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 9562 variant
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Bundle {
    resource_type: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    timestamp: String,
    /// FHIR JSON allows no empty arrays: an empty diary's bundle has no `entry`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    entry: Vec<Entry>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Entry {
    full_url: String,
    resource: Resource,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Resource {
    Observation(Box<Observation>),
    QuestionnaireResponse(Box<QuestionnaireResponse>),
    Questionnaire(Box<Questionnaire>),
}

/// The check's questions as a FHIR Questionnaire, carried in the bundle with the responses.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Questionnaire {
    resource_type: &'static str,
    url: &'static str,
    version: &'static str,
    name: &'static str,
    title: &'static str,
    status: &'static str,
    item: Vec<QuestionnaireItem>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct QuestionnaireItem {
    link_id: String,
    text: String,
    #[serde(rename = "type")]
    kind: &'static str,
}

/// The Questionnaire every saved check answers: its questions, then the combined
/// toxin-or-wound answer API callers may give, then what was shown.
fn questionnaire() -> Questionnaire {
    let mut item: Vec<QuestionnaireItem> = QUESTIONS
        .iter()
        .map(|q| QuestionnaireItem {
            link_id: q.field.name().to_owned(),
            text: q.text.to_owned(),
            kind: match q.kind {
                AnswerKind::Minutes => "decimal",
                AnswerKind::YesNo => "boolean",
                AnswerKind::Conditions => "string",
            },
        })
        .collect();
    item.push(QuestionnaireItem {
        link_id: Field::YesNo(YesNo::ToxinOrWoundContact).name().to_owned(),
        text: TOXIN_OR_WOUND_TEXT.to_owned(),
        kind: "boolean",
    });
    for (link_id, text) in SHOWN_ITEMS {
        item.push(QuestionnaireItem {
            link_id: (*link_id).to_owned(),
            text: (*text).to_owned(),
            kind: "string",
        });
    }
    Questionnaire {
        resource_type: "Questionnaire",
        url: QUESTIONNAIRE,
        version: CONTENT_VERSION,
        name: "CheckYourLegCramps",
        title: "Check your leg cramps",
        status: "active",
        item,
    }
}

/// The items that record what a saved check showed.
const SHOWN_ITEMS: &[(&str, &str)] = &[
    ("outcome", "Outcome shown"),
    ("content_version", "Content version shown"),
    ("rules_version", "Rules version shown"),
];

const TOXIN_OR_WOUND_TEXT: &str = "Did your cramps begin in the weeks after contact with lead or mercury, or after dirt got into a cut?";

#[derive(Serialize, Clone)]
struct Coding {
    system: &'static str,
    code: &'static str,
    display: &'static str,
}

#[derive(Serialize, Clone)]
struct CodeableConcept {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    coding: Vec<Coding>,
    text: String,
}

fn text_only(text: &str) -> CodeableConcept {
    CodeableConcept {
        coding: Vec::new(),
        text: text.to_owned(),
    }
}

fn snomed(code: &'static str, display: &'static str, text: &str) -> CodeableConcept {
    CodeableConcept {
        coding: vec![Coding {
            system: SNOMED,
            code,
            display,
        }],
        text: text.to_owned(),
    }
}

#[derive(Serialize)]
struct Period {
    start: String,
    end: String,
}

#[derive(Serialize)]
struct Quantity {
    value: f64,
    unit: &'static str,
    system: &'static str,
    code: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Component {
    code: CodeableConcept,
    #[serde(skip_serializing_if = "Option::is_none")]
    value_quantity: Option<Quantity>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value_codeable_concept: Option<CodeableConcept>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value_boolean: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value_string: Option<String>,
}

impl Component {
    fn new(code: CodeableConcept) -> Self {
        Component {
            code,
            value_quantity: None,
            value_codeable_concept: None,
            value_boolean: None,
            value_string: None,
        }
    }
}

/// A person's note as FHIR `markdown` that shows exactly what they typed: every ASCII
/// punctuation character is backslash-escaped (CommonMark's own escape), so no viewer renders
/// it as a link, emphasis or HTML.
fn plain_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[derive(Serialize)]
struct Annotation {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Observation {
    resource_type: &'static str,
    id: String,
    status: &'static str,
    code: CodeableConcept,
    /// A period when the duration is logged; otherwise the start alone, or only the date for a
    /// cramp logged as "last night" (its stored time is a stand-in).
    #[serde(skip_serializing_if = "Option::is_none")]
    effective_period: Option<Period>,
    #[serde(skip_serializing_if = "Option::is_none")]
    effective_date_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body_site: Option<CodeableConcept>,
    component: Vec<Component>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    note: Vec<Annotation>,
}

fn site(s: Site) -> (&'static str, &'static str) {
    match s {
        Site::Calf => ("53840002", "Structure of calf of leg"),
        Site::Foot => ("56459004", "Foot structure"),
        Site::Thigh => ("68367000", "Thigh structure"),
        Site::Other => ("61685007", "Lower limb structure"),
    }
}

fn laterality(s: Side) -> (&'static str, &'static str) {
    match s {
        Side::Left => ("7771000", "Left"),
        Side::Right => ("24028007", "Right"),
        Side::Both => ("51440002", "Right and left"),
    }
}

fn severity(s: Severity) -> (&'static str, &'static str) {
    match s {
        Severity::Mild => ("255604002", "Mild"),
        Severity::Moderate => ("6736007", "Moderate"),
        Severity::Severe => ("24484000", "Severe"),
    }
}

fn observation(e: &Episode, on: &legcramps_core::profile::OnDay<'_>) -> Observation {
    let (side_code, side_display) = laterality(e.side);
    let (sev_code, sev_display) = severity(e.severity);
    let mut component = Vec::new();
    if let Some(d) = e.duration {
        component.push(Component {
            value_quantity: Some(Quantity {
                value: (d.minutes() * 100.0).round() / 100.0,
                unit: "min",
                system: UCUM,
                code: "min",
            }),
            ..Component::new(text_only("Duration"))
        });
    }
    component.extend([
        Component {
            value_codeable_concept: Some(snomed(sev_code, sev_display, e.severity.name())),
            ..Component::new(snomed("246112005", "Severity", "Severity"))
        },
        Component {
            value_codeable_concept: Some(snomed(side_code, side_display, e.side.name())),
            ..Component::new(snomed("272741003", "Laterality", "Laterality"))
        },
    ]);
    if let Some(asleep) = e.asleep {
        component.push(Component {
            value_boolean: Some(asleep),
            ..Component::new(text_only("Happened during sleep"))
        });
    }
    if let Some(eased) = e.eased {
        component.push(Component {
            value_codeable_concept: Some(text_only(match eased {
                Eased::Yes => "yes",
                Eased::No => "no",
                Eased::Unsure => "not sure",
            })),
            ..Component::new(text_only("Eased by moving"))
        });
    }
    // Tick boxes and the profile say only "yes": an unticked box or an empty profile is not
    // "no", so nothing is exported for it (issue 18, finding 29: never `false` for what was
    // not said).
    for (said, what) in [
        (e.context.exercise, "Exercise that day"),
        (on.pregnant, "Pregnant"),
        (e.context.short_of_fluids, "Short of fluids"),
    ] {
        if said {
            component.push(Component {
                value_boolean: Some(true),
                ..Component::new(text_only(what))
            });
        }
    }
    let listed = |items: Vec<&str>| (!items.is_empty()).then(|| items.join(", "));
    if let Some(text) = listed(e.context.helped.iter().map(|h| h.label()).collect()) {
        component.push(Component {
            value_string: Some(text),
            ..Component::new(text_only("What may have helped"))
        });
    }
    if let Some(text) = listed(e.context.suspected.iter().map(|b| b.label()).collect()) {
        component.push(Component {
            value_string: Some(text),
            ..Component::new(text_only("Suspected to have come before it"))
        });
    }
    // The profile as it stood on the cramp's day.
    if let Some(text) = listed(on.medicines.iter().map(|m| m.name()).collect()) {
        component.push(Component {
            value_string: Some(text),
            ..Component::new(text_only("Medicines taken that day"))
        });
    }
    if let Some(text) = listed(on.conditions.iter().map(|c| c.name()).collect()) {
        component.push(Component {
            value_string: Some(text),
            ..Component::new(text_only("Known conditions"))
        });
    }
    Observation {
        resource_type: "Observation",
        id: e.id.to_string(),
        status: "final",
        code: snomed("55300003", "Cramp", "Leg cramp"),
        effective_period: match e.duration {
            Some(d) if !e.last_night => Some(Period {
                start: format_start(&e.start),
                end: format_start(&(e.start + Span::seconds(i64::from(d.seconds())))),
            }),
            _ => None,
        },
        effective_date_time: match e.duration {
            // A "last night" cramp is dated by the night's evening (as every view shows it),
            // not the morning its stand-in time falls on.
            _ if e.last_night => Some(e.evening().to_string()),
            Some(_) => None,
            None => Some(format_start(&e.start)),
        },
        body_site: e.site.map(|s| {
            let (code, display) = site(s);
            snomed(code, display, &format!("{} {}", e.side.name(), s.name()))
        }),
        component,
        note: e
            .note
            .iter()
            .map(|n| Annotation {
                text: plain_markdown(n.as_str()),
            })
            .collect(),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct QuestionnaireResponse {
    resource_type: &'static str,
    id: String,
    questionnaire: String,
    status: &'static str,
    authored: String,
    item: Vec<Item>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Item {
    link_id: String,
    text: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    answer: Vec<Answer>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Answer {
    #[serde(skip_serializing_if = "Option::is_none")]
    value_boolean: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value_decimal: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value_string: Option<String>,
}

fn questionnaire_response(c: &SavedCheck) -> QuestionnaireResponse {
    let a = &c.answers;
    let mut item: Vec<Item> = QUESTIONS
        .iter()
        .map(|q| {
            let answer = match (q.kind, q.field) {
                (AnswerKind::Minutes, _) => a.longest_cramp_minutes.map(|m| Answer {
                    value_boolean: None,
                    value_decimal: Some(m.get()),
                    value_string: None,
                }),
                (_, Field::YesNo(y)) => a.get(y).map(|v| Answer {
                    value_boolean: Some(v),
                    value_decimal: None,
                    value_string: None,
                }),
                (_, _) => a.known_conditions.map(|cs| Answer {
                    value_boolean: None,
                    value_decimal: None,
                    value_string: Some(if cs.is_empty() {
                        "none".to_owned()
                    } else {
                        cs.iter().map(|c| c.name()).collect::<Vec<_>>().join(",")
                    }),
                }),
            };
            Item {
                link_id: q.field.name().to_owned(),
                text: q.text.to_owned(),
                answer: answer.into_iter().collect(),
            }
        })
        .collect();
    // The combined toxin-or-wound answer has no question of its own (API callers give it).
    if let Some(v) = a.get(YesNo::ToxinOrWoundContact) {
        item.push(Item {
            link_id: Field::YesNo(YesNo::ToxinOrWoundContact).name().to_owned(),
            text: TOXIN_OR_WOUND_TEXT.to_owned(),
            answer: vec![Answer {
                value_boolean: Some(v),
                value_decimal: None,
                value_string: None,
            }],
        });
    }
    // What the person was shown, as it was; never worked out again with newer rules; with
    // the versions that showed it.
    if let Some(shown) = &c.shown {
        for ((link_id, text), value) in SHOWN_ITEMS.iter().zip([
            shown.disposition.code(),
            shown.content_version.as_str(),
            shown.rules_version.as_str(),
        ]) {
            item.push(Item {
                link_id: (*link_id).to_owned(),
                text: (*text).to_owned(),
                answer: vec![Answer {
                    value_boolean: None,
                    value_decimal: None,
                    value_string: Some(value.to_owned()),
                }],
            });
        }
    }
    QuestionnaireResponse {
        resource_type: "QuestionnaireResponse",
        id: c.id.to_string(),
        // The Questionnaire in this bundle (the content version it was shown with is an item).
        questionnaire: QUESTIONNAIRE.to_owned(),
        status: "completed",
        authored: format_start(&c.at),
        item,
    }
}

/// The diary as a FHIR R4 Bundle. `generated` is the bundle's timestamp.
pub fn to_fhir(file: &DiaryFile, generated: DateTime<Utc>) -> String {
    let mut entry: Vec<Entry> = file
        .episodes
        .iter()
        .map(|e| Entry {
            full_url: full_url("episode", e.id.as_str()),
            resource: Resource::Observation(Box::new(observation(
                e,
                &file.profile.on(e.start.date_naive()),
            ))),
        })
        .collect();
    entry.extend(file.checks.iter().map(|c| Entry {
        full_url: full_url("check", c.id.as_str()),
        resource: Resource::QuestionnaireResponse(Box::new(questionnaire_response(c))),
    }));
    if !file.checks.is_empty() {
        entry.push(Entry {
            full_url: QUESTIONNAIRE.to_owned(),
            resource: Resource::Questionnaire(Box::new(questionnaire())),
        });
    }
    let bundle = Bundle {
        resource_type: "Bundle",
        kind: "collection",
        timestamp: format_start(&generated.fixed_offset()),
        entry,
    };
    serde_json::to_string_pretty(&bundle).unwrap_or_default()
}
