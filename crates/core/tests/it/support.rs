//! A tiny notation for assessments, so a test case fits on one line:
//! `"min=12 eases=n gp_open=y cond=neurological"`. Yes/no fields take `y`, `n` or `?`
//! (explicitly unanswered, same as leaving the field out).

use legcramps_core::{Assessment, Condition, Conditions, Field, Minutes};

pub(crate) fn parse(spec: &str) -> Assessment {
    let mut a = Assessment::default();
    for part in spec.split_whitespace() {
        let (key, value) = part.split_once('=').expect("key=value");
        match key {
            "min" if value == "?" => a.longest_cramp_minutes = None,
            "min" => {
                a.longest_cramp_minutes =
                    Some(Minutes::new(value.parse().expect("number")).expect("valid minutes"))
            }
            "cond" => {
                a.known_conditions = Some(if value == "none" {
                    Conditions::NONE
                } else {
                    value
                        .split(',')
                        .map(|c| Condition::from_name(c).expect("condition"))
                        .collect()
                })
            }
            _ => {
                let field = Field::from_name(key)
                    .or_else(|| Field::from_name(&expand(key)))
                    .unwrap_or_else(|| panic!("unknown field {key}"));
                let Field::YesNo(q) = field else {
                    panic!("{key} is not yes/no")
                };
                a.set(
                    q,
                    match value {
                        "y" => Some(true),
                        "n" => Some(false),
                        "?" => None,
                        _ => panic!("{key}={value}: use y, n or ?"),
                    },
                );
            }
        }
    }
    a
}

/// Short names used in the scenario table.
fn expand(key: &str) -> String {
    match key {
        "eases" => "eases_when_moving",
        "toxin" => "toxin_or_wound_contact",
        "lead" => "lead_or_mercury_contact",
        "dirt" => "dirt_in_wound",
        "breath" => "breathless_or_chest_pain",
        "oneleg" => "one_leg_swollen_warm_or_red",
        "qol" => "quality_of_life_affected",
        "sleep" => "sleep_disturbed",
        "numb" => "numbness_or_swelling",
        "weak" => "muscle_shrinking_or_weaker",
        "newmed" => "new_medication",
        "exercise" => "after_exercise",
        "recent" => "long_cramp_recent",
        other => other,
    }
    .to_owned()
}

/// Durations at and around the 10-minute boundary and at both ends of the valid range, and
/// "not sure". Ordered shortest first, "not sure" last.
pub(crate) const DURATIONS: [Option<f64>; 8] = [
    Some(0.0),
    Some(0.5),
    Some(9.99),
    Some(10.0),
    Some(10.01),
    Some(11.0),
    Some(1440.0),
    None,
];

pub(crate) const TRI: [Option<bool>; 3] = [Some(false), Some(true), None];

pub(crate) fn conditions_space() -> [Option<Conditions>; 5] {
    [
        Some(Conditions::NONE),
        Some(Conditions::NONE.with(Condition::Neurological)),
        Some(Conditions::NONE.with(Condition::LiverDisease)),
        Some(
            Conditions::NONE
                .with(Condition::Neurological)
                .with(Condition::LiverDisease),
        ),
        None,
    ]
}
