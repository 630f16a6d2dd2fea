//! The scenario table: one line per case, readable by a clinician. Each line is the answers
//! (see `support.rs` for the notation; anything left out is unanswered) and the expected
//! outcome: the level, `+111` when phone_111 is true, and the triggered facts (a `?` marks a
//! rule that fired on the safe reading of a missing answer).

use legcramps_core::evaluate;
use legcramps_core::triage::Basis;

use crate::support::parse;

/// Everything answered "no" except what the case sets.
const NO: &str = "min=1 eases=y breath=n oneleg=n lead=n dirt=n gp_open=y qol=n frequent=n sleep=n numb=n weak=n newmed=n pregnant=n exercise=n dehydrated=n cond=none";

fn check(answers: &str, expected: &str) {
    let a = parse(&format!("{NO} {answers}"));
    let o = evaluate(&a);
    let triggered: Vec<String> = o
        .reasons()
        .map(|(r, b)| match b {
            Basis::Answered => r.fact.to_owned(),
            Basis::Assumed => format!("{}?", r.fact),
        })
        .collect();
    let actual = format!(
        "{}{}{} [{}]",
        o.level.code(),
        if o.phone_111 { " +111" } else { "" },
        if o.phone_999 { " +999" } else { "" },
        triggered.join(" ")
    );
    assert_eq!(actual, expected, "answers: {answers}");
}

#[test]
fn scenarios() {
    check("", "self-care []");
    // The 10-minute boundary: people round, so 10 counts as possibly more than 10.
    check("min=9.5 eases=n", "self-care []");
    check("min=10", "self-care []");
    check(
        "min=10 eases=n recent=y",
        "urgent-gp [help.urgent.long-unrelieved]",
    );
    check(
        "min=10 eases=n recent=y gp_open=n",
        "urgent-gp +111 [help.urgent.long-unrelieved]",
    );
    check(
        "min=10 eases=? recent=y",
        "urgent-gp [help.urgent.long-unrelieved?]",
    );
    check(
        "min=10.5 eases=n recent=y gp_open=?",
        "urgent-gp +111 [help.urgent.long-unrelieved]",
    );
    check("min=12 eases=y", "self-care []");
    check("min=12 eases=y recent=y", "self-care []");
    // An hour or more, even eased (issue 18, finding 17; 60 minutes is a setting): GP, with
    // the signs of a clot in one leg said again.
    check("min=59 eases=y", "self-care []");
    check("min=60 eases=y", "gp [help.serious-sign]");
    check("min=1440 eases=y", "gp [help.serious-sign]");
    check(
        "min=90 eases=n recent=n",
        "gp [help.urgent.long-unrelieved help.serious-sign]",
    );
    check(
        "min=12 eases=? recent=y",
        "urgent-gp [help.urgent.long-unrelieved?]",
    );
    check(
        "min=? eases=n recent=y",
        "urgent-gp [help.urgent.long-unrelieved? help.serious-sign?]",
    );
    // Not knowing how long: it may have been an hour or more (the safe reading).
    check("min=? eases=y", "gp [help.serious-sign?]");
    // When the long cramp was (issue 18, finding 3): still going on or ended in the last
    // 24 hours is urgent; "not sure" (or not said) is read as recent; over and longer ago is
    // a GP appointment, with "if it happens again, phone that day".
    check(
        "min=12 eases=n recent=?",
        "urgent-gp [help.urgent.long-unrelieved?]",
    );
    check(
        "min=12 eases=n recent=n",
        "gp [help.urgent.long-unrelieved]",
    );
    check(
        "min=12 eases=? recent=n",
        "gp [help.urgent.long-unrelieved?]",
    );
    check(
        "min=? eases=? recent=n",
        "gp [help.urgent.long-unrelieved? help.serious-sign?]",
    );
    check("min=9 eases=n recent=n", "self-care []");
    check(
        "min=12 eases=n recent=n oneleg=y gp_open=y",
        "urgent-gp [dvt.urgent help.urgent.long-unrelieved]",
    );
    // Emergency: leg pain with breathlessness or chest pain. Only a yes gives 999.
    check("breath=y", "emergency +999 [dvt.emergency]");
    check(
        "breath=y gp_open=n oneleg=y min=30 eases=n recent=y",
        "emergency +999 [dvt.emergency dvt.urgent help.urgent.long-unrelieved]",
    );
    // "Not sure" about breathlessness (issue 18, finding 1): at least urgent, 111 whatever
    // the surgery's hours, and the doubt is always named — beside a swollen leg too.
    check("breath=? gp_open=n", "urgent-gp +111 [dvt.emergency?]");
    check("breath=? gp_open=y", "urgent-gp +111 [dvt.emergency?]");
    check(
        "breath=? oneleg=y gp_open=n",
        "urgent-gp +111 [dvt.emergency? dvt.urgent]",
    );
    check(
        "breath=? oneleg=y gp_open=y",
        "urgent-gp +111 [dvt.emergency? dvt.urgent]",
    );
    check(
        "breath=? sleep=y gp_open=y",
        "urgent-gp +111 [dvt.emergency? help.gp.sleep]",
    );
    // The DVT route: one swollen, warm, red or darker leg.
    check("oneleg=y gp_open=n", "urgent-gp +111 [dvt.urgent]");
    check("oneleg=y gp_open=y", "urgent-gp [dvt.urgent]");
    check("oneleg=? gp_open=?", "urgent-gp +111 [dvt.urgent?]");
    // Toxins or a dirty wound, asked as two questions or given as one field.
    check(
        "lead=y gp_open=n",
        "urgent-gp +111 [help.urgent.toxin-or-wound]",
    );
    check(
        "dirt=y gp_open=n",
        "urgent-gp +111 [help.urgent.toxin-or-wound]",
    );
    check("lead=? dirt=n", "urgent-gp [help.urgent.toxin-or-wound?]");
    check(
        "lead=? dirt=? toxin=y",
        "urgent-gp [help.urgent.toxin-or-wound]",
    );
    check("lead=? dirt=? toxin=n", "self-care []");
    check("qol=y", "gp [help.gp.quality-of-life]");
    check("frequent=y", "gp [help.gp.frequent]");
    check("sleep=y", "gp [help.gp.sleep]");
    check("numb=y", "gp [help.gp.numbness-swelling]");
    check("weak=y", "gp [help.gp.muscle-wasting-weakness]");
    check("frequent=? gp_open=n", "gp [help.gp.frequent?]");
    check("newmed=y", "pharmacist [medication.can-cause]");
    check("newmed=?", "pharmacist [medication.can-cause?]");
    check(
        "newmed=y frequent=y",
        "gp [help.gp.frequent medication.can-cause]",
    );
    check(
        "newmed=y lead=y gp_open=y",
        "urgent-gp [help.urgent.toxin-or-wound medication.can-cause]",
    );
    check(
        "pregnant=y exercise=y dehydrated=y cond=neurological,liver-disease",
        "self-care []",
    );
    check(
        "min=30 eases=n recent=y dirt=y sleep=y gp_open=n",
        "urgent-gp +111 [help.urgent.long-unrelieved help.urgent.toxin-or-wound help.gp.sleep]",
    );
}

