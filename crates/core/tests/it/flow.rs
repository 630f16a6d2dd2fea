//! The questionnaire: order, skipping and stopping early never change the outcome.

use legcramps_core::questions::{AskWhen, QUESTIONS, asked_in_order};
use legcramps_core::{Assessment, Conditions, Field, Level, Minutes, YesNo, evaluate};

use crate::support::{DURATIONS, TRI, parse};

fn asked_fields(spec: &str) -> Vec<&'static str> {
    asked_in_order(&parse(spec))
        .into_iter()
        .map(|q| q.field.name())
        .collect()
}

#[test]
fn every_contract_field_has_exactly_one_question() {
    for field in Field::all() {
        let n = QUESTIONS.iter().filter(|q| q.field == field).count();
        assert_eq!(n, 1, "{}", field.name());
    }
}

#[test]
fn red_flag_questions_come_first() {
    let last_red = QUESTIONS
        .iter()
        .rposition(|q| q.red_flag)
        .expect("red flags");
    let first_other = QUESTIONS
        .iter()
        .position(|q| !q.red_flag && q.ask_when != AskWhen::OnceUrgent)
        .expect("other questions");
    assert!(last_red < first_other);
}

#[test]
fn stops_as_soon_as_the_outcome_can_only_be_urgent() {
    assert_eq!(
        asked_fields("min=12 eases=n gp_open=n"),
        ["longest_cramp_minutes", "eases_when_moving", "gp_open"]
    );
    assert_eq!(
        asked_fields("min=2 toxin=y"),
        ["longest_cramp_minutes", "toxin_or_wound_contact", "gp_open"]
    );
    // "Not sure" to both halves of the red flag is the safe reading: urgent.
    assert_eq!(
        asked_fields(""),
        ["longest_cramp_minutes", "eases_when_moving", "gp_open"]
    );
}

#[test]
fn asks_everything_when_nothing_is_urgent() {
    let all = asked_fields("min=3 toxin=n");
    assert!(
        !all.contains(&"eases_when_moving"),
        "skipped for a short cramp"
    );
    assert!(!all.contains(&"gp_open"), "only asked once urgent");
    assert_eq!(all.len(), QUESTIONS.len() - 2);
}

/// For every combination of answers to the questions that can change the level, the
/// questionnaire (which skips and stops early) reaches the same level and the same 111 advice
/// as answering every question would.
#[test]
fn skipping_and_stopping_never_change_the_outcome() {
    let level_fields = [
        YesNo::EasesWhenMoving,
        YesNo::ToxinOrWoundContact,
        YesNo::GpOpen,
        YesNo::QualityOfLifeAffected,
        YesNo::Frequent,
        YesNo::SleepDisturbed,
        YesNo::NumbnessOrSwelling,
        YesNo::MuscleShrinkingOrWeaker,
        YesNo::NewMedication,
    ];
    let mut cases = 0;
    for d in DURATIONS {
        for mut b in 0..3usize.pow(level_fields.len() as u32) {
            let mut full = Assessment {
                longest_cramp_minutes: d.map(|m| Minutes::new(m).expect("valid")),
                known_conditions: Some(Conditions::NONE),
                ..Assessment::default()
            };
            for q in [YesNo::Pregnant, YesNo::AfterExercise, YesNo::Dehydrated] {
                full.set(q, Some(false));
            }
            for q in level_fields {
                full.set(q, TRI[b % 3]);
                b /= 3;
            }
            let mut seen = Assessment::default();
            for q in asked_in_order(&full) {
                match q.field {
                    Field::LongestCrampMinutes => {
                        seen.longest_cramp_minutes = full.longest_cramp_minutes
                    }
                    Field::KnownConditions => seen.known_conditions = full.known_conditions,
                    Field::YesNo(y) => {
                        seen.set(y, full.get(y));
                    }
                }
            }
            let (want, got) = (evaluate(&full), evaluate(&seen));
            assert_eq!(got.level, want.level, "{full:?}");
            assert_eq!(got.phone_111, want.phone_111, "{full:?}");
            if want.level == Level::UrgentGp {
                assert!(
                    asked_in_order(&full)
                        .iter()
                        .any(|q| q.field == Field::YesNo(YesNo::GpOpen))
                );
            }
            cases += 1;
        }
    }
    assert_eq!(cases, DURATIONS.len() * 19_683);
}
