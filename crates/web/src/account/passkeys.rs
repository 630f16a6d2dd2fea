//! Passkeys (WebAuthn, through `webauthn-rs`): sign up and in with one, add more, name and
//! remove them, use one as the second step after a password or to say "it is me" again.
//!
//! Progressive enhancement: the pages are ordinary forms. Where the browser supports passkeys,
//! `app.js` shows the passkey buttons, asks this server for options (`POST
//! /account/passkey/options`, or `/account/passkeys/options` when signed in, JSON only), runs
//! the browser's ceremony, puts the answer into the form's hidden `passkey_ceremony` and
//! `passkey_response` fields and submits it. Without JavaScript nothing of this shows.
//!
//! Each ceremony's state is kept server-side, under the hash of a random id, for 5 minutes, and
//! is taken (deleted) when the answer comes: a replayed assertion finds nothing. Sign-in is
//! discoverable (no username typed, so nothing says whether a name exists); registration asks
//! the authenticator for a discoverable credential with user verification.
//!
//! Passkeys need a domain name: on a bare IP address (`http://127.0.0.1:...`) they are off
//! and the buttons do not show.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use legcramps_accounts::{Secret, Username, hash_secret};
use legcramps_store::{Account, AccountId, EventKind, Store};
use serde::{Deserialize, Serialize};
use webauthn_rs::prelude::{
    DiscoverableAuthentication, Passkey, PasskeyAuthentication, PasskeyRegistration,
    PublicKeyCredential, RegisterPublicKeyCredential, Uuid, Webauthn,
};
use webauthn_rs_proto::ResidentKeyRequirement;

use crate::account::common::{SignInPage, welcome};
use crate::account::ending::{recovered, signed_in};
use crate::config::{ClientIp, Site};
use crate::http::auth::{Hosted, SignedIn, ip_hash};
use crate::http::backoff::{Attempts, attempt_ok, must_wait};
use crate::http::error::WebError;
use crate::http::render::Page;
use crate::http::render::render;

/// How long a ceremony's state is kept (seconds).
pub(crate) const CEREMONY_SECONDS: i64 = 5 * 60;
/// The most characters in a passkey's name.
pub(crate) const MAX_NAME: usize = 60;

pub(crate) fn json_error(status: StatusCode, message: &str) -> Response {
    (status, axum::Json(serde_json::json!({ "error": message }))).into_response()
}

/// "Wait" for the page's script (429, `Retry-After`), in JSON like every answer here.
fn json_wait(seconds: u64) -> Response {
    let mut r = json_error(
        StatusCode::TOO_MANY_REQUESTS,
        &format!("Too many tries: wait {seconds} seconds, then try again"),
    );
    r.headers_mut()
        .insert(header::RETRY_AFTER, axum::http::HeaderValue::from(seconds));
    r
}

pub(crate) fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

#[derive(Deserialize)]
struct OptionsRequest {
    purpose: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    step: String,
}

#[derive(Serialize, Deserialize)]
struct SignUpState {
    reg: PasskeyRegistration,
    user: Uuid,
    username: String,
}

#[derive(Serialize, Deserialize)]
struct StepState {
    auth: PasskeyAuthentication,
    step_hash: String,
}

/// Keep a ceremony's state and answer with its id and the browser's options.
async fn begin(
    store: &Store,
    kind: &str,
    account_id: Option<&AccountId>,
    state: &impl Serialize,
    options: &impl Serialize,
) -> Response {
    let Ok(state) = serde_json::to_string(state) else {
        return json_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Passkeys are not working just now",
        );
    };
    let id = Secret::new("");
    if let Err(e) = store
        .put_ceremony(&id.hash, kind, account_id, &state, CEREMONY_SECONDS)
        .await
    {
        return WebError::accounts(e).into_response();
    }
    axum::Json(serde_json::json!({ "ceremony": id.text, "options": options })).into_response()
}

/// Registration options that ask for a discoverable credential (so sign-in needs no name).
fn discoverable(
    mut ccr: webauthn_rs::prelude::CreationChallengeResponse,
) -> webauthn_rs::prelude::CreationChallengeResponse {
    if let Some(sel) = ccr.public_key.authenticator_selection.as_mut() {
        sel.resident_key = Some(ResidentKeyRequirement::Required);
        sel.require_resident_key = true;
    }
    ccr
}

