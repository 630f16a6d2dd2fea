//! Who is asking. The one place that decides it, failing closed:
//!
//! - [`guard`], the layer on every private route (the diary, the profile, the account pages,
//!   the episodes API): which host names may reach the diary (a DNS-rebinding page names
//!   another), no form posted from another site, then who is asking — the local diary's one
//!   person, a signed-in session (whose posts must carry its anti-forgery token), or a
//!   personal access token with its [`Scope`] (the API only) — and `no-store` on every answer.
//!   It puts a [`Who`] on the request, and for a session a [`SignedIn`].
//! - [`gate`], the layer on the open account routes (sign up, sign in, recover, the second
//!   step): accounts must be on, the host must be the site's, and a post must come from the
//!   site itself.
//! - The extractors the handlers take: [`Who`] (whose diary, and by which [`Means`]),
//!   [`SignedIn`] (a session: which account), [`Hosted`] (the accounts' store and site, for a
//!   request the gate or the guard let through). Each refuses (404) when its layer did not
//!   run: a handler mounted in the wrong place answers "not found", never someone's data and
//!   never without the host and origin checks. [`Confirmed`] adds "how recently they proved
//!   it" (the time of the last password or passkey) for the changes that need it.
//! - [`context`], the layer on every route: what every page's layout needs to know.

use std::sync::Arc;

