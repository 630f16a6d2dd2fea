//! The legcramps web app and JSON API.
//!
//! Server-rendered pages in the NHS.UK design system's look (its CSS and JS installed from npm
//! by `build.rs` and embedded), working without JavaScript; the JSON API with an OpenAPI 3.1
//! description. Everything clinical comes from `legcramps-core` — the same content, questions
//! and rules as the command line — and the check keeps its answers in the page, never on the
//! server.
//!
//! - [`router`] builds the whole app; `legcramps serve` and the tests use the same function.
//! - `pages`: home, guidance topics, stretches, accessibility, privacy.
//! - `check`: "Check your leg cramps", one question per page.
//! - `api`: `/api/v1/...` and `/api/openapi.json`, errors as RFC 9457 problem+json.
//! - `middleware`: security headers and request logs (which never contain answers).

mod accounts;
mod api;
mod assets;
mod charts;
mod check;
mod date_input;
mod diary;
mod factors;
mod middleware;
mod offline;
mod pages;
mod passkeys;
mod profile;
pub mod report;
mod session;
mod views;

use std::future::Future;
use std::io;
use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};
use legcramps_core::patterns::Settings;
use legcramps_store::Store;
use tokio::net::TcpListener;

pub use api::{API_ROUTES, MAX_API_BODY_BYTES};

/// Whether the diary is served, and if not, why not (shown on the diary pages).
#[derive(Debug, Clone)]
pub enum DiaryAccess {
    On {
        store: Store,
        /// Which host names a request may name to reach the diary (this defeats DNS-rebinding
        /// pages, whose requests name the attacker's host).
        hosts: HostCheck,
    },
    /// Accounts (`serve --accounts`): each person signs up and in, and sees only their own
    /// diary.
    Accounts {
        store: Store,
        site: Arc<Site>,
    },
    Off(String),
}

/// A hosted site with accounts: where people reach it, and its settings.
#[derive(Debug)]
pub struct Site {
    /// `https://diary.example.org` (or `http://127.0.0.1:8080` on loopback): scheme, host and
    /// port, no path.
    pub origin: String,
    /// The `Host` header requests must carry (host and port as in `origin`, lower case).
    pub host: String,
    /// Whether people reach it over https (then HSTS is sent).
    pub https: bool,
    pub sessions: legcramps_store::SessionLimits,
    /// Waits after failed sign-ins (and between sign-ups), per IP and per username.
    pub backoff: legcramps_accounts::Backoff,
    /// The key for hashing IP addresses in security events.
    pub ip_key: String,
    /// The passkey relying party (`None` where passkeys cannot work: an IP address).
    pub(crate) webauthn: Option<webauthn_rs::Webauthn>,
    /// How many password hashes run at once (a setting; default: one fewer than the cores,
    /// at least one), so that sign-ins cannot take every core from the rest of the site.
    pub(crate) hashing: Arc<tokio::sync::Semaphore>,
    /// Proxies whose `X-Forwarded-For` names the client (besides loopback addresses, which
    /// are always trusted: the documented deployment puts the TLS proxy on the same host).
    /// The backoff and the security events use the address the proxy saw, so one person's
    /// failures never slow everyone else behind the same proxy.
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

impl Site {
    /// A site at `origin` (scheme://host[:port]) with default session limits and backoff.
    /// `ip_key` keys the IP hashes in security events (keep it the same across processes).
    pub fn new(origin: &str, ip_key: &str) -> Site {
        let origin = origin.trim_end_matches('/').to_ascii_lowercase();
        let webauthn = passkeys::relying_party(&origin);
        let https = origin.starts_with("https://");
        let host = origin
            .split_once("://")
            .map_or(origin.as_str(), |(_, h)| h)
            .to_owned();
        Site {
            origin,
            host,
            https,
            sessions: legcramps_store::SessionLimits::default(),
            backoff: legcramps_accounts::Backoff::default(),
            ip_key: ip_key.to_owned(),
            webauthn,
            hashing: Arc::new(tokio::sync::Semaphore::new(default_hashing())),
            trusted_proxies: Vec::new(),
        }
    }
}

/// One fewer password hash at a time than there are cores (at least one).
fn default_hashing() -> usize {
    std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .saturating_sub(1)
        .max(1)
}

impl Site {
    /// Run at most `n` password hashes at once (at least one).
    pub fn with_hashing(mut self, n: usize) -> Site {
        self.hashing = Arc::new(tokio::sync::Semaphore::new(n.max(1)));
        self
    }
}

/// The client's address, put on each request by [`serve_with`] (absent in tests that call
/// the router directly).
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub std::net::IpAddr);

