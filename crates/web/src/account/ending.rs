//! The one way a sign-in ends, however it was proved — a password, a password and a second
//! step, a passkey, or a recovery code: a security event, a new session (the browser's old one
//! ends: a new id at every sign-in), and the diary.

use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use legcramps_accounts::{Secret, hash_secret};
use legcramps_store::{EventKind, Store};

use crate::http::error::WebError;
use crate::http::session;

/// The person proved who they are: record `event` for the account, start a session and go to
/// the diary.
pub(crate) async fn signed_in(
    store: &Store,
    account_id: &str,
    event: EventKind,
    ip_hash: &str,
    headers: &HeaderMap,
) -> Response {
    let _ = store.record_event(Some(account_id), event, ip_hash).await;
    match start_session(store, account_id, headers).await {
        Ok((cookie, _)) => with_cookie(Redirect::to("/diary").into_response(), cookie),
        Err(e) => WebError::accounts(e).into_response(),
    }
}

/// Start a session for `account_id`: a fresh id, its hash stored, and the cookie to set. The
/// browser's old session, if any, ends: a new id at every sign-in.
pub(crate) async fn start_session(
    store: &Store,
    account_id: &str,
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
