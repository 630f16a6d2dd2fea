//! Terminal facts: is this a terminal, may we use colour, how wide to wrap.

use std::io::IsTerminal;

/// Colour is used only on a terminal, and never when `NO_COLOR` is set to anything non-empty
/// (<https://no-color.org>).
pub(crate) fn colour() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// The width to wrap text to: the terminal's, but at most 100 columns for readability; 80
/// when not a terminal.
pub(crate) fn width() -> usize {
    if std::io::stdout().is_terminal() {
        textwrap::termwidth().clamp(30, 100)
    } else {
        80
    }
}

/// Styling that vanishes when colour is off.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Style {
    on: bool,
}

impl Style {
    pub(crate) fn detect() -> Self {
        Style { on: colour() }
    }

    fn wrap(self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    pub(crate) fn bold(self, text: &str) -> String {
        self.wrap("1", text)
    }

    pub(crate) fn urgent(self, text: &str) -> String {
        self.wrap("1;31", text)
    }

    pub(crate) fn info(self, text: &str) -> String {
        self.wrap("1;34", text)
    }

    pub(crate) fn dim(self, text: &str) -> String {
        self.wrap("2", text)
    }
}

/// `text` wrapped to `width` with every line indented by `indent` (the first by `first`).
pub(crate) fn wrap(text: &str, width: usize, first: &str, indent: &str) -> String {
    let options = textwrap::Options::new(width)
        .initial_indent(first)
        .subsequent_indent(indent);
    textwrap::fill(text, options)
}

/// The host's NHS online urgent service, from `LEGCRAMPS_NHS_111_ONLINE` (the same setting as
/// `serve --nhs-111-online`): none unless it is set, and none if it is not an https address
/// (111 online differs by nation; the phone number 111 is always given).
pub(crate) fn online_111() -> Option<String> {
    let text = std::env::var("LEGCRAMPS_NHS_111_ONLINE").ok()?;
    legcramps_core::content::online_111_address(&text).ok()
}
