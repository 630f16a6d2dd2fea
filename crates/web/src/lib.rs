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

mod api;
mod assets;
mod charts;
mod check;
mod diary;
mod middleware;
mod pages;
pub mod report;
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
    Off(String),
}

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
    })
}

/// The whole app: pages, check, diary, API, assets, health check, with security headers and
/// request logging on every response.
pub fn app(config: AppConfig) -> Router {
    let shared: Shared = Arc::new(config);
    let diary = Router::new()
        .route("/diary", get(diary::list).post(diary::create))
        .route("/diary/new", get(diary::new_form))
        .route("/diary/patterns", get(diary::patterns))
        .route("/diary/summary", get(diary::summary))
        .route("/diary/export.csv", get(diary::export_csv))
        .route("/diary/export.json", get(diary::export_json))
        .route("/diary/export.fhir.json", get(diary::export_fhir))
        .route("/diary/reminder.ics", get(diary::reminder))
        .route(
            "/diary/delete-all",
            get(diary::delete_all_form).post(diary::delete_all),
        )
        .route("/diary/checks", post(diary::save_check))
        .route("/diary/{id}", post(diary::update))
        .route("/diary/{id}/edit", get(diary::edit_form))
        .route(
            "/diary/{id}/delete",
            get(diary::delete_form).post(diary::delete),
        )
        .route(
            "/api/v1/episodes",
            get(diary::api_list).post(diary::api_create),
        )
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            diary::guard,
        ))
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
        .merge(diary)
        .fallback(pages::not_found_for)
        .method_not_allowed_fallback(pages::method_not_allowed)
        .layer(axum::middleware::from_fn(middleware::headers_and_logs))
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
        let (stream, _) = tokio::select! {
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
        let service = TowerToHyperService::new(app.clone());
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
