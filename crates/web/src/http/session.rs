//! The session cookie, the anti-forgery token derived from it, and what every page's layout
//! needs to know (signed in as whom; accounts on or not).
//!
//! The cookie is `__Host-legcramps`: `Secure`, `HttpOnly`, `SameSite=Lax`, `Path=/`, no
//! `Domain` (the `__Host-` prefix makes browsers insist on all of that). It holds a 256-bit
//! random session id; the database keeps only its SHA-256. The anti-forgery token of a
//! session is SHA-256 of a fixed label and the session id: the server can work it out on every
//! request without storing it, and nobody without the cookie can.

use axum::http::{HeaderMap, HeaderValue, header};
use legcramps_accounts::hash_secret;

/// The session cookie's name.
pub(crate) const COOKIE: &str = "__Host-legcramps";

/// What the pages of one request know about the person: put on every request by
/// [`crate::http::auth::context`] (and, for a session, by the guard), and read by the
/// [`crate::http::render::Page`] extractor — never from a global.
#[derive(Debug, Clone, Default)]
pub(crate) struct Context {
    /// Accounts are on (show "Sign in" / "Your account").
    pub(crate) accounts: bool,
    /// The anti-forgery token for this session's forms.
    pub(crate) csrf: Option<String>,
    /// The signed-in username.
    pub(crate) username: Option<String>,
    /// Passkeys work on this site.
    pub(crate) passkeys: bool,
    /// The server's time zone, for times shown on pages (`serve --time-zone`).
    pub(crate) zone: chrono_tz::Tz,
    /// The address of the host's nation's NHS online urgent service, if the host named one
    /// (`serve --nhs-111-online`): none by default (issue 18, finding 12).
    pub(crate) nhs_111_online: Option<std::sync::Arc<str>>,
    /// Signed in, with a form kept from after a sign-in ended waiting in this browser (see
    /// `http::unsaved`): every page offers it until it is saved or let go.
    pub(crate) unsaved: bool,
}

/// The values of every cookie called `name` the request carries.
pub(crate) fn cookie_values<'h>(
    headers: &'h HeaderMap,
    name: &'h str,
) -> impl Iterator<Item = &'h str> + 'h {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .filter(move |(n, _)| *n == name)
        .map(|(_, value)| value)
}

/// The session id in the request's cookie, if any.
pub(crate) fn cookie(headers: &HeaderMap) -> Option<String> {
    cookie_values(headers, COOKIE)
        .next()
        .map(str::to_owned)
        .filter(|v| !v.is_empty() && v.len() <= 128)
}

/// The anti-forgery token of the session whose id is `session_id`.
pub(crate) fn csrf_for(session_id: &str) -> String {
    hash_secret(&format!("legcramps anti-forgery token\n{session_id}"))
}

/// A `Set-Cookie` that starts a session.
pub(crate) fn set_cookie(session_id: &str) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{COOKIE}={session_id}; Path=/; Secure; HttpOnly; SameSite=Lax"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// A `Set-Cookie` that removes the session cookie.
pub(crate) fn clear_cookie() -> HeaderValue {
    HeaderValue::from_static("__Host-legcramps=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0")
}

/// A short, coarse description of the browser for "your sessions" (browser and system only;
/// the full User-Agent is not kept).
pub(crate) fn device(headers: &HeaderMap) -> String {
    let ua = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let browser = if ua.contains("Edg/") {
        "Edge"
    } else if ua.contains("Firefox/") {
        "Firefox"
    } else if ua.contains("Chrome/") || ua.contains("Chromium/") {
        "Chrome"
    } else if ua.contains("Safari/") {
        "Safari"
    } else {
        "A browser"
    };
    let system = if ua.contains("Android") {
        " on Android"
    } else if ua.contains("iPhone") || ua.contains("iPad") {
        " on iOS"
    } else if ua.contains("Windows") {
        " on Windows"
    } else if ua.contains("Mac OS") {
        " on a Mac"
    } else if ua.contains("Linux") {
        " on Linux"
    } else {
        ""
    };
    format!("{browser}{system}")
}
