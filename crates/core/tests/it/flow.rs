//! The questionnaire: order, skipping and stopping early never change the outcome, and an
//! outcome shows only what the questions asked led to.

use legcramps_core::questions::{AskWhen, QUESTIONS, as_asked, asked_in_order, walk};
use legcramps_core::triage::Basis;
use legcramps_core::{Assessment, Conditions, Field, Level, Minutes, YesNo, evaluate};

use crate::support::{DURATIONS, TRI, parse};

fn asked_fields(spec: &str) -> Vec<&'static str> {
    asked_in_order(&parse(spec))
        .into_iter()
        .map(|q| q.field.name())
        .collect()
}

#[test]
fn every_contract_field_but_the_combined_toxin_one_has_exactly_one_question() {
    for field in Field::all() {
        let n = QUESTIONS.iter().filter(|q| q.field == field).count();
        let want = usize::from(field != Field::YesNo(YesNo::ToxinOrWoundContact));
        assert_eq!(n, want, "{}", field.name());
    }
}

#[test]
fn red_flag_questions_come_first_and_clots_before_cramps() {
    let last_red = QUESTIONS
        .iter()
        .rposition(|q| q.red_flag)
        .expect("red flags");
    let first_other = QUESTIONS
        .iter()
        .position(|q| !q.red_flag && q.ask_when != AskWhen::OnceUrgent)
        .expect("other questions");
    assert!(last_red < first_other);
    let order: Vec<&str> = QUESTIONS.iter().take(3).map(|q| q.field.name()).collect();
    assert_eq!(
        order,
        [
            "breathless_or_chest_pain",
            "one_leg_swollen_warm_or_red",
            "longest_cramp_minutes"
        ]
    );
}

#[test]
fn stops_as_soon_as_the_outcome_can_only_be_urgent() {
    // A yes to breathlessness or chest pain ends the check at once: 999, nothing else to ask.
    assert_eq!(asked_fields("breath=y"), ["breathless_or_chest_pain"]);
    // "Not sure" is urgent-gp (never 999 by itself), and never ends the check early: every
    // other question that applies is asked, but not the surgery's hours (it is 111 anyway).
    let unsure = asked_fields("breath=? oneleg=n min=3");
    assert_eq!(unsure.len(), QUESTIONS.len() - 3, "{unsure:?}");
    assert!(!unsure.contains(&"gp_open"));
    assert_eq!(
        asked_fields("breath=n oneleg=y"),
        [
            "breathless_or_chest_pain",
            "one_leg_swollen_warm_or_red",
            "gp_open"
        ]
    );
    assert_eq!(
        asked_fields("breath=n oneleg=n min=12 eases=n recent=y gp_open=n"),
        [
            "breathless_or_chest_pain",
            "one_leg_swollen_warm_or_red",
            "longest_cramp_minutes",
            "eases_when_moving",
            "long_cramp_recent",
            "gp_open"
        ]
    );
    // Over and longer ago: not urgent, so the check goes on.
    let past = asked_fields("breath=n oneleg=n min=12 eases=n recent=n lead=n dirt=n");
    assert!(past.contains(&"quality_of_life_affected"), "{past:?}");
    assert!(!past.contains(&"gp_open"), "{past:?}");
    assert_eq!(
        asked_fields("breath=n oneleg=n min=2 lead=y"),
        [
            "breathless_or_chest_pain",
            "one_leg_swollen_warm_or_red",
            "longest_cramp_minutes",
            "lead_or_mercury_contact",
            "gp_open"
        ]
    );
}

#[test]
fn ten_minutes_is_asked_whether_it_eased() {
    let asked = asked_fields("breath=n oneleg=n min=10 eases=n");
    assert!(asked.contains(&"eases_when_moving"), "{asked:?}");
    let asked = asked_fields("breath=n oneleg=n min=9");
    assert!(!asked.contains(&"eases_when_moving"), "{asked:?}");
}

#[test]
fn the_combined_toxin_answer_skips_its_two_questions() {
    let asked = asked_fields("breath=n oneleg=n min=3 toxin=n");
    assert!(!asked.contains(&"lead_or_mercury_contact"), "{asked:?}");
    assert!(!asked.contains(&"dirt_in_wound"), "{asked:?}");
    assert_eq!(
        evaluate(&as_asked(
            &parse("breath=n oneleg=n min=3 toxin=y"),
            walk(
                &parse("breath=n oneleg=n min=3 toxin=y"),
                legcramps_core::questions::all_answered()
            )
            .asked
        ))
        .level,
        Level::UrgentGp
    );
}

#[test]
fn asks_everything_when_nothing_is_urgent() {
    let all = asked_fields("breath=n oneleg=n min=3 lead=n dirt=n");
    assert!(
        !all.contains(&"eases_when_moving"),
        "skipped for a short cramp"
    );
    assert!(
        !all.contains(&"long_cramp_recent"),
        "only after a long cramp that did not ease"
    );
    assert!(!all.contains(&"gp_open"), "only asked once urgent");
    assert_eq!(all.len(), QUESTIONS.len() - 3);
}

