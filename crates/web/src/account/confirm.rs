//! "It is me" again: the signed-in person proves it before a change to the account, with a
//! passkey or their password.

use std::collections::HashMap;

use askama::Template;
use axum::body::Bytes;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use legcramps_accounts::verify_password;
use legcramps_store::{EventKind, Store};

use crate::account::common::{form, hashing};
use crate::config::Site;
use crate::http::auth::{Hosted, SignedIn, ip_hash};
use crate::http::backoff::{Attempts, attempts_ok, must_wait};
use crate::http::error::WebError;
use crate::http::render::{Page, render};
use crate::http::views::Layout;

#[derive(Template)]
#[template(path = "account_confirm.html")]
struct ConfirmPage {
    layout: Layout,
    then: String,
    minutes: i64,
    error: Option<String>,
}

#[derive(serde::Deserialize)]
pub(crate) struct Then {
    then: Option<String>,
}

/// Where to go after confirming: one of the account's or the diary's own pages, else the
/// account page (a link made elsewhere cannot send the person off the site).
fn account_path(then: Option<&str>) -> String {
    match then {
        Some(t)
            if (t.starts_with("/account/") || t == "/account" || t.starts_with("/diary/"))
                && t.bytes().all(|b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || b"/-".contains(&b)
                })
                && !t.contains("//")
                && !t.starts_with("/account/confirm") =>
        {
            t.to_owned()
        }
        _ => "/account".to_owned(),
    }
}

fn confirm_page(page: &Page, site: &Site, then: String, error: Option<String>) -> Response {
    let status = if error.is_some() {
        StatusCode::UNAUTHORIZED
    } else {
        StatusCode::OK
    };
    render(
        status,
        &ConfirmPage {
            layout: page.layout("Confirm it is you", "account"),
            then,
            minutes: (site.reconfirm_seconds / 60).max(1),
            error,
        },
    )
}

/// "Confirm it is you" (where [`crate::http::auth::Confirmed`] sends a person who has not
/// proved it in the last few minutes); straight on when they have.
pub(crate) async fn confirm_form(
    page: Page,
    Hosted(_, ref site, _): Hosted,
    who: SignedIn,
    Query(q): Query<Then>,
) -> Response {
    let then = account_path(q.then.as_deref());
    if who.recently_confirmed(site) {
        return Redirect::to(&then).into_response();
    }
    confirm_page(&page, site, then, None)
}

/// The password (or a passkey) again: the session counts as confirmed for the next few
/// minutes, and the person goes on to what they were doing.
pub(crate) async fn confirm(
    page: Page,
    Hosted(ref store, ref site, ref ip): Hosted,
    who: SignedIn,
    body: Bytes,
) -> Response {
    let f = form(&body);
    let then = account_path(f.get("then").map(String::as_str));
    let iph = ip_hash(site, ip.as_ref());
    match again(store, site, &who, &iph, &f, "password").await {
        Ok(true) => Redirect::to(&then).into_response(),
        Ok(false) => confirm_page(
            &page,
            site,
            then,
            Some(if f.contains_key("passkey_response") {
                "That passkey did not confirm it is you: try again, or enter your password"
                    .to_owned()
            } else {
                "Enter your password as you use it to sign in".to_owned()
            }),
        ),
        Err(r) => r,
    }
}

/// "It is me" again before a change to the account: a passkey answer when the form carries
/// one, else the password in `field`. When it is right, the session counts as confirmed
/// (see [`crate::http::auth::Confirmed`]).
pub(crate) async fn again(
    store: &Store,
    site: &Site,
    who: &SignedIn,
    iph: &str,
    f: &HashMap<String, String>,
    field: &str,
) -> Result<bool, Response> {
    if f.contains_key("passkey_response") {
        let ok = crate::account::passkeys::again_with_passkey(store, site, who, f).await?;
        if ok {
            store
                .confirm_session(&who.session_hash)
                .await
                .map_err(|e| WebError::accounts(e).into_response())?;
        }
        return Ok(ok);
    }
    password_again(
        store,
        site,
        who,
        iph,
        f.get(field).cloned().unwrap_or_default(),
    )
    .await
}

/// The signed-in person gives their password again (to delete the account, change the
/// password or make new recovery codes): slowed like sign-in, per username and address.
/// `Ok(true)` when it is right; `Ok(false)` when not (counted); `Err` a response to send
/// (a wait, or a storage failure).
pub(crate) async fn password_again(
    store: &Store,
    site: &Site,
    who: &SignedIn,
    iph: &str,
    password: String,
) -> Result<bool, Response> {
    let user_key = Attempts::SignInAs {
        username: &who.username,
        ip: iph,
    };
    // A stolen session guessing the password from many addresses: counted per session (as
    // strictly as codes at the second step: 5, then waits up to an hour) and per account from
    // anywhere, as at sign-in (outside review of issue 20: 40 of 40 guesses were looked at).
    let session_key = Attempts::ConfirmIn {
        session: &who.session_hash,
    };
    let account_key = Attempts::SignInTo {
        username: &who.username,
    };
    let keys = [&user_key, &session_key, &account_key];
    if let Some(seconds) = must_wait(store, site, &keys).await {
        return Err(WebError::TooMany { seconds }.into_response());
    }
    let stored = match store.account_by_id(&who.account_id).await {
        Ok(a) => a.and_then(|a| a.password_hash),
        Err(e) => return Err(WebError::accounts(e).into_response()),
    };
    let Some(ok) = hashing(site, move || verify_password(&password, stored.as_deref())).await
    else {
        return Err(WebError::accounts("hashing stopped").into_response());
    };
    if ok {
        attempts_ok(store, &keys).await;
        if let Err(e) = store.confirm_session(&who.session_hash).await {
            return Err(WebError::accounts(e).into_response());
        }
    } else {
        // Kept against the account: its owner sees it on the account page.
        let _ = store
            .record_event(Some(&who.account_id), EventKind::SignInFailed, iph)
            .await;
    }
    Ok(ok)
}
