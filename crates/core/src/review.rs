//! The rules, advice, safety nets and questions as one Markdown document, for a clinician to
//! review and sign off (`legcramps rules`). Generated from the same tables the engine runs on,
//! so the review copy cannot drift from the code: what a clinician signs off is what people
//! read, down to every hint and every option of every question.

use std::fmt::Write;

use crate::assessment::Condition;
use crate::content::CONTENT_VERSION;
use crate::questions::{AnswerKind, QUESTIONS, YES_NO_OPTIONS};
use crate::triage::{ADVICE, Action, CAUSES, RULES, SAFETY_NETS, When};

fn when_text(when: When) -> String {
    match when {
        When::ActionIs(a) => format!("the outcome is \"{}\"", a.headline()),
        When::Fired(fact) => format!("rule `{fact}` fired"),
        When::AnyFiredAt(l) => format!("any `{}` rule fired", l.code()),
        When::AnsweredYes(q) => format!(
            "`{}` answered yes",
            crate::assessment::Field::YesNo(q).name()
        ),
        When::AnsweredYesToAny(qs) => format!(
            "any of {} answered yes",
            qs.iter()
                .map(|q| format!("`{}`", crate::assessment::Field::YesNo(*q).name()))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        When::Has(c) => format!("`known_conditions` includes `{}`", c.name()),
        When::Unsure(q) => format!(
            "`{}` answered \"not sure\" or not given",
            crate::assessment::Field::YesNo(q).name()
        ),
        When::RuleFired(t) => format!("the rule testing `{t:?}` fired"),
        When::NoClotSign => "the outcome is not `emergency`, and `breathless_or_chest_pain` and `one_leg_swollen_warm_or_red` were both answered no".to_owned(),
    }
}

fn facts(ids: &[&str]) -> String {
    ids.iter()
        .map(|f| format!("`{f}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The options a question offers, as the person sees them.
fn options(kind: AnswerKind) -> String {
    let unsure = YES_NO_OPTIONS[2].0;
    match kind {
        AnswerKind::YesNo => YES_NO_OPTIONS
            .iter()
            .map(|(label, _)| *label)
            .collect::<Vec<_>>()
            .join(" / "),
        AnswerKind::Minutes => format!("a number of minutes (0 to 1440) / {unsure}"),
        AnswerKind::Conditions => {
            let mut all: Vec<String> = Condition::ALL
                .iter()
                .map(|c| c.label().to_owned())
                .collect();
            all.push("None of these".to_owned());
            all.push(unsure.to_owned());
            all.join(" / ")
        }
    }
}

/// The whole review document.
pub fn rules_markdown() -> String {
    let mut out = String::new();
    // Writing to a String cannot fail; `let _ =` keeps that explicit without unwraps.
    let _ = writeln!(
        out,
        "# Leg cramps triage rules (content version {CONTENT_VERSION})\n\n\
         Sources: NHS inform, \"Leg cramps\" (NHS 24); and, for the signs of a blood clot only, \
         NHS, \"Deep vein thrombosis (DVT)\". The outcome is the highest level of any rule that \
         fires; all advice that applies is shown.\n\n\
         **Missing answers.** Every rule is a set of conditions. Answers given are taken as \
         given. A rule that needs a missing answer fires on the safe reading (the missing \
         answer counts as met) whenever the level it gives on that reading is higher than the \
         level the answers given already reach. A cramp of 10 minutes or more with \"eases when \
         moving\" unanswered is read as not easing; nothing answered at all is `urgent-gp`. One \
         exception: a missing or \"not sure\" answer about breathlessness or chest pain (new, \
         or worse than usual, since the leg pain began) gives at least `urgent-gp`, never \
         `emergency`: only a yes sends a person to 999; that doubt is always named in the \
         reasons, and the outcome opens with \"If you are short of breath or have chest pain \
         now, phone 999\". A long cramp that did not ease is urgent when it is still going on \
         or ended within the last 24 hours (`long_cramp_recent`, counted from its end; not \
         answered = recent), and `gp` when it is over and older. `phone_111` is true when the \
         outcome is `urgent-gp` and either `gp_open` is not `true` or breathlessness or chest \
         pain was not answered; `phone_999` is true exactly when the outcome is `emergency`.\n\n\
         **The check** asks the questions below in order, and stops as soon as the outcome can \
         only be urgent — except after \"not sure\" about breathlessness or chest pain, when \
         every other question is still asked (but not whether the surgery is open: it is 111 \
         whatever its hours). Its outcome is worked out from the questions it asked: a \
         question it never asked gives no reason and no advice.\n\n\
         **A possible clot** (a swollen, warm or red leg, or breathlessness or chest pain, \
         answered yes or not sure) gives no home care (moving, stretching) and no \
         \"may play a part\" advice about causes; the causes stay in `possible_causes` for a \
         clinician.\n\n## Rules\n\n\
         | # | level (answered) | level (safe reading) | fact | fires when |\n|---|---|---|---|---|"
    );
    for (i, r) in RULES.iter().enumerate() {
        let _ = writeln!(
            out,
            "| {} | `{}` | `{}` | `{}` | {} |",
            i + 1,
            r.level.code(),
            r.assumed_level.code(),
            r.fact,
            r.when
        );
    }
    let _ = writeln!(
        out,
        "\nWith no rule firing, the outcome is `self-care`.\n\n## Reasons shown\n\n| fact | answered | safe reading |\n|---|---|---|"
    );
    for r in RULES {
        let _ = writeln!(out, "| `{}` | {} | {} |", r.fact, r.because, r.assumed);
    }
    let _ = writeln!(
        out,
        "\n## What to do (the headline)\n\n| outcome | headline |\n|---|---|"
    );
    for a in Action::ALL {
        let _ = writeln!(out, "| `{}` | {} |", a.code(), a.headline());
    }
    let _ = writeln!(
        out,
        "\n## Advice\n\n| advice | shown when | facts | text |\n|---|---|---|---|"
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
        "\n## Safety net (when to get help again)\n\n| outcome | facts | line |\n|---|---|---|"
    );
    for s in SAFETY_NETS {
        for line in s.lines {
            let _ = writeln!(
                out,
                "| `{}` | {} | {} |",
                s.action.code(),
                facts(line.facts),
                line.text
            );
        }
    }
    let _ = writeln!(
        out,
        "\n## Questions, in the order asked\n\n| # | field | question | hint | options | asked when | red flag |\n|---|---|---|---|---|---|---|"
    );
    for (i, q) in QUESTIONS.iter().enumerate() {
        let _ = writeln!(
            out,
            "| {} | `{}` | {} | {} | {} | {} | {} |",
            i + 1,
            q.field.name(),
            q.text,
            q.hint,
            options(q.kind),
            q.ask_when.describe(),
            if q.red_flag { "yes" } else { "no" }
        );
    }
    out
}

/// Everything else a person reads that is clinical, as one Markdown document for review: the
/// guidance topics item by item (with their fact ids), "Get help now", the stretch's caution,
/// and what the diary says about a red-flag cramp and after every log. With
/// [`rules_markdown`], it is what a clinical safety officer signs for a release:
/// `docs/clinical-safety/review-record.md` records the SHA-256 of each, and a test fails when
/// either changes without a new record.
pub fn content_markdown() -> String {
    use crate::content::{
        CALF_STRETCH_HOLD_ON, CALF_STRETCH_STEPS, GET_HELP_NOW, Item, SOURCE_CREDIT,
        STRETCH_CAUTION, TOPICS,
    };
    use crate::diary;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Leg cramps guidance (content version {CONTENT_VERSION})\n"
    );
    let item = |out: &mut String, i: &Item| {
        let _ = writeln!(
            out,
            "- `{}` ({:?}; {}){}{}",
            i.id,
            i.kind,
            facts(i.facts),
            i.heading.map(|h| format!(" **{h}**")).unwrap_or_default(),
            if i.text.is_empty() {
                String::new()
            } else {
                format!(" {}", i.text)
            }
        );
        for l in i.list {
            let _ = writeln!(out, "  - {l}");
        }
    };
    let _ = writeln!(out, "## Get help now\n");
    for i in GET_HELP_NOW {
        item(&mut out, i);
    }
    for t in TOPICS {
        let _ = writeln!(out, "\n## {} (`{}`)\n\n{}\n", t.title, t.slug, t.summary);
        for i in t.items {
            item(&mut out, i);
        }
    }
    let _ = writeln!(out, "\n## The calf stretch, as guided\n");
    item(&mut out, &STRETCH_CAUTION);
    for s in CALF_STRETCH_STEPS {
        let _ = writeln!(out, "1. {s}");
    }
    let _ = writeln!(out, "\nOn every held step: {CALF_STRETCH_HOLD_ON}");
    let _ = writeln!(out, "\n## The diary\n");
    let _ = writeln!(
        out,
        "- A red-flag cramp still going on or ended within {} hours: **{}** {}",
        diary::RED_FLAG_RECENT_HOURS,
        diary::RECENT_RED_FLAG_HEADLINE,
        diary::RECENT_RED_FLAG_TEXT
    );
    let _ = writeln!(
        out,
        "- One that ended longer ago: **{}** {}",
        diary::EARLIER_RED_FLAG_HEADLINE,
        diary::EARLIER_RED_FLAG_TEXT
    );
    let _ = writeln!(out, "- After every log:");
    for l in diary::LOG_SAFETY_NET {
        let _ = writeln!(out, "  - {} ({})", l.text, facts(l.facts));
    }
    let _ = writeln!(out, "\n## Credit\n");
    item(&mut out, &SOURCE_CREDIT);
    out
}
