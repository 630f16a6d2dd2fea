//! Signing up, in and out, and the account page (`serve --accounts`). Passwords work without
//! JavaScript. Every rule here is in docs/security.md with the test that shows it.
//!
//! - Sign-in gives the same message whether the username exists or not, and takes about the
//!   same time (argon2id against a dummy hash when there is no such account).
//! - Failed sign-ins, and sign-ups, make the next attempt from the same IP, or for the same
//!   username from the same IP, wait (doubling to 15 minutes): 429 with `Retry-After`. Never a
//!   lock-out: failures from one address never slow the owner signing in from another.
//! - A new session id at every sign-in; the old cookie, if any, is ended.
//! - Argon2 runs on the blocking pool, so sign-ins cannot starve the async runtime.

use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use legcramps_accounts::{
    AccountError, Scope, Secret, Username, check_new_password, hash_password, needs_rehash,
    verify_password,
};
use legcramps_store::EventKind;

use crate::http::auth::{Confirmed, Hosted, SignedIn, ip_hash};
use crate::http::backoff::{
    Attempts, attempts_ok, known_device, must_wait, password_limits, with_device_cookie,
};
use crate::http::error::WebError;
use crate::http::render::{Page, render};
use crate::http::session::{self, Context};
use crate::http::unsaved;
use crate::http::views::Layout;
use common::{SignInPage, SignUpPage, form, hashing, new_codes_page, sign_up_page, welcome, when};
use confirm::again;
use ending::{recovered, signed_in};

pub(crate) mod common;
pub(crate) mod confirm;
pub(crate) mod ending;
pub(crate) mod factors;
pub(crate) mod passkey_pages;
pub(crate) mod passkeys;
use crate::config::{Shared, Site};

pub(crate) async fn sign_up_form(page: Page, _accounts_on: Hosted) -> Response {
    render(
        StatusCode::OK,
        &SignUpPage {
            layout: page.layout("Make an account", "account"),
            username: String::new(),
            errors: Vec::new(),
        },
    )
}

pub(crate) async fn sign_up(
    page: Page,
    Hosted(ref store, ref site, ref ip): Hosted,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let iph = ip_hash(site, ip.as_ref());
    // Each sign-up counts against the address (checked and counted at once), so one address
    // cannot make accounts by the thousand (the first few are free). What was typed is
    // checked first: a mistake in the form costs nothing.
    let ip_key = Attempts::SignUpFrom { ip: &iph };
    let f = form(&body);
    if f.contains_key("passkey_response") {
        if let Some(seconds) = must_wait(store, site, &[&ip_key]).await {
            return WebError::TooMany { seconds }.into_response();
        }
        return crate::account::passkeys::sign_up(&page, store, site, ip.as_ref(), &headers, &f)
            .await;
    }
    let typed = f.get("username").map_or("", String::as_str);
    let password = f.get("password").map_or("", String::as_str);
    let mut errors = Vec::new();
    let username = match Username::parse(typed) {
        Ok(u) => Some(u),
        Err(e) => {
            errors.push(("username", e.to_string()));
            None
        }
    };
    if let Some(u) = &username
        && let Err(AccountError::Password(m) | AccountError::Username(m)) =
            check_new_password(password, u)
    {
        errors.push(("password", m));
    } else if username.is_none() && password.is_empty() {
        errors.push(("password", "Enter a password".to_owned()));
    }
    let again_with = |errors| sign_up_page(&page, StatusCode::BAD_REQUEST, typed, errors);
    let Some(username) = username.filter(|_| errors.is_empty()) else {
        return again_with(errors);
    };
    if let Some(seconds) = must_wait(store, site, &[&ip_key]).await {
        return WebError::TooMany { seconds }.into_response();
    }
    let pw = password.to_owned();
    let Some(hash) = hashing(site, move || hash_password(&pw)).await else {
        return WebError::accounts("hashing stopped").into_response();
    };
    match store.create_account(username.as_str(), &hash).await {
        Ok(Some(account)) => {
            let _ = store
                .record_event(
                    Some(&account.id),
                    EventKind::SignUp,
                    &ip_hash(site, ip.as_ref()),
                )
                .await;
            welcome(&page, store, &account, &headers).await
        }
        Ok(None) => {
            // "Taken" says the name exists: as limited as a failed sign-in from this address
            // (issue 20, finding 14).
            if let Some(seconds) =
                must_wait(store, site, &[&Attempts::SignInFrom { ip: &iph }]).await
            {
                return WebError::TooMany { seconds }.into_response();
            }
            again_with(vec![(
                "username",
                "That username is taken, or looks the same as one that is: choose another"
                    .to_owned(),
            )])
        }
        Err(e) => WebError::accounts(e).into_response(),
    }
}

