//! Waits after failed sign-ins, kept in the database so that every process counts the same
//! failures, and the page that asks people to wait.

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use legcramps_accounts::hash_secret;
use legcramps_store::Store;

use crate::config::Site;
use crate::http::render::{Page, render};
use crate::http::views::Layout;

/// What a count of failures is kept for. Each is stored under a keyed hash of its text, so
/// a username or an address never sits in the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Attempts<'a> {
    /// Sign-ins (by password or passkey) from one address (`ip` is its keyed hash).
    SignInFrom { ip: &'a str },
    /// Sign-ins as one username from one address: someone guessing from elsewhere slows only
    /// their own tries, never the owner's.
    SignInAs { username: &'a str, ip: &'a str },
    /// Passkey sign-ins from one address.
    PasskeyFrom { ip: &'a str },
    /// Sign-ups from one address.
    SignUpFrom { ip: &'a str },
}

impl Attempts<'_> {
    fn text(&self) -> String {
        match self {
            Attempts::SignInFrom { ip } => format!("signin-ip:{ip}"),
            Attempts::SignInAs { username, ip } => format!("signin-user:{username}:{ip}"),
            Attempts::PasskeyFrom { ip } => format!("passkey-ip:{ip}"),
            Attempts::SignUpFrom { ip } => format!("signup-ip:{ip}"),
        }
    }
}

/// Backoff after failures, per [`Attempts`] key, kept in the
/// diary database so that every process behind one address counts the same failures. Keys
/// are stored hashed (a username never sits in the table). If the database cannot be reached
/// the sign-in fails anyway, so an error here counts as no wait.
pub(crate) async fn attempt_wait(store: &Store, site: &Site, key: &Attempts<'_>) -> u64 {
    match store.attempts(&attempt_key(key)).await {
        Ok(Some((failures, last))) => {
            let since = u64::try_from(legcramps_store::unix_seconds() - last).unwrap_or(0);
            site.backoff.wait_seconds(failures).saturating_sub(since)
        }
        Ok(None) => 0,
        Err(e) => {
            tracing::warn!(error = %e, "sign-in backoff could not be read");
            0
        }
    }
}

/// The seconds to wait if any of `keys` must still wait (the longest of them), else `None`.
pub(crate) async fn must_wait(store: &Store, site: &Site, keys: &[&Attempts<'_>]) -> Option<u64> {
    let mut wait = 0;
    for key in keys {
        wait = wait.max(attempt_wait(store, site, key).await);
    }
    (wait > 0).then_some(wait)
}

pub(crate) async fn attempt_failed(store: &Store, key: &Attempts<'_>) {
    if let Err(e) = store.fail_attempt(&attempt_key(key)).await {
        tracing::warn!(error = %e, "sign-in backoff could not be counted");
    }
}

pub(crate) async fn attempt_ok(store: &Store, key: &Attempts<'_>) {
    let _ = store.clear_attempts(&attempt_key(key)).await;
}

fn attempt_key(key: &Attempts<'_>) -> String {
    hash_secret(&format!("legcramps backoff\n{}", key.text()))[..32].to_owned()
}

#[derive(Template)]
#[template(path = "account_wait.html")]
struct WaitPage {
    layout: Layout,
    minutes: u64,
    seconds: u64,
}

/// The page that asks people to wait `wait` seconds (429, `Retry-After`).
pub(crate) fn wait_page(page: &Page, wait: u64) -> Response {
    let mut r = render(
        StatusCode::TOO_MANY_REQUESTS,
        &WaitPage {
            layout: page.layout("Please wait before trying again", "account"),
            minutes: wait.div_ceil(60),
            seconds: wait,
        },
    );
    if let Ok(v) = HeaderValue::from_str(&wait.to_string()) {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    r
}
