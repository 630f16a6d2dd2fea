//! Safety properties of the triage engine, proven by enumerating the whole answer space that
//! can change the level: 8 durations (at and around every boundary) x 11 ways to answer the
//! toxin-or-wound questions (its two questions, or the one combined contract field) x 3^11
//! yes/no/unanswered for every other question that a rule reads — about 15.6 million
//! assessments. The questions that only suggest causes (pregnancy, exercise, fluids, known
//! conditions) are set in turn to each of their 135 combinations along the way, and every
//! assessment is evaluated a second time with them all "no" to prove they never change the
//! level. Each property below is checked for every assessment.

use legcramps_core::triage::{ADVICE, Action, Basis, Group, RULES, Test};
use legcramps_core::{Assessment, Level, Minutes, YesNo, evaluate, facts};

use crate::support::{DURATIONS, TRI, conditions_space};

/// The yes/no questions a rule reads, other than the toxin-or-wound ones.
const LEVEL_FIELDS: [YesNo; 11] = [
    YesNo::EasesWhenMoving,
    YesNo::GpOpen,
    YesNo::QualityOfLifeAffected,
    YesNo::Frequent,
    YesNo::SleepDisturbed,
    YesNo::NumbnessOrSwelling,
    YesNo::MuscleShrinkingOrWeaker,
    YesNo::NewMedication,
    YesNo::BreathlessOrChestPain,
    YesNo::OneLegSwollenWarmOrRed,
    YesNo::LongCrampRecent,
];
const CAUSE_FIELDS: [YesNo; 3] = [YesNo::Pregnant, YesNo::AfterExercise, YesNo::Dehydrated];
const BOOLS: usize = 177_147; // 3^11
/// 9 answers to the two toxin-or-wound questions (combined field unanswered), then the
/// combined field answered no, then yes (its two questions unanswered). The contract refuses
/// the combined field beside either question, so these are all the states it can reach.
const TOXIN_STATES: usize = 11;
const BOTH_PARTS_UNANSWERED: usize = 8;
const COMBINED_NO: usize = 9;
const COMBINED_YES: usize = 10;
const CAUSE_COMBOS: usize = 27 * 5;

fn set_toxin(a: &mut Assessment, t: usize) {
    let (combined, lead, dirt) = match t {
        COMBINED_NO => (Some(false), None, None),
        COMBINED_YES => (Some(true), None, None),
        _ => (None, TRI[t % 3], TRI[t / 3]),
    };
    a.set(YesNo::ToxinOrWoundContact, combined)
        .set(YesNo::LeadOrMercury, lead)
        .set(YesNo::DirtInWound, dirt);
}

fn set_causes(a: &mut Assessment, c: usize) {
    let mut rest = c;
    for q in CAUSE_FIELDS {
        a.set(q, TRI[rest % 3]);
        rest /= 3;
    }
    a.known_conditions = conditions_space()[rest % 5];
}

fn assessment(d: usize, t: usize, b: usize, c: usize) -> Assessment {
    let mut a = Assessment {
        longest_cramp_minutes: DURATIONS[d].map(|m| Minutes::new(m).expect("valid")),
        ..Assessment::default()
    };
    set_toxin(&mut a, t);
    let mut rest = b;
    for q in LEVEL_FIELDS {
        a.set(q, TRI[rest % 3]);
        rest /= 3;
    }
    set_causes(&mut a, c);
    a
}

fn index(d: usize, t: usize, b: usize) -> usize {
    (d * TOXIN_STATES + t) * BOOLS + b
}

/// The level of every assessment in the space, checking per-assessment properties on the way.
fn levels() -> Vec<Level> {
    let mut out = Vec::with_capacity(DURATIONS.len() * TOXIN_STATES * BOOLS);
    for d in 0..DURATIONS.len() {
        for t in 0..TOXIN_STATES {
            for b in 0..BOOLS {
                let c = index(d, t, b) % CAUSE_COMBOS;
                let a = assessment(d, t, b, c);
                let o = evaluate(&a);
                check_outcome(&a, &o);
                let plain = evaluate(&assessment(d, t, b, 0));
                assert_eq!(
                    (o.level, o.phone_111, o.phone_999),
                    (plain.level, plain.phone_111, plain.phone_999),
                    "cause answers changed the outcome at {a:?}"
                );
                out.push(o.level);
            }
        }
    }
    out
}