/// The headline of each outcome is the one thing to do.
#[test]
fn the_headline_is_the_action() {
    let headline = |answers: &str| evaluate(&parse(&format!("{NO} {answers}"))).headline();
    assert_eq!(headline("breath=y"), "Phone 999 now");
    assert_eq!(headline("oneleg=y gp_open=n"), "Phone 111 now");
    assert_eq!(headline("oneleg=y gp_open=?"), "Phone 111 now");
    assert_eq!(headline("oneleg=y gp_open=y"), "Phone your GP surgery now");
    assert_eq!(headline("sleep=y"), "Speak to your GP");
    assert_eq!(headline("newmed=y"), "Speak to a pharmacist");
    assert_eq!(headline(""), "Look after yourself at home");
}

/// An urgent outcome tells a person to act now, and puts routine advice after it.
#[test]
fn urgent_advice_comes_first_and_routine_advice_later() {
    let o = evaluate(&parse(&format!("{NO} oneleg=y gp_open=n newmed=y sleep=y")));
    let now: Vec<&str> = o.advice_now().map(|a| a.id).collect();
    assert_eq!(now, ["urgent-111"]);
    let later: Vec<&str> = o.advice_later().map(|a| a.id).collect();
    assert!(later.contains(&"gp-appointment") && later.contains(&"do-not-stop-medicine"));
    let leading: Vec<&str> = o.leading_reasons().map(|(r, _)| r.fact).collect();
    assert_eq!(leading, ["dvt.urgent"]);
    let other: Vec<&str> = o.other_reasons().map(|(r, _)| r.fact).collect();
    assert_eq!(other, ["help.gp.sleep", "medication.can-cause"]);
}

