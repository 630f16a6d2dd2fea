//! The second step of a password sign-in, and the sign-in security page: an authenticator app
//! (TOTP) and passkeys (see `passkeys.rs`). ASVS 5.0 6.3.3: a password account can add a
//! second factor, and once it has one, a password alone never signs in.
//!
//! - After a right password, an account with an authenticator app or a passkey gets the
//!   "Confirm it is you" step instead of a session: a random step id (kept hashed in the
//!   `ceremonies` table for 5 minutes, 5 tries) in the form, and a code from the app, a
//!   passkey, or one of the recovery codes.
//! - A code works once (the store keeps the last time step used); wrong codes count against
//!   the same per-username backoff as wrong passwords.
//! - Turning the app off needs the password (or a passkey) again, like every other change to
//!   how a person signs in.

use askama::Template;
use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use legcramps_accounts::{Secret, hash_secret, totp};
use legcramps_store::{Account, AccountId, EventKind, Store};

use crate::account::common::{form, when};
use crate::account::confirm::again;
use crate::account::ending::{recovered, signed_in};
use crate::config::Site;
use crate::http::auth::{Confirmed, Hosted, SignedIn, ip_hash};
use crate::http::backoff::{Attempts, attempt_ok, must_wait};
use crate::http::error::WebError;
use crate::http::render::{Page, render};
use crate::http::views::Layout;

/// How long the second step waits for its code (seconds), and how many codes it takes.
const STEP_SECONDS: i64 = 5 * 60;
const STEP_TRIES: i64 = 5;
/// How long a new authenticator-app secret waits to be confirmed with a code.
const SETUP_SECONDS: i64 = 15 * 60;

#[derive(Template)]
#[template(path = "account_step.html")]
struct StepPage {
    layout: Layout,
    step: String,
    app: bool,
    passkeys: bool,
    recovering: bool,
    error: Option<String>,
}

/// What the account signs in with besides its password.
async fn second_factors(store: &Store, account_id: &AccountId) -> Result<(bool, bool), Response> {
    let app = store
        .totp_secret(account_id)
        .await
        .map_err(|e| WebError::accounts(e).into_response())?
        .is_some();
    let passkeys = !store
        .passkeys_of(account_id)
        .await
        .map_err(|e| WebError::accounts(e).into_response())?
        .is_empty();
    Ok((app, passkeys))
}

/// After a right password (or, in a recovery, a right recovery code, with the new password's
/// hash in `recovering`): `None` when the account has no second factor (go on now), or the
/// "Confirm it is you" page.
pub(crate) async fn second_step(
    page: &Page,
    store: &Store,
    account: &Account,
    recovering: Option<&str>,
) -> Option<Response> {
    let (app, passkeys) = match second_factors(store, &account.id).await {
        Ok(f) => f,
        Err(r) => return Some(r),
    };
    if !app && !passkeys {
        return None;
    }
    let step = Secret::new("");
    if let Err(e) = store
        .put_ceremony(
            &step.hash,
            "step",
            Some(&account.id),
            recovering.unwrap_or(""),
            STEP_SECONDS,
        )
        .await
    {
        return Some(WebError::accounts(e).into_response());
    }
    Some(step_page(
        page,
        StatusCode::OK,
        StepShown {
            step: step.text,
            app,
            passkeys,
            recovering: recovering.is_some(),
        },
        None,
    ))
}

/// What the step page offers.
struct StepShown {
    step: String,
    app: bool,
    passkeys: bool,
    /// A recovery's step: a recovery code is not taken (one was just used).
    recovering: bool,
}

