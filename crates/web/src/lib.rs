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
mod middleware;
mod pages;
pub mod report;
mod views;

use std::future::Future;
use std::io;

use axum::Router;
use axum::routing::{get, post};
use tokio::net::TcpListener;

pub use api::MAX_API_BODY_BYTES;

/// Whether the design system was installed at build time ("installed") or the fallback
/// stylesheet is in use ("fallback").
pub const DESIGN_SYSTEM: &str = env!("LEGCRAMPS_NHSUK");

/// The whole app: pages, check, API, assets, health check, with security headers and
/// request logging on every response.
pub fn router() -> Router {
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
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn(middleware::headers_and_logs))
}

/// Serve the app on `listener` until `shutdown` completes, then finish in-flight requests.
pub async fn serve(
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    axum::serve(listener, router())
        .with_graceful_shutdown(shutdown)
        .await
}
