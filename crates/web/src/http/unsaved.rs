//! Nothing typed is lost (issue 21). A form that writes, sent after its sign-in had ended (a
//! phone tab left open overnight), is not refused and dropped: it is kept for the account
//! whose session it was and for the browser that sent it, and the reply is the sign-in page,
//! saying it is not saved yet. Once that person signs in (however: password, second step,
//! passkey), they land on "Save what you typed" (`diary::unsaved`), one tap from saving it.
//!
//! Where it is kept: in the diary database (`unsaved_forms`), under the hash of a secret that
//! only this browser's `__Host-legcramps-unsaved` cookie holds, bound to the account. Reading
//! it back needs both: a request signed in as that account, from that browser. A request
//! that is not signed in never sees it, and nor does another account signed in on the same
//! computer. It goes when it is saved, when the person says not to keep it, when the account
//! is deleted, or after [`crate::Site::unsaved_seconds`] (a setting; default 24 hours).
//!
//! A session that was ended on purpose (signed out, "sign out everywhere", a recovery) has
//! no one to keep a form for: the page then says plainly that it was not saved.

use askama::Template;
use axum::http::{HeaderMap, HeaderValue};
use legcramps_accounts::{Secret, hash_secret};
use legcramps_store::{AccountId, Store};

use crate::config::Site;
use crate::http::session::cookie_values;
use crate::http::views::Layout;

/// The cookie holding the secret a kept form is found by.
const COOKIE: &str = "__Host-legcramps-unsaved";

/// Whether a form sent to `path` writes something a person typed, and so is kept when its
/// sign-in has ended: a cramp (the full form, the quick log, an edit), a profile entry (new
/// or changed) and a saved check. Deletions are not kept (nothing was typed).
pub(crate) fn keepable(path: &str) -> bool {
    let parts: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
    match parts.as_slice() {
        ["diary"] | ["diary", "quick" | "checks"] => true,
        ["diary", "profile", kind] | ["diary", "profile", kind, _] => {
            matches!(*kind, "medicines" | "pregnancies" | "conditions")
                && parts.last() != Some(&"new")
        }
        ["diary", id] => {
            !matches!(
                *id,
                "new" | "patterns" | "summary" | "delete-all" | "profile" | "unsaved" | "import"
            ) && !id.contains('.')
        }
        _ => false,
    }
}

/// What is waiting, in the words of "Your ... is not saved yet".
pub(crate) fn what(path: &str) -> &'static str {
    if path == "/diary" {
        "cramp"
    } else if path == "/diary/quick" {
        "quick log"
    } else if path == "/diary/nights" {
        "check-in"
    } else if path == "/diary/checks" {
        "check"
    } else if path.starts_with("/diary/profile/") {
        "medicines and health entry"
    } else {
        "change to a cramp"
    }
}