/// Properties of one outcome on its own.
fn check_outcome(a: &Assessment, o: &legcramps_core::Outcome) {
    // The level is exactly the highest level of the rules that fired, on their basis.
    let highest = o
        .reasons()
        .map(|(r, b)| r.level_on(b))
        .max()
        .unwrap_or(Level::SelfCare);
    assert_eq!(o.level, highest, "{a:?}");
    // Only a yes to breathlessness or chest pain sends a person to 999.
    assert_eq!(
        o.level == Level::Emergency,
        a.get(YesNo::BreathlessOrChestPain) == Some(true),
        "{a:?}"
    );
    assert_eq!(o.phone_999, o.level == Level::Emergency, "{a:?}");
    // phone_111 exactly when urgent-gp and the surgery is not known to be open, or
    // breathlessness or chest pain is in doubt (whatever the surgery's hours).
    let breath_doubt = a.get(YesNo::BreathlessOrChestPain).is_none();
    assert_eq!(
        o.phone_111,
        o.level == Level::UrgentGp && (a.get(YesNo::GpOpen) != Some(true) || breath_doubt),
        "{a:?}"
    );
    // "Not sure" about breathlessness or chest pain: at least urgent, always named in the
    // reasons, and the outcome opens with the 999 line — once.
    if breath_doubt {
        assert!(o.level >= Level::UrgentGp, "{a:?}");
        assert!(
            o.reasons()
                .any(|(r, b)| r.fact == "dvt.emergency" && b == Basis::Assumed),
            "the doubt is missing from the reasons at {a:?}"
        );
        assert_eq!(o.lead().map(|x| x.id), Some("breathless-now-999"), "{a:?}");
        assert_eq!(
            o.advice_now().next().map(|x| x.id),
            Some("breathless-now-999"),
            "{a:?}"
        );
    } else {
        assert!(o.lead().is_none(), "{a:?}");
    }
    // Advice by section: every piece once, what to do now first.
    let sections: Vec<_> = o.advice_by_section().collect();
    assert_eq!(sections.len(), o.advice().count(), "{a:?}");
    assert!(
        sections
            .windows(2)
            .all(|w| !(w[0].1 == legcramps_core::triage::Section::Later
                && w[1].1 == legcramps_core::triage::Section::Now)),
        "{a:?}"
    );
    // Every outcome says why (when not self-care), what to do, and when to come back.
    assert!(
        o.level == Level::SelfCare || o.triggered().next().is_some(),
        "{a:?}"
    );
    assert!(
        o.advice_now().next().is_some(),
        "nothing to do now for {a:?}"
    );
    assert_eq!(o.safety_net().action, o.action(), "{a:?}");
    assert!(!o.safety_net().lines.is_empty());
    // Urgent outcomes say one thing: exactly one action advice, the one of the outcome.
    let actions: Vec<&str> = o
        .advice()
        .filter(|x| matches!(x.when, legcramps_core::triage::When::ActionIs(_)))
        .map(|x| x.id)
        .collect();
    let expected: &[&str] = match o.action() {
        Action::Phone999 => &["emergency-999"],
        Action::Phone111 => &["urgent-111"],
        Action::PhoneGpNow => &["urgent-gp-now"],
        _ => &[],
    };
    assert_eq!(actions, expected, "{a:?}");
    // Home care (moving, stretching) is never offered beside a 999 call or while a clot is
    // possible (a leg that is swollen, warm or red, or breathlessness, yes or not sure), and
    // always otherwise.
    let self_care = o.advice().filter(|x| x.group == Group::SelfCare).count();
    let clot_possible = a.get(YesNo::BreathlessOrChestPain) != Some(false)
        || a.get(YesNo::OneLegSwollenWarmOrRed) != Some(false);
    if o.level == Level::Emergency || clot_possible {
        assert_eq!(self_care, 0, "{a:?}");
    } else {
        assert_eq!(
            self_care,
            ADVICE.iter().filter(|x| x.group == Group::SelfCare).count(),
            "{a:?}"
        );
    }
    // Never stop a prescribed medicine: present whenever a new medicine is involved, and
    // whenever one may be and that possibility is what raised the level.
    let has = |id: &str| o.advice().any(|x| x.id == id);
    let medication_rule = o.triggered().any(|f| f == "medication.can-cause");
    if a.get(YesNo::NewMedication) == Some(true) {
        assert!(
            medication_rule && has("do-not-stop-medicine") && has("pharmacist"),
            "{a:?}"
        );
    }
    assert_eq!(has("do-not-stop-medicine"), medication_rule, "{a:?}");
    if a.get(YesNo::NewMedication) == Some(false) {
        assert!(!medication_rule, "{a:?}");
    }
    // A rule fires on the safe reading exactly when one of the answers it needs is missing.
    for (rule, basis) in o.reasons() {
        let answered = match rule.test {
            Test::LongUnrelieved => {
                a.longest_cramp_minutes.is_some()
                    && a.get(YesNo::EasesWhenMoving).is_some()
                    && a.get(YesNo::LongCrampRecent).is_some()
            }
            Test::LongUnrelievedPast => {
                a.longest_cramp_minutes.is_some() && a.get(YesNo::EasesWhenMoving).is_some()
            }
            Test::VeryLong => a.longest_cramp_minutes.is_some(),
            Test::ToxinOrWound => rule.test.reads().iter().any(|q| a.get(*q) == Some(true)),
            Test::Yes(q) => a.get(q).is_some(),
        };
        assert_eq!(basis == Basis::Answered, answered, "{} at {a:?}", rule.fact);
    }
    // A rule on the safe reading is listed only when it is above what the answers reached.
    let answered_level = o
        .reasons()
        .filter(|(_, b)| *b == Basis::Answered)
        .map(|(r, _)| r.level)
        .max()
        .unwrap_or(Level::SelfCare);
    for (rule, basis) in o.reasons() {
        // The one exception: a doubt about breathlessness is always named.
        if basis == Basis::Assumed && rule.fact != "dvt.emergency" {
            assert!(
                rule.assumed_level > answered_level,
                "{} at {a:?}",
                rule.fact
            );
        }
    }
    // Possible causes come only from answers of yes.
    let causes: Vec<&str> = o.possible_causes().collect();
    assert_eq!(
        causes.contains(&"causes.secondary.pregnancy"),
        a.get(YesNo::Pregnant) == Some(true)
    );
    assert_eq!(
        causes.contains(&"medication.can-cause"),
        a.get(YesNo::NewMedication) == Some(true)
    );
}