/// The host names the diary answers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostCheck {
    /// The server listens on a loopback address: only `localhost` and loopback IPs (always,
    /// whatever the flags).
    Loopback,
    /// `--single-user` on an address others can reach: only these names (lower case).
    Allowed(Vec<String>),
}

/// What the app serves.
#[derive(Debug, Clone)]
pub struct AppConfig {
    pub diary: DiaryAccess,
    /// Product settings for the diary's patterns (not clinical facts).
    pub settings: Settings,
    /// The zone the diary's forms read and show times in (`serve --time-zone`; default
    /// Europe/London, shown as "UK time").
    pub time_zone: chrono_tz::Tz,
    /// The address of the NHS online urgent service of the host's nation (`111 online`
    /// differs by nation: England's, NHS 24's for Scotland, ...), shown beside the phone
    /// number 111; `None` (the default) shows no address, only the number (PRODUCT.md,
    /// "Settings a host owns").
    pub nhs_111_online: Option<Arc<str>>,
}

/// The default zone: UK time.
pub const UK_TIME: chrono_tz::Tz = chrono_tz::Europe::London;

/// A time zone by its IANA name ("Europe/London"), for `serve --time-zone`.
pub fn parse_time_zone(name: &str) -> Option<chrono_tz::Tz> {
    name.trim().parse().ok()
}

pub(crate) type Shared = Arc<AppConfig>;

/// Whether the design system was installed at build time ("installed") or the fallback
/// stylesheet is in use ("fallback").
pub const DESIGN_SYSTEM: &str = env!("LEGCRAMPS_NHSUK");

/// The app without a diary (the guidance, the check, the stretches and the triage API).
pub fn router() -> Router {
    app(AppConfig {
        diary: DiaryAccess::Off("this server was started without a diary".to_owned()),
        settings: Settings::default(),
        time_zone: UK_TIME,
        nhs_111_online: None,
    })
}

/// Whether a response may be compressed (see [`app`]): not `no-store`, not already encoded.
fn compressible(headers: &axum::http::HeaderMap) -> bool {
    use axum::http::header;
    let no_store = headers.get_all(header::CACHE_CONTROL).iter().any(|v| {
        v.to_str()
            .map_or(true, |v| v.to_ascii_lowercase().contains("no-store"))
    });
    !no_store && !headers.contains_key(header::CONTENT_ENCODING)
}