pub(crate) async fn sign_in_form(
    page: Page,
    _accounts_on: Hosted,
    headers: HeaderMap,
    uri: axum::http::Uri,
) -> Response {
    render(
        StatusCode::OK,
        &SignInPage {
            layout: page.layout("Sign in", "account"),
            username: String::new(),
            error: None,
            waiting: unsaved::waiting(&headers),
            lost: None,
            signed_out: uri.query() == Some("signed-out"),
        },
    )
}

/// The one message for any failed sign-in.
pub(crate) const SIGN_IN_FAILED: &str = "The username or password is not right";

pub(crate) async fn sign_in(
    page: Page,
    Hosted(ref store, ref site, ref ip): Hosted,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let f = form(&body);
    if f.contains_key("passkey_response") {
        return crate::account::passkeys::sign_in(&page, store, site, ip.as_ref(), &headers, &f)
            .await;
    }
    let typed = f.get("username").map_or("", String::as_str);
    let password = f.get("password").map_or("", String::as_str).to_owned();
    let iph = ip_hash(site, ip.as_ref());
    let username = Username::parse(typed).ok();
    // A browser that signed in as this username before is counted alone (issue 20, finding 9).
    let name = username.as_ref().map_or("", Username::as_str);
    // The cookie is bound to the account, not the name: a name freed by a deletion and taken
    // again starts with no known browsers (second outside review).
    let known_id = match store.account_by_username(name).await {
        Ok(a) => a.map(|a| a.id),
        Err(e) => return WebError::accounts(e).into_response(),
    };
    let device = known_id
        .as_ref()
        .and_then(|id| known_device(site, &headers, id));
    let limits = password_limits(&iph, name, device.as_deref());
    let keys: Vec<&Attempts<'_>> = limits.iter().collect();
    if let Some(seconds) = must_wait(store, site, &keys).await {
        return WebError::TooMany { seconds }.into_response();
    }
    let account = match &username {
        Some(u) => match store.account_by_username(u.as_str()).await {
            Ok(a) => a.filter(|a| !a.disabled),
            Err(e) => return WebError::accounts(e).into_response(),
        },
        None => None,
    };
    let stored = account.as_ref().and_then(|a| a.password_hash.clone());
    // A failed try against a real account is kept against it: its owner sees it.
    let tried = account.as_ref().map(|a| a.id.clone());
    let pw = password.clone();
    let Some(ok) = hashing(site, move || verify_password(&pw, stored.as_deref())).await else {
        return WebError::accounts("hashing stopped").into_response();
    };
    let Some(account) = account.filter(|_| ok) else {
        let _ = store
            .record_event(tried.as_ref(), EventKind::SignInFailed, &iph)
            .await;
        return render(
            StatusCode::UNAUTHORIZED,
            &SignInPage {
                layout: page.layout("Sign in", "account"),
                username: typed.chars().take(200).collect(),
                error: Some(SIGN_IN_FAILED.to_owned()),
                waiting: unsaved::waiting(&headers),
                lost: None,
                signed_out: false,
            },
        );
    };
    attempts_ok(store, &keys).await;
    if (account.password_hash.as_deref().is_some_and(needs_rehash)
        || !legcramps_accounts::is_normalised(&password))
        && let Some(hash) = hashing(site, move || hash_password(&password)).await
    {
        let _ = store.set_password_hash(&account.id, &hash).await;
    }
    // A second factor, if the account has one: the password alone does not sign in.
    let reply = match crate::account::factors::second_step(&page, store, &account, None).await {
        Some(step) => {
            let _ = store
                .record_event(Some(&account.id), EventKind::PasswordOk, &iph)
                .await;
            step
        }
        None => signed_in(store, &account.id, EventKind::SignIn, &iph, &headers).await,
    };
    with_device_cookie(reply, site, &account.id)
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    layout: Layout,
    username: String,
    tokens: Vec<TokenRow>,
    sessions: Vec<SessionRow>,
    sign_ins: Vec<String>,
    /// Changes to how they sign in, and failed tries, newest first: "time: what".
    changes: Vec<String>,
    /// Sessions and tokens just ended by "Sign out everywhere else".
    ended: Option<(u64, u64)>,
}

