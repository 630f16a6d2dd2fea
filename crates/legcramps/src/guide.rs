//! `legcramps guide` and `legcramps rules`: the guidance and the rule table as text.

use std::fmt::Write as _;
use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::Result;
use legcramps_core::content::{GET_HELP_NOW, Kind, SOURCE_CREDIT, TOPICS, Topic, topic};
use legcramps_core::review::rules_markdown;

use crate::BadInput;
use crate::cli::GuideArgs;
use crate::term::{Style, width, wrap};

pub(crate) fn run(args: &GuideArgs) -> Result<ExitCode> {
    let style = Style::detect();
    let width = width();
    let mut text = String::new();
    if args.list {
        for t in TOPICS {
            let _ = writeln!(text, "{:<18} {}", t.slug, t.summary);
        }
    } else {
        let topics: Vec<&Topic> = match &args.topic {
            Some(slug) => vec![topic(slug).ok_or_else(|| {
                let known: Vec<_> = TOPICS.iter().map(|t| t.slug).collect();
                BadInput(format!(
                    "there is no topic `{slug}`; the topics are: {}",
                    known.join(", ")
                ))
            })?],
            None => TOPICS.iter().collect(),
        };
        // "Get help now" comes first wherever the signs to act on are: the whole guide and
        // "When to get help" (as on the web pages; issue 18, finding 11).
        if topics.len() > 1 || topics.iter().any(|t| t.slug == "when-to-get-help") {
            text.push_str(&help_now(style, width));
        }
        for t in topics {
            text.push_str(&render_topic(t, style, width));
        }
        let _ = writeln!(
            text,
            "\n{}",
            style.dim(&wrap(SOURCE_CREDIT.text, width, "", ""))
        );
    }
    io::stdout().lock().write_all(text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// "Get help now": the 999 line and the urgent signs, in the urgent style.
pub(crate) fn help_now(style: Style, width: usize) -> String {
    let mut s = String::new();
    if let Some(h) = GET_HELP_NOW.first().and_then(|i| i.heading) {
        let _ = writeln!(s, "\n{}", style.urgent(&format!("!! {}", h.to_uppercase())));
    }
    for item in GET_HELP_NOW {
        let _ = writeln!(s, "{}", style.urgent(&wrap(item.text, width, "", "")));
        for line in item.list {
            let _ = writeln!(s, "{}", wrap(line, width, "  - ", "    "));
        }
    }
    s
}

pub(crate) fn render_topic(t: &Topic, style: Style, width: usize) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "\n{}\n", style.bold(&t.title.to_uppercase()));
    for item in t.items {
        let paint = |text: &str| match item.kind {
            Kind::Urgent => style.urgent(text),
            Kind::NonUrgent => style.info(text),
            Kind::Text | Kind::Steps => style.bold(text),
        };
        if let Some(h) = item.heading {
            let _ = writeln!(s, "{}", paint(h));
        }
        if !item.text.is_empty() {
            let text = wrap(item.text, width, "", "");
            let _ = writeln!(
                s,
                "{}",
                if item.kind == Kind::Urgent {
                    style.urgent(&text)
                } else {
                    text
                }
            );
        }
        for (i, line) in item.list.iter().enumerate() {
            let bullet = if item.kind == Kind::Steps {
                format!("  {}. ", i + 1)
            } else {
                "  - ".to_owned()
            };
            let _ = writeln!(s, "{}", wrap(line, width, &bullet, "     "));
        }
        s.push('\n');
    }
    s
}

pub(crate) fn rules(content: bool) -> Result<ExitCode> {
    let text = if content {
        legcramps_core::review::content_markdown()
    } else {
        rules_markdown()
    };
    io::stdout().lock().write_all(text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
