//! An outcome, and the answers behind it, as text for the terminal: the one thing to do first,
//! then why, what to do now, when to get help again, the answers, and only then anything for
//! later. Fact ids are for clinicians: they are in `triage --json`, not here.

use std::fmt::Write;

use legcramps_core::content::SOURCE_CREDIT;
use legcramps_core::questions::{Question, answer_text};
use legcramps_core::triage::{Basis, Group, Rule};
use legcramps_core::{Assessment, Level, Outcome};

use crate::term::{Style, wrap};

fn section(s: &mut String, style: Style, title: &str) {
    let _ = writeln!(s, "\n{}", style.bold(title));
}

fn bullets<'a>(s: &mut String, width: usize, lines: impl Iterator<Item = &'a str>) {
    for line in lines {
        let _ = writeln!(s, "{}", wrap(line, width, "  - ", "    "));
    }
}

/// How an answer that was not given is shown: typed as "not sure" at the prompt, or left out
/// of an answers file (issue 18, finding 23: a field missing from the file is not "I'm not
/// sure"; it is read the safe way all the same).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Missing {
    Unsure,
    NotInFile,
}

/// The whole outcome. `a` holds the answers as the check asked them, and `asked` the
/// questions in the order they were asked.
pub(crate) fn render(
    o: &Outcome,
    a: &Assessment,
    asked: &[&'static Question],
    missing: Missing,
    style: Style,
    width: usize,
) -> String {
    let mut s = String::new();
    let headline = o.headline();
    let banner = match o.level {
        Level::Emergency | Level::UrgentGp => style.urgent(&format!("!! {headline}")),
        Level::Gp | Level::Pharmacist => style.info(headline),
        Level::SelfCare => style.bold(headline),
    };
    let _ = writeln!(s, "\n{banner}");
    // The line the outcome opens with, once (the 999 line when breathlessness or chest pain
    // was "not sure").
    if let Some(lead) = o.lead() {
        let _ = writeln!(s, "{}", style.urgent(&wrap(lead.text, width, "", "")));
    }

    let reason = |(r, b): (&'static Rule, Basis)| r.reason(b);
    let (why, later_why): (Vec<&str>, Vec<&str>) = if o.level.is_urgent() {
        (
            o.leading_reasons().map(reason).collect(),
            o.other_reasons().map(reason).collect(),
        )
    } else {
        (o.reasons().map(reason).collect(), Vec::new())
    };
    section(&mut s, style, "Why");
    if why.is_empty() {
        let _ = writeln!(
            s,
            "{}",
            wrap(
                "Nothing you told us is a reason to see a GP or a pharmacist.",
                width,
                "  ",
                "  "
            )
        );
    }
    bullets(&mut s, width, why.into_iter());

    section(&mut s, style, "What to do now");
    bullets(
        &mut s,
        width,
        o.advice_now()
            .filter(|x| x.group != Group::Lead)
            .map(|x| x.text),
    );
    if o.action() == legcramps_core::triage::Action::Phone111
        && let Some(online) = crate::term::online_111()
    {
        let _ = writeln!(s, "  If you cannot phone, use 111 online: {online}");
    }

    section(
        &mut s,
        style,
        if o.level == Level::Emergency {
            "If you cannot get through"
        } else {
            "When to get help again"
        },
    );
    bullets(&mut s, width, o.safety_net().lines.iter().map(|l| l.text));

    section(&mut s, style, "Your answers");
    if missing == Missing::NotInFile && asked.iter().any(|q| !a.is_answered(q.field)) {
        let _ = writeln!(
            s,
            "{}",
            wrap(
                "A question not answered in the file is read the safe way, as if the answer were \"not sure\".",
                width,
                "  ",
                "  "
            )
        );
    }
    for q in asked {
        let _ = writeln!(
            s,
            "{}",
            wrap(
                &format!(
                    "{} {}",
                    q.text,
                    if missing == Missing::NotInFile && !a.is_answered(q.field) {
                        "Not answered in the file".to_owned()
                    } else {
                        answer_text(q, a)
                    }
                ),
                width,
                "  ",
                "    "
            )
        );
    }

    let later: Vec<&str> = o.advice_later().map(|x| x.text).collect();
    let causes: Vec<&str> = o
        .advice()
        .filter(|x| x.group == Group::PossibleCause)
        .map(|x| x.text)
        .collect();
    let help: Vec<&str> = if o.level == Level::SelfCare {
        Vec::new()
    } else {
        o.advice()
            .filter(|x| x.group == Group::SelfCare)
            .map(|x| x.text)
            .collect()
    };
    // For an urgent outcome everything else waits: it goes under one heading, after the
    // answers, so the first screen says one thing.
    let urgent = o.level.is_urgent();
    if urgent
        && (!later_why.is_empty() || !later.is_empty() || !causes.is_empty() || !help.is_empty())
    {
        section(&mut s, style, "Later, when this is sorted");
        bullets(&mut s, width, later_why.into_iter().chain(later));
    }
    let indent = if urgent { "  " } else { "" };
    if !causes.is_empty() {
        let title = if o.level == Level::SelfCare {
            "What may play a part"
        } else {
            "Possible causes (to talk about with a GP or pharmacist, not a diagnosis)"
        };
        let _ = writeln!(s, "\n{indent}{}", style.bold(title));
        bullets(&mut s, width, causes.into_iter());
    }
    if !help.is_empty() {
        let _ = writeln!(s, "\n{indent}{}", style.bold("What can help"));
        bullets(&mut s, width, help.into_iter());
    }
    let _ = writeln!(
        s,
        "\n{}",
        style.dim(&wrap(SOURCE_CREDIT.text, width, "", ""))
    );
    s
}
