//! "It is me" again: the signed-in person proves it before a change to the account, with a
//! passkey or their password.

use std::collections::HashMap;

use axum::response::{IntoResponse, Response};
use legcramps_accounts::verify_password;
use legcramps_store::Store;

use crate::config::Site;
use crate::http::auth::SignedIn;
use crate::http::backoff::{Attempts, attempt_failed, attempt_wait};
use crate::http::error::WebError;

use crate::account::common::hashing;

/// "It is me" again before a change to the account: a passkey answer when the form carries
/// one, else the password in `field`.
pub(crate) async fn again(
    store: &Store,
    site: &Site,
    who: &SignedIn,
    iph: &str,
    f: &HashMap<String, String>,
    field: &str,
) -> Result<bool, Response> {
    if f.contains_key("passkey_response") {
        return crate::account::passkeys::again_with_passkey(store, site, who, f).await;
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
    let wait = attempt_wait(store, site, &user_key).await;
    if wait > 0 {
        return Err(WebError::TooMany { seconds: wait }.into_response());
    }
    let stored = match store.account_by_id(&who.account_id).await {
        Ok(a) => a.and_then(|a| a.password_hash),
        Err(e) => return Err(WebError::accounts(e).into_response()),
    };
    let Some(ok) = hashing(site, move || verify_password(&password, stored.as_deref())).await
    else {
        return Err(WebError::accounts("hashing stopped").into_response());
    };
    if !ok {
        attempt_failed(store, &user_key).await;
    }
    Ok(ok)
}
