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

pub use api::MAX_API_BODY_BYTES;

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
    axum::serve(listener, app(config))
        .with_graceful_shutdown(shutdown)
        .await
}