#[test]
fn nothing_answered_is_urgent_because_nothing_is_ruled_out() {
    let o = evaluate(&legcramps_core::Assessment::default());
    assert_eq!(o.level.code(), "urgent-gp", "never 999 without a yes");
    assert!(o.phone_111 && !o.phone_999);
    // Through the contract, every rule is listed on the safe reading (the check itself never
    // shows reasons for questions it did not ask: see flow.rs).
    // All but the rule for a long cramp that is known to be over: "when" unanswered is recent.
    assert_eq!(
        o.triggered().count(),
        legcramps_core::triage::RULES.len() - 1
    );
}

#[test]
fn possible_causes_follow_the_answers() {
    let o = evaluate(&parse(&format!(
        "{NO} pregnant=y exercise=y dehydrated=y newmed=y cond=neurological,liver-disease"
    )));
    let causes: Vec<&str> = o.possible_causes().collect();
    assert_eq!(
        causes,
        [
            "causes.secondary.pregnancy",
            "causes.secondary.exercise",
            "causes.secondary.dehydration",
            "medication.can-cause",
            "causes.secondary.neurological",
            "causes.secondary.liver-disease",
        ]
    );
    let advice: Vec<&str> = o.advice().map(|a| a.id).collect();
    for id in [
        "cause-pregnancy",
        "cause-exercise",
        "cause-dehydration",
        "cause-neurological",
        "cause-liver",
        "do-not-stop-medicine",
    ] {
        assert!(advice.contains(&id), "{id} missing from {advice:?}");
    }
}

#[test]
fn the_diary_red_flag_advice_is_the_urgent_outcome_advice() {
    let (contact, net) = legcramps_core::triage::urgent_advice();
    let urgent = evaluate(&parse("min=12 eases=n"));
    assert!(urgent.advice().any(|a| a.id == contact.id));
    assert_eq!(contact.id, "urgent-111");
    assert_eq!(net.text(), urgent.safety_net().text());
}

/// A red-flag cramp in the diary is urgent while it is recent (a product setting of 24
/// hours), and something to tell the GP about after that; both name the cramp's date.
#[test]
fn a_diary_red_flag_is_urgent_only_while_recent() {
    use legcramps_core::diary::Eased;
    let episode = diary_cramp(12.0, Eased::No);
    let start = episode.start;
    let at = |hours: i64| start.to_utc() + chrono::Duration::hours(hours);
    let soon = episode.red_flag_advice(at(2)).expect("a red flag");
    assert!(soon.recent);
    assert_eq!(
        soon.headline,
        "Phone your GP surgery now, or 111 if it is closed"
    );
    assert!(
        soon.what_happened
            .starts_with("The cramp on Fri 13 Nov at 02:10 lasted 12 minutes")
    );
    // 24 hours after it began, but 23.8 after it ended: still recent (the window counts from
    // the end).
    assert!(episode.red_flag_advice(at(24)).expect("a red flag").recent);
    let later = episode.red_flag_advice(at(25)).expect("a red flag");
    assert!(!later.recent);
    assert_eq!(later.headline, "Tell your GP about this cramp");
    assert!(later.what_happened.contains("Fri 13 Nov"));
    let calm = diary_cramp(12.0, Eased::Yes);
    assert!(calm.red_flag_advice(at(1)).is_none());
}

/// Issue 18, finding 2: the diary's window counts from when a cramp ended. A 20-hour cramp
/// that did not ease, began 30 hours ago and ended 10 hours ago is urgent.
#[test]
fn a_diary_red_flag_counts_from_when_the_cramp_ended() {
    let episode = diary_cramp(20.0 * 60.0, legcramps_core::diary::Eased::No);
    let start = episode.start;
    let now = start.to_utc() + chrono::Duration::hours(30);
    let advice = episode.red_flag_advice(now).expect("a red flag");
    assert!(advice.recent, "ended 10 hours ago: urgent");
    assert_eq!(
        advice.headline,
        "Phone your GP surgery now, or 111 if it is closed"
    );
    let now = start.to_utc() + chrono::Duration::hours(20 + 25);
    assert!(!episode.red_flag_advice(now).expect("a red flag").recent);
}

/// Issue 18, finding 6: what the diary says after every log is the whole safety net.
#[test]
fn the_safety_net_after_a_log_covers_999_the_clot_signs_and_the_ten_minute_rule() {
    let net = legcramps_core::diary::LOG_SAFETY_NET;
    let facts: Vec<&str> = net.iter().flat_map(|l| l.facts.iter().copied()).collect();
    for f in [
        "dvt.emergency",
        "dvt.signs",
        "help.urgent.long-unrelieved",
        "help.urgent.gp-closed-111",
    ] {
        assert!(facts.contains(&f), "{f} missing from {facts:?}");
    }
    let text: String = net.iter().map(|l| l.text).collect::<Vec<_>>().join(" ");
    assert!(text.contains("Phone 999"), "{text}");
    assert!(text.contains("swollen, warm, or red"), "{text}");
    assert!(text.contains("10 minutes or more"), "{text}");
}