struct TokenRow {
    id: String,
    name: String,
    /// "Works until ..." or "Expired ...".
    expires: String,
    scope: &'static str,
    last_used: String,
}

struct SessionRow {
    device: String,
    last_seen: String,
    this_one: bool,
}

/// "Tokens for programs" (`/account/tokens`, off the main account page: issue 21, finding
/// 13): the tokens, a new one shown once, and the form to make one.
#[derive(Template)]
#[template(path = "account_tokens.html")]
struct TokensPage {
    layout: Layout,
    tokens: Vec<TokenRow>,
    token_lives: Vec<(i64, &'static str)>,
    default_token_days: i64,
    new_token: Option<String>,
}

/// The account's tokens as the pages list them.
async fn token_rows(page: &Page, store: &legcramps_store::Store, who: &SignedIn) -> Vec<TokenRow> {
    let tokens = store.tokens_of(&who.account_id).await.unwrap_or_default();
    tokens
        .iter()
        .map(|t| TokenRow {
            id: t.id.clone(),
            name: t.name.clone(),
            scope: if Scope::from_stored(&t.scope).may_write() {
                "read and change"
            } else {
                "read only"
            },
            last_used: t
                .last_used_utc
                .map_or_else(|| "never".to_owned(), |t| when(page.context().zone, t)),
            expires: if t.expires_utc > legcramps_store::unix_seconds() {
                format!("Works until {}", when(page.context().zone, t.expires_utc))
            } else {
                format!("Expired {}", when(page.context().zone, t.expires_utc))
            },
        })
        .collect()
}

async fn tokens_page_with(
    page: &Page,
    cfg: &Shared,
    who: &SignedIn,
    new_token: Option<String>,
) -> Response {
    let (store, site) = match crate::http::auth::accounts(cfg) {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    let mut r = render(
        StatusCode::OK,
        &TokensPage {
            layout: page.layout("Tokens for programs", "account"),
            tokens: token_rows(page, store, who).await,
            token_lives: token_lives(site),
            default_token_days: default_token_days(site),
            new_token,
        },
    );
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// `GET /account/tokens`.
pub(crate) async fn tokens_page(page: Page, State(cfg): State<Shared>, who: SignedIn) -> Response {
    tokens_page_with(&page, &cfg, &who, None).await
}

async fn account_page(
    page: &Page,
    cfg: &Shared,
    who: &SignedIn,
    ended: Option<(u64, u64)>,
) -> Response {
    let (store, _) = match crate::http::auth::accounts(cfg) {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    let sessions = match store.sessions_of(&who.account_id).await {
        Ok(s) => s,
        Err(e) => return WebError::accounts(e).into_response(),
    };
    let events = store
        .events(Some(&who.account_id), 50)
        .await
        .unwrap_or_default();
    let tokens = token_rows(page, store, who).await;
    let mut r = render(
        StatusCode::OK,
        &AccountPage {
            layout: page.layout("Your account", "account"),
            username: who.username.clone(),
            tokens,
            sessions: sessions
                .iter()
                .map(|s| SessionRow {
                    device: s.device.clone(),
                    last_seen: when(page.context().zone, s.last_seen_utc),
                    this_one: s.id_hash == who.session_hash,
                })
                .collect(),
            sign_ins: events
                .iter()
                .filter(|e| {
                    e.kind == EventKind::SignIn.as_str() || e.kind == EventKind::SignUp.as_str()
                })
                .take(10)
                .map(|e| {
                    if e.kind == EventKind::SignUp.as_str() {
                        format!(
                            "{} (when the account was made)",
                            when(page.context().zone, e.at_utc)
                        )
                    } else {
                        when(page.context().zone, e.at_utc)
                    }
                })
                .collect(),
            changes: events
                .iter()
                .filter_map(|e| {
                    ending::change_text(&e.kind)
                        .map(|t| format!("{}: {t}", when(page.context().zone, e.at_utc)))
                })
                .take(15)
                .collect(),
            ended,
        },
    );
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

pub(crate) async fn page(page: Page, State(cfg): State<Shared>, who: SignedIn) -> Response {
    account_page(&page, &cfg, &who, None).await
}

pub(crate) async fn sign_out(
    Hosted(ref store, ref site, ref ip): Hosted,
    who: SignedIn,
) -> Response {
    if let Err(e) = store.end_session(&who.session_hash).await {
        return WebError::accounts(e).into_response();
    }
    let _ = store
        .record_event(
            Some(&who.account_id),
            EventKind::SignOut,
            &ip_hash(site, ip.as_ref()),
        )
        .await;
    // The sign-in page says so (issue 21, finding 13).
    let mut r = Redirect::to("/account/sign-in?signed-out").into_response();
    r.headers_mut()
        .insert(header::SET_COOKIE, session::clear_cookie());
    r
}

pub(crate) async fn end_others(
    page: Page,
    Hosted(ref store, ref site, ref ip): Hosted,
    State(cfg): State<Shared>,
    Confirmed(who): Confirmed,
    body: Bytes,
) -> Response {
    let iph = ip_hash(site, ip.as_ref());
    let sessions = match store
        .end_sessions(&who.account_id, Some(&who.session_hash))
        .await
    {
        Ok(n) => n,
        Err(e) => return WebError::accounts(e).into_response(),
    };
    let _ = store
        .record_event(Some(&who.account_id), EventKind::SessionsEnded, &iph)
        .await;
    let tokens = if form(&body).get("tokens").is_some_and(|v| v == "end") {
        match store.end_tokens(&who.account_id).await {
            Ok(n) => {
                let _ = store
                    .record_event(Some(&who.account_id), EventKind::TokenRevoked, &iph)
                    .await;
                n
            }
            Err(e) => return WebError::accounts(e).into_response(),
        }
    } else {
        0
    };
    account_page(&page, &cfg, &who, Some((sessions, tokens))).await
}

#[derive(Template)]
#[template(path = "account_delete.html")]
struct DeletePage {
    layout: Layout,
    error: Option<String>,
    deleted: bool,
}

pub(crate) async fn delete_form(page: Page, _who: SignedIn) -> Response {
    render(
        StatusCode::OK,
        &DeletePage {
            layout: page.layout("Delete your account", "account"),
            error: None,
            deleted: false,
        },
    )
}

/// Delete the account and everything of its person, after the password is given again.
pub(crate) async fn delete(
    page: Page,
    Hosted(ref store, ref site, ref ip): Hosted,
    who: SignedIn,
    body: Bytes,
) -> Response {
    let f = form(&body);
    let ok = match again(
        store,
        site,
        &who,
        &ip_hash(site, ip.as_ref()),
        &f,
        "password",
    )
    .await
    {
        Ok(ok) => ok,
        Err(r) => return r,
    };
    if !ok {
        return render(
            StatusCode::UNAUTHORIZED,
            &DeletePage {
                layout: page.layout("Delete your account", "account"),
                error: Some("Enter your password to delete your account".to_owned()),
                deleted: false,
            },
        );
    }
    if let Err(e) = store
        .delete_account(&who.account_id, &ip_hash(site, ip.as_ref()))
        .await
    {
        return WebError::accounts(e).into_response();
    }
    // Shown signed out: the session and its anti-forgery token ended with the account.
    let signed_out = Page(Context {
        username: None,
        csrf: None,
        ..page.context().clone()
    });
    let mut r = render(
        StatusCode::OK,
        &DeletePage {
            layout: signed_out.layout("Your account has been deleted", "account"),
            error: None,
            deleted: true,
        },
    );
    r.headers_mut()
        .insert(header::SET_COOKIE, session::clear_cookie());
    r
}

#[derive(Template)]
#[template(path = "account_password.html")]
struct PasswordPage {
    layout: Layout,
    errors: Vec<(&'static str, String)>,
    done: Option<u64>,
}

impl PasswordPage {
    fn error_for(&self, id: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(i, _)| *i == id)
            .map(|(_, m)| m.as_str())
    }
}

pub(crate) async fn password_form(page: Page, _who: SignedIn) -> Response {
    render(
        StatusCode::OK,
        &PasswordPage {
            layout: page.layout("Change your password", "account"),
            errors: Vec::new(),
            done: None,
        },
    )
}

/// Change the password: the current one again, a new strong one; by default every other
/// session ends (someone who knew the old password is signed out).
pub(crate) async fn change_password(
    page: Page,
    Hosted(ref store, ref site, ref ip): Hosted,
    who: SignedIn,
    body: Bytes,
) -> Response {
    let iph = ip_hash(site, ip.as_ref());
    let f = form(&body);
    let new = f.get("new").cloned().unwrap_or_default();
    let end_others = f.get("end-others").is_some_and(|v| v == "yes");
    let show = |status, errors| {
        render(
            status,
            &PasswordPage {
                layout: page.layout("Change your password", "account"),
                errors,
                done: None,
            },
        )
    };
    match again(store, site, &who, &iph, &f, "current").await {
        Ok(true) => {}
        Ok(false) => {
            return show(
                StatusCode::UNAUTHORIZED,
                vec![("current", "Enter your current password".to_owned())],
            );
        }
        Err(r) => return r,
    }
    let account = match store.account_by_id(&who.account_id).await {
        Ok(Some(a)) => a,
        Ok(None) => return WebError::NotFound.into_response(),
        Err(e) => return WebError::accounts(e).into_response(),
    };
    let username = Username::parse(&account.username).ok();
    if let Some(u) = &username
        && let Err(AccountError::Password(m) | AccountError::Username(m)) =
            check_new_password(&new, u)
    {
        return show(StatusCode::BAD_REQUEST, vec![("new", m)]);
    }
    let Some(hash) = hashing(site, move || hash_password(&new)).await else {
        return WebError::accounts("hashing stopped").into_response();
    };
    if let Err(e) = store.set_password_hash(&account.id, &hash).await {
        return WebError::accounts(e).into_response();
    }
    let _ = store
        .record_event(Some(&account.id), EventKind::PasswordChanged, &iph)
        .await;
    let ended = if end_others {
        match store
            .end_sessions(&account.id, Some(&who.session_hash))
            .await
        {
            Ok(n) => n,
            Err(e) => return WebError::accounts(e).into_response(),
        }
    } else {
        0
    };
    render(
        StatusCode::OK,
        &PasswordPage {
            layout: page.layout("Your password has been changed", "account"),
            errors: Vec::new(),
            done: Some(ended),
        },
    )
}

#[derive(Template)]
#[template(path = "account_recover.html")]
struct RecoverPage {
    layout: Layout,
    username: String,
    errors: Vec<(&'static str, String)>,
}

impl RecoverPage {
    fn error_for(&self, id: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(i, _)| *i == id)
            .map(|(_, m)| m.as_str())
    }
}

pub(crate) async fn recover_form(page: Page, _accounts_on: Hosted) -> Response {
    render(
        StatusCode::OK,
        &RecoverPage {
            layout: page.layout("Forgotten your password?", "account"),
            username: String::new(),
            errors: Vec::new(),
        },
    )
}

/// Sign in with a recovery code and set a new password. The code works once; every other
/// session ends. Slowed like sign-in, with the same answer for an unknown name or a wrong code.
pub(crate) async fn recover(
    page: Page,
    Hosted(ref store, ref site, ref ip): Hosted,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let f = form(&body);
    let typed = f.get("username").map_or("", String::as_str);
    let code = f.get("code").map_or("", String::as_str);
    let new = f.get("new").cloned().unwrap_or_default();
    let iph = ip_hash(site, ip.as_ref());
    let username = Username::parse(typed).ok();
    // A browser that signed in as this username before is counted alone (issue 20, finding 9).
    let name = username.as_ref().map_or("", Username::as_str);
    // The cookie is bound to the account, not the name: a name freed by a deletion and taken
    // again starts with no known browsers (second outside review).
    let known_id = match store.account_by_username(name).await {
        Ok(a) => a.map(|a| a.id),
        Err(e) => return WebError::accounts(e).into_response(),
    };
    let device = known_id
        .as_ref()
        .and_then(|id| known_device(site, &headers, id));
    let limits = password_limits(&iph, name, device.as_deref());
    let keys: Vec<&Attempts<'_>> = limits.iter().collect();
    if let Some(seconds) = must_wait(store, site, &keys).await {
        return WebError::TooMany { seconds }.into_response();
    }
    let show = |status, errors| {
        render(
            status,
            &RecoverPage {
                layout: page.layout("Forgotten your password?", "account"),
                username: typed.chars().take(200).collect(),
                errors,
            },
        )
    };
    // The new password is checked first (it says nothing about the account).
    if let Some(u) = &username
        && let Err(AccountError::Password(m) | AccountError::Username(m)) =
            check_new_password(&new, u)
    {
        return show(StatusCode::BAD_REQUEST, vec![("new", m)]);
    }
    let account = match &username {
        Some(u) => match store.account_by_username(u.as_str()).await {
            Ok(a) => a.filter(|a| !a.disabled),
            Err(e) => return WebError::accounts(e).into_response(),
        },
        None => None,
    };
    let hash = legcramps_accounts::hash_recovery_code(code);
    let used = match &account {
        Some(a) => match store.use_recovery_code(&a.id, &hash).await {
            Ok(ok) => ok,
            Err(e) => return WebError::accounts(e).into_response(),
        },
        None => false,
    };
    let Some(account) = account.filter(|_| used) else {
        let _ = store
            .record_event(None, EventKind::RecoveryFailed, &iph)
            .await;
        return show(
            StatusCode::UNAUTHORIZED,
            vec![(
                "code",
                "The username or recovery code is not right (each code works once)".to_owned(),
            )],
        );
    };
    attempts_ok(store, &keys).await;
    let Some(new_hash) = hashing(site, move || hash_password(&new)).await else {
        return WebError::accounts("hashing stopped").into_response();
    };
    let _ = store
        .record_event(Some(&account.id), EventKind::RecoveryCodeUsed, &iph)
        .await;
    // The recovery code stands in for the password only: an account with a second step still
    // asks for it (an app code or a passkey, never a second recovery code), and the new
    // password waits in the step until then.
    if let Some(step) =
        crate::account::factors::second_step(&page, store, &account, Some(&new_hash)).await
    {
        return step;
    }
    recovered(store, &account.id, &new_hash, None, &iph, &headers).await
}

#[derive(Template)]
#[template(path = "account_codes_form.html")]
struct CodesFormPage {
    layout: Layout,
    left: i64,
    error: Option<String>,
}

pub(crate) async fn codes_form(
    page: Page,
    Hosted(ref store, _, _): Hosted,
    who: SignedIn,
) -> Response {
    let left = store
        .recovery_codes_left(&who.account_id)
        .await
        .unwrap_or(0);
    render(
        StatusCode::OK,
        &CodesFormPage {
            layout: page.layout("Recovery codes", "account"),
            left,
            error: None,
        },
    )
}

/// New recovery codes, after the password again; the old ones stop working.
pub(crate) async fn new_codes(
    page: Page,
    Hosted(ref store, ref site, ref ip): Hosted,
    who: SignedIn,
    body: Bytes,
) -> Response {
    let iph = ip_hash(site, ip.as_ref());
    let f = form(&body);
    let ok = match again(store, site, &who, &iph, &f, "password").await {
        Ok(ok) => ok,
        Err(r) => return r,
    };
    if !ok {
        let left = store
            .recovery_codes_left(&who.account_id)
            .await
            .unwrap_or(0);
        return render(
            StatusCode::UNAUTHORIZED,
            &CodesFormPage {
                layout: page.layout("Recovery codes", "account"),
                left,
                error: Some("Enter your password to make new recovery codes".to_owned()),
            },
        );
    }
    let _ = store
        .record_event(Some(&who.account_id), EventKind::RecoveryCodesMade, &iph)
        .await;
    new_codes_page(&page, store, &who.account_id, false).await
}

/// The most characters in a token's name.
const MAX_TOKEN_NAME: usize = 60;

/// The lifetimes a person may choose for a token, in days, up to the site's longest.
fn token_lives(site: &Site) -> Vec<(i64, &'static str)> {
    [
        (7, "7 days"),
        (30, "30 days"),
        (90, "90 days"),
        (365, "1 year"),
    ]
    .into_iter()
    .filter(|(d, _)| *d <= site.token_max_days)
    .collect()
}

/// The lifetime chosen unless the person picks another: 90 days, or the longest allowed.
fn default_token_days(site: &Site) -> i64 {
    token_lives(site)
        .iter()
        .map(|(d, _)| *d)
        .filter(|d| *d <= 90)
        .max()
        .unwrap_or(site.token_max_days.max(1))
}

/// Make a personal access token: shown once on "Tokens for programs", stored as its hash.
pub(crate) async fn create_token(
    page: Page,
    Hosted(ref store, ref site, ref ip): Hosted,
    State(cfg): State<Shared>,
    Confirmed(who): Confirmed,
    body: Bytes,
) -> Response {
    let f = form(&body);
    // Like a passkey's name: no control or bidirectional characters.
    let name: String = crate::account::passkeys::cleaned(f.get("name").map_or("", String::as_str))
        .chars()
        .take(MAX_TOKEN_NAME)
        .collect();
    let name = if name.is_empty() {
        "A program".to_owned()
    } else {
        name
    };
    let scope = if f
        .get("scope")
        .is_some_and(|s| s == Scope::ReadWrite.as_str())
    {
        Scope::ReadWrite
    } else {
        Scope::Read
    }
    .as_str();
    let days = f
        .get("lives")
        .and_then(|d| d.parse::<i64>().ok())
        .filter(|d| token_lives(site).iter().any(|(l, _)| l == d))
        .unwrap_or_else(|| default_token_days(site));
    let secret = Secret::new("lc_pat_");
    if let Err(e) = store
        .create_token(
            &who.account_id,
            &name,
            &secret.hash,
            scope,
            days * 24 * 3600,
        )
        .await
    {
        return WebError::accounts(e).into_response();
    }
    let _ = store
        .record_event(
            Some(&who.account_id),
            EventKind::TokenCreated,
            &ip_hash(site, ip.as_ref()),
        )
        .await;
    tokens_page_with(&page, &cfg, &who, Some(secret.text)).await
}

pub(crate) async fn revoke_token(
    page: Page,
    Hosted(ref store, ref site, ref ip): Hosted,
    Confirmed(who): Confirmed,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Response {
    match store.revoke_token(&who.account_id, &id).await {
        Ok(true) => {
            let _ = store
                .record_event(
                    Some(&who.account_id),
                    EventKind::TokenRevoked,
                    &ip_hash(site, ip.as_ref()),
                )
                .await;
            Redirect::to("/account/tokens").into_response()
        }
        // Not this account's token (or no such token): nothing to say about anyone else's.
        Ok(false) => crate::http::render::not_found_page(&page),
        Err(e) => WebError::accounts(e).into_response(),
    }
}
