//! Waits after failed sign-ins (and limits on sign-ups), kept in the database so that every process counts the same
//! failures, and the page that asks people to wait.

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use legcramps_accounts::hash_secret;
use legcramps_store::Store;

use crate::config::Site;
use crate::http::render::{Page, render};
use crate::http::views::Layout;

/// What a count of tries is kept for. Each is stored under a keyed hash of its text, so
/// a username or an address never sits in the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Attempts<'a> {
    /// Sign-ins (by password or passkey) from one address (`ip` is its keyed hash; an IPv6
    /// address counts as its /64).
    SignInFrom { ip: &'a str },
    /// Sign-ins as one username from one address: someone guessing from elsewhere slows only
    /// their own tries, never the owner's.
    SignInAs { username: &'a str, ip: &'a str },
    /// Sign-ins as one username from anywhere: the gentle per-account limit
    /// ([`Site::account_backoff`]), which slows a guesser with many addresses and never keeps
    /// the owner waiting longer than its longest wait.
    SignInTo { username: &'a str },
    /// Codes typed at the second step for one account, from anywhere
    /// ([`Site::second_step_backoff`]). A right password never clears it; only a right code.
    SecondStepFor { account_id: &'a str },
    /// Passkey sign-ins from one address.
    PasskeyFrom { ip: &'a str },
    /// Sign-ups from one address.
    SignUpFrom { ip: &'a str },
    /// Changes to one account's diary in one minute (`minute` since 1970), by any session or
    /// token: [`Site::writes_per_minute`] go ahead, then a wait for the rest of it.
    WritesBy { owner: &'a str, minute: i64 },
}

impl Attempts<'_> {
    fn text(&self) -> String {
        match self {
            Attempts::SignInFrom { ip } => format!("signin-ip:{ip}"),
            Attempts::SignInAs { username, ip } => format!("signin-user:{username}:{ip}"),
            Attempts::SignInTo { username } => format!("signin-account:{username}"),
            Attempts::SecondStepFor { account_id } => format!("second-step:{account_id}"),
            Attempts::PasskeyFrom { ip } => format!("passkey-ip:{ip}"),
            Attempts::SignUpFrom { ip } => format!("signup-ip:{ip}"),
            Attempts::WritesBy { owner, minute } => format!("writes:{owner}:{minute}"),
        }
    }

    fn backoff(&self, site: &Site) -> legcramps_accounts::Backoff {
        match self {
            Attempts::SignInTo { .. } => site.account_backoff,
            Attempts::SecondStepFor { .. } => site.second_step_backoff,
            Attempts::WritesBy { .. } => legcramps_accounts::Backoff {
                free: site.writes_per_minute,
                first_seconds: 60,
                max_seconds: 60,
            },
            _ => site.backoff,
        }
    }
}

/// Take one try on each of `keys`, in order, each checked and counted in one statement in the
/// database (every process on it counts the same tries, and tries at the same moment cannot
/// all pass one check). `Some(seconds)` when one of them must wait first (the keys before it
/// have counted this try). A try that turns out right is forgotten with [`attempt_ok`]. If
/// the database cannot be reached the sign-in fails anyway, so an error here is no wait.
pub(crate) async fn must_wait(store: &Store, site: &Site, keys: &[&Attempts<'_>]) -> Option<u64> {
    for key in keys {
        let policy = key.backoff(site);
        match store
            .take_attempt(&attempt_key(key), &|n| policy.wait_seconds(n))
            .await
        {
            Ok(None) => {}
            Ok(Some(wait)) => return Some(wait),
            Err(e) => tracing::warn!(error = %e, "sign-in backoff could not be counted"),
        }
    }
    None
}

/// Forget the tries counted on `key` (the try was right).
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
