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
/// The canonical URL of our questionnaire (not a resolvable address: we publish none).
pub const QUESTIONNAIRE: &str = "urn:legcramps:questionnaire:check-your-leg-cramps";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Bundle {
    resource_type: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    timestamp: String,
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
}

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
    component.extend([
        Component {
            value_boolean: Some(e.context.exercise),
            ..Component::new(text_only("Exercise that day"))
        },
        Component {
            value_boolean: Some(on.pregnant),
            ..Component::new(text_only("Pregnant"))
        },
        Component {
            value_boolean: Some(e.context.short_of_fluids),
            ..Component::new(text_only("Short of fluids"))
        },
    ]);
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
            _ if e.last_night => Some(e.start.date_naive().to_string()),
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
            text: "Did your cramps begin after contact with lead, mercury or a similar substance, or after dirt got into a cut?".to_owned(),
            answer: vec![Answer {
                value_boolean: Some(v),
                value_decimal: None,
                value_string: None,
            }],
        });
    }
    // What the person was shown, as it was; never worked out again with newer rules.
    if let Some(shown) = &c.shown {
        item.push(Item {
            link_id: "outcome".into(),
            text: "Outcome shown".into(),
            answer: vec![Answer {
                value_boolean: None,
                value_decimal: None,
                value_string: Some(shown.disposition.code().to_owned()),
            }],
        });
    }
    let version = c
        .shown
        .as_ref()
        .map_or(CONTENT_VERSION, |s| s.content_version.as_str());
    QuestionnaireResponse {
        resource_type: "QuestionnaireResponse",
        id: c.id.to_string(),
        questionnaire: format!("{QUESTIONNAIRE}|{version}"),
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
            full_url: format!("urn:legcramps:episode:{}", e.id),
            resource: Resource::Observation(Box::new(observation(
                e,
                &file.profile.on(e.start.date_naive()),
            ))),
        })
        .collect();
    entry.extend(file.checks.iter().map(|c| Entry {
        full_url: format!("urn:legcramps:check:{}", c.id),
        resource: Resource::QuestionnaireResponse(Box::new(questionnaire_response(c))),
    }));
    let bundle = Bundle {
        resource_type: "Bundle",
        kind: "collection",
        timestamp: format_start(&generated.fixed_offset()),
        entry,
    };
    serde_json::to_string_pretty(&bundle).unwrap_or_default()
}
