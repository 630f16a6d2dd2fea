//! Plain English, measured: every question, hint, reason, piece of advice, safety-net line,
//! headline and piece of guidance reads at a reading age of 9 to 11 — a Flesch–Kincaid grade
//! of 6 or less, by the `textstat` crate (its syllable counts are a heuristic, so a grade is a
//! guide, not a verdict; the limit is applied to every piece on its own all the same).

use legcramps_core::content::{CALF_STRETCH_STEPS, all_items};
use legcramps_core::questions::QUESTIONS;
use legcramps_core::triage::{ADVICE, Action, RULES, SAFETY_NETS};

/// The highest Flesch–Kincaid grade any piece of text may have.
const MAX_GRADE: f64 = 6.0;

/// Every unit a person reads in one go, with where it comes from: a piece of guidance (its
/// paragraph and its list, each bullet read as a sentence), a question, its hint, a reason,
/// a piece of advice, a safety-net line, a headline, a stretch step. Headings are left out:
/// they are a few words, and a grade of a few words measures nothing.
fn units() -> Vec<(String, String)> {
    let sentence = |t: &str| {
        let t = t.trim();
        if t.ends_with(['.', '?', '!', ':']) {
            t.to_owned()
        } else {
            format!("{t}.")
        }
    };
    let mut out = Vec::new();
    for i in all_items().filter(|i| !i.id.starts_with("source.")) {
        let mut text = String::new();
        if !i.text.is_empty() {
            text.push_str(&sentence(i.text));
        }
        for li in i.list {
            text.push(' ');
            text.push_str(&sentence(li));
        }
        out.push((format!("guidance {}", i.id), text));
    }
    for q in QUESTIONS {
        out.push((format!("question {}", q.field.name()), q.text.to_owned()));
        out.push((format!("hint {}", q.field.name()), q.hint.to_owned()));
    }
    for r in RULES {
        out.push((format!("reason {}", r.fact), r.because.to_owned()));
        out.push((
            format!("reason {} (not sure)", r.fact),
            r.assumed.to_owned(),
        ));
    }
    out.extend(
        ADVICE
            .iter()
            .map(|a| (format!("advice {}", a.id), a.text.to_owned())),
    );
    for s in SAFETY_NETS {
        out.extend(
            s.lines
                .iter()
                .map(|l| (format!("safety net {}", s.action.code()), l.text.to_owned())),
        );
    }
    out.extend(
        Action::ALL
            .iter()
            .map(|a| (format!("headline {}", a.code()), a.headline().to_owned())),
    );
    out.push((
        "diary earlier red flag".to_owned(),
        legcramps_core::diary::EARLIER_RED_FLAG_TEXT.to_owned(),
    ));
    out.push((
        "diary recent red flag".to_owned(),
        legcramps_core::diary::RECENT_RED_FLAG_TEXT.to_owned(),
    ));
    out.extend(
        CALF_STRETCH_STEPS
            .iter()
            .map(|s| ("calf stretch step".to_owned(), (*s).to_owned())),
    );
    out.extend(
        legcramps_core::content::calf_stretch_steps(5, 5)
            .into_iter()
            .map(|s| ("calf stretch step, with numbers".to_owned(), s)),
    );
    out.push((
        "calf stretch hold-on reminder".to_owned(),
        legcramps_core::content::CALF_STRETCH_HOLD_ON.to_owned(),
    ));
    out
}

/// Names that are not ordinary words: syllable heuristics count them badly, and a reader
/// meets them as names, not as hard words. They are taken out before measuring.
const NAMES: &[&str] = &[
    "NHS inform",
    "NHS 24",
    "NHS",
    "A&E",
    "GP",
    "DVT",
    "111",
    "999",
];

fn grade(text: &str) -> f64 {
    let mut t = text.to_owned();
    for name in NAMES {
        t = t.replace(name, "it");
    }
    textstat::flesch_kincaid_grade(&t)
}

#[test]
fn every_piece_of_text_reads_at_grade_6_or_below() {
    let all = units();
    assert!(all.len() > 100, "too few pieces of text: {}", all.len());
    let mut hard: Vec<(f64, String, String)> = all
        .into_iter()
        .map(|(id, text)| (grade(&text), id, text))
        .filter(|(g, _, _)| *g > MAX_GRADE)
        .collect();
    hard.sort_by(|a, b| b.0.total_cmp(&a.0));
    let report: Vec<String> = hard
        .iter()
        .map(|(g, id, text)| format!("{g:5.1}  {id}: {text}"))
        .collect();
    assert!(
        report.is_empty(),
        "{} pieces read above grade {MAX_GRADE}:\n{}",
        report.len(),
        report.join("\n")
    );
}

#[test]
fn the_measure_tells_plain_from_hard() {
    // The check cannot pass by accident: a plain sentence passes, a dense one fails.
    assert!(grade("When a cramp starts, move and stretch the muscle.") <= MAX_GRADE);
    assert!(
        grade(
            "Idiopathic nocturnal cramps may reflect abnormal peripheral neuromuscular excitability and consequent involuntary contraction."
        ) > MAX_GRADE
    );
}
