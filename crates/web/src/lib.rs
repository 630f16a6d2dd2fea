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

// The kernel: what every feature may use, and which uses no feature.
mod config;
mod http;

// The features: each imports only the kernel and the crates below this one.
mod account;
mod check;
mod diary;
mod guide;
mod profile;

// The top: the route list, the API description and the serve loop, which name the features.
mod openapi;
mod routes;
mod serve;

pub use config::{
    AppConfig, ClientIp, DiaryAccess, HostCheck, Limits, MAX_API_BODY_BYTES, Site, UK_TIME,
    parse_time_zone,
};
pub use diary::summary as report;
pub use openapi::API_ROUTES;
pub use routes::{DIARY_ROUTES, app, router};
pub use serve::{serve, serve_with};

/// Whether the design system was installed at build time ("installed") or the fallback
/// stylesheet is in use ("fallback").
pub const DESIGN_SYSTEM: &str = env!("LEGCRAMPS_NHSUK");
