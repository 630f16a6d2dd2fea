//! The scenario table: one line per case, readable by a clinician. Each line is the answers
//! (see `support.rs` for the notation; anything left out is unanswered) and the expected
//! outcome: the level, `+111` when phone_111 is true, and the triggered facts (a `?` marks a
//! rule that fired on the safe reading of a missing answer).

use legcramps_core::evaluate;
use legcramps_core::triage::Basis;

use crate::support::parse;

/// Everything answered "no" except what the case sets.
const NO: &str = "min=1 eases=y toxin=n gp_open=y qol=n frequent=n sleep=n numb=n weak=n newmed=n pregnant=n exercise=n dehydrated=n cond=none";

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
        "{}{} [{}]",
        o.level.code(),
        if o.phone_111 { " +111" } else { "" },
        triggered.join(" ")
    );
    assert_eq!(actual, expected, "answers: {answers}");
}

#[test]
fn scenarios() {
    check("", "self-care []");
    check("min=10", "self-care []");
    check("min=10 eases=n", "self-care []");
    check(
        "min=10.5 eases=n",
        "urgent-gp [help.urgent.long-unrelieved]",
    );
    check(
        "min=10.5 eases=n gp_open=n",
        "urgent-gp +111 [help.urgent.long-unrelieved]",
    );
    check(
        "min=10.5 eases=n gp_open=?",
        "urgent-gp +111 [help.urgent.long-unrelieved]",
    );
    check("min=12 eases=y", "self-care []");
    check("min=12 eases=?", "urgent-gp [help.urgent.long-unrelieved?]");
    check("min=? eases=n", "urgent-gp [help.urgent.long-unrelieved?]");
    check("min=? eases=y", "self-care []");
    check(
        "toxin=y gp_open=n",
        "urgent-gp +111 [help.urgent.toxin-or-wound]",
    );
    check("toxin=?", "urgent-gp [help.urgent.toxin-or-wound?]");
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
        "newmed=y toxin=y gp_open=y",
        "urgent-gp [help.urgent.toxin-or-wound medication.can-cause]",
    );
    check(
        "pregnant=y exercise=y dehydrated=y cond=neurological,liver-disease",
        "self-care []",
    );
    check(
        "min=30 eases=n toxin=y sleep=y gp_open=n",
        "urgent-gp +111 [help.urgent.long-unrelieved help.urgent.toxin-or-wound help.gp.sleep]",
    );
}

#[test]
fn nothing_answered_is_urgent_because_nothing_is_ruled_out() {
    let o = evaluate(&legcramps_core::Assessment::default());
    assert_eq!(o.level.code(), "urgent-gp");
    assert!(o.phone_111);
    assert_eq!(o.triggered().count(), legcramps_core::triage::RULES.len());
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
    assert!(
        urgent
            .advice()
            .any(|a| std::ptr::eq(a, contact) || a.id == contact.id)
    );
    assert_eq!(contact.id, "urgent-contact");
    assert_eq!(net.text, urgent.safety_net().text);
}