use axum::extract::{FromRef, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use legcramps_accounts::{Scope, hash_secret};
use legcramps_store::{AccountId, Owner, SessionCheck, Store};

use crate::config::{ClientIp, DiaryAccess, HostCheck, Shared, Site};
use crate::http::error::{WebError, by_route};
use crate::http::middleware::cross_site;
use crate::http::problem::episode_problem;
use crate::http::render::Page;
use crate::http::session::{self, Context};
use crate::http::unsaved;

/// How the person asking proved who they are.
#[derive(Debug, Clone)]
pub(crate) enum Means {
    /// The one person of a diary served without accounts (to this computer, or
    /// `--single-user`).
    Local,
    /// A signed-in browser session.
    Session(SignedIn),
    /// A personal access token (the API only). The guard has refused any change (any method
    /// but GET) by a read-only token, so a GET route must never change anything.
    Token,
}

/// Whose diary this request reads and writes, and how the asker proved it.
#[derive(Debug, Clone)]
pub(crate) struct Who {
    pub(crate) owner: Owner,
    pub(crate) means: Means,
}

/// The signed-in person of a session.
#[derive(Debug, Clone)]
pub(crate) struct SignedIn {
    pub(crate) account_id: AccountId,
    pub(crate) username: String,
    pub(crate) session_hash: String,
    /// When they last proved who they are in this session (sign-in, or "Confirm it is you").
    pub(crate) confirmed_utc: i64,
}

impl SignedIn {
    /// Whether they proved who they are within the site's `reconfirm_seconds`.
    pub(crate) fn recently_confirmed(&self, site: &Site) -> bool {
        legcramps_store::unix_seconds() - self.confirmed_utc <= site.reconfirm_seconds
    }
}

/// For a request by a session on the hosted site: `Ok` only if they proved who they are
/// recently (as [`Confirmed`]; after confirming they come back to the page that asked). The
/// local diary's one person, and a token (which cannot reach the pages), pass.
pub(crate) fn recently_confirmed_if_signed_in(
    cfg: &Shared,
    means: &Means,
    then: &str,
) -> Result<(), WebError> {
    let (DiaryAccess::Accounts { site, .. }, Means::Session(who)) = (&cfg.diary, means) else {
        return Ok(());
    };
    if who.recently_confirmed(site) {
        Ok(())
    } else {
        Err(WebError::ConfirmFirst {
            then: then.to_owned(),
        })
    }
}

/// A signed-in person who proved who they are within the last few minutes
/// ([`Site::reconfirm_seconds`]): what adding a way to sign in or making an access token
/// takes (ASVS 7.5.1). Otherwise the request is refused with [`WebError::ConfirmFirst`]: a
/// page goes to "Confirm it is you" and comes back (a form post comes back to the account
/// page), the API says 403.
#[derive(Debug, Clone)]
pub(crate) struct Confirmed(pub(crate) SignedIn);

impl<S> FromRequestParts<S> for Confirmed
where
    S: Send + Sync,
    Shared: FromRef<S>,
{
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let who = SignedIn::from_request_parts(parts, state).await?;
        let cfg = Shared::from_ref(state);
        let DiaryAccess::Accounts { site, .. } = &cfg.diary else {
            return Err(WebError::NotFound);
        };
        if who.recently_confirmed(site) {
            return Ok(Confirmed(who));
        }
        // Back to the page the person was on: a page itself, or the page of the form posted.
        let path = parts.uri.path();
        let then = if parts.method == Method::GET || path == "/account/totp" {
            path.to_owned()
        } else if path.starts_with("/account/passkeys") {
            "/account/security".to_owned()
        } else if path.starts_with("/account/tokens") {
            "/account/tokens".to_owned()
        } else {
            "/account".to_owned()
        };
        Err(WebError::ConfirmFirst { then })
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Who {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Who>()
            .cloned()
            .ok_or(WebError::NotFound)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for SignedIn {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<Who>() {
            Some(Who {
                means: Means::Session(s),
                ..
            }) => Ok(s.clone()),
            _ => Err(WebError::NotFound),
        }
    }
}

/// The hosted site's accounts (`serve --accounts`): its store and settings, and the client's
/// address as the site sees it. Without accounts, every account route is not found.
/// Its fields: the store, the site, and the client's address (a handler takes what it needs:
/// `Hosted(ref store, ref site, _): Hosted`).
#[derive(Debug, Clone)]
pub(crate) struct Hosted(
    pub(crate) Store,
    pub(crate) Arc<Site>,
    pub(crate) Option<ClientIp>,
);

/// Put on a request by [`gate`] once its checks passed ([`guard`] puts a [`Who`]).
#[derive(Debug, Clone, Copy)]
struct Gated;

impl<S> FromRequestParts<S> for Hosted
where
    S: Send + Sync,
    Shared: FromRef<S>,
{
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        // Only behind the gate or the guard: never without the host and origin checks.
        if parts.extensions.get::<Gated>().is_none() && parts.extensions.get::<Who>().is_none() {
            return Err(WebError::NotFound);
        }
        let cfg = Shared::from_ref(state);
        let DiaryAccess::Accounts { store, site } = &cfg.diary else {
            return Err(WebError::NotFound);
        };
        Ok(Hosted(
            store.clone(),
            site.clone(),
            parts.extensions.get::<ClientIp>().copied(),
        ))
    }
}

/// The diary's store (the local diary's, or the accounts'), or the failure to show when the
/// diary is off.
pub(crate) fn diary_store(cfg: &Shared) -> Result<&Store, WebError> {
    match &cfg.diary {
        DiaryAccess::On { store, .. } | DiaryAccess::Accounts { store, .. } => Ok(store),
        DiaryAccess::Off(_) => Err(WebError::diary("the diary is off")),
    }
}

/// The host name a request names (without its port), or `None` when it names none.
fn host_name(headers: &HeaderMap) -> Option<&str> {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok())?;
    Some(if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        host.rsplit_once(':').map_or(host, |(h, _)| h)
    })
}

/// Whether a request may reach the local diary, by the host name it names.
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

/// Whether the request names the hosted site's own host.
fn site_host(site: &Site, headers: &HeaderMap) -> bool {
    headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|h| h.eq_ignore_ascii_case(&site.host))
}

const CROSS_SITE: &str =
    "This change came from another website, so it was refused. Nothing was changed.";

