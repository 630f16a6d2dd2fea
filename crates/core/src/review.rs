//! The rules, advice, safety nets and questions as one Markdown document, for a clinician to
//! review and sign off (`legcramps rules`). Generated from the same tables the engine runs on,
//! so the review copy cannot drift from the code.

use std::fmt::Write;

use crate::content::CONTENT_VERSION;
use crate::questions::{AskWhen, QUESTIONS};
use crate::triage::{ADVICE, CAUSES, RULES, SAFETY_NETS, When};

fn when_text(when: When) -> String {
    match when {
        When::LevelIs(l) => format!("outcome is `{}`", l.code()),
        When::Fired(fact) => format!("rule `{fact}` fired"),
        When::AnyFiredAt(l) => format!("any `{}` rule fired", l.code()),
        When::AnsweredYes(q) => format!(
            "`{}` answered yes",
            crate::assessment::Field::YesNo(q).name()
        ),
        When::Has(c) => format!("`known_conditions` includes `{}`", c.name()),
        When::Always => "always".to_owned(),
    }
}

fn facts(ids: &[&str]) -> String {
    ids.iter()
        .map(|f| format!("`{f}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The whole review document.
pub fn rules_markdown() -> String {
    let mut out = String::new();
    // Writing to a String cannot fail; `let _ =` keeps that explicit without unwraps.
    let _ = writeln!(
        out,
        "# Leg cramps triage rules (content version {CONTENT_VERSION})\n\n\
         Source: NHS inform, \"Leg cramps\" (NHS 24). The outcome is the highest level of any \
         rule that fires; all advice that applies is shown.\n\n\
         **Missing answers.** Every rule is a set of conditions. Answers given are taken as \
         given. A rule that needs a missing answer fires on the safe reading (the missing \
         answer counts as met) whenever its level is higher than the level the answers given \
         already reach; so the level is always the worst case of every missing answer. A cramp \
         longer than 10 minutes with \"eases when moving\" unanswered is read as not easing; \
         nothing answered at all is `urgent-gp`. `phone_111` is true when the outcome is \
         `urgent-gp` and `gp_open` is not `true` (closed, or not known to be open).\n\n## Rules\n\n| # | level | fact | fires when |\n|---|---|---|---|"
    );
    for (i, r) in RULES.iter().enumerate() {
        let _ = writeln!(
            out,
            "| {} | `{}` | `{}` | {} |",
            i + 1,
            r.level.code(),
            r.fact,
            r.when
        );
    }
    let _ = writeln!(
        out,
        "\nWith no rule firing, the outcome is `self-care`.\n\n## Advice\n\n| advice | shown when | facts | text |\n|---|---|---|---|"
    );
    for a in ADVICE {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} |",
            a.id,
            when_text(a.when),
            facts(a.facts),
            a.text
        );
    }
    let _ = writeln!(
        out,
        "\n## Possible causes\n\nWorded as possibilities, never a diagnosis.\n\n| shown when | facts |\n|---|---|"
    );
    for c in CAUSES {
        let _ = writeln!(out, "| {} | {} |", when_text(c.when), facts(c.facts));
    }
    let _ = writeln!(
        out,
        "\n## Safety net\n\n| outcome | facts | text |\n|---|---|---|"
    );
    for s in SAFETY_NETS {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} |",
            s.level.code(),
            facts(s.facts),
            s.text
        );
    }
    let _ = writeln!(
        out,
        "\n## Questions, in the order asked\n\n| # | field | question | asked when | red flag |\n|---|---|---|---|---|"
    );
    for (i, q) in QUESTIONS.iter().enumerate() {
        let asked = match q.ask_when {
            AskWhen::NotYetUrgent => "until the outcome is certain to be urgent",
            AskWhen::LongOrUnknownCramp => {
                "the longest cramp was over 10 minutes or its length is unknown, and the outcome is not yet certain to be urgent"
            }
            AskWhen::OnceUrgent => "only once the outcome is certain to be urgent",
        };
        let _ = writeln!(
            out,
            "| {} | `{}` | {} | {} | {} |",
            i + 1,
            q.field.name(),
            q.text,
            asked,
            if q.red_flag { "yes" } else { "no" }
        );
    }
    out
}