fn step_page(page: &Page, status: StatusCode, shown: StepShown, error: Option<String>) -> Response {
    let mut r = render(
        status,
        &StepPage {
            layout: page.layout("Confirm it is you", "account"),
            step: shown.step,
            app: shown.app,
            passkeys: shown.passkeys,
            recovering: shown.recovering,
            error,
        },
    );
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

fn step_expired(page: &Page) -> Response {
    render(
        StatusCode::UNAUTHORIZED,
        &crate::account::common::SignInPage::new(
            page,
            Some("Your sign-in took too long or had too many tries: sign in again".to_owned()),
        ),
    )
}

/// The second step's answer: a code from the app, or a recovery code (a passkey answer goes
/// to `passkeys::step`).
pub(crate) async fn step(
    page: Page,
    Hosted(ref store, ref site, ref ip): Hosted,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let f = form(&body);
    let step_id = f.get("step").cloned().unwrap_or_default();
    if f.contains_key("passkey_response") {
        return crate::account::passkeys::step(&page, store, site, ip.as_ref(), &headers, &f).await;
    }
    let typed = f.get("code").map_or("", |c| c.trim());
    let iph = ip_hash(site, ip.as_ref());
    let ceremony = match store
        .try_ceremony(&hash_secret(&step_id), "step", STEP_TRIES)
        .await
    {
        Ok(Some(c)) => c,
        Ok(None) => return step_expired(&page),
        Err(e) => return WebError::accounts(e).into_response(),
    };
    let Some(account_id) = ceremony.account_id else {
        return step_expired(&page);
    };
    // A recovery's step carries the new password's hash until the step is passed.
    let recovering = (!ceremony.state.is_empty()).then_some(ceremony.state);
    let account = match store.account_by_id(&account_id).await {
        Ok(Some(a)) if !a.disabled => a,
        Ok(_) => return step_expired(&page),
        Err(e) => return WebError::accounts(e).into_response(),
    };
    let user_key = Attempts::SignInAs {
        username: &account.username,
        ip: &iph,
    };
    // Codes for this account from anywhere: a right password (which brought the person here)
    // never clears this count; only a right code does.
    let step_key = Attempts::SecondStepFor {
        account_id: &account.id,
    };
    let (app, passkeys) = match second_factors(store, &account.id).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let again = |error: &str| {
        step_page(
            &page,
            StatusCode::UNAUTHORIZED,
            StepShown {
                step: step_id.clone(),
                app,
                passkeys,
                recovering: recovering.is_some(),
            },
            Some(error.to_owned()),
        )
    };
    let guessable = totp::digits_of(typed).is_some();
    if recovering.is_some() && !guessable {
        // A recovery code stood in for the password; it cannot be the second step too.
        return again(if app {
            "Enter the 6-digit code from your authenticator app (a recovery code cannot be used twice over)"
        } else {
            "Use your passkey to finish (a recovery code cannot be used twice over)"
        });
    }
    if typed.is_empty() {
        return again(if app {
            "Enter the 6-digit code from your authenticator app, or a recovery code"
        } else {
            "Use your passkey, or enter a recovery code"
        });
    }
    // A 6-digit code is slowed per account from any address as well; a recovery code cannot
    // be guessed, so it is never made to wait there: the owner always has a way in.
    let keys: &[&Attempts<'_>] = if guessable {
        &[&user_key, &step_key]
    } else {
        &[&user_key]
    };
    if let Some(seconds) = must_wait(store, site, keys).await {
        return WebError::TooMany { seconds }.into_response();
    }
    match code_is_right(store, &account.id, typed).await {
        Ok(Some(how)) => {
            attempt_ok(store, &user_key).await;
            attempt_ok(store, &step_key).await;
            let _ = store.end_ceremony(&hash_secret(&step_id)).await;
            if how == "recovery-code" {
                let _ = store
                    .record_event(Some(&account.id), EventKind::RecoveryCodeUsed, &iph)
                    .await;
            }
            match &recovering {
                Some(new_hash) => {
                    recovered(store, &account.id, new_hash, None, &iph, &headers).await
                }
                None => signed_in(store, &account.id, EventKind::SignIn, &iph, &headers).await,
            }
        }
        Ok(None) => {
            let _ = store
                .record_event(Some(&account.id), EventKind::SecondStepFailed, &iph)
                .await;
            again(if app {
                "That code is not right, or has been used: enter the newest code from your app, or a recovery code"
            } else {
                "That recovery code is not right, or has been used"
            })
        }
        Err(r) => r,
    }
}

/// Whether `typed` is a current, unused code from the account's app ("app") or one of its
/// recovery codes ("recovery-code", used up by this).
async fn code_is_right(
    store: &Store,
    account_id: &AccountId,
    typed: &str,
) -> Result<Option<&'static str>, Response> {
    if totp::digits_of(typed).is_some() {
        let Some(secret) = store
            .totp_secret(account_id)
            .await
            .map_err(|e| WebError::accounts(e).into_response())?
        else {
            return Ok(None);
        };
        let now = u64::try_from(legcramps_store::unix_seconds()).unwrap_or(0);
        let Some(step) = totp::matching_step(&secret, typed, now) else {
            return Ok(None);
        };
        let fresh = store
            .use_totp_step(account_id, step)
            .await
            .map_err(|e| WebError::accounts(e).into_response())?;
        return Ok(fresh.then_some("app"));
    }
    let used = store
        .use_recovery_code(account_id, &legcramps_accounts::hash_recovery_code(typed))
        .await
        .map_err(|e| WebError::accounts(e).into_response())?;
    Ok(used.then_some("recovery-code"))
}

