//! The legcramps web app and JSON API.
//!
//! Server-rendered pages in the NHS.UK design system's look (its compiled CSS and JS committed
//! in `vendor/nhsuk/` and embedded by `build.rs`), working without JavaScript; the JSON API with an OpenAPI 3.1
//! description. Everything clinical comes from `legcramps-core` — the same content, questions
//! and rules as the command line — and the check keeps its answers in the page, never on the
//! server.
//!
//! - [`router`] builds the whole app; `legcramps serve` and the tests use the same function.
//! - The kernel, which every feature may use and which uses none: `config` and `http`
//!   (who is asking, the one error type, rendering, sessions, headers and logs).
//! - The features: `guide`, `check`, `diary`, `profile`, `account`.
//! - The top: `routes` (the one route list), `openapi`, `serve`.
//!
//! ARCHITECTURE.md draws the map and says how to add a route.

// The kernel: what every feature may use, and which uses no feature.
mod config;
mod http;

// The features: each imports only the kernel and the crates below this one.
mod account;
mod check;
mod diary;
mod guide;
mod profile;
mod reminders;

// The top: the route list, the API description and the serve loop, which name the features.
mod openapi;
mod routes;
mod serve;

pub use config::{
    AppConfig, ClientIp, DiaryAccess, HostCheck, Limits, MAX_API_BODY_BYTES, PUSH_SERVICES, Push,
    Site, UK_TIME, parse_time_zone,
};
pub use diary::summary as report;
pub use openapi::API_ROUTES;
pub use reminders::send::{
    Round as ReminderRound, run as send_reminders, send_due as send_due_reminders,
};
pub use routes::{DIARY_ROUTES, app, router};
pub use serve::{serve, serve_with};

/// The design system embedded: "nhsuk-frontend 10.6.1 (MIT licence)", from
/// `vendor/nhsuk/NOTICE`.
pub const DESIGN_SYSTEM: &str = env!("LEGCRAMPS_NHSUK");
