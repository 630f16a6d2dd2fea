//! Who may reach the private routes (moved from the diary; being made into the kernel).

#![allow(clippy::result_large_err)]
// Handlers return a ready `Response` as their error: it is what axum sends, and boxing it
// would only move the allocation.
use std::sync::Arc;

use askama::Template;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use legcramps_accounts::hash_secret;
use legcramps_store::{Owner, Store};

use crate::config::{ClientIp, DiaryAccess, HostCheck, Shared, Site};
use crate::http::error::diary_problem as problem;
use crate::http::middleware::cross_site;
use crate::http::render::render;
use crate::http::session::{self, Context};
use crate::http::views::Layout;

// ---------------------------------------------------------------------------------------------
// Access

/// The host name a request names (without its port), or `None` when it names none.
fn host_name(headers: &HeaderMap) -> Option<&str> {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok())?;
    Some(if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        host.rsplit_once(':').map_or(host, |(h, _)| h)
    })
}

/// Whether a request may reach the diary, by the host name it names.
fn host_allowed(check: &HostCheck, headers: &HeaderMap) -> bool {
    match (check, host_name(headers)) {
        // HTTP/1.0 clients may send no Host; only a local process can reach a loopback socket.
        (HostCheck::Loopback, None) => true,
        (HostCheck::Loopback, Some(name)) => {
            name.eq_ignore_ascii_case("localhost")
                || name
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback())
        }
        (HostCheck::Allowed(_), None) => false,
        (HostCheck::Allowed(names), Some(name)) => {
            names.iter().any(|n| n.eq_ignore_ascii_case(name))
        }
    }
}

#[derive(Template)]
#[template(path = "diary_off.html")]
struct OffPage {
    layout: Layout,
    reason: String,
}

pub(crate) fn refused(status: StatusCode, reason: String, api: bool) -> Response {
    if api {
        let body = serde_json::json!({
            "type": "/problems/diary-unavailable",
            "title": "The diary is not available here",
            "status": status.as_u16(),
            "detail": reason,
        });
        let mut r = (status, body.to_string()).into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        return r;
    }
    render(
        status,
        &OffPage {
            layout: Layout::new("The diary is not available", "diary"),
            reason,
        },
    )
}