#[test]
fn the_whole_answer_space_is_safe() {
    let levels = levels();
    let level = |d, t, b| levels[index(d, t, b)];

    for d in 0..DURATIONS.len() {
        for t in 0..TOXIN_STATES {
            for b in 0..BOOLS {
                let here = level(d, t, b);
                let at = || assessment(d, t, b, 0);
                // Yes/no questions: the answer that can raise urgency (yes, except for "did it
                // ease when you moved", where it is no) never lowers the level, and a missing
                // answer is read the safe way (at least as urgent as either answer) — except
                // breathlessness, where "not sure" is urgent-gp, never 999.
                let mut place = 1;
                for q in LEVEL_FIELDS {
                    let digit = (b / place) % 3;
                    let base = b - digit * place;
                    let no = level(d, t, base);
                    let yes = level(d, t, base + place);
                    let missing = level(d, t, base + 2 * place);
                    match q {
                        YesNo::GpOpen => assert!(
                            no == yes && yes == missing,
                            "whether the surgery is open changed the level at {:?}",
                            at()
                        ),
                        YesNo::BreathlessOrChestPain => {
                            assert_eq!(yes, Level::Emergency, "{:?}", at());
                            assert_eq!(
                                missing,
                                no.max(Level::UrgentGp),
                                "'not sure' about breathlessness must be urgent-gp at {:?}",
                                at()
                            );
                        }
                        _ => {
                            let (raising, other) = if q.raising_answer() {
                                (yes, no)
                            } else {
                                (no, yes)
                            };
                            assert!(
                                raising >= other,
                                "{q:?}: the raising answer lowered the level at {:?}",
                                at()
                            );
                            assert!(
                                missing >= yes.max(no),
                                "{q:?}: a missing answer was not read the safe way at {:?}",
                                at()
                            );
                        }
                    }
                    place *= 3;
                }
                // The two toxin-or-wound questions, each with the other in any state.
                if t < 9 {
                    let (lead, dirt) = (t % 3, t / 3);
                    let lead_at = |x: usize| level(d, dirt * 3 + x, b);
                    let dirt_at = |x: usize| level(d, x * 3 + lead, b);
                    for (name, at_state) in [
                        (
                            "lead_or_mercury_contact",
                            &lead_at as &dyn Fn(usize) -> Level,
                        ),
                        ("dirt_in_wound", &dirt_at),
                    ] {
                        let (no, yes, missing) = (at_state(0), at_state(1), at_state(2));
                        assert!(yes >= no, "{name}: yes lowered the level at {:?}", at());
                        assert!(
                            missing >= yes.max(no),
                            "{name}: missing not read safely at {:?}",
                            at()
                        );
                    }
                } else if t == COMBINED_NO {
                    let (no, yes, missing) = (
                        level(d, COMBINED_NO, b),
                        level(d, COMBINED_YES, b),
                        level(d, BOTH_PARTS_UNANSWERED, b),
                    );
                    assert!(yes >= no && missing >= yes.max(no), "{:?}", at());
                }
                // Durations: a longer cramp never lowers the level; a missing duration is
                // read the safe way.
                if d + 1 < DURATIONS.len() - 1 {
                    assert!(
                        level(d + 1, t, b) >= here,
                        "longer cramp lowered the level at {:?}",
                        at()
                    );
                }
                let missing_duration = level(DURATIONS.len() - 1, t, b);
                assert!(
                    missing_duration >= here,
                    "missing duration not read safely at {:?}",
                    at()
                );
            }
        }
    }
}