#[derive(Template)]
#[template(path = "account_security.html")]
struct SecurityPage {
    layout: Layout,
    app: bool,
    passkeys: Vec<PasskeyRow>,
    message: Option<String>,
    error: Option<String>,
}

struct PasskeyRow {
    id: String,
    name: String,
    added: String,
    last_used: String,
}

/// The sign-in security page: passkeys and the authenticator app.
pub(crate) async fn security_page(
    page: &Page,
    store: &Store,
    who: &SignedIn,
    status: StatusCode,
    message: Option<String>,
    error: Option<String>,
) -> Response {
    let app = match store.totp_secret(&who.account_id).await {
        Ok(s) => s.is_some(),
        Err(e) => return WebError::accounts(e).into_response(),
    };
    let passkeys = match store.passkeys_of(&who.account_id).await {
        Ok(p) => p,
        Err(e) => return WebError::accounts(e).into_response(),
    };
    // Behind the diary guard, which marks every response `no-store`.
    render(
        status,
        &SecurityPage {
            layout: page.layout("How you sign in", "account"),
            app,
            passkeys: passkeys
                .into_iter()
                .map(|p| PasskeyRow {
                    id: p.credential_id,
                    name: p.name,
                    added: when(page.context().zone, p.created_utc),
                    last_used: p
                        .last_used_utc
                        .map_or_else(|| "never".to_owned(), |t| when(page.context().zone, t)),
                })
                .collect(),
            message,
            error,
        },
    )
}

pub(crate) async fn security(
    page: Page,
    Hosted(ref store, _, _): Hosted,
    who: SignedIn,
) -> Response {
    security_page(&page, store, &who, StatusCode::OK, None, None).await
}

#[derive(Template)]
#[template(path = "account_totp.html")]
struct TotpPage {
    layout: Layout,
    setup: String,
    qr_svg: String,
    secret: String,
    error: Option<String>,
}

fn qr_svg(text: &str) -> String {
    qrcode::QrCode::new(text.as_bytes()).map_or_else(
        |_| String::new(),
        |code| {
            code.render::<qrcode::render::svg::Color<'_>>()
                .min_dimensions(200, 200)
                .quiet_zone(true)
                .build()
        },
    )
}

fn totp_page(
    page: &Page,
    status: StatusCode,
    site: &Site,
    who: &SignedIn,
    setup: String,
    secret: &str,
    error: Option<String>,
) -> Response {
    let link = totp::link(secret, &who.username, &site.host).unwrap_or_default();
    // Behind the diary guard, which marks every response `no-store`.
    render(
        status,
        &TotpPage {
            layout: page.layout("Set up an authenticator app", "account"),
            setup,
            qr_svg: qr_svg(&link),
            secret: totp::grouped(secret),
            error,
        },
    )
}