/// Every diary request passes through here (see the module docs): who may reach the diary,
/// and whose diary it is (an [`Owner`] put on the request for the handlers).
pub(crate) async fn guard(State(cfg): State<Shared>, request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let mut request = request;
    match &cfg.diary {
        DiaryAccess::Off(reason) => {
            return refused(
                StatusCode::FORBIDDEN,
                format!(
                    "The diary is off on this server: {reason}. Your diary is personal health information, so it is only served with accounts (start the server with --accounts and --public-url), to the computer it runs on, or with --single-user."
                ),
                api,
            );
        }
        DiaryAccess::On { hosts, .. } => {
            // One person's own diary has no accounts: nothing to show at /account.
            if request.uri().path().starts_with("/account") {
                return crate::http::render::not_found_page();
            }
            if !host_allowed(hosts, request.headers()) {
                let reason = match hosts {
                    HostCheck::Loopback => "The diary is only served to this computer: open it at http://localhost or http://127.0.0.1.".to_owned(),
                    HostCheck::Allowed(names) => format!("The diary is only served at {}.", names.join(", ")),
                };
                return refused(StatusCode::FORBIDDEN, reason, api);
            }
            if request.method() == Method::POST && cross_site(request.headers()) {
                return refused(StatusCode::FORBIDDEN, "This change came from another website, so it was refused. Nothing was changed.".to_owned(), api);
            }
            request.extensions_mut().insert(Owner::local());
        }
        DiaryAccess::Accounts { store, site } => {
            let host_ok = request
                .headers()
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|h| h.eq_ignore_ascii_case(&site.host));
            if !host_ok {
                return refused(
                    StatusCode::FORBIDDEN,
                    format!("The diary is only served at {}.", site.origin),
                    api,
                );
            }
            if request.method() == Method::POST && cross_site(request.headers()) {
                return refused(StatusCode::FORBIDDEN, "This change came from another website, so it was refused. Nothing was changed.".to_owned(), api);
            }
            // A program with a personal access token (the CLI's --server): the API only.
            if api && request.headers().contains_key(header::AUTHORIZATION) {
                return match token_owner(store, request.headers()).await {
                    Ok(Some((owner, scope))) => {
                        if scope != "read-write" && request.method() != Method::GET {
                            return problem(
                                StatusCode::FORBIDDEN,
                                "This token can only read",
                                "make a read-write token on your account page to change the diary".into(),
                                None,
                            );
                        }
                        request.extensions_mut().insert(owner);
                        let mut response = next.run(request).await;
                        response
                            .headers_mut()
                            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
                        response
                    }
                    Ok(None) => problem(
                        StatusCode::UNAUTHORIZED,
                        "The access token is not valid",
                        "use `Authorization: Bearer lc_pat_...` with a token from your account page; it may have been revoked".into(),
                        None,
                    ),
                    Err(e) => api_failed(e),
                };
            }
            let who = match signed_in(store, site, request.headers()).await {
                Ok(w) => w,
                Err(e) => return if api { api_failed(e) } else { failed(e) },
            };
            let Some((who, owner, csrf)) = who else {
                return sign_in_first(api);
            };
            if request.method() == Method::POST {
                match with_checked_token(request, &csrf, api).await {
                    Ok(r) => request = r,
                    Err(refusal) => return *refusal,
                }
            }
            let context = Context {
                accounts: true,
                csrf: Some(csrf),
                username: Some(who.username.clone()),
                passkeys: site.webauthn.is_some(),
                zone: cfg.time_zone,
                nhs_111_online: cfg.nhs_111_online.clone(),
            };
            request.extensions_mut().insert(owner);
            request.extensions_mut().insert(who);
            let mut response = session::with_context(context, request, next).await;
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            return response;
        }
    }
    let mut response = next.run(request).await;
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Not signed in: pages go to the sign-in page; the API says 401.
fn sign_in_first(api: bool) -> Response {
    if api {
        let mut r = problem(
            StatusCode::UNAUTHORIZED,
            "Sign in first",
            "the diary API needs a signed-in session".into(),
            None,
        );
        r.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        return r;
    }
    let mut r = axum::response::Redirect::to("/account/sign-in").into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// The largest form the diary takes (a note is at most 500 characters).
const MAX_FORM_BYTES: usize = 64 * 1024;

/// A signed-in POST must carry the session's anti-forgery token: a form's `csrf` field, or an
/// `X-CSRF-Token` header. The API's JSON posts may instead rely on their content type, which
/// no other site can send without a CORS preflight this server never grants (ASVS 5.0 3.5.2).
async fn with_checked_token(
    request: Request,
    csrf: &str,
    api: bool,
) -> Result<Request, Box<Response>> {
    let header_token = request
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if let Some(t) = header_token {
        return if legcramps_accounts::same_secret(&t, csrf) {
            Ok(request)
        } else {
            Err(Box::new(expired_form(api)))
        };
    }
    if api {
        // JSON only (the handler refuses anything else with 415 before reading it).
        return Ok(request);
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_FORM_BYTES).await else {
        return Err(Box::new(refused(
            StatusCode::PAYLOAD_TOO_LARGE,
            "That form is too large.".to_owned(),
            false,
        )));
    };
    let posted = form_urlencoded::parse(&bytes)
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.into_owned());
    if !posted.is_some_and(|t| legcramps_accounts::same_secret(&t, csrf)) {
        return Err(Box::new(expired_form(false)));
    }
    Ok(Request::from_parts(parts, axum::body::Body::from(bytes)))
}

fn expired_form(api: bool) -> Response {
    refused(
        StatusCode::FORBIDDEN,
        "This form has expired or did not come from this site, so nothing was changed. Go back, reload the page and try again.".to_owned(),
        api,
    )
}

pub(crate) fn store(cfg: &Shared) -> Option<&Store> {
    match &cfg.diary {
        DiaryAccess::On { store, .. } | DiaryAccess::Accounts { store, .. } => Some(store),
        DiaryAccess::Off(_) => None,
    }
}

/// How long to suggest waiting after a storage failure (for example the diary was busy), in
/// seconds, sent as `Retry-After`.
const RETRY_AFTER_SECONDS: &str = "5";

/// A storage failure: a plain page that keeps the person safe and leaks nothing, with
/// `Retry-After` (a write that cannot be made says so; nothing was changed).
pub(crate) fn failed(e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "diary storage failed");
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::RETRY_AFTER, RETRY_AFTER_SECONDS),
        ],
        "Sorry, the diary cannot be reached just now; nothing was changed. Please try again in a few seconds. If you need advice now, speak to your GP, or phone 111 if the surgery is closed.",
    )
        .into_response()
}

/// A storage failure on the API: problem+json, 503, with `Retry-After`.
pub(crate) fn api_failed(e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "diary storage failed");
    let mut r = problem(
        StatusCode::SERVICE_UNAVAILABLE,
        "The diary cannot be reached just now",
        "nothing was changed; try again in a few seconds".into(),
        None,
    );
    r.headers_mut().insert(
        header::RETRY_AFTER,
        HeaderValue::from_static(RETRY_AFTER_SECONDS),
    );
    r
}

macro_rules! store_or_fail {
    ($cfg:expr) => {
        match $crate::http::access::store(&$cfg) {
            Some(s) => s,
            None => return $crate::http::access::failed("the diary is off"),
        }
    };
}
pub(crate) use store_or_fail;