/// Options for signing up or in with a passkey, or for the second step (no session yet).
pub(crate) async fn options(
    Hosted(ref store, ref site, ref ip): Hosted,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(rp) = &site.webauthn else {
        return json_error(
            StatusCode::NOT_FOUND,
            "Passkeys are not available on this site",
        );
    };
    if !is_json(&headers) {
        return json_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "Send JSON");
    }
    let Ok(req) = serde_json::from_slice::<OptionsRequest>(&body) else {
        return json_error(StatusCode::BAD_REQUEST, "Say what the passkey is for");
    };
    // Each request keeps a row for 5 minutes: slowed per address like sign-ins.
    let iph = ip_hash(site, ip.as_ref());
    let ip_key = Attempts::PasskeyFrom { ip: &iph };
    if let Some(seconds) = must_wait(store, site, &[&ip_key]).await {
        return json_wait(seconds);
    }
    match req.purpose.as_str() {
        "sign-in" => match rp.start_discoverable_authentication() {
            Ok((mut rcr, state)) => {
                // A button press, not the autofill prompt.
                rcr.mediation = None;
                begin(store, "passkey-sign-in", None, &state, &rcr).await
            }
            Err(_) => json_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Passkeys are not working just now",
            ),
        },
        "sign-up" => {
            let username = match Username::parse(&req.username) {
                Ok(u) => u,
                Err(e) => return json_error(StatusCode::BAD_REQUEST, &e.to_string()),
            };
            match store.username_in_use(username.as_str()).await {
                Ok(true) => {
                    // "Taken" says the name exists: as limited as a failed sign-in from this
                    // address (issue 20, finding 14).
                    if let Some(seconds) =
                        must_wait(store, site, &[&Attempts::SignInFrom { ip: &iph }]).await
                    {
                        return json_wait(seconds);
                    }
                    return json_error(
                        StatusCode::CONFLICT,
                        "That username is taken, or looks the same as one that is: choose another",
                    );
                }
                Ok(false) => {}
                Err(e) => return WebError::accounts(e).into_response(),
            }
            let user = Uuid::new_v4();
            match rp.start_passkey_registration(user, username.as_str(), username.as_str(), None) {
                Ok((ccr, reg)) => {
                    let state = SignUpState {
                        reg,
                        user,
                        username: username.as_str().to_owned(),
                    };
                    begin(store, "passkey-sign-up", None, &state, &discoverable(ccr)).await
                }
                Err(_) => json_error(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Passkeys are not working just now",
                ),
            }
        }
        "step" => {
            let step_hash = hash_secret(&req.step);
            let account_id = match store.try_ceremony(&step_hash, "step", 5).await {
                Ok(Some(legcramps_store::Ceremony {
                    account_id: Some(a),
                    ..
                })) => a,
                Ok(_) => {
                    return json_error(
                        StatusCode::UNAUTHORIZED,
                        "Your sign-in took too long: sign in again",
                    );
                }
                Err(e) => return WebError::accounts(e).into_response(),
            };
            let keys = match passkeys_of(store, &account_id).await {
                Ok(k) => k,
                Err(r) => return r,
            };
            match rp.start_passkey_authentication(&keys) {
                Ok((rcr, auth)) => {
                    let state = StepState { auth, step_hash };
                    begin(store, "passkey-step", Some(&account_id), &state, &rcr).await
                }
                Err(_) => json_error(
                    StatusCode::BAD_REQUEST,
                    "This account has no passkey: enter a code instead",
                ),
            }
        }
        _ => json_error(StatusCode::BAD_REQUEST, "Say what the passkey is for"),
    }
}