/// Issue 18, finding 10: a possible clot's outcome never tells a person to stretch or exercise
/// (now or later); the API's sections put what to do now first.
#[test]
fn a_possible_clot_gets_no_stretching_and_advice_comes_in_sections() {
    use legcramps_core::triage::{Group, Section};
    for answers in [
        "oneleg=y gp_open=n",
        "oneleg=? gp_open=y",
        "breath=? gp_open=y",
    ] {
        let o = evaluate(&parse(&format!("{NO} sleep=y {answers}")));
        assert!(
            o.advice().all(|a| a.group != Group::SelfCare),
            "{answers}: {:?}",
            o.advice().map(|a| a.id).collect::<Vec<_>>()
        );
    }
    let o = evaluate(&parse(&format!("{NO} breath=? sleep=y newmed=y gp_open=y")));
    let sections: Vec<(&str, Section)> = o.advice_by_section().map(|(a, s)| (a.id, s)).collect();
    assert_eq!(
        sections,
        [
            ("breathless-now-999", Section::Now),
            ("urgent-111", Section::Now),
            ("gp-appointment", Section::Later),
            ("medicine-when-persistent", Section::Later),
            ("pharmacist", Section::Later),
            ("do-not-stop-medicine", Section::Later),
        ]
    );
    let o = evaluate(&parse(&format!("{NO} min=12 eases=n recent=n")));
    let now: Vec<&str> = o.advice_now().map(|a| a.id).collect();
    assert_eq!(
        now,
        [
            "gp-appointment",
            "long-cramp-again",
            "medicine-when-persistent"
        ]
    );
    assert_eq!(o.headline(), "Speak to your GP");
}

/// Issue 18, finding 17: an hour-long "cramp" that eased says the signs of a clot again.
#[test]
fn an_hour_long_cramp_repeats_the_signs_of_a_clot() {
    let o = evaluate(&parse(&format!("{NO} min=75 eases=y")));
    assert_eq!(o.headline(), "Speak to your GP");
    assert!(o.advice_now().any(|a| a.id == "very-long-leg-signs"));
}

/// Issue 18's review: the diary applies the check's hour-long rule too, and says an hour as an
/// hour.
#[test]
fn the_diary_says_an_hour_long_cramp_that_eased_is_a_reason_to_see_a_gp() {
    use legcramps_core::diary::{Duration, Eased, parse_start};
    let episode = diary_cramp;
    let now = parse_start("2026-11-20T02:10+00:00").expect("now").to_utc();
    let long = episode(20.0 * 60.0, Eased::Yes);
    let advice = long.advice_after_logging(now).expect("advice");
    assert_eq!(advice.headline, "Speak to your GP");
    assert!(
        advice.what_happened.contains("lasted 20 hours"),
        "{}",
        advice.what_happened
    );
    assert!(
        advice
            .what_to_do
            .contains("swollen, warm, or red or darker")
    );
    assert!(
        episode(59.0, Eased::Yes)
            .advice_after_logging(now)
            .is_none()
    );
    // Not eased: the red flag's advice, not this.
    let flag = episode(90.0, Eased::No)
        .advice_after_logging(now)
        .expect("advice");
    assert_eq!(flag.headline, "Tell your GP about this cramp");
    assert_eq!(
        Duration::from_minutes(90.0).expect("d").human(),
        "1 hour 30 minutes"
    );
}

/// A diary cramp on 13 Nov 2026 at 02:10 for the red-flag tests: how long, and whether moving
/// eased it; the rest fixed.
fn diary_cramp(
    minutes: f64,
    eased: legcramps_core::diary::Eased,
) -> legcramps_core::diary::Episode {
    use legcramps_core::diary::{
        Context, Duration, Episode, EpisodeId, Severity, Side, Site, parse_start,
    };
    Episode {
        id: EpisodeId::new("e1").expect("id"),
        start: parse_start("2026-11-13T02:10+00:00").expect("start"),
        last_night: false,
        duration: Some(Duration::from_minutes(minutes).expect("duration")),
        site: Some(Site::Calf),
        side: Side::Left,
        asleep: Some(true),
        eased: Some(eased),
        severity: Severity::Severe,
        note: None,
        context: Context::default(),
    }
}