/// Every request: the page context (accounts on, the session's anti-forgery token). The
/// session itself is checked by the diary guard, only where it is needed.
pub(crate) async fn context(
    State(cfg): State<Shared>,
    mut request: Request,
    next: Next,
) -> Response {
    let accounts = matches!(cfg.diary, DiaryAccess::Accounts { .. });
    if let Some((_, site)) = hosted(&cfg) {
        forwarded_client(site, &mut request);
    }
    let passkeys = hosted(&cfg).is_some_and(|(_, site)| site.webauthn.is_some());
    let csrf = if accounts {
        session::cookie(request.headers()).map(|id| session::csrf_for(&id))
    } else {
        None
    };
    session::with_context(
        Context {
            accounts,
            csrf,
            username: None,
            passkeys,
            zone: cfg.time_zone,
            nhs_111_online: cfg.nhs_111_online.clone(),
        },
        request,
        next,
    )
    .await
}

/// Behind a trusted proxy (loopback, or one named in `Site::trusted_proxies`), the client is
/// the last address in `X-Forwarded-For`: the one the proxy itself appended. Anything a client
/// wrote there itself is to its left and ignored.
fn forwarded_client(site: &Site, request: &mut Request) {
    let Some(peer) = request.extensions().get::<ClientIp>().map(|ip| ip.0) else {
        return;
    };
    if !(peer.is_loopback() || site.trusted_proxies.contains(&peer)) {
        return;
    }
    let last = request
        .headers()
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .next_back()
        .and_then(|a| a.trim().parse::<std::net::IpAddr>().ok());
    if let Some(client) = last {
        request.extensions_mut().insert(ClientIp(client));
    }
}

pub(crate) fn hosted(cfg: &Shared) -> Option<(&Store, &Arc<Site>)> {
    match &cfg.diary {
        DiaryAccess::Accounts { store, site } => Some((store, site)),
        _ => None,
    }
}

/// A keyed hash of the client's IP for security events and backoff keys (never the IP).
pub(crate) fn ip_hash(site: &Site, request_ip: Option<&ClientIp>) -> String {
    let ip = request_ip.map_or_else(|| "unknown".to_owned(), |ip| ip.0.to_string());
    hash_secret(&format!("{}\n{ip}", site.ip_key))[..32].to_owned()
}

/// Account pages on a server without accounts: there is nothing here.
pub(crate) fn not_hosted() -> Response {
    crate::http::render::not_found_page()
}

fn wrong_host(site: &Site, headers: &HeaderMap) -> bool {
    headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|h| !h.eq_ignore_ascii_case(&site.host))
}

/// Refuse what must be refused before any account work: another host name (DNS rebinding)
/// or a post from another site (sign-in forgery).
pub(crate) fn refuse(site: &Site, headers: &HeaderMap, post: bool) -> Option<Response> {
    if wrong_host(site, headers) {
        return Some(
            (
                StatusCode::FORBIDDEN,
                format!("This site is served at {}.", site.origin),
            )
                .into_response(),
        );
    }
    if post && crate::http::middleware::cross_site(headers) {
        return Some(
            (
                StatusCode::FORBIDDEN,
                "This came from another website, so it was refused.",
            )
                .into_response(),
        );
    }
    None
}

/// For the diary guard: the signed-in person behind this request's cookie, if the session is
/// live.
pub(crate) async fn signed_in(
    store: &Store,
    site: &Site,
    headers: &HeaderMap,
) -> Result<Option<(SignedIn, Owner, String)>, legcramps_store::StoreError> {
    let Some(id) = session::cookie(headers) else {
        return Ok(None);
    };
    let hash = hash_secret(&id);
    Ok(store
        .live_session(&hash, site.sessions)
        .await?
        .map(|(s, account)| {
            (
                SignedIn {
                    account_id: account.id.clone(),
                    username: account.username.clone(),
                    session_hash: s.id_hash,
                },
                account.owner(),
                session::csrf_for(&id),
            )
        }))
}

/// The signed-in person, put on the request by the diary guard.
#[derive(Debug, Clone)]
pub(crate) struct SignedIn {
    pub(crate) account_id: String,
    pub(crate) username: String,
    pub(crate) session_hash: String,
}

/// For the diary guard: the owner and scope of the request's bearer token, if it is valid.
pub(crate) async fn token_owner(
    store: &Store,
    headers: &HeaderMap,
) -> Result<Option<(Owner, String)>, legcramps_store::StoreError> {
    let Some(token) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| t.starts_with("lc_pat_") && t.len() <= 128)
    else {
        return Ok(None);
    };
    Ok(store
        .token_account(&hash_secret(token))
        .await?
        .map(|(account, scope)| (account.owner(), scope)))
}

pub(crate) fn store_failed(e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "account storage failed");
    let mut r = (
        StatusCode::SERVICE_UNAVAILABLE,
        "Sorry, accounts cannot be reached just now; nothing was changed. Please try again in a few seconds.",
    )
        .into_response();
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    r
}