/// Options for adding a passkey, or for saying "it is me" again (signed in).
pub(crate) async fn options_signed_in(
    Hosted(ref store, ref site, _): Hosted,
    who: SignedIn,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(rp) = &site.webauthn else {
        return json_error(
            StatusCode::NOT_FOUND,
            "Passkeys are not available on this site",
        );
    };
    if !is_json(&headers) {
        return json_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "Send JSON");
    }
    let Ok(req) = serde_json::from_slice::<OptionsRequest>(&body) else {
        return json_error(StatusCode::BAD_REQUEST, "Say what the passkey is for");
    };
    let keys = match passkeys_of(store, &who.account_id).await {
        Ok(k) => k,
        Err(r) => return r,
    };
    match req.purpose.as_str() {
        "add" => {
            // Adding a way to sign in needs a recent "it is me" (the rule the `Confirmed`
            // extractor applies, answered here in JSON the page can follow): the ceremony this
            // starts is what finishing it needs, so the finish needs nothing more.
            if !who.recently_confirmed(site) {
                return confirm_first();
            }
            let Ok(user) = Uuid::parse_str(who.account_id.as_str()) else {
                return json_error(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Passkeys are not working just now",
                );
            };
            let exclude = keys.iter().map(|k| k.cred_id().clone()).collect();
            match rp.start_passkey_registration(user, &who.username, &who.username, Some(exclude)) {
                Ok((ccr, reg)) => {
                    begin(
                        store,
                        "passkey-add",
                        Some(&who.account_id),
                        &reg,
                        &discoverable(ccr),
                    )
                    .await
                }
                Err(_) => json_error(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Passkeys are not working just now",
                ),
            }
        }
        "again" => match rp.start_passkey_authentication(&keys) {
            Ok((rcr, auth)) => {
                begin(store, "passkey-again", Some(&who.account_id), &auth, &rcr).await
            }
            Err(_) => json_error(
                StatusCode::BAD_REQUEST,
                "You have no passkey on this account: enter your password",
            ),
        },
        _ => json_error(StatusCode::BAD_REQUEST, "Say what the passkey is for"),
    }
}

/// The JSON answer that sends the page to "Confirm it is you" (adding a passkey needs a
/// recent "it is me").
fn confirm_first() -> Response {
    (
        StatusCode::FORBIDDEN,
        axum::Json(serde_json::json!({
            "error": "Confirm it is you first: enter your password again",
            "confirm": "/account/confirm?then=/account/security",
        })),
    )
        .into_response()
}

pub(crate) async fn passkeys_of(
    store: &Store,
    account_id: &AccountId,
) -> Result<Vec<Passkey>, Response> {
    Ok(store
        .passkeys_of(account_id)
        .await
        .map_err(|e| WebError::accounts(e).into_response())?
        .iter()
        .filter_map(|p| serde_json::from_str(&p.passkey).ok())
        .collect())
}

/// The ceremony named in a form, taken (so it cannot be used twice), with the browser's
/// answer parsed.
pub(crate) async fn take<T: for<'de> Deserialize<'de>, R: for<'de> Deserialize<'de>>(
    store: &Store,
    f: &HashMap<String, String>,
    kind: &str,
) -> Result<Option<(Option<AccountId>, T, R)>, Response> {
    let id = f.get("passkey_ceremony").map_or("", String::as_str);
    let answer = f.get("passkey_response").map_or("", String::as_str);
    let Some(c) = store
        .take_ceremony(&hash_secret(id), kind)
        .await
        .map_err(|e| WebError::accounts(e).into_response())?
    else {
        return Ok(None);
    };
    let (Ok(state), Ok(response)) = (
        serde_json::from_str::<T>(&c.state),
        serde_json::from_str::<R>(answer),
    ) else {
        return Ok(None);
    };
    Ok(Some((c.account_id, state, response)))
}