/// An early stop shows only what led there: no "we could not rule out" for a question the
/// check never asked, and no advice about things the person never mentioned.
#[test]
fn an_early_stop_shows_only_what_led_there() {
    let given = parse("breath=n oneleg=n min=12 eases=n recent=y gp_open=n");
    let walked = walk(&given, legcramps_core::questions::all_answered());
    let o = evaluate(&as_asked(&walked.answers, walked.asked));
    let reasons: Vec<(&str, Basis)> = o.reasons().map(|(r, b)| (r.fact, b)).collect();
    assert_eq!(
        reasons,
        [("help.urgent.long-unrelieved", Basis::Answered)],
        "only the answer that made it urgent"
    );
    assert!(
        o.advice()
            .all(|a| a.id != "pharmacist" && a.id != "gp-appointment")
    );
    // "Not sure" about breathlessness is the one reason, on the safe reading, and the check
    // went on to the end (issue 18, finding 1): 111 with the surgery open, led by 999.
    let given = parse(
        "breath=? oneleg=n min=3 lead=n dirt=n gp_open=y qol=n frequent=n sleep=n numb=n weak=n newmed=n pregnant=n exercise=n dehydrated=n cond=none",
    );
    let walked = walk(&given, legcramps_core::questions::all_answered());
    assert!(walked.next.is_none());
    assert!(!walked.asked.contains(Field::YesNo(YesNo::GpOpen)));
    assert_eq!(walked.order.len(), QUESTIONS.len() - 3);
    let o = evaluate(&as_asked(&walked.answers, walked.asked));
    let reasons: Vec<(&str, Basis)> = o.reasons().map(|(r, b)| (r.fact, b)).collect();
    assert_eq!(reasons, [("dvt.emergency", Basis::Assumed)]);
    assert_eq!(o.headline(), "Phone 111 now");
    assert!(o.phone_111);
    assert_eq!(
        o.advice_now().next().map(|a| a.text),
        Some(
            "If you are short of breath or have chest pain now, phone 999. Do not drive yourself to hospital."
        )
    );
}

/// For every combination of answers to the questions that can change the level, the
/// questionnaire (which skips and stops early) reaches the same level, the same 111 and 999
/// advice as answering every question would; and its outcome, worked out from the questions
/// it asked, lists no reason that the answers given plus "not sure" cannot explain.
#[test]
fn skipping_and_stopping_never_change_the_outcome() {
    let level_fields = [
        YesNo::BreathlessOrChestPain,
        YesNo::OneLegSwollenWarmOrRed,
        YesNo::EasesWhenMoving,
        YesNo::LongCrampRecent,
        YesNo::LeadOrMercury,
        YesNo::DirtInWound,
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
            let walked = walk(&full, legcramps_core::questions::all_answered());
            let (want, got) = (
                evaluate(&full),
                evaluate(&as_asked(&walked.answers, walked.asked)),
            );
            assert_eq!(got.level, want.level, "{full:?}");
            assert_eq!(got.phone_111, want.phone_111, "{full:?}");
            assert_eq!(got.phone_999, want.phone_999, "{full:?}");
            let doubt = full.get(YesNo::BreathlessOrChestPain).is_none();
            if want.level == Level::UrgentGp {
                assert_eq!(
                    walked.asked.contains(Field::YesNo(YesNo::GpOpen)),
                    !doubt,
                    "the surgery's hours are asked exactly when they decide the number: {full:?}"
                );
            }
            // "Not sure" about breathlessness never ends the check early: every question
            // that applies is asked (issue 18, finding 1).
            if doubt {
                for q in [
                    YesNo::OneLegSwollenWarmOrRed,
                    YesNo::QualityOfLifeAffected,
                    YesNo::NewMedication,
                ] {
                    assert!(walked.asked.contains(Field::YesNo(q)), "{q:?}: {full:?}");
                }
                assert!(walked.asked.contains(Field::KnownConditions), "{full:?}");
                assert!(got.phone_111, "{full:?}");
                assert_eq!(
                    got.lead().map(|a| a.id),
                    Some("breathless-now-999"),
                    "{full:?}"
                );
            }
            // Every reason shown is about a question that was asked.
            for (rule, _) in got.reasons() {
                let about_asked = match rule.test {
                    legcramps_core::triage::Test::LongUnrelieved
                    | legcramps_core::triage::Test::LongUnrelievedPast
                    | legcramps_core::triage::Test::VeryLong => {
                        walked.asked.contains(Field::LongestCrampMinutes)
                    }
                    test => test
                        .reads()
                        .iter()
                        .any(|q| walked.asked.contains(Field::YesNo(*q))),
                };
                assert!(about_asked, "{} shown but not asked: {full:?}", rule.fact);
            }
            cases += 1;
        }
    }
    assert_eq!(cases, DURATIONS.len() * 1_594_323);
}