/// The whole app: pages, check, diary, API, assets, health check, with security headers and
/// request logging on every response.
pub fn app(config: AppConfig) -> Router {
    let shared: Shared = Arc::new(config);
    // The diary router is built from DIARY_ROUTES alone, so the ownership tests, which walk
    // the same table, cannot miss a route.
    let diary = DIARY_ROUTES
        .iter()
        .fold(Router::new(), |r, (path, methods)| {
            r.route(path, diary_methods(path, methods))
        })
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            diary::guard,
        ))
        .with_state(shared.clone());
    // Signing up and in: open to all (they check the host and the origin themselves).
    let sign_in = Router::new()
        .route(
            "/account/sign-up",
            get(accounts::sign_up_form).post(accounts::sign_up),
        )
        .route(
            "/account/sign-in",
            get(accounts::sign_in_form).post(accounts::sign_in),
        )
        .route(
            "/account/recover",
            get(accounts::recover_form).post(accounts::recover),
        )
        .route("/account/sign-in/step", post(factors::step))
        .route("/account/passkey/options", post(passkeys::options))
        .with_state(shared.clone());
    Router::new()
        .route("/", get(pages::home))
        .route("/guide/{slug}", get(pages::topic))
        .route("/stretches", get(pages::stretches))
        .route("/accessibility", get(pages::accessibility))
        .route("/privacy", get(pages::privacy))
        .route("/check", get(check::start).post(check::step))
        .route("/healthz", get(|| async { "ok" }))
        .route("/api/v1/triage", post(api::triage))
        .route("/api/v1/content", get(api::content))
        .route("/api/openapi.json", get(api::openapi))
        .route("/assets/{*path}", get(assets::serve))
        .route("/favicon.ico", get(assets::favicon))
        .route("/manifest.webmanifest", get(offline::manifest))
        .route("/sw.js", get(offline::service_worker))
        .route("/offline", get(offline::page))
        .merge(diary)
        .merge(sign_in)
        .fallback(pages::not_found_for)
        .method_not_allowed_fallback(pages::method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            accounts::context,
        ))
        // Pages and API answers compressed for the browsers that accept it, except a response
        // marked no-store: those are the only ones that carry a secret (the anti-forgery token)
        // or health data, some beside what the person typed, and compressing them would open
        // them to BREACH (docs/security.md). Assets come precompressed and are left alone.
        .layer(
            tower_http::compression::CompressionLayer::new().compress_when(
                tower_http::compression::predicate::Predicate::and(
                    tower_http::compression::predicate::DefaultPredicate::new(),
                    |_: axum::http::StatusCode,
                     _: axum::http::Version,
                     headers: &axum::http::HeaderMap,
                     _: &axum::http::Extensions| compressible(headers),
                ),
            ),
        )
        .layer(axum::middleware::from_fn_with_state(
            shared,
            middleware::headers_and_logs,
        ))
}

/// Every route behind the diary guard (the signed-in person's own data, or the local diary):
/// path and methods. The router is built from this table, and the tests that show one person
/// cannot reach another's data walk it.
pub const DIARY_ROUTES: &[(&str, &[&str])] = &[
    ("/diary", &["get", "post"]),
    ("/diary/new", &["get"]),
    ("/diary/quick", &["post"]),
    ("/diary/patterns", &["get"]),
    ("/diary/summary", &["get"]),
    ("/diary/export.csv", &["get"]),
    ("/diary/export.json", &["get"]),
    ("/diary/export.fhir.json", &["get"]),
    ("/diary/reminder.ics", &["get"]),
    ("/diary/delete-all", &["get", "post"]),
    ("/diary/checks", &["post"]),
    ("/diary/profile", &["get"]),
    ("/diary/profile/medicines", &["post"]),
    ("/diary/profile/medicines/new", &["get"]),
    ("/diary/profile/medicines/{id}", &["get", "post"]),
    ("/diary/profile/medicines/{id}/delete", &["get", "post"]),
    ("/diary/profile/pregnancies", &["post"]),
    ("/diary/profile/pregnancies/new", &["get"]),
    ("/diary/profile/pregnancies/{id}", &["get", "post"]),
    ("/diary/profile/pregnancies/{id}/delete", &["get", "post"]),
    ("/diary/profile/conditions", &["post"]),
    ("/diary/profile/conditions/new", &["get"]),
    ("/diary/profile/conditions/{id}", &["get", "post"]),
    ("/diary/profile/conditions/{id}/delete", &["get", "post"]),
    ("/diary/{id}", &["post"]),
    ("/diary/{id}/edit", &["get"]),
    ("/diary/{id}/delete", &["get", "post"]),
    ("/api/v1/episodes", &["get", "post"]),
    ("/account", &["get"]),
    ("/account/sign-out", &["post"]),
    ("/account/sessions/end-others", &["post"]),
    ("/account/delete", &["get", "post"]),
    ("/account/password", &["get", "post"]),
    ("/account/recovery-codes", &["get", "post"]),
    ("/account/tokens", &["post"]),
    ("/account/tokens/{id}/revoke", &["post"]),
    ("/account/security", &["get"]),
    ("/account/totp", &["get", "post"]),
    ("/account/totp/remove", &["post"]),
    ("/account/passkeys", &["post"]),
    ("/account/passkeys/options", &["post"]),
    ("/account/passkeys/{id}/remove", &["get", "post"]),
    ("/account/passkeys/{id}/rename", &["get", "post"]),
];

