//! Safety properties of the triage engine, proven by enumerating the whole answer space:
//! 8 durations (at and around every boundary) x 3^12 yes/no/unanswered x 5 condition sets,
//! about 21 million assessments. Each property below is checked for every one of them.

use legcramps_core::triage::{ADVICE, Basis, RULES, Test};
use legcramps_core::{Assessment, Level, Minutes, YesNo, evaluate, facts};

use crate::support::{DURATIONS, TRI, conditions_space};

const BOOLS: usize = 531_441; // 3^12
const CONDS: usize = 5;

fn assessment(d: usize, b: usize, c: usize) -> Assessment {
    let mut a = Assessment {
        longest_cramp_minutes: DURATIONS[d].map(|m| Minutes::new(m).expect("valid")),
        known_conditions: conditions_space()[c],
        ..Assessment::default()
    };
    let mut rest = b;
    for q in YesNo::ALL {
        a.set(q, TRI[rest % 3]);
        rest /= 3;
    }
    a
}

fn index(d: usize, b: usize, c: usize) -> usize {
    (d * BOOLS + b) * CONDS + c
}

/// The level of every assessment in the space, checking per-assessment properties on the way.
fn levels() -> Vec<Level> {
    let mut out = Vec::with_capacity(DURATIONS.len() * BOOLS * CONDS);
    for d in 0..DURATIONS.len() {
        for b in 0..BOOLS {
            for c in 0..CONDS {
                let a = assessment(d, b, c);
                let o = evaluate(&a);
                check_outcome(&a, &o);
                out.push(o.level);
            }
        }
    }
    out
}

/// Properties of one outcome on its own.
fn check_outcome(a: &Assessment, o: &legcramps_core::Outcome) {
    // The level is exactly the highest level of the rules that fired.
    let highest = o
        .reasons()
        .map(|(r, _)| r.level)
        .max()
        .unwrap_or(Level::SelfCare);
    assert_eq!(o.level, highest, "{a:?}");
    // Every outcome says why (when not self-care), what to do, and when to come back.
    assert!(
        o.level == Level::SelfCare || o.triggered().next().is_some(),
        "{a:?}"
    );
    assert!(o.advice().next().is_some(), "no advice for {a:?}");
    assert_eq!(o.safety_net().level, o.level, "{a:?}");
    assert!(!o.safety_net().text.is_empty());
    // phone_111 exactly when urgent and the surgery is not known to be open.
    assert_eq!(
        o.phone_111,
        o.level == Level::UrgentGp && a.get(YesNo::GpOpen) != Some(true),
        "{a:?}"
    );
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
    // Urgent outcomes always carry the contact-now advice with 111.
    assert_eq!(o.level == Level::UrgentGp, has("urgent-contact"), "{a:?}");
    // A rule fires on the safe reading exactly when one of the answers it needs is missing.
    for (rule, basis) in o.reasons() {
        let answered = match rule.test {
            Test::LongUnrelieved => {
                a.longest_cramp_minutes.is_some() && a.get(YesNo::EasesWhenMoving).is_some()
            }
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
        if basis == Basis::Assumed {
            assert!(rule.level > answered_level, "{} at {a:?}", rule.fact);
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
    let level = |d, b, c| levels[index(d, b, c)];

    for d in 0..DURATIONS.len() {
        for b in 0..BOOLS {
            for c in 0..CONDS {
                let here = level(d, b, c);
                // Yes/no questions: the answer that can raise urgency (yes, except for "did it
                // ease when you moved", where it is no) never lowers the level, and a missing
                // answer is read the safe way (at least as urgent as either answer).
                let mut place = 1;
                for q in YesNo::ALL {
                    let digit = (b / place) % 3;
                    let base = b - digit * place;
                    let no = level(d, base, c);
                    let yes = level(d, base + place, c);
                    let missing = level(d, base + 2 * place, c);
                    let (raising, other) = if q == YesNo::EasesWhenMoving {
                        (no, yes)
                    } else {
                        (yes, no)
                    };
                    assert!(
                        raising >= other,
                        "{q:?}: the raising answer lowered the level at {:?}",
                        assessment(d, base, c)
                    );
                    assert!(
                        missing >= yes.max(no),
                        "{q:?}: a missing answer was not read the safe way at {:?}",
                        assessment(d, base, c)
                    );
                    place *= 3;
                }
                // Durations: a longer cramp never lowers the level; a missing duration is
                // read the safe way.
                if d + 1 < DURATIONS.len() - 1 {
                    assert!(
                        level(d + 1, b, c) >= here,
                        "longer cramp lowered the level at {:?}",
                        assessment(d, b, c)
                    );
                }
                let missing_duration = level(DURATIONS.len() - 1, b, c);
                assert!(
                    missing_duration >= here,
                    "missing duration not read safely at {:?}",
                    assessment(d, b, c)
                );
            }
        }
    }
}

#[test]
fn the_ten_minute_boundary_is_exclusive() {
    let at = |m: f64| {
        let mut a = Assessment {
            longest_cramp_minutes: Some(Minutes::new(m).expect("valid")),
            ..Assessment::default()
        };
        for q in YesNo::ALL {
            a.set(q, Some(false));
        }
        a.known_conditions = Some(legcramps_core::Conditions::NONE);
        evaluate(&a).level
    };
    assert_eq!(
        at(10.0),
        Level::SelfCare,
        "exactly 10 minutes is not 'longer than 10'"
    );
    assert_eq!(at(10.000_001), Level::UrgentGp);
    assert_eq!(at(1440.0), Level::UrgentGp);
}

#[test]
fn every_level_is_reachable() {
    // Guards against a table edit that silently makes an outcome impossible.
    let levels = levels_sample();
    for l in Level::ALL {
        assert!(levels.contains(&l), "{l:?} is unreachable");
    }
}

fn levels_sample() -> Vec<Level> {
    (0..BOOLS)
        .map(|b| evaluate(&assessment(0, b, 0)).level)
        .collect()
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