/// A new secret to put into an app: shown as a QR code and as text; kept for 15 minutes
/// until a code from the app confirms it.
pub(crate) async fn totp_form(
    page: Page,
    Hosted(ref store, ref site, _): Hosted,
    Confirmed(who): Confirmed,
) -> Response {
    let secret = totp::new_secret();
    let setup = Secret::new("");
    if let Err(e) = store
        .put_ceremony(
            &setup.hash,
            "totp-setup",
            Some(&who.account_id),
            &secret,
            SETUP_SECONDS,
        )
        .await
    {
        return WebError::accounts(e).into_response();
    }
    totp_page(&page, StatusCode::OK, site, &who, setup.text, &secret, None)
}

/// Turn the app on once a code from it shows it holds the secret.
pub(crate) async fn totp_confirm(
    page: Page,
    Hosted(ref store, ref site, ref ip): Hosted,
    Confirmed(who): Confirmed,
    body: Bytes,
) -> Response {
    let f = form(&body);
    let setup = f.get("setup").cloned().unwrap_or_default();
    let typed = f.get("code").map_or("", |c| c.trim());
    let ceremony = match store
        .try_ceremony(&hash_secret(&setup), "totp-setup", STEP_TRIES)
        .await
    {
        Ok(Some(c)) if c.account_id.as_ref() == Some(&who.account_id) => c,
        Ok(_) => {
            return security_page(
                &page,
                store,
                &who,
                StatusCode::BAD_REQUEST,
                None,
                Some(
                    "Setting up the app took too long or had too many tries: start again"
                        .to_owned(),
                ),
            )
            .await;
        }
        Err(e) => return WebError::accounts(e).into_response(),
    };
    let now = u64::try_from(legcramps_store::unix_seconds()).unwrap_or(0);
    let Some(step) = totp::matching_step(&ceremony.state, typed, now) else {
        let error = if totp::digits_of(typed).is_none() {
            "Enter the 6-digit code your app shows for this site"
        } else {
            "That code is not right: check the app shows this site, and enter its newest code"
        };
        return totp_page(
            &page,
            StatusCode::BAD_REQUEST,
            site,
            &who,
            setup,
            &ceremony.state,
            Some(error.to_owned()),
        );
    };
    // The confirming code's step is kept as used, so it cannot sign anyone in later.
    if let Err(e) = store.set_totp(&who.account_id, &ceremony.state, step).await {
        return WebError::accounts(e).into_response();
    }
    let _ = store.end_ceremony(&hash_secret(&setup)).await;
    let _ = store
        .record_event(
            Some(&who.account_id),
            EventKind::TotpAdded,
            &ip_hash(site, ip.as_ref()),
        )
        .await;
    security_page(&page,
        store,
        &who,
        StatusCode::OK,
        Some("Your authenticator app is set up. From now on, signing in with your password also asks for a code from it.".to_owned()),
        None,
    )
    .await
}

/// Turn the app off, after the password (or a passkey) again.
pub(crate) async fn totp_remove(
    page: Page,
    Hosted(ref store, ref site, ref ip): Hosted,
    who: SignedIn,
    body: Bytes,
) -> Response {
    let iph = ip_hash(site, ip.as_ref());
    let f = form(&body);
    match again(store, site, &who, &iph, &f, "password").await {
        Ok(true) => {}
        Ok(false) => {
            return security_page(
                &page,
                store,
                &who,
                StatusCode::UNAUTHORIZED,
                None,
                Some("Enter your password to turn off the authenticator app".to_owned()),
            )
            .await;
        }
        Err(r) => return r,
    }
    match store.remove_totp(&who.account_id).await {
        Ok(true) => {
            let _ = store
                .record_event(Some(&who.account_id), EventKind::TotpRemoved, &iph)
                .await;
            Redirect::to("/account/security").into_response()
        }
        Ok(false) => Redirect::to("/account/security").into_response(),
        Err(e) => WebError::accounts(e).into_response(),
    }
}
