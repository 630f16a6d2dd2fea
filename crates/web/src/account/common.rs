//! What the account pages share: reading a form, the sign-up and sign-in pages, a new account's
//! welcome and its recovery codes, password hashing off the async threads, and times for
//! people.

use legcramps_store::AccountId;
use std::collections::HashMap;

use askama::Template;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use legcramps_store::Store;

use crate::account::ending::{start_session, with_cookie};
use crate::config::Site;
use crate::http::error::WebError;
use crate::http::render::{Page, render};
use crate::http::session::{self, Context};
use crate::http::views::Layout;

#[derive(Template)]
#[template(path = "account_sign_up.html")]
pub(crate) struct SignUpPage {
    pub(crate) layout: Layout,
    pub(crate) username: String,
    pub(crate) errors: Vec<(&'static str, String)>,
}

impl SignUpPage {
    fn error_for(&self, id: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(i, _)| *i == id)
            .map(|(_, m)| m.as_str())
    }
}

#[derive(Template)]
#[template(path = "account_sign_in.html")]
pub(crate) struct SignInPage {
    pub(crate) layout: Layout,
    pub(crate) username: String,
    pub(crate) error: Option<String>,
    /// This browser has a form waiting to be saved (`http::unsaved`): "sign in to save it".
    pub(crate) waiting: bool,
    /// Never set here (the guard's page says what was not saved).
    pub(crate) lost: Option<&'static str>,
    /// Just signed out (issue 21, finding 13): the page says so.
    pub(crate) signed_out: bool,
}

impl SignInPage {
    /// The sign-in page, with an error or not.
    pub(crate) fn new(page: &Page, error: Option<String>) -> SignInPage {
        SignInPage {
            layout: page.layout("Sign in", "account"),
            username: String::new(),
            error,
            waiting: false,
            lost: None,
            signed_out: false,
        }
    }
}

/// The sign-up page with what was typed and what is wrong.
pub(crate) fn sign_up_page(
    page: &Page,
    status: StatusCode,
    typed: &str,
    errors: Vec<(&'static str, String)>,
) -> Response {
    render(
        status,
        &SignUpPage {
            layout: page.layout("Make an account", "account"),
            username: typed.chars().take(200).collect(),
            errors,
        },
    )
}

/// A new account's first page: the session starts, and the recovery codes show, once.
pub(crate) async fn welcome(
    page: &Page,
    store: &Store,
    account: &legcramps_store::Account,
    headers: &HeaderMap,
) -> Response {
    match start_session(store, &account.id, headers).await {
        Ok((cookie, id)) => {
            // The page is shown to the new session (its request came without the cookie).
            let signed_in = Page(Context {
                accounts: true,
                csrf: Some(session::csrf_for(&id)),
                username: Some(account.username.clone()),
                ..page.context().clone()
            });
            with_cookie(
                new_codes_page(&signed_in, store, &account.id, true).await,
                cookie,
            )
        }
        Err(e) => WebError::accounts(e).into_response(),
    }
}

/// Run a password hash or check on the blocking pool, at most `Site::hashing` at a time: each
/// takes 19 MiB and tens of milliseconds of a core, so a burst of sign-ins queues here instead
/// of taking every core from the pages and `/healthz`. `None` if the pool has shut down.
pub(crate) async fn hashing<T: Send + 'static>(
    site: &Site,
    f: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    let _permit = site.hashing.acquire().await.ok()?;
    tokio::task::spawn_blocking(f).await.ok()
}

pub(crate) fn form(body: &[u8]) -> HashMap<String, String> {
    form_urlencoded::parse(body).into_owned().collect()
}

#[derive(Template)]
#[template(path = "account_codes.html")]
pub(crate) struct CodesPage {
    layout: Layout,
    codes: Vec<String>,
    first: bool,
    /// The account signs in with a passkey only: the codes are for a lost passkey, not a
    /// forgotten password (issue 21, finding 11).
    passkey_only: bool,
    /// The text file "Download the codes" saves (made in the browser, from this, as a `blob:`
    /// address released at once: a `data:` address holding the codes stayed in the browser's
    /// download history — the outside security review).
    download: String,
}

/// The recovery codes as a small text file: what they are, the account, and one code a line.
fn codes_file(codes: &[String], username: &str, passkey_only: bool) -> String {
    let what = if passkey_only {
        "If you lose your passkey, one of these codes lets you back in to your leg cramps diary."
    } else {
        "If you forget your password, one of these codes lets you set a new one for your leg cramps diary."
    };
    let mut text = format!(
        "Recovery codes for the account {username}\n{what}\nEach code works once. Keep this file somewhere safe.\n\n"
    );
    for c in codes {
        text.push_str(c);
        text.push('\n');
    }
    text
}

/// Make a new set of recovery codes for the account (the old ones stop working) and the page
/// that shows them, once.
pub(crate) async fn new_codes_page(
    page: &Page,
    store: &Store,
    account_id: &AccountId,
    first: bool,
) -> Response {
    let account = match store.account_by_id(account_id).await {
        Ok(Some(a)) => a,
        Ok(None) => return WebError::SignInFirst.into_response(),
        Err(e) => return WebError::accounts(e).into_response(),
    };
    let codes = legcramps_accounts::recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|c| c.hash.clone()).collect();
    if let Err(e) = store.set_recovery_codes(account_id, &hashes).await {
        return WebError::accounts(e).into_response();
    }
    let passkey_only = account.password_hash.is_none();
    let texts: Vec<String> = codes.iter().map(|c| c.text.clone()).collect();
    let show = || {
        render(
            StatusCode::OK,
            &CodesPage {
                layout: page.layout("Keep your recovery codes safe", "account"),
                download: codes_file(&texts, &account.username, passkey_only),
                codes: texts.clone(),
                first,
                passkey_only,
            },
        )
    };
    let mut r = show();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// A moment for people, in the server's zone: "26 November 2026 at 21:30 (UK time)".
pub(crate) fn when(zone: chrono_tz::Tz, unix: i64) -> String {
    chrono::DateTime::from_timestamp(unix, 0).map_or_else(String::new, |t| {
        format!(
            "{} ({})",
            t.with_timezone(&zone).format("%-d %B %Y at %H:%M"),
            crate::http::views::zone_label(zone)
        )
    })
}