/// The layer on every private route (see the module docs).
pub(crate) async fn guard(State(cfg): State<Shared>, request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let page = Page::of(request.extensions());
    let mut response = match admit(&cfg, request).await {
        Ok((mut request, context)) => {
            // Errors are rendered with the signed-in person's context, before `no-store`.
            let page = context.clone().map_or(page, Page);
            if let Some(context) = context {
                request.extensions_mut().insert(context);
            }
            let saving = saving_unsaved(&cfg, &request);
            let response = by_route(next.run(request).await, api, &page);
            match saving {
                Some((store, account, secret, id)) => {
                    saved_unsaved(&store, &account, &secret, &id, response).await
                }
                None => response,
            }
        }
        Err(e) => e.reply(api, &page),
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A form that writes, sent by a signed-in person from a browser that has a form kept from
/// after a sign-in ended (see [`unsaved`]): the store, the account and the browser's secret,
/// so that the kept form is forgotten once this one is accepted.
fn saving_unsaved(cfg: &Shared, request: &Request) -> Option<(Store, AccountId, String, String)> {
    let DiaryAccess::Accounts { store, .. } = &cfg.diary else {
        return None;
    };
    if request.method() != Method::POST || !unsaved::keepable(request.uri().path()) {
        return None;
    }
    let secret = unsaved::cookie(request.headers())?;
    let unsaved::Saving(id) = request.extensions().get::<unsaved::Saving>()?.clone();
    match request.extensions().get::<Who>() {
        Some(Who {
            means: Means::Session(s),
            ..
        }) => Some((store.clone(), s.account_id.clone(), secret, id)),
        _ => None,
    }
}

/// After the form that saves a kept one (it names it: [`unsaved::FIELD`]): once accepted
/// (saved, and sent on), exactly that kept form is forgotten, and the cookie removed when
/// none is left. A form sent back with problems keeps it (the person may leave without
/// fixing them); any other form leaves every kept one alone.
async fn saved_unsaved(
    store: &Store,
    account: &AccountId,
    secret: &str,
    id: &str,
    mut response: Response,
) -> Response {
    let status = response.status();
    if !(status.is_success() || status.is_redirection()) {
        return response;
    }
    let hash = hash_secret(secret);
    let forgotten = store.forget_unsaved(id, &hash, account).await.is_ok();
    let none_left =
        matches!(store.unsaved_forms(&hash, account).await, Ok(left) if left.is_empty());
    if forgotten && none_left {
        response
            .headers_mut()
            .append(header::SET_COOKIE, unsaved::clear_cookie());
    }
    response
}

/// Who is asking, put on the request, with the page context of a session; or why not.
async fn admit(cfg: &Shared, mut request: Request) -> Result<(Request, Option<Context>), WebError> {
    let api = request.uri().path().starts_with("/api/");
    let post = request.method() == Method::POST;
    match &cfg.diary {
        DiaryAccess::Off(reason) => Err(WebError::diary_refused(
            StatusCode::FORBIDDEN,
            format!(
                "The diary is off on this server: {reason}. Your diary is personal health information, so it is only served with accounts (start the server with --accounts and --public-url), to the computer it runs on, or with --single-user."
            ),
        )),
        DiaryAccess::On { hosts, .. } => {
            // One person's own diary has no accounts: nothing to show at /account.
            if request.uri().path().starts_with("/account") {
                return Err(WebError::NotFound);
            }
            if !host_allowed(hosts, request.headers()) {
                let reason = match hosts {
                    HostCheck::Loopback => "The diary is only served to this computer: open it at http://localhost or http://127.0.0.1.".to_owned(),
                    HostCheck::Allowed(names) => format!("The diary is only served at {}.", names.join(", ")),
                };
                return Err(WebError::diary_refused(StatusCode::FORBIDDEN, reason));
            }
            if post && cross_site(request.headers()) {
                return Err(WebError::diary_refused(StatusCode::FORBIDDEN, CROSS_SITE));
            }
            request.extensions_mut().insert(Who {
                owner: Owner::local(),
                means: Means::Local,
            });
            Ok((request, None))
        }
        DiaryAccess::Accounts { store, site } => {
            if !site_host(site, request.headers()) {
                return Err(WebError::diary_refused(
                    StatusCode::FORBIDDEN,
                    format!("The diary is only served at {}.", site.origin),
                ));
            }
            if post && cross_site(request.headers()) {
                return Err(WebError::diary_refused(StatusCode::FORBIDDEN, CROSS_SITE));
            }
            // A program with a personal access token (the CLI's --server): the API only.
            if api && request.headers().contains_key(header::AUTHORIZATION) {
                let Some((owner, scope)) = token_owner(store, request.headers())
                    .await
                    .map_err(WebError::diary)?
                else {
                    return Err(WebError::Problem(episode_problem(
                        StatusCode::UNAUTHORIZED,
                        "The access token is not valid",
                        "use `Authorization: Bearer lc_pat_...` with a token from your account page; it may have been revoked".into(),
                        None,
                    )));
                };
                // HEAD reads, like GET (issue 20, finding 15).
                let reads = matches!(*request.method(), Method::GET | Method::HEAD);
                if !scope.may_write() && !reads {
                    return Err(WebError::Problem(episode_problem(
                        StatusCode::FORBIDDEN,
                        "This token can only read",
                        "make a read-write token on your account page to change the diary".into(),
                        None,
                    )));
                }
                if !reads {
                    writes_allowed(store, site, &owner).await?;
                }
                request.extensions_mut().insert(Who {
                    owner,
                    means: Means::Token,
                });
                return Ok((request, None));
            }
            let (who, owner, csrf) = match signed_in(store, site, request.headers())
                .await
                .map_err(WebError::diary)?
            {
                Session::Live(found) => found,
                // A form that writes, sent after the sign-in ended: kept for its person to
                // sign in and save (issue 21), never dropped in silence.
                Session::Ended(ended)
                    if post && !api && unsaved::keepable(request.uri().path()) =>
                {
                    return Err(keep_unsaved(store, site, request, ended).await);
                }
                // A file is not kept (it is still on the person's device): the sign-in
                // page says it was not added.
                Session::Ended(_)
                    if post && !api && super::upload::is_multipart(request.headers()) =>
                {
                    return Err(WebError::NotSavedYet {
                        kept: None,
                        what: "file of cramps",
                    });
                }
                Session::Ended(_) => return Err(WebError::SignInFirst),
            };
            if post {
                request = with_checked_token(request, &csrf, api, &owner).await?;
                if !request.uri().path().starts_with("/account") {
                    writes_allowed(store, site, &owner).await?;
                }
            }
            let context = Context {
                accounts: true,
                csrf: Some(csrf),
                username: Some(who.username.clone()),
                passkeys: site.webauthn.is_some(),
                zone: cfg.time_zone,
                nhs_111_online: cfg.nhs_111_online.clone(),
                unsaved: unsaved::waiting(request.headers())
                    && !request.uri().path().starts_with("/diary/unsaved"),
            };
            request.extensions_mut().insert(Who {
                owner,
                means: Means::Session(who),
            });
            Ok((request, Some(context)))
        }
    }
}

/// One more change to `owner`'s diary this minute, counted for every server on the database;
/// refused with a wait past [`Site::writes_per_minute`] (issue 20, finding 7: one token wrote
/// 844 cramps a second).
async fn writes_allowed(store: &Store, site: &Site, owner: &Owner) -> Result<(), WebError> {
    let minute = legcramps_store::unix_seconds().div_euclid(60);
    let key = crate::http::backoff::Attempts::WritesBy {
        owner: owner.as_str(),
        minute,
    };
    match crate::http::backoff::must_wait(store, site, &[&key]).await {
        Some(seconds) => Err(WebError::TooMany { seconds }),
        None => Ok(()),
    }
}

/// The layer on the open account routes (see the module docs).
pub(crate) async fn gate(State(cfg): State<Shared>, mut request: Request, next: Next) -> Response {
    let page = Page::of(request.extensions());
    let DiaryAccess::Accounts { site, .. } = &cfg.diary else {
        return WebError::NotFound.reply(false, &page);
    };
    if !site_host(site, request.headers()) {
        return WebError::Forbidden(format!("This site is served at {}.", site.origin))
            .reply(false, &page);
    }
    if request.method() == Method::POST && cross_site(request.headers()) {
        return WebError::Forbidden(
            "This came from another website, so it was refused.".to_owned(),
        )
        .reply(false, &page);
    }
    request.extensions_mut().insert(Gated);
    by_route(next.run(request).await, false, &page)
}

/// The largest form a private route takes (a note is at most 500 characters).
const MAX_FORM_BYTES: usize = 64 * 1024;

/// A signed-in POST must carry the session's anti-forgery token: a form's `csrf` field, or an
/// `X-CSRF-Token` header. The API's JSON posts may instead rely on their content type, which
/// no other site can send without a CORS preflight this server never grants (ASVS 5.0 3.5.2).
async fn with_checked_token(
    request: Request,
    csrf: &str,
    api: bool,
    owner: &Owner,
) -> Result<Request, WebError> {
    let expired = || {
        WebError::diary_refused(
            StatusCode::FORBIDDEN,
            "This form has expired or did not come from this site, so nothing was changed. Go back, reload the page and try again.",
        )
    };
    let header_token = request
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if let Some(t) = header_token {
        return if legcramps_accounts::same_secret(&t, csrf) {
            Ok(request)
        } else {
            Err(expired())
        };
    }
    if api {
        // JSON only (the handler refuses anything else with 415 before reading it).
        return Ok(request);
    }
    // A form with a file: its `csrf` field, read once and handed on (see `upload`). Never
    // kept after a sign-in ends: the file is still on the person's device.
    if super::upload::is_multipart(request.headers()) {
        let (parts, form) = super::upload::read(request, owner.as_str()).await?;
        if !form
            .field("csrf")
            .is_some_and(|t| legcramps_accounts::same_secret(t, csrf))
        {
            return Err(expired());
        }
        let mut request = Request::from_parts(parts, axum::body::Body::empty());
        request.extensions_mut().insert(form);
        return Ok(request);
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_FORM_BYTES).await else {
        return Err(WebError::diary_refused(
            StatusCode::PAYLOAD_TOO_LARGE,
            "That form is too large.",
        ));
    };
    let posted = form_urlencoded::parse(&bytes)
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.into_owned());
    if !posted.is_some_and(|t| legcramps_accounts::same_secret(&t, csrf)) {
        // A form that writes, from before the latest sign-in: given back filled in, never
        // dropped (issue 21). Cross-site posts were refused before this.
        if unsaved::keepable(parts.uri.path())
            && let Ok(text) = std::str::from_utf8(&bytes)
        {
            return Err(WebError::StaleForm {
                what: unsaved::what(parts.uri.path()),
                action: parts.uri.path().to_owned(),
                fields: form_urlencoded::parse(text.as_bytes())
                    .into_owned()
                    .filter(|(k, _)| k != "csrf")
                    .collect(),
            });
        }
        return Err(expired());
    }
    let saving = form_urlencoded::parse(&bytes)
        .find(|(k, _)| k == unsaved::FIELD)
        .map(|(_, v)| unsaved::Saving(v.into_owned()));
    let mut request = Request::from_parts(parts, axum::body::Body::from(bytes));
    if let Some(s) = saving {
        request.extensions_mut().insert(s);
    }
    Ok(request)
}

/// Every request: the page context (accounts on, the session's anti-forgery token), and the
/// client's address behind a trusted proxy. The session itself is checked by [`guard`], only
/// where it is needed.
pub(crate) async fn context(
    State(cfg): State<Shared>,
    mut request: Request,
    next: Next,
) -> Response {
    let hosted = match &cfg.diary {
        DiaryAccess::Accounts { site, .. } => Some(site),
        _ => None,
    };
    if let Some(site) = hosted {
        forwarded_client(site, &mut request);
    }
    let csrf = hosted
        .and_then(|_| session::cookie(request.headers()))
        .map(|id| session::csrf_for(&id));
    let context = Context {
        accounts: hosted.is_some(),
        csrf,
        username: None,
        passkeys: hosted.is_some_and(|site| site.webauthn.is_some()),
        zone: cfg.time_zone,
        nhs_111_online: cfg.nhs_111_online.clone(),
        unsaved: false,
    };
    let api = request.uri().path().starts_with("/api/");
    request.extensions_mut().insert(context.clone());
    by_route(next.run(request).await, api, &Page(context))
}

/// Behind a trusted proxy (loopback, or one named in `Site::trusted_proxies`), the client is
/// the last address in `X-Forwarded-For`: the one the proxy itself appended. Anything a client
/// wrote there itself is to its left and ignored.
fn forwarded_client(site: &Site, request: &mut Request) {
    let Some(peer) = request.extensions().get::<ClientIp>().map(|ip| ip.0) else {
        return;
    };
    if !((site.trust_loopback && peer.is_loopback()) || site.trusted_proxies.contains(&peer)) {
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

/// A keyed hash of the client's IP for security events and backoff keys (never the IP).
pub(crate) fn ip_hash(site: &Site, request_ip: Option<&ClientIp>) -> String {
    let ip = request_ip.map_or_else(|| "unknown".to_owned(), |ip| address_group(ip.0));
    hash_secret(&format!("{}\n{ip}", site.ip_key))[..32].to_owned()
}

/// The address as the limits count it: an IPv4 address alone; an IPv6 address as its /64
/// (one household or phone is usually given a whole /64, so counting each address alone
/// let one person guess from 2^64 of them). An IPv4 address written as IPv6 counts as IPv4.
pub(crate) fn address_group(ip: std::net::IpAddr) -> String {
    match ip {
        std::net::IpAddr::V4(v4) => v4.to_string(),
        std::net::IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

/// The signed-in person behind this request's cookie, if the session is live, with their
/// diary's owner and the session's anti-forgery token.
/// What the request's session cookie turned out to be.
enum Session {
    /// Signed in: who, whose diary, and the session's anti-forgery token.
    Live((SignedIn, Owner, String)),
    /// Not signed in; the account whose session had just ended (idle, or open too long), if
    /// that is why.
    Ended(Option<AccountId>),
}

async fn signed_in(
    store: &Store,
    site: &Site,
    headers: &HeaderMap,
) -> Result<Session, legcramps_store::StoreError> {
    let Some(id) = session::cookie(headers) else {
        return Ok(Session::Ended(None));
    };
    let hash = hash_secret(&id);
    Ok(match store.check_session(&hash, site.sessions).await? {
        SessionCheck::Live(s, account) => Session::Live((
            SignedIn {
                account_id: account.id.clone(),
                username: account.username.clone(),
                session_hash: s.id_hash,
                confirmed_utc: s.confirmed_utc,
            },
            account.owner(),
            session::csrf_for(&id),
        )),
        SessionCheck::Ended(account) => Session::Ended(Some(account)),
        // Ended by time earlier (another tab noticed first): still whose it was.
        SessionCheck::Unknown => {
            Session::Ended(store.ended_session(&hash, site.unsaved_seconds).await?)
        }
    })
}

/// Keep a form that writes, sent after its sign-in ended (see [`unsaved`]): the error that
/// answers it, the sign-in page saying it is not saved yet (with the cookie that finds it),
/// or that it could not be kept. Its anti-forgery token is not checked: it belonged to the
/// ended session, and nothing is written to the diary until the person signs in and saves it
/// with a new one. Cross-site forms were refused before this.
async fn keep_unsaved(
    store: &Store,
    site: &Site,
    request: Request,
    ended: Option<AccountId>,
) -> WebError {
    let what = unsaved::what(request.uri().path());
    let path = request.uri().path().to_owned();
    let (parts, body) = request.into_parts();
    let keeper = match unsaved::keeper(store, &parts.headers, ended).await {
        Ok(k) => k,
        Err(e) => return WebError::diary(e),
    };
    let Some(account) = keeper else {
        return WebError::NotSavedYet { kept: None, what };
    };
    let Ok(bytes) = axum::body::to_bytes(body, MAX_FORM_BYTES).await else {
        return WebError::diary_refused(StatusCode::PAYLOAD_TOO_LARGE, "That form is too large.");
    };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return WebError::NotSavedYet { kept: None, what };
    };
    match unsaved::keep(store, site, &parts.headers, &account, &path, text).await {
        Ok(cookie) => WebError::NotSavedYet {
            kept: Some(cookie),
            what,
        },
        Err(e) => WebError::diary(e),
    }
}

/// The owner and scope of the request's bearer token, if it is valid.
async fn token_owner(
    store: &Store,
    headers: &HeaderMap,
) -> Result<Option<(Owner, Scope)>, legcramps_store::StoreError> {
    let Some(token) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            // The scheme is case-insensitive (RFC 9110, 11.1).
            let (scheme, token) = v.trim_start().split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then_some(token)
        })
        .map(str::trim)
        .filter(|t| t.starts_with("lc_pat_") && t.len() <= 128)
    else {
        return Ok(None);
    };
    Ok(store
        .token_account(&hash_secret(token))
        .await?
        .map(|(account, scope)| (account.owner(), Scope::from_stored(&scope))))
}

/// The accounts' store and site, for code that is handed the configuration rather than a
/// request; not found without accounts.
pub(crate) fn accounts(cfg: &Shared) -> Result<(&Store, &Arc<Site>), WebError> {
    match &cfg.diary {
        DiaryAccess::Accounts { store, site } => Ok((store, site)),
        _ => Err(WebError::NotFound),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 20, finding 5: the limits count an IPv6 address as its /64.
    #[test]
    fn an_ipv6_address_counts_as_its_64() {
        let group = |t: &str| super::address_group(t.parse().expect("an address"));
        assert_eq!(
            group("2001:db8:1:2::1"),
            group("2001:db8:1:2:ffff:ffff:ffff:ffff")
        );
        assert_ne!(group("2001:db8:1:2::1"), group("2001:db8:1:3::1"));
        assert_eq!(group("::ffff:192.0.2.7"), "192.0.2.7");
        assert_ne!(group("192.0.2.7"), group("192.0.2.8"));
    }

    /// A handler that takes `Hosted` but is mounted outside the gate and the guard answers
    /// 404: it never runs without the host and origin checks (outside review of issue 19).
    #[tokio::test]
    async fn hosted_refuses_a_request_neither_the_gate_nor_the_guard_let_through() {
        let dir = std::env::temp_dir().join(format!("legcramps_hosted_{}", std::process::id()));
        let store = Store::open_sqlite(&dir).await.expect("store");
        let cfg: Shared = Arc::new(crate::config::AppConfig {
            diary: DiaryAccess::Accounts {
                store: store.clone(),
                site: Arc::new(Site::new("https://diary.example.org", "key")),
            },
            settings: legcramps_core::patterns::Settings::default(),
            time_zone: crate::config::UK_TIME,
            nhs_111_online: None,
            push: None,
        });
        let (mut parts, ()) = axum::http::Request::new(()).into_parts();
        assert!(matches!(
            Hosted::from_request_parts(&mut parts, &cfg).await,
            Err(WebError::NotFound)
        ));
        parts.extensions.insert(Gated);
        assert!(Hosted::from_request_parts(&mut parts, &cfg).await.is_ok());
        store.close().await;
        let _ = std::fs::remove_dir_all(&dir);
    }
}