/// The secret in this request's unsaved-form cookie, if it has one that could be ours.
pub(crate) fn cookie(headers: &HeaderMap) -> Option<String> {
    cookie_values(headers, COOKIE)
        .find(|v| {
            v.len() >= 32
                && v.len() <= 128
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .map(str::to_owned)
}

/// Whether this browser has a form waiting to be saved (the sign-in page then says so).
pub(crate) fn waiting(headers: &HeaderMap) -> bool {
    cookie(headers).is_some()
}

/// The `Set-Cookie` that removes the unsaved-form cookie.
pub(crate) fn clear_cookie() -> HeaderValue {
    HeaderValue::from_static(
        "__Host-legcramps-unsaved=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0",
    )
}

/// Keep `body`, sent to `path` after the sign-in ended, for `account` (the ended session's, or
/// the one a form from this browser is already kept for). The cookie to set is returned:
/// this browser's secret, new or the one it had (a second form waits beside the first).
pub(crate) async fn keep(
    store: &Store,
    site: &Site,
    headers: &HeaderMap,
    account: &AccountId,
    path: &str,
    body: &str,
) -> Result<HeaderValue, legcramps_store::StoreError> {
    let secret = cookie(headers).unwrap_or_else(|| Secret::new("").text);
    store
        .keep_unsaved(
            &hash_secret(&secret),
            account,
            path,
            body,
            site.unsaved_seconds,
        )
        .await?;
    Ok(HeaderValue::from_str(&format!(
        "{COOKIE}={secret}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age={}",
        site.unsaved_seconds
    ))
    .unwrap_or_else(|_| clear_cookie()))
}

/// For a form sent with no live session: the account to keep it for, if there is one (the
/// session that just ended, or the account a form from this browser is already kept for).
pub(crate) async fn keeper(
    store: &Store,
    headers: &HeaderMap,
    ended: Option<AccountId>,
) -> Result<Option<AccountId>, legcramps_store::StoreError> {
    if ended.is_some() {
        return Ok(ended);
    }
    match cookie(headers) {
        Some(secret) => store.unsaved_owner(&hash_secret(&secret)).await,
        None => Ok(None),
    }
}

/// The name of the hidden field that says which kept form a form saves (so that exactly it
/// is forgotten once saved, and nothing else is).
pub(crate) const FIELD: &str = "legcramps-unsaved";

/// The kept form a request saves (its [`FIELD`]), put on the request by the guard.
#[derive(Debug, Clone)]
pub(crate) struct Saving(pub(crate) String);

/// What to show of a kept form: its answers, in the form's own words.
pub(crate) fn recognisable(fields: &[(String, String)]) -> Vec<(&'static str, String)> {
    let get = |name: &str| {
        fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    };
    let mut shown = Vec::new();
    if let (Some(d), Some(m), Some(y)) = (get("start-day"), get("start-month"), get("start-year")) {
        let day = match (d.parse(), m.parse(), y.parse()) {
            (Ok(d), Ok(m), Ok(y)) => chrono::NaiveDate::from_ymd_opt(y, m, d)
                .map(|day| day.format("%A %-d %B %Y").to_string()),
            _ => None,
        }
        .unwrap_or_else(|| format!("{d} {m} {y}"));
        let at = get("start-time").map_or(String::new(), |t| format!(" at {t}"));
        shown.push(("Started", format!("{day}{at}")));
    }
    if let Some(when) = get("when") {
        shown.push((
            "When",
            match when {
                "now" => "Just now (when you sent it)".to_owned(),
                "last-night" => "Last night, in my sleep".to_owned(),
                other => other.to_owned(),
            },
        ));
    }
    for (name, label) in [
        ("minutes", "How long (minutes)"),
        ("site", "Which muscle"),
        ("side", "Which leg"),
        ("asleep", "Asleep or awake"),
        ("eased", "Eased when moving"),
        ("severity", "How bad"),
        ("name", "Name"),
        ("note", "Notes"),
    ] {
        if let Some(v) = get(name) {
            shown.push((label, v.replace('-', " ")));
        }
    }
    shown
}

/// A form that writes, sent with a live session but another session's anti-forgery token
/// (opened before the person last signed in: two tabs, a sign-in elsewhere), given back
/// filled in with this session's token, one tap from saving; nothing is kept on the server
/// (the page is `no-store`, and only the browser that sent it sees it).
#[derive(Template)]
#[template(path = "diary_unsaved.html")]
pub(crate) struct StaleFormPage {
    pub(crate) layout: Layout,
    pub(crate) what: &'static str,
    pub(crate) sent: String,
    pub(crate) action: String,
    pub(crate) fields: Vec<(String, String)>,
    pub(crate) shown: Vec<(&'static str, String)>,
    pub(crate) id: String,
    pub(crate) field: &'static str,
    pub(crate) more: usize,
    pub(crate) cramp: bool,
    pub(crate) stale: bool,
}

/// The sign-in page a form sent after its sign-in ended is answered with (the same template
/// as `/account/sign-in`, saying what is waiting).
#[derive(Template)]
#[template(path = "account_sign_in.html")]
pub(crate) struct SignInToSave {
    pub(crate) layout: Layout,
    pub(crate) username: String,
    pub(crate) error: Option<String>,
    /// Kept for this browser: "sign in to save it".
    pub(crate) waiting: bool,
    /// Not kept (the sign-in was ended on purpose): "it was not saved".
    pub(crate) lost: Option<&'static str>,
    /// Never set here (the sign-in page after "Sign out" says so).
    pub(crate) signed_out: bool,
}

#[cfg(test)]
mod tests {
    use super::keepable;

    #[test]
    fn forms_that_write_what_was_typed_are_kept_and_others_are_not() {
        for kept in [
            "/diary",
            "/diary/quick",
            "/diary/checks",
            "/diary/3f6c",
            "/diary/profile/medicines",
            "/diary/profile/conditions/abc",
        ] {
            assert!(keepable(kept), "{kept}");
        }
        for not in [
            "/diary/3f6c/delete",
            "/diary/delete-all",
            "/diary/profile/medicines/abc/delete",
            "/diary/profile/medicines/new",
            "/diary/unsaved",
            "/diary/export.csv",
            "/account/password",
            "/api/v1/episodes",
        ] {
            assert!(!keepable(not), "{not}");
        }
    }
}