pub(crate) fn credential_text(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A typed passkey name without spaces at its ends or control characters.
pub(crate) fn cleaned(typed: &str) -> String {
    // No control characters, and no bidirectional controls, which could make a name show
    // reversed or hide part of it (issue 20, finding 15).
    legcramps_core::diary::without_bidi_controls(typed)
        .trim()
        .chars()
        // The marks too (left-to-right, right-to-left, Arabic letter mark).
        .filter(|c| !c.is_control() && !matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}'))
        .collect()
}

/// A passkey's name as typed, or the device's, shortened and without control characters.
pub(crate) fn name_of(f: &HashMap<String, String>, headers: &HeaderMap) -> String {
    let typed: String = cleaned(f.get("passkey_name").map_or("", String::as_str))
        .chars()
        .take(MAX_NAME)
        .collect();
    if typed.is_empty() {
        crate::http::session::device(headers)
    } else {
        typed
    }
}

/// Sign up with a passkey (the sign-up form, with the browser's answer).
pub(crate) async fn sign_up(
    page: &Page,
    store: &Store,
    site: &Site,
    ip: Option<&ClientIp>,
    headers: &HeaderMap,
    f: &HashMap<String, String>,
) -> Response {
    let Some(rp) = &site.webauthn else {
        return WebError::NotFound.into_response();
    };
    let failed = || {
        crate::account::common::sign_up_page(
            page,
            StatusCode::BAD_REQUEST,
            f.get("username").map_or("", String::as_str),
            vec![(
                "username",
                "Your passkey could not be made: try again, or choose a password instead"
                    .to_owned(),
            )],
        )
    };
    let (state, response) =
        match take::<SignUpState, RegisterPublicKeyCredential>(store, f, "passkey-sign-up").await {
            Ok(Some((_, s, r))) => (s, r),
            Ok(None) => return failed(),
            Err(r) => return r,
        };
    let Ok(passkey) = rp.finish_passkey_registration(&response, &state.reg) else {
        return failed();
    };
    let Ok(json) = serde_json::to_string(&passkey) else {
        return failed();
    };
    let account = match store
        .create_passkey_account(
            &AccountId::from_stored(state.user.to_string()),
            &state.username,
            &credential_text(passkey.cred_id().as_ref()),
            &name_of(f, headers),
            &json,
        )
        .await
    {
        Ok(Some(a)) => a,
        Ok(None) => {
            let iph = ip_hash(site, ip);
            if let Some(seconds) =
                must_wait(store, site, &[&Attempts::SignInFrom { ip: &iph }]).await
            {
                return WebError::TooMany { seconds }.into_response();
            }
            return crate::account::common::sign_up_page(
                page,
                StatusCode::BAD_REQUEST,
                &state.username,
                vec![(
                    "username",
                    "That username is taken, or looks the same as one that is: choose another"
                        .to_owned(),
                )],
            );
        }
        Err(e) => return WebError::accounts(e).into_response(),
    };
    let iph = ip_hash(site, ip);
    let _ = store
        .record_event(Some(&account.id), EventKind::SignUp, &iph)
        .await;
    let _ = store
        .record_event(Some(&account.id), EventKind::PasskeyAdded, &iph)
        .await;
    welcome(page, store, &account, headers).await
}

/// Sign in with a passkey (the sign-in form, with the browser's answer).
pub(crate) async fn sign_in(
    page: &Page,
    store: &Store,
    site: &Site,
    ip: Option<&ClientIp>,
    headers: &HeaderMap,
    f: &HashMap<String, String>,
) -> Response {
    let Some(rp) = &site.webauthn else {
        return WebError::NotFound.into_response();
    };
    let iph = ip_hash(site, ip);
    let ip_key = Attempts::SignInFrom { ip: &iph };
    if let Some(seconds) = must_wait(store, site, &[&ip_key]).await {
        return WebError::TooMany { seconds }.into_response();
    }
    match passkey_account(store, rp, f).await {
        Ok(Some(account)) => {
            attempt_ok(store, &ip_key).await;
            attempt_ok(store, &Attempts::PasskeyFrom { ip: &iph }).await;
            signed_in(store, &account.id, EventKind::SignIn, &iph, headers).await
        }
        Ok(None) => {
            let _ = store
                .record_event(None, EventKind::SignInFailed, &iph)
                .await;
            render(
                StatusCode::UNAUTHORIZED,
                &SignInPage::new(page, Some(
                    "That passkey did not sign you in: try again, or use your username and password"
                        .to_owned(),
                )),
            )
        }
        Err(r) => r,
    }
}

/// The account a discoverable passkey answer proves, if it does.
async fn passkey_account(
    store: &Store,
    rp: &Webauthn,
    f: &HashMap<String, String>,
) -> Result<Option<Account>, Response> {
    let Some((_, state, response)) =
        take::<DiscoverableAuthentication, PublicKeyCredential>(store, f, "passkey-sign-in")
            .await?
    else {
        return Ok(None);
    };
    let Ok((user, cred)) = rp.identify_discoverable_authentication(&response) else {
        return Ok(None);
    };
    let cred = credential_text(cred);
    let Some(stored) = store
        .passkey(&cred)
        .await
        .map_err(|e| WebError::accounts(e).into_response())?
    else {
        return Ok(None);
    };
    if stored.account_id.as_str() != user.to_string() {
        return Ok(None);
    }
    let Some(account) = store
        .account_by_id(&stored.account_id)
        .await
        .map_err(|e| WebError::accounts(e).into_response())?
        .filter(|a| !a.disabled)
    else {
        return Ok(None);
    };
    let Ok(mut passkey) = serde_json::from_str::<Passkey>(&stored.passkey) else {
        return Ok(None);
    };
    let Ok(result) = rp.finish_discoverable_authentication_v2(&response, state, &passkey) else {
        return Ok(None);
    };
    passkey.update_credential(&result);
    if let Ok(json) = serde_json::to_string(&passkey) {
        store
            .passkey_used(&cred, &json)
            .await
            .map_err(|e| WebError::accounts(e).into_response())?;
    }
    Ok(Some(account))
}

/// Verify an assertion against one account's passkeys (and keep the new counter).
pub(crate) async fn verify(
    store: &Store,
    rp: &Webauthn,
    account_id: &AccountId,
    auth: &PasskeyAuthentication,
    response: &PublicKeyCredential,
) -> Result<bool, Response> {
    let Ok(result) = rp.finish_passkey_authentication(response, auth) else {
        return Ok(false);
    };
    let cred = credential_text(result.cred_id().as_ref());
    let Some(stored) = store
        .passkey(&cred)
        .await
        .map_err(|e| WebError::accounts(e).into_response())?
    else {
        return Ok(false);
    };
    if stored.account_id != *account_id {
        return Ok(false);
    }
    if let Ok(mut passkey) = serde_json::from_str::<Passkey>(&stored.passkey) {
        passkey.update_credential(&result);
        if let Ok(json) = serde_json::to_string(&passkey) {
            store
                .passkey_used(&cred, &json)
                .await
                .map_err(|e| WebError::accounts(e).into_response())?;
        }
    }
    Ok(true)
}

/// The second step of a password sign-in, answered with a passkey.
pub(crate) async fn step(
    page: &Page,
    store: &Store,
    site: &Site,
    ip: Option<&ClientIp>,
    headers: &HeaderMap,
    f: &HashMap<String, String>,
) -> Response {
    let Some(rp) = &site.webauthn else {
        return WebError::NotFound.into_response();
    };
    let iph = ip_hash(site, ip);
    let step_hash = hash_secret(f.get("step").map_or("", String::as_str));
    let expired = || {
        render(
            StatusCode::UNAUTHORIZED,
            &SignInPage::new(
                page,
                Some("That passkey did not confirm your sign-in: sign in again".to_owned()),
            ),
        )
    };
    let (account_id, state, response) =
        match take::<StepState, PublicKeyCredential>(store, f, "passkey-step").await {
            Ok(Some((Some(a), s, r))) if s.step_hash == step_hash => (a, s, r),
            Ok(_) => return expired(),
            Err(r) => return r,
        };
    match verify(store, rp, &account_id, &state.auth, &response).await {
        Ok(true) => {
            // The step must still be live (not timed out, not used up).
            let recovering = match store.take_ceremony(&step_hash, "step").await {
                Ok(Some(c)) if c.account_id.as_ref() == Some(&account_id) => c.state,
                Ok(_) => return expired(),
                Err(e) => return WebError::accounts(e).into_response(),
            };
            // A recovery's step carries the new password's hash until now.
            if recovering.is_empty() {
                signed_in(store, &account_id, EventKind::SignIn, &iph, headers).await
            } else {
                let used = credential_text(response.raw_id.as_ref());
                recovered(store, &account_id, &recovering, Some(&used), &iph, headers).await
            }
        }
        Ok(false) => {
            let _ = store
                .record_event(Some(&account_id), EventKind::SecondStepFailed, &iph)
                .await;
            expired()
        }
        Err(r) => r,
    }
}

/// "It is me" again with a passkey, for a change to the account.
pub(crate) async fn again_with_passkey(
    store: &Store,
    site: &Site,
    who: &SignedIn,
    f: &HashMap<String, String>,
) -> Result<bool, Response> {
    let Some(rp) = &site.webauthn else {
        return Ok(false);
    };
    match take::<PasskeyAuthentication, PublicKeyCredential>(store, f, "passkey-again").await? {
        Some((Some(a), auth, response)) if a == who.account_id => {
            verify(store, rp, &who.account_id, &auth, &response).await
        }
        _ => Ok(false),
    }
}