fn all_no_but(minutes: f64) -> Assessment {
    let mut a = Assessment {
        longest_cramp_minutes: Some(Minutes::new(minutes).expect("valid")),
        known_conditions: Some(legcramps_core::Conditions::NONE),
        ..Assessment::default()
    };
    for q in YesNo::ALL {
        a.set(q, Some(false));
    }
    a.set(YesNo::ToxinOrWoundContact, None);
    // The cramp is still going on or ended in the last 24 hours.
    a.set(YesNo::LongCrampRecent, Some(true));
    a
}

#[test]
fn ten_minutes_counts_as_possibly_more_than_ten() {
    // People round: a reported 10 may have been 11, so it is asked whether it eased, and a
    // 10-minute cramp that did not ease is urgent.
    assert_eq!(evaluate(&all_no_but(10.0)).level, Level::UrgentGp);
    assert_eq!(
        evaluate(&all_no_but(10.0).with(YesNo::EasesWhenMoving, Some(true))).level,
        Level::SelfCare
    );
    assert_eq!(evaluate(&all_no_but(9.99)).level, Level::SelfCare);
    assert_eq!(evaluate(&all_no_but(1440.0)).level, Level::UrgentGp);
}

#[test]
fn every_level_and_action_is_reachable() {
    // Guards against a table edit that silently makes an outcome impossible.
    let mut seen = std::collections::HashSet::new();
    for d in 0..DURATIONS.len() {
        for t in 0..TOXIN_STATES {
            for b in (0..BOOLS).step_by(7) {
                seen.insert(evaluate(&assessment(d, t, b, 0)).action());
            }
        }
    }
    for a in Action::ALL {
        assert!(seen.contains(&a), "{a:?} is unreachable");
    }
}

#[test]
fn no_rule_reads_a_question_that_only_suggests_causes() {
    for r in RULES {
        for q in r.test.reads() {
            assert!(!CAUSE_FIELDS.contains(q), "{} reads {q:?}", r.fact);
        }
    }
}

#[test]
fn advice_and_rules_name_only_registered_facts() {
    for r in RULES {
        assert!(facts::is_registered(r.fact), "{}", r.fact);
    }
    for a in ADVICE {
        for f in a.facts {
            assert!(facts::is_registered(f), "advice {} names {f}", a.id);
        }
    }
}
