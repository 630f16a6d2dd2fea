//! An outcome, and the answers behind it, as text for the terminal.

use std::fmt::Write;

use legcramps_core::content::SOURCE_CREDIT;
use legcramps_core::questions::{Question, answer_text};
use legcramps_core::triage::{Basis, Group};
use legcramps_core::{Assessment, Level, Outcome, YesNo};

use crate::term::{Style, wrap};

/// The whole outcome: headline, why, what to do now, possible causes, what helps, when to
/// get help again, and the source.
pub(crate) fn render(
    o: &Outcome,
    a: &Assessment,
    asked: &[&'static Question],
    style: Style,
    width: usize,
) -> String {
    let mut s = String::new();
    let headline = o.level.headline();
    let banner = match o.level {
        Level::UrgentGp => style.urgent(&format!("!! {headline}")),
        Level::Gp | Level::Pharmacist => style.info(headline),
        Level::SelfCare => style.bold(headline),
    };
    let _ = writeln!(s, "\n{banner}");
    if o.phone_111 {
        let call = if a.get(YesNo::GpOpen) == Some(false) {
            "Your GP surgery is closed: phone 111 now."
        } else {
            "If your GP surgery is closed, or you do not know whether it is open, phone 111 now."
        };
        let _ = writeln!(s, "{}", style.urgent(&wrap(call, width, "", "")));
    }

    let _ = writeln!(s, "\n{}", style.bold("Why you are seeing this"));
    let reasons: Vec<_> = o.reasons().collect();
    if reasons.is_empty() {
        let _ = writeln!(
            s,
            "{}",
            wrap(
                "None of your answers is a reason to see a GP or a pharmacist.",
                width,
                "  ",
                "  "
            )
        );
    }
    for (rule, _) in reasons.iter().filter(|(_, b)| *b == Basis::Answered) {
        let _ = writeln!(s, "{}", wrap(rule.because, width, "  - ", "    "));
        let _ = writeln!(s, "    {}", style.dim(&format!("[{}]", rule.fact)));
    }
    let assumed: Vec<_> = reasons
        .iter()
        .filter(|(_, b)| *b == Basis::Assumed)
        .collect();
    if !assumed.is_empty() {
        let _ = writeln!(
            s,
            "{}",
            wrap(
                "Some questions were not answered (or not asked, because the answer was already clear). We take the safe reading of those:",
                width,
                "  ",
                "  "
            )
        );
        for (rule, _) in assumed {
            let _ = writeln!(s, "{}", wrap(rule.assumed, width, "  - ", "    "));
            let _ = writeln!(s, "    {}", style.dim(&format!("[{}]", rule.fact)));
        }
    }
    let _ = writeln!(s, "\n  Your answers:");
    for q in asked {
        let _ = writeln!(
            s,
            "{}",
            wrap(
                &format!("{} {}", q.text, answer_text(q, a)),
                width,
                "    ",
                "      "
            )
        );
    }

    for (group, title) in [
        (Group::DoNow, "What to do now"),
        (
            Group::PossibleCause,
            "Possible causes (to talk about, not a diagnosis)",
        ),
        (Group::SelfCare, "What can help"),
    ] {
        let items: Vec<_> = o.advice().filter(|x| x.group == group).collect();
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(s, "\n{}", style.bold(title));
        for item in items {
            let _ = writeln!(s, "{}", wrap(item.text, width, "  - ", "    "));
        }
    }
    let _ = writeln!(s, "\n{}", style.bold("When to get help again"));
    let _ = writeln!(s, "{}", wrap(o.safety_net().text, width, "  ", "  "));
    let _ = writeln!(
        s,
        "\n{}",
        style.dim(&wrap(SOURCE_CREDIT.text, width, "", ""))
    );
    s
}
