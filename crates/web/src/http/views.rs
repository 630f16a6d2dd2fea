//! View models shared by the page templates: the page layout, and guidance content turned into
//! blocks ready for the NHS.UK components (care cards, lists, steps).

use legcramps_core::content::{GET_HELP_NOW, Item, Kind, SOURCE_CREDIT, TOPICS, Topic};

use crate::http::assets;

/// What every page's layout needs.
#[derive(Debug)]
pub(crate) struct Layout {
    pub(crate) title: String,
    pub(crate) css: &'static str,
    pub(crate) app_css: &'static str,
    pub(crate) app_js: &'static str,
    pub(crate) init_js: &'static str,
    pub(crate) favicon: &'static str,
    /// The 180 px PNG icon iPhones take for "Add to Home Screen" (they ignore SVG icons).
    pub(crate) apple_icon: &'static str,
    pub(crate) credit: &'static str,
    /// Which header link is the current section: "check", "guide", "stretches" or "".
    pub(crate) section: &'static str,
    pub(crate) topics: &'static [Topic],
    /// The address of the host's NHS online urgent service, for the "Use 111 online" links
    /// (none unless the host set one).
    pub(crate) nhs_111_online: Option<std::sync::Arc<str>>,
    /// Accounts are on: the header shows "Sign in" or "Your account".
    pub(crate) accounts: bool,
    /// The signed-in username, if any.
    pub(crate) username: Option<String>,
    /// The session's anti-forgery token, put in every form that changes something.
    pub(crate) csrf: Option<String>,
    /// Passkeys work on this site (a domain name, accounts on): the pages carry the passkey
    /// buttons, hidden until `app.js` finds the browser supports them.
    pub(crate) passkeys: bool,
    /// A form typed before the sign-in ended waits to be saved: a banner links to it.
    pub(crate) unsaved: bool,
}

impl Layout {
    /// The layout of a page with `title`, in the header `section`, for the request whose
    /// context is `context` (see [`crate::http::render::Page`]).
    pub(crate) fn of(
        context: &crate::http::session::Context,
        title: impl Into<String>,
        section: &'static str,
    ) -> Self {
        Layout {
            title: title.into(),
            css: assets::NHSUK_CSS,
            app_css: assets::APP_CSS,
            app_js: assets::APP_JS,
            init_js: assets::INIT_JS,
            favicon: assets::FAVICON_SVG,
            apple_icon: assets::APPLE_TOUCH_ICON_PNG,
            credit: SOURCE_CREDIT.text,
            section,
            topics: TOPICS,
            nhs_111_online: context.nhs_111_online.clone(),
            accounts: context.accounts,
            username: context.username.clone(),
            csrf: context.csrf.clone(),
            passkeys: context.passkeys,
            unsaved: context.unsaved,
        }
    }
}

/// A piece of guidance as one NHS.UK component.
#[derive(Debug)]
pub(crate) struct Block {
    /// "urgent" (red care card), "non-urgent" (blue care card) or "" (plain text).
    pub(crate) card: &'static str,
    pub(crate) heading: Option<&'static str>,
    pub(crate) lead: Vec<&'static str>,
    pub(crate) list: &'static [&'static str],
    pub(crate) ordered: bool,
    /// Paragraphs after the list (from following items merged into the same card).
    pub(crate) after: Vec<&'static str>,
    /// The fact ids carried, for the page source (a `data-facts` attribute).
    pub(crate) facts: String,
}

fn card(kind: Kind) -> &'static str {
    match kind {
        Kind::Urgent => "urgent",
        Kind::NonUrgent => "non-urgent",
        Kind::Text | Kind::Steps => "",
    }
}

/// The items of a topic as blocks. Consecutive urgent items become one red care card (the
/// list of red flags, then "phone 111 if closed"), as a reader would expect.
pub(crate) fn blocks(items: &'static [Item]) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    for item in items {
        if let Some(last) = out.last_mut()
            && item.kind == Kind::Urgent
            && last.card == "urgent"
            && item.heading.is_none()
        {
            last.after.push(item.text);
            last.facts.push(' ');
            last.facts.push_str(&item.facts.join(" "));
            continue;
        }
        out.push(Block {
            card: card(item.kind),
            heading: item.heading,
            lead: if item.text.is_empty() {
                Vec::new()
            } else {
                vec![item.text]
            },
            list: item.list,
            ordered: item.kind == Kind::Steps,
            after: Vec::new(),
            facts: item.facts.join(" "),
        });
    }
    out
}

/// "Get help now": the 999 line, then the urgent signs, as one red care card.
pub(crate) fn help_now() -> Block {
    let facts: Vec<&str> = GET_HELP_NOW
        .iter()
        .flat_map(|i| i.facts.iter().copied())
        .collect();
    Block {
        card: "urgent",
        heading: GET_HELP_NOW.first().and_then(|i| i.heading),
        lead: GET_HELP_NOW.iter().map(|i| i.text).collect(),
        list: GET_HELP_NOW.last().map_or(&[], |i| i.list),
        ordered: false,
        after: Vec::new(),
        facts: facts.join(" "),
    }
}

/// Where a guidance topic lives: `/guide/{slug}`, except the stretches, whose one page is
/// `/stretches` (with the guided timer), so the header, the footer and the lists agree.
pub(crate) fn topic_href(slug: &str) -> String {
    if slug == "stretches" {
        "/stretches".to_owned()
    } else {
        format!("/guide/{slug}")
    }
}

/// A line of advice or of a safety net, with the fact ids it carries (shared by the check's
/// outcome and the diary's pages).
#[derive(Debug)]
pub(crate) struct AdviceLine {
    pub(crate) text: &'static str,
    pub(crate) facts: String,
}

impl AdviceLine {
    pub(crate) fn of(a: &'static legcramps_core::triage::Advice) -> Self {
        AdviceLine {
            text: a.text,
            facts: a.facts.join(" "),
        }
    }

    /// The lines of a safety net.
    pub(crate) fn net(lines: &'static [legcramps_core::triage::NetLine]) -> Vec<AdviceLine> {
        lines
            .iter()
            .map(|l| AdviceLine {
                text: l.text,
                facts: l.facts.join(" "),
            })
            .collect()
    }
}

/// How the time zone is named for people: "UK time" for Europe/London, else its name.
pub(crate) fn zone_label(zone: chrono_tz::Tz) -> String {
    if zone == chrono_tz::Europe::London {
        "UK time".to_owned()
    } else {
        format!("{} time", zone.name())
    }
}