/// The handlers of one row of [`DIARY_ROUTES`].
fn diary_methods(path: &str, methods: &[&str]) -> axum::routing::MethodRouter<Shared> {
    use axum::routing::MethodRouter;
    let one = |method: &str| -> MethodRouter<Shared> {
        match (path, method) {
            ("/diary", "get") => get(diary::list),
            ("/diary", "post") => post(diary::create),
            ("/diary/new", "get") => get(diary::new_form),
            ("/diary/quick", "post") => post(diary::quick),
            ("/diary/patterns", "get") => get(diary::patterns),
            ("/diary/summary", "get") => get(diary::summary),
            ("/diary/export.csv", "get") => get(diary::export_csv),
            ("/diary/export.json", "get") => get(diary::export_json),
            ("/diary/export.fhir.json", "get") => get(diary::export_fhir),
            ("/diary/reminder.ics", "get") => get(diary::reminder),
            ("/diary/delete-all", "get") => get(diary::delete_all_form),
            ("/diary/delete-all", "post") => post(diary::delete_all),
            ("/diary/checks", "post") => post(diary::save_check),
            ("/diary/profile", "get") => get(profile::page),
            (
                "/diary/profile/medicines"
                | "/diary/profile/pregnancies"
                | "/diary/profile/conditions",
                "post",
            ) => post(profile::create),
            (
                "/diary/profile/medicines/new"
                | "/diary/profile/pregnancies/new"
                | "/diary/profile/conditions/new",
                "get",
            ) => get(profile::new_form),
            (
                "/diary/profile/medicines/{id}"
                | "/diary/profile/pregnancies/{id}"
                | "/diary/profile/conditions/{id}",
                "get",
            ) => get(profile::edit_form),
            (
                "/diary/profile/medicines/{id}"
                | "/diary/profile/pregnancies/{id}"
                | "/diary/profile/conditions/{id}",
                "post",
            ) => post(profile::update),
            (
                "/diary/profile/medicines/{id}/delete"
                | "/diary/profile/pregnancies/{id}/delete"
                | "/diary/profile/conditions/{id}/delete",
                "get",
            ) => get(profile::delete_form),
            (
                "/diary/profile/medicines/{id}/delete"
                | "/diary/profile/pregnancies/{id}/delete"
                | "/diary/profile/conditions/{id}/delete",
                "post",
            ) => post(profile::delete),
            ("/diary/{id}", "post") => post(diary::update),
            ("/diary/{id}/edit", "get") => get(diary::edit_form),
            ("/diary/{id}/delete", "get") => get(diary::delete_form),
            ("/diary/{id}/delete", "post") => post(diary::delete),
            ("/api/v1/episodes", "get") => get(diary::api_list),
            ("/api/v1/episodes", "post") => post(diary::api_create),
            ("/account", "get") => get(accounts::page),
            ("/account/sign-out", "post") => post(accounts::sign_out),
            ("/account/sessions/end-others", "post") => post(accounts::end_others),
            ("/account/delete", "get") => get(accounts::delete_form),
            ("/account/delete", "post") => post(accounts::delete),
            ("/account/password", "get") => get(accounts::password_form),
            ("/account/password", "post") => post(accounts::change_password),
            ("/account/recovery-codes", "get") => get(accounts::codes_form),
            ("/account/recovery-codes", "post") => post(accounts::new_codes),
            ("/account/tokens", "post") => post(accounts::create_token),
            ("/account/tokens/{id}/revoke", "post") => post(accounts::revoke_token),
            ("/account/security", "get") => get(factors::security),
            ("/account/totp", "get") => get(factors::totp_form),
            ("/account/totp", "post") => post(factors::totp_confirm),
            ("/account/totp/remove", "post") => post(factors::totp_remove),
            ("/account/passkeys", "post") => post(passkeys::add),
            ("/account/passkeys/options", "post") => post(passkeys::options_signed_in),
            ("/account/passkeys/{id}/remove", "get") => get(passkeys::remove_form),
            ("/account/passkeys/{id}/remove", "post") => post(passkeys::remove),
            ("/account/passkeys/{id}/rename", "get") => get(passkeys::rename_form),
            ("/account/passkeys/{id}/rename", "post") => post(passkeys::rename),
            // A row of the table without a handler is a programming error that every test
            // (each builds the router) finds at once.
            _ => panic!("DIARY_ROUTES names {method} {path}, which has no handler"),
        }
    };
    methods
        .iter()
        .map(|m| one(m))
        .reduce(MethodRouter::merge)
        .unwrap_or_default()
}

