//! Waits after failed sign-ins (and limits on sign-ups), kept in the database so that every process counts the same
//! failures, and the page that asks people to wait.

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use legcramps_accounts::hash_secret;
use legcramps_store::{AccountId, Store};

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
    SecondStepFor { account_id: &'a AccountId },
    /// Passkey sign-ins from one address.
    PasskeyFrom { ip: &'a str },
    /// Sign-ups from one address.
    SignUpFrom { ip: &'a str },
    /// Passwords typed to confirm it is the person, in one session (`session` is the
    /// session's hash): as strict as [`Attempts::SecondStepFor`], since a thief holding a
    /// session has only that one.
    ConfirmIn { session: &'a str },
    /// Sign-ins from a browser that has signed in as this username before (its device
    /// cookie, `device` its random part): counted alone, so other people's failures at the
    /// same address, or against the same account, never slow the owner's known browser.
    FromDevice { device: &'a str },
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
            Attempts::FromDevice { device } => format!("device:{device}"),
            Attempts::ConfirmIn { session } => format!("confirm:{session}"),
        }
    }

    fn backoff(&self, site: &Site) -> legcramps_accounts::Backoff {
        match self {
            Attempts::SignInTo { .. } => site.account_backoff,
            Attempts::SecondStepFor { .. } | Attempts::ConfirmIn { .. } => site.second_step_backoff,
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
    let policies: Vec<legcramps_accounts::Backoff> = keys.iter().map(|k| k.backoff(site)).collect();
    let waits: Vec<_> = policies
        .iter()
        .map(|p| move |n: u32| p.wait_seconds(n))
        .collect();
    let hashed: Vec<String> = keys.iter().map(|k| attempt_key(k)).collect();
    let pairs: Vec<(&str, &(dyn Fn(u32) -> u64 + Sync))> = hashed
        .iter()
        .zip(&waits)
        .map(|(k, w)| (k.as_str(), w as &(dyn Fn(u32) -> u64 + Sync)))
        .collect();
    match store.take_attempts(&pairs).await {
        Ok(wait) => wait,
        Err(e) => {
            tracing::warn!(error = %e, "sign-in backoff could not be counted");
            None
        }
    }
}

/// What a password try (sign-in, recovery) is counted against: a browser known for this
/// account by itself and with the name from anywhere (`device`, from [`known_device`]);
/// otherwise the address, the name from
/// that address (someone guessing from elsewhere slows only their own tries), and the name
/// from anywhere (gently: at most a minute).
pub(crate) fn password_limits<'a>(
    ip: &'a str,
    username: &'a str,
    device: Option<&'a str>,
) -> Vec<Attempts<'a>> {
    match device {
        // Still the gentle per-account limit, so that cookies collected in bulk never give
        // guesses without end (second outside review).
        Some(device) => vec![
            Attempts::FromDevice { device },
            Attempts::SignInTo { username },
        ],
        None => vec![
            Attempts::SignInFrom { ip },
            Attempts::SignInAs { username, ip },
            Attempts::SignInTo { username },
        ],
    }
}

/// Forget the tries counted on `key` (the try was right).
pub(crate) async fn attempt_ok(store: &Store, key: &Attempts<'_>) {
    let _ = store.clear_attempts(&attempt_key(key)).await;
}

/// Forget the tries counted on every one of `keys` at once (the try was right).
pub(crate) async fn attempts_ok(store: &Store, keys: &[&Attempts<'_>]) {
    let hashed: Vec<String> = keys.iter().map(|k| attempt_key(k)).collect();
    let refs: Vec<&str> = hashed.iter().map(String::as_str).collect();
    let _ = store.clear_attempts_of(&refs).await;
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

/// The device cookie: a browser that signed in to an account is known by it afterwards
/// (OWASP's "device cookies"). `__Host-` (Secure, no Domain), `HttpOnly`, `SameSite=Strict`,
/// for a year. Its value is a random part and a keyed hash of it with the account's id, so it
/// cannot be made up or moved to another account, and a deleted account's cookies never count
/// for a new account of the same name.
const DEVICE_COOKIE: &str = "__Host-legcramps-device";

fn device_mac(site: &Site, account: &AccountId, nonce: &str) -> String {
    hash_secret(&format!(
        "legcramps device\n{}\n{account}\n{nonce}",
        site.ip_key
    ))[..32]
        .to_owned()
}

/// The random part of the request's device cookie, if it is one this site made for
/// `account`.
pub(crate) fn known_device(
    site: &Site,
    headers: &axum::http::HeaderMap,
    account: &AccountId,
) -> Option<String> {
    crate::http::session::cookie_values(headers, DEVICE_COOKIE)
        .filter_map(|value| value.split_once('.'))
        .find(|(nonce, mac)| {
            nonce.len() == 32
                && legcramps_accounts::same_secret(mac, &device_mac(site, account, nonce))
        })
        .map(|(nonce, _)| nonce.to_owned())
}

/// `response` with a device cookie for `account` set (after a right password).
pub(crate) fn with_device_cookie(
    mut response: Response,
    site: &Site,
    account: &AccountId,
) -> Response {
    let nonce = legcramps_accounts::Secret::new("").hash[..32].to_owned();
    let value = format!(
        "{DEVICE_COOKIE}={nonce}.{}; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=31536000",
        device_mac(site, account, &nonce)
    );
    if let Ok(v) = HeaderValue::from_str(&value) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}
