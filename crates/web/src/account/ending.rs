//! The one way a sign-in ends, however it was proved — a password, a password and a second
//! step, a passkey, or a recovery code: a security event, a new session (the browser's old one
//! ends: a new id at every sign-in), and the diary.

use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use legcramps_accounts::{Secret, hash_secret};
use legcramps_store::{AccountId, EventKind, Store};

use crate::http::error::WebError;
use crate::http::session;

/// The person proved who they are: record `event` for the account, start a session and go to
/// the diary.
pub(crate) async fn signed_in(
    store: &Store,
    account_id: &AccountId,
    event: EventKind,
    ip_hash: &str,
    headers: &HeaderMap,
) -> Response {
    // Something they may not know of since they last signed in (a recovery, the operator's
    // doing): then they land on their account page, which lists it, not on the
    // diary. (Changes they made themselves are listed there too, without the detour.)
    let changed = changed_since_last_sign_in(store, account_id).await;
    let _ = store.record_event(Some(account_id), event, ip_hash).await;
    // A form kept from before the sign-in ended (issue 21) is the next thing they see,
    // unless there is a change to show first (every page then has a banner linking to it).
    let to = if changed {
        "/account"
    } else if crate::http::unsaved::waiting(headers) {
        "/diary/unsaved"
    } else {
        "/diary"
    };
    match start_session(store, account_id, headers).await {
        Ok((cookie, _)) => with_cookie(Redirect::to(to).into_response(), cookie),
        Err(e) => WebError::accounts(e).into_response(),
    }
}

/// A recovery that proved everything the account asks for (a recovery code in place of the
/// password, and the second step if there is one): the new password is set, every session
/// and access token ends and every passkey but `kept` (the one that passed the step) is
/// removed, a thief's with them, in one go; then the person is signed in.
pub(crate) async fn recovered(
    store: &Store,
    account_id: &AccountId,
    new_hash: &str,
    kept: Option<&str>,
    ip_hash: &str,
    headers: &HeaderMap,
) -> Response {
    if let Err(e) = store.recover_account(account_id, new_hash, kept).await {
        return WebError::accounts(e).into_response();
    }
    signed_in(store, account_id, EventKind::Recovered, ip_hash, headers).await
}

/// Start a session for `account_id`: a fresh id, its hash stored, and the cookie to set. The
/// browser's old session, if any, ends: a new id at every sign-in.
pub(crate) async fn start_session(
    store: &Store,
    account_id: &AccountId,
    headers: &HeaderMap,
) -> Result<(HeaderValue, String), legcramps_store::StoreError> {
    if let Some(old) = session::cookie(headers) {
        store.end_session(&hash_secret(&old)).await?;
    }
    let secret = Secret::new("");
    store
        .create_session(account_id, &secret.hash, &session::device(headers))
        .await?;
    Ok((session::set_cookie(&secret.text), secret.text))
}

/// `response` with the session cookie set.
pub(crate) fn with_cookie(mut response: Response, cookie: HeaderValue) -> Response {
    response.headers_mut().insert(header::SET_COOKIE, cookie);
    response
}

/// Whether, since the account's last sign-in, something was kept that its owner may not
/// know of: a recovery or the operator's doing. (Failed tries are listed on the account page
/// but make no detour: most are the owner's own typing.)
async fn changed_since_last_sign_in(store: &Store, account_id: &AccountId) -> bool {
    use EventKind as K;
    let Ok(events) = store.events(Some(account_id), 50).await else {
        return false;
    };
    let unexpected = [
        K::Recovered,
        K::RecoveryCodeUsed,
        K::SecondStepResetByOperator,
        K::DisabledByOperator,
        K::EnabledByOperator,
    ];
    events
        .iter()
        .take_while(|e| e.kind != K::SignIn.as_str() && e.kind != K::SignUp.as_str())
        .any(|e| unexpected.iter().any(|k| k.as_str() == e.kind))
}

/// What a security event says on the account page, for the events that change how the
/// person signs in or that someone tried to (`None` for the rest: sign-ins are listed apart).
pub(crate) fn change_text(kind: &str) -> Option<&'static str> {
    use EventKind as K;
    let text = match EventKind::ALL.into_iter().find(|k| k.as_str() == kind)? {
        K::SignInFailed => "Someone tried to sign in with a wrong password",
        K::SecondStepFailed => "A wrong code at the second step (the password was right)",
        K::PasswordChanged => "Password changed",
        K::Recovered => {
            "Account recovered: the password changed, every other session and access token ended"
        }
        K::RecoveryCodeUsed => "A recovery code was used",
        K::RecoveryCodesMade => "New recovery codes made",
        K::TokenCreated => "An access token was made",
        K::TokenRevoked => "Access tokens ended",
        K::TotpAdded => "Authenticator app set up",
        K::TotpRemoved => "Authenticator app turned off",
        K::PasskeyAdded => "A passkey was added",
        K::PasskeyRemoved => "A passkey was removed",
        K::SessionsEnded => "Signed out everywhere else",
        K::DisabledByOperator => "The site's operator stopped this account signing in",
        K::EnabledByOperator => "The site's operator let this account sign in again",
        K::SecondStepResetByOperator => {
            "The site's operator turned off your second step (authenticator app and passkeys)"
        }
        K::SignUp
        | K::SignIn
        | K::PasswordOk
        | K::SignOut
        | K::RecoveryFailed
        | K::AccountDeleted => return None,
    };
    Some(text)
}