/// Serve the app on `listener` until `shutdown` completes, then finish in-flight requests.
pub async fn serve(
    listener: TcpListener,
    config: AppConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    serve_with(listener, config, Limits::default(), shutdown).await
}

/// What one connection and one request may take: settings, with defaults that suit a
/// service on the internet behind a TLS proxy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// How long a client has to send a request's headers once it has started them.
    pub header_read_timeout: std::time::Duration,
    /// How long a connection may send nothing at all (a new one, or one kept alive between
    /// requests) before it is closed.
    pub idle_timeout: std::time::Duration,
    /// How long one request may take from its headers to its response.
    pub request_timeout: std::time::Duration,
    /// How many connections are served at once; more wait to be accepted.
    pub max_connections: usize,
    /// The largest request head (request line and headers); larger gets 431.
    pub max_header_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_read_timeout: std::time::Duration::from_secs(10),
            idle_timeout: std::time::Duration::from_secs(60),
            request_timeout: std::time::Duration::from_secs(30),
            max_connections: 512,
            max_header_bytes: 64 * 1024,
        }
    }
}

/// Serve with explicit [`Limits`]: connections that send their headers too slowly, or idle,
/// are closed; a request that takes too long gets a 503 with `Retry-After`; no more than
/// `max_connections` are served at once, so slow or idle clients cannot starve `/healthz`.
pub async fn serve_with(
    listener: TcpListener,
    config: AppConfig,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
    use hyper_util::server::conn::auto::Builder;
    use hyper_util::service::TowerToHyperService;

    let timeout = limits.request_timeout;
    let app = app(config).layer(axum::middleware::from_fn(move |request, next| {
        middleware::request_timeout(timeout, request, next)
    }));
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_buf_size(limits.max_header_bytes.max(8192));
    let builder = builder.http1_only();
    let permits = Arc::new(tokio::sync::Semaphore::new(limits.max_connections.max(1)));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        // Wait for a free slot before accepting, so the backlog holds the rest.
        let permit = tokio::select! {
            p = permits.clone().acquire_owned() => p.map_err(io::Error::other)?,
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                // A connection that failed before it was accepted (reset, out of descriptors
                // for a moment) is that client's problem, not the server's.
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let ip = ClientIp(peer.ip());
        let service = TowerToHyperService::new(tower::ServiceExt::map_request(
            app.clone(),
            move |mut request: axum::http::Request<hyper::body::Incoming>| {
                request.extensions_mut().insert(ip);
                request
            },
        ));
        // A connection that sends nothing for the idle timeout is closed, whether it is new or
        // kept alive between requests (hyper's own timer only starts once a head begins).
        let mut stream = tokio_io_timeout::TimeoutStream::new(stream);
        stream.set_read_timeout(Some(limits.idle_timeout));
        let connection = builder
            .serve_connection_with_upgrades(TokioIo::new(Box::pin(stream)), service)
            .into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // Errors here are one client's (a timeout, a reset): nothing to log per request.
            let _ = connection.await;
            drop(permit);
        });
    }
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(std::time::Duration::from_secs(10)) => {
            tracing::warn!("requests still running after 10 s; stopping anyway");
        }
    }
    Ok(())
}
