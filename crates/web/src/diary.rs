//! The cramp diary on the web: log, list, edit and delete episodes; patterns with accessible
//! charts; the printable GP summary; exports and the reminder; and the JSON API for episodes.
//!
//! Until accounts exist the diary is one person's health data with no login, so it is served
//! only when the server listens on a loopback address or was started with `--single-user`
//! ([`crate::DiaryAccess`]). [`guard`] enforces that on every diary request, refuses requests
//! that name a non-loopback host when serving loopback only (a DNS-rebinding page cannot read
//! the diary), refuses cross-site form posts, and marks every diary response `no-store`.

// Handlers return a ready `Response` as their error: it is what axum sends, and boxing it
// would only move the allocation.
#![allow(clippy::result_large_err)]
use std::str::FromStr;

use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Local, NaiveDate, NaiveTime, TimeZone, Timelike, Utc};
use legcramps_contract::diary_io::{DiaryFile, SavedCheck, new_episode_from_json, to_csv, to_json};
use legcramps_contract::{fhir, ics};
use legcramps_core::Level;
use legcramps_core::diary::{
    Context, Duration, Eased, Episode, EpisodeId, Helped, MAX_NOTE_CHARS, Note, Severity, Side,
    Site, Suspected, parse_choices, parse_date,
};
use legcramps_core::patterns::{Summary, summarise_since};
use legcramps_core::profile::Profile;
use legcramps_store::{Owner, Store, new_id};
use serde::Deserialize;

use crate::date_input::{self, DateBox};
use crate::middleware::cross_site;
use crate::pages::render;
use crate::report::SummaryView;
use crate::views::Layout;
use crate::{DiaryAccess, HostCheck, Shared, charts};

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

fn refused(status: StatusCode, reason: String, api: bool) -> Response {
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
                return crate::pages::not_found_page();
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
                return match crate::accounts::token_owner(store, request.headers()).await {
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
            let who = match crate::accounts::signed_in(store, site, request.headers()).await {
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
            let context = crate::session::Context {
                accounts: true,
                csrf: Some(csrf),
                username: Some(who.username.clone()),
                passkeys: site.webauthn.is_some(),
                zone: cfg.time_zone,
                nhs_111_online: cfg.nhs_111_online.clone(),
            };
            request.extensions_mut().insert(owner);
            request.extensions_mut().insert(who);
            let mut response = crate::session::with_context(context, request, next).await;
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
fn api_failed(e: impl std::fmt::Display) -> Response {
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
        match store(&$cfg) {
            Some(s) => s,
            None => return failed("the diary is off"),
        }
    };
}

// ---------------------------------------------------------------------------------------------
// The episode form

/// A radio option.
#[derive(Debug)]
pub(crate) struct Opt {
    pub(crate) value: &'static str,
    pub(crate) label: &'static str,
    pub(crate) hint: &'static str,
    pub(crate) checked: bool,
}

/// What the form shows: the values typed (so nothing is lost when there is an error), and the
/// errors by field.
#[derive(Debug, Clone)]
pub(crate) struct FormValues {
    day: String,
    month: String,
    year: String,
    time: String,
    /// The time zone the date and time are in (the server's setting: UK time by default).
    zone: chrono_tz::Tz,
    minutes: String,
    site: String,
    side: String,
    asleep: String,
    eased: String,
    severity: String,
    note: String,
    exercise: bool,
    short_of_fluids: bool,
    /// The cramp was logged as "last night" (the quick log): an empty time keeps it so.
    last_night: bool,
    /// The boxes ticked for what helped and what came before, as sent.
    helped: Vec<String>,
    suspected: Vec<String>,
}

/// How the time zone is named for people: "UK time" for Europe/London, else its name.
pub(crate) fn zone_label(zone: chrono_tz::Tz) -> String {
    if zone == chrono_tz::Europe::London {
        "UK time".to_owned()
    } else {
        format!("{} time", zone.name())
    }
}

impl FormValues {
    fn empty(zone: chrono_tz::Tz) -> Self {
        FormValues {
            day: String::new(),
            month: String::new(),
            year: String::new(),
            time: String::new(),
            zone,
            minutes: String::new(),
            site: String::new(),
            side: String::new(),
            asleep: String::new(),
            eased: String::new(),
            severity: String::new(),
            note: String::new(),
            exercise: false,
            short_of_fluids: false,
            last_night: false,
            helped: Vec::new(),
            suspected: Vec::new(),
        }
    }

    fn for_now(zone: chrono_tz::Tz) -> Self {
        let now = Utc::now().with_timezone(&zone);
        FormValues {
            day: now.format("%-d").to_string(),
            month: now.format("%-m").to_string(),
            year: now.format("%Y").to_string(),
            time: now.format("%H:%M").to_string(),
            ..FormValues::empty(zone)
        }
    }

    fn zone_label(&self) -> String {
        zone_label(self.zone)
    }

    fn from_episode(e: &Episode, zone: chrono_tz::Tz) -> Self {
        // Shown in the server's zone, whatever offset it was logged with.
        let start = e.start.with_timezone(&zone);
        FormValues {
            day: start.format("%-d").to_string(),
            month: start.format("%-m").to_string(),
            year: start.format("%Y").to_string(),
            time: if e.last_night {
                String::new()
            } else {
                start.format("%H:%M").to_string()
            },
            zone,
            minutes: e.duration.map_or(String::new(), |d| {
                let m = d.minutes();
                if (m * 60.0).round() % 60.0 == 0.0 {
                    format!("{m:.0}")
                } else {
                    format!("{m:.2}")
                }
            }),
            site: e.site.map_or("", Site::name).into(),
            side: e.side.name().into(),
            asleep: match e.asleep {
                Some(true) => "asleep",
                Some(false) => "awake",
                None => "",
            }
            .into(),
            eased: e.eased.map_or("", Eased::name).into(),
            severity: e.severity.name().into(),
            note: e
                .note
                .as_ref()
                .map_or(String::new(), |n| n.as_str().to_owned()),
            exercise: e.context.exercise,
            short_of_fluids: e.context.short_of_fluids,
            last_night: e.last_night,
            helped: e
                .context
                .helped
                .iter()
                .map(|h| h.name().to_owned())
                .collect(),
            suspected: e
                .context
                .suspected
                .iter()
                .map(|b| b.name().to_owned())
                .collect(),
        }
    }

    fn from_form(body: &[u8], zone: chrono_tz::Tz) -> Self {
        let mut v = FormValues::empty(zone);
        for (k, val) in form_urlencoded::parse(body) {
            let val = val.into_owned();
            match k.as_ref() {
                "start-day" => v.day = val,
                "start-month" => v.month = val,
                "start-year" => v.year = val,
                "start-time" => v.time = val,
                "minutes" => v.minutes = val,
                "site" => v.site = val,
                "side" => v.side = val,
                "asleep" => v.asleep = val,
                "eased" => v.eased = val,
                "severity" => v.severity = val,
                "note" => v.note = val,
                "exercise" => v.exercise = true,
                "short_of_fluids" => v.short_of_fluids = true,
                "last-night" => v.last_night = val == "yes",
                "helped" => v.helped.push(val),
                "suspected" => v.suspected.push(val),
                _ => {}
            }
        }
        v
    }

    /// Check every field; all problems at once, each with the id of the input it is about.
    fn episode(&self, id: EpisodeId) -> Result<Episode, Vec<(&'static str, String)>> {
        let mut errors: Vec<(&'static str, String)> = Vec::new();
        let mut check = |id: &'static str, r: Result<(), String>| {
            if let Err(m) = r {
                errors.push((id, m));
            }
        };
        let date = date_input::read(&self.day, &self.month, &self.year);
        // A cramp logged as "last night" keeps its stand-in time while the time is left empty.
        let last_night = self.last_night && self.time.trim().is_empty();
        let time = if last_night {
            Some(legcramps_core::diary::LAST_NIGHT_AT)
        } else {
            NaiveTime::parse_from_str(self.time.trim(), "%H:%M").ok()
        };
        let mut start = None;
        match (date, time) {
            (Err(at_fault), _) => check(
                match at_fault {
                    DateBox::Day => "start-day",
                    DateBox::Month => "start-month",
                    DateBox::Year => "start-year",
                },
                Err("Enter a real date, for example 20 11 2026".into()),
            ),
            (_, None) => check(
                "start-time",
                Err("Enter the time on the 24-hour clock, for example 02:10".into()),
            ),
            (Ok(d), Some(t)) => {
                // In the server's zone. The hour the clocks go back happens twice: the first is
                // taken. The hour they go forward never happens: that is an error, said so.
                // A "last night" stand-in is never later than now (the same rule as logging).
                let local = if last_night {
                    legcramps_core::diary::last_night_start(
                        d.and_time(t)
                            .min(Utc::now().with_timezone(&self.zone).naive_local()),
                    )
                } else {
                    d.and_time(t)
                };
                match self.zone.from_local_datetime(&local).earliest() {
                    Some(local) => {
                        let dt = local.fixed_offset();
                        if dt > Utc::now().fixed_offset() + chrono::Duration::minutes(5) {
                            check(
                                "start-day",
                                Err("The date and time must not be in the future".into()),
                            );
                        } else {
                            match Episode::check_start(dt) {
                                Ok(dt) => start = Some(dt),
                                Err(e) => {
                                    check("start-year", Err(format!("The date {}", e.message)));
                                }
                            }
                        }
                    }
                    None => check(
                        "start-time",
                        Err(format!(
                            "{} did not happen on that day in {} (the clocks went forward): check the time",
                            t.format("%H:%M"),
                            zone_label(self.zone)
                        )),
                    ),
                }
            }
        }
        // How long, which muscle, asleep and eased are optional (the quick log leaves them for
        // later): empty is "not logged"; anything else must be a real answer.
        let duration = if self.minutes.trim().is_empty() {
            Ok(None)
        } else {
            Duration::parse_typed(&self.minutes).map(Some).map_err(|e| {
                if e.message.starts_with('`') {
                    format!("Enter how long the cramp lasted: {}", e.message)
                } else {
                    format!("The length of the cramp {}", e.message)
                }
            })
        };
        let duration = duration
            .map_err(|m| errors.push(("minutes", m)))
            .ok()
            .flatten();
        // A choice that is missing (where one is needed), or is not one of the options
        // offered, gets the same message.
        let mut choose = |field: &'static str, v: &str, what: &str, ok: bool, needed: bool| {
            if (v.is_empty() && needed) || (!v.is_empty() && !ok) {
                errors.push((field, format!("Select {what}")));
            }
        };
        let site = Site::from_str(&self.site).ok();
        choose(
            "site",
            &self.site,
            "which muscle cramped",
            site.is_some(),
            false,
        );
        let side = Side::from_str(&self.side).ok();
        choose("side", &self.side, "which leg", side.is_some(), true);
        let asleep = match self.asleep.as_str() {
            "asleep" => Some(true),
            "awake" => Some(false),
            _ => None,
        };
        choose(
            "asleep",
            &self.asleep,
            "whether you were asleep",
            asleep.is_some(),
            false,
        );
        let eased = Eased::from_str(&self.eased).ok();
        choose(
            "eased",
            &self.eased,
            "whether moving eased it",
            eased.is_some(),
            false,
        );
        let severity = Severity::from_str(&self.severity).ok();
        choose(
            "severity",
            &self.severity,
            "how bad it was",
            severity.is_some(),
            true,
        );
        let note = Note::new(&self.note)
            .map_err(|e| errors.push(("note", format!("The note {}", e.message))))
            .ok()
            .flatten();
        let helped = parse_choices::<Helped>(&self.helped.join(";"))
            .map_err(|_| errors.push(("helped", "Select only the choices shown".to_owned())))
            .unwrap_or_default();
        let suspected = parse_choices::<Suspected>(&self.suspected.join(";"))
            .map_err(|_| errors.push(("suspected", "Select only the choices shown".to_owned())))
            .unwrap_or_default();
        // The error summary lists the problems in the order of the boxes on the page.
        errors.sort_by_key(|(field, _)| FORM_ORDER.iter().position(|f| f == field));
        match (start, side, severity) {
            (Some(start), Some(side), Some(severity)) if errors.is_empty() => Ok(Episode {
                id,
                start,
                last_night,
                duration,
                site,
                side,
                asleep,
                eased,
                severity,
                note,
                context: Context {
                    exercise: self.exercise,
                    short_of_fluids: self.short_of_fluids,
                    helped,
                    suspected,
                },
            }),
            _ => Err(errors),
        }
    }
}

/// Whether a form's errors name the box `id` (the full form and the quick log share these, and
/// `diary_radios.html` calls them through each page).
fn has_error(errors: &[(&'static str, String)], id: &str) -> bool {
    errors.iter().any(|(f, _)| *f == id)
}

/// The message for the box `id`, or nothing.
fn error_for<'a>(errors: &'a [(&'static str, String)], id: &str) -> &'a str {
    errors
        .iter()
        .find(|(f, _)| *f == id)
        .map_or("", |(_, m)| m.as_str())
}

/// The form's boxes in page order (the error summary follows it).
const FORM_ORDER: [&str; 14] = [
    "start-day",
    "start-month",
    "start-year",
    "start-time",
    "minutes",
    "site",
    "side",
    "asleep",
    "eased",
    "severity",
    "note",
    "helped",
    "suspected",
    "when",
];

fn options(
    all: &[&'static str],
    labels: &[&'static str],
    hints: &[&'static str],
    chosen: &str,
) -> Vec<Opt> {
    all.iter()
        .zip(labels)
        .enumerate()
        .map(|(i, (v, l))| Opt {
            value: v,
            label: l,
            hint: hints.get(i).copied().unwrap_or(""),
            checked: *v == chosen,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "diary_form.html")]
struct FormPage {
    layout: Layout,
    action: String,
    heading: &'static str,
    button: &'static str,
    v: FormValues,
    errors: Vec<(&'static str, String)>,
    sites: Vec<Opt>,
    sides: Vec<Opt>,
    asleep: Vec<Opt>,
    eased: Vec<Opt>,
    severities: Vec<Opt>,
    max_note: usize,
    /// What helped, what came before: checkboxes.
    tick_groups: Vec<TickGroup>,
}

/// A group of checkboxes on the form.
pub(crate) struct TickGroup {
    name: &'static str,
    legend: &'static str,
    hint: &'static str,
    opts: Vec<Opt>,
}

/// Which leg, for the full form and the quick log.
fn side_options(chosen: &str) -> Vec<Opt> {
    options(
        &["left", "right", "both"],
        &["Left", "Right", "Both legs"],
        &[],
        chosen,
    )
}

/// How bad, with what each grade means, for the full form and the quick log.
fn severity_options(chosen: &str) -> Vec<Opt> {
    let meanings: Vec<&'static str> = Severity::ALL.iter().map(|s| s.meaning()).collect();
    options(
        &["mild", "moderate", "severe"],
        &["Mild", "Moderate", "Severe"],
        &meanings,
        chosen,
    )
}

/// Checkboxes for a list of choices, ticked as sent.
/// The boxes of a tick list: the choices offered for new entries, and any other choice this
/// entry already holds (an older entry keeps its ticks when it is edited; nothing is lost).
fn ticks(all: &[(&'static str, &'static str)], offered: &[&str], chosen: &[String]) -> Vec<Opt> {
    all.iter()
        .filter(|(value, _)| offered.contains(value) || chosen.iter().any(|c| c == value))
        .map(|(value, label)| Opt {
            value,
            label,
            hint: "",
            checked: chosen.iter().any(|c| c == value),
        })
        .collect()
}

impl FormPage {
    fn new(
        action: String,
        heading: &'static str,
        button: &'static str,
        v: FormValues,
        errors: Vec<(&'static str, String)>,
    ) -> Self {
        FormPage {
            layout: Layout::new(
                if errors.is_empty() {
                    heading.to_owned()
                } else {
                    format!("Error: {heading}")
                },
                "diary",
            ),
            action,
            heading,
            button,
            sites: options(
                &["calf", "foot", "thigh", "other"],
                &["Calf", "Foot", "Thigh", "Somewhere else in the leg"],
                &[],
                &v.site,
            ),
            sides: side_options(&v.side),
            asleep: options(&["asleep", "awake"], &["Asleep", "Awake"], &[], &v.asleep),
            eased: options(
                &["yes", "no", "unsure"],
                &["Yes", "No", "I\u{2019}m not sure"],
                &[],
                &v.eased,
            ),
            severities: severity_options(&v.severity),
            max_note: MAX_NOTE_CHARS,
            tick_groups: [
                TickGroup {
                    name: "helped",
                    legend: "What did you do that may have helped? (optional)",
                    hint: "Tick any you did.",
                    opts: ticks(
                        &[
                            ("stretched", "I stretched the muscle"),
                            ("walked", "I walked about"),
                            ("massaged", "I massaged it"),
                            (
                                "warmth",
                                "I used warmth, like a hot water bottle or a warm bath",
                            ),
                        ],
                        &Helped::OFFERED.iter().map(|h| h.name()).collect::<Vec<_>>(),
                        &v.helped,
                    ),
                },
                TickGroup {
                    name: "suspected",
                    legend: "Was there anything before it that you think may matter? (optional)",
                    hint: "Tick any. Your patterns compare nights with and without each once there are 3 of each.",
                    opts: ticks(
                        &[
                            ("long-standing", "Standing for a long time"),
                            ("alcohol", "Alcohol"),
                            ("caffeine", "Caffeine, like coffee, tea or cola"),
                        ],
                        &Suspected::OFFERED
                            .iter()
                            .map(|s| s.name())
                            .collect::<Vec<_>>(),
                        &v.suspected,
                    ),
                },
            ]
            .into_iter()
            // A list with nothing to offer is not shown.
            .filter(|g| !g.opts.is_empty())
            .collect(),
            v,
            errors,
        }
    }

    fn has_error(&self, id: &str) -> bool {
        has_error(&self.errors, id)
    }

    fn error_for(&self, id: &str) -> &str {
        error_for(&self.errors, id)
    }

    /// The date's one message, whichever of its boxes is at fault.
    fn date_error(&self) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| f.starts_with("start-") && *f != "start-time")
            .map(|(_, m)| m.as_str())
    }
}

// ---------------------------------------------------------------------------------------------
// Pages

#[derive(Debug, Deserialize, Default)]
pub(crate) struct ListQuery {
    logged: Option<String>,
    /// The id of a cramp just logged with the quick log (its page offers to add more).
    quick: Option<String>,
    changed: Option<String>,
    deleted: Option<String>,
    /// Which page of weeks: 1 is the newest.
    page: Option<String>,
}

/// Weeks with cramps on one page of the diary list (a setting of the app, not a clinical
/// figure): enough to see a month at a glance on a phone without scrolling through years.
pub(crate) const DIARY_WEEKS_PER_PAGE: usize = 4;

/// What the diary list shows for a detail the person has not logged (yet).
const NOT_LOGGED: &str = "not logged";

/// One row of the diary list.
#[derive(Debug)]
pub(crate) struct Row {
    id: String,
    when: String,
    lasted: String,
    place: String,
    asleep: &'static str,
    eased: &'static str,
    severity: &'static str,
    /// The red-flag tag, in the words of what was logged.
    red_flag: Option<&'static str>,
    note: String,
    /// What else was going on, for people ("exercise that day", and the profile on its day:
    /// "taking amlodipine; pregnant").
    context: String,
}

/// One week of the diary list (Monday to Sunday, by the cramps' own dates).
#[derive(Debug)]
pub(crate) struct Week {
    heading: String,
    count: usize,
    rows: Vec<Row>,
}

#[derive(Template)]
#[template(path = "diary_list.html")]
struct ListPage {
    layout: Layout,
    weeks: Vec<Week>,
    total: usize,
    page: usize,
    pages: usize,
    /// Checks the person saved, newest first, with what they were shown then.
    checks: Vec<crate::report::SavedCheckLine>,
    banner: Option<&'static str>,
    /// After a quick log: the cramp's id (for "add more about it").
    quick_logged: Option<String>,
    /// After every log: the whole safety net (issue 18, finding 6), each line with its facts.
    safety_net: Vec<crate::views::AdviceLine>,
    /// "Get help now", on every diary page.
    help: crate::views::Block,
    /// A red-flag cramp that is still recent: its urgent advice, shown while it lasts.
    recent_red_flag: Option<legcramps_core::diary::RedFlagAdvice>,
    /// The quick log's choices, as sent when it had a problem.
    whens: Vec<Opt>,
    sides: Vec<Opt>,
    severities: Vec<Opt>,
    errors: Vec<(&'static str, String)>,
}

impl ListPage {
    fn has_error(&self, id: &str) -> bool {
        has_error(&self.errors, id)
    }

    fn error_for(&self, id: &str) -> &str {
        error_for(&self.errors, id)
    }
}

/// What the quick log was sent with (kept on an error page).
#[derive(Debug, Default)]
struct Quick {
    when: String,
    side: String,
    severity: String,
    /// The leg and how bad, when both were read (then `errors` is empty but for "when").
    chosen: Option<(Side, Severity)>,
    errors: Vec<(&'static str, String)>,
}

impl Quick {
    fn from_form(body: &[u8]) -> Quick {
        let mut q = Quick::default();
        for (k, v) in form_urlencoded::parse(body) {
            match k.as_ref() {
                "when" => q.when = v.into_owned(),
                "side" => q.side = v.into_owned(),
                "severity" => q.severity = v.into_owned(),
                _ => {}
            }
        }
        if !QUICK_WHEN.contains(&q.when.as_str()) {
            q.errors.push(("when", "Select when the cramp was".into()));
        }
        let side = Side::from_str(&q.side).ok();
        let severity = Severity::from_str(&q.severity).ok();
        if side.is_none() {
            q.errors.push(("side", "Select which leg".into()));
        }
        if severity.is_none() {
            q.errors.push((
                "severity",
                "Select how bad it was (the button saves the cramp)".into(),
            ));
        }
        q.chosen = side.zip(severity);
        q
    }
}

/// The quick log's answers to "when?".
const QUICK_WHEN: [&str; 3] = ["now", "last-night", "other"];

fn row_of(e: &Episode, profile: &Profile) -> Row {
    let mut context = Vec::new();
    if e.context.exercise {
        context.push("exercise that day".to_owned());
    }
    let on = profile.on(e.start.date_naive());
    if !on.is_empty() {
        context.push(on.summary());
    }
    if e.context.short_of_fluids {
        context.push("short of fluids".to_owned());
    }
    Row {
        id: e.id.to_string(),
        when: e.when_listed(),
        lasted: e
            .duration
            .map_or_else(|| NOT_LOGGED.to_owned(), Duration::human),
        place: e.place(),
        asleep: match e.asleep {
            Some(true) => "asleep",
            Some(false) => "awake",
            None => NOT_LOGGED,
        },
        eased: e.eased.map_or(NOT_LOGGED, Eased::name),
        severity: e.severity.name(),
        red_flag: e.red_flag_label(),
        note: e
            .note
            .as_ref()
            .map_or(String::new(), |n| n.as_str().to_owned()),
        context: context.join(", "),
    }
}

/// The Mondays of the weeks with cramps, newest first, from the days logged (oldest first).
fn mondays_newest_first(days: &[(NaiveDate, u32)]) -> Vec<NaiveDate> {
    let mut mondays: Vec<NaiveDate> = days
        .iter()
        .map(|(d, _)| d.week(chrono::Weekday::Mon).first_day())
        .collect();
    mondays.dedup();
    mondays.reverse();
    mondays
}

/// The episodes (newest first) in weeks, Monday to Sunday by each cramp's own date.
fn weeks_of(episodes: &[Episode], profile: &Profile) -> Vec<Week> {
    let mut weeks: Vec<(chrono::NaiveDate, Vec<Row>)> = Vec::new();
    for e in episodes {
        let monday = e.start.date_naive().week(chrono::Weekday::Mon).first_day();
        match weeks.last_mut() {
            Some((m, rows)) if *m == monday => rows.push(row_of(e, profile)),
            _ => weeks.push((monday, vec![row_of(e, profile)])),
        }
    }
    weeks
        .into_iter()
        .map(|(monday, rows)| Week {
            heading: format!("Week beginning {}", monday.format("%A %-d %B %Y")),
            count: rows.len(),
            rows,
        })
        .collect()
}

pub(crate) async fn list(
    State(cfg): State<Shared>,
    Extension(owner): Extension<Owner>,
    Query(q): Query<ListQuery>,
) -> Response {
    list_page(&cfg, &owner, &q, Quick::default()).await
}

/// The diary's first screen: the quick log (with `quick`'s answers and problems, if any), then
/// the list.
/// The latest red-flag cramp that is still recent (going on, or ended within the window), if
/// any: its urgent advice is shown on the diary and the patterns while it lasts (issue 18,
/// finding 21), not only on the page after it was logged. Reads only the last few days.
async fn recent_red_flag(
    store: &Store,
    owner: &Owner,
) -> Result<Option<legcramps_core::diary::RedFlagAdvice>, legcramps_store::StoreError> {
    let now = Utc::now();
    // A cramp of up to a day that ended within the window began at most two days ago; local
    // dates may differ from UTC by a day either way.
    let today = now.date_naive();
    let from = today - chrono::Days::new(3);
    let to = today + chrono::Days::new(1);
    let recent = store.list(owner, Some(from), Some(to)).await?;
    Ok(recent
        .iter()
        .rev()
        .filter_map(|e| e.red_flag_advice(now))
        .find(|a| a.recent))
}

async fn list_page(cfg: &Shared, owner: &Owner, q: &ListQuery, quick: Quick) -> Response {
    let store = store_or_fail!(cfg);
    let recent_red_flag = match recent_red_flag(store, owner).await {
        Ok(r) => r,
        Err(e) => return failed(e),
    };
    // Which weeks have cramps, from the days logged; then only this page's cramps are read (a
    // page costs the same in a diary of ten years as in one of ten days).
    let days = match store.days_logged(owner).await {
        Ok(d) => d,
        Err(e) => return failed(e),
    };
    let total: usize = days.iter().map(|(_, n)| *n as usize).sum();
    let mondays = mondays_newest_first(&days);
    let pages = mondays.len().div_ceil(DIARY_WEEKS_PER_PAGE).max(1);
    // A page that is not a number, or past the end, is the nearest one there is.
    let page = q
        .page
        .as_deref()
        .and_then(|p| p.trim().parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, pages);
    let shown = mondays
        .chunks(DIARY_WEEKS_PER_PAGE)
        .nth(page - 1)
        .unwrap_or_default();
    let weeks = match (shown.last(), shown.first()) {
        (Some(oldest), Some(newest)) => {
            let mut episodes = match store
                .list(owner, Some(*oldest), Some(*newest + chrono::Days::new(6)))
                .await
            {
                Ok(e) => e,
                Err(e) => return failed(e),
            };
            episodes.reverse();
            // The profile is needed only for the rows shown.
            let profile = match store.profile(owner).await {
                Ok(p) => p,
                Err(e) => return failed(e),
            };
            weeks_of(&episodes, &profile)
        }
        _ => Vec::new(),
    };
    let checks = match store.checks(owner).await {
        Ok(c) => c
            .iter()
            .rev()
            .map(crate::report::SavedCheckLine::of)
            .collect(),
        Err(e) => return failed(e),
    };
    let quick_logged = q
        .quick
        .as_deref()
        .and_then(parse_id)
        .map(|id| id.to_string());
    let logged = q.logged.is_some() || quick_logged.is_some();
    let banner = if logged {
        Some("Your cramp has been logged.")
    } else if q.changed.is_some() {
        Some("Your changes have been saved.")
    } else if q.deleted.is_some() {
        Some("The cramp has been deleted.")
    } else {
        None
    };
    let title = if quick.errors.is_empty() {
        "Your cramp diary"
    } else {
        "Error: Your cramp diary"
    };
    render(
        if quick.errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        },
        &ListPage {
            layout: Layout::new(title, "diary"),
            weeks,
            total,
            page,
            pages,
            checks,
            banner,
            quick_logged,
            safety_net: if logged {
                crate::views::AdviceLine::net(legcramps_core::diary::LOG_SAFETY_NET)
            } else {
                Vec::new()
            },
            help: crate::views::help_now(),
            recent_red_flag,
            whens: options(
                &QUICK_WHEN,
                &["Just now", "Last night, in my sleep", "Another time"],
                &[
                    "",
                    "A cramp that woke you in the night",
                    "You will be asked for the date and time next",
                ],
                &quick.when,
            ),
            sides: side_options(&quick.side),
            severities: severity_options(&quick.severity),
            errors: quick.errors,
        },
    )
}

/// The quick log: when (just now, last night, another time), which leg, and how bad (its
/// buttons save), in three choices; the rest can be added later. "Another time" goes on to
/// the full form, with the leg and how bad filled in.
pub(crate) async fn quick(
    State(cfg): State<Shared>,
    Extension(owner): Extension<Owner>,
    body: Bytes,
) -> Response {
    let store = store_or_fail!(cfg);
    if !form_is_utf8(&body) {
        return not_utf8();
    }
    let q = Quick::from_form(&body);
    // Any problem: the page again, with the choices kept and the problems named.
    let Some((side, severity)) = q.chosen.filter(|_| q.errors.is_empty()) else {
        return list_page(&cfg, &owner, &ListQuery::default(), q).await;
    };
    let zone = cfg.time_zone;
    let now = Utc::now().with_timezone(&zone);
    let (start, last_night) = match q.when.as_str() {
        "last-night" => {
            let local = legcramps_core::diary::last_night_start(now.naive_local());
            let start = zone.from_local_datetime(&local);
            match start.earliest().or_else(|| start.latest()) {
                Some(t) => (t.fixed_offset(), true),
                None => (now.fixed_offset(), false),
            }
        }
        "now" => (
            now.with_second(0)
                .and_then(|t| t.with_nanosecond(0))
                .unwrap_or(now)
                .fixed_offset(),
            false,
        ),
        _ => {
            return Redirect::to(&format!(
                "/diary/new?side={}&severity={}",
                side.name(),
                severity.name()
            ))
            .into_response();
        }
    };
    let e = Episode {
        id: new_id(),
        start,
        last_night,
        duration: None,
        site: None,
        side,
        // "Last night, in my sleep" is a cramp that woke them (the form says so), so it
        // counts towards nights with a cramp in sleep (issue 18, finding 9); "just now" does
        // not say.
        asleep: last_night.then_some(true),
        eased: None,
        severity,
        note: None,
        context: Context::default(),
    };
    if let Err(err) = e.check_dates(Utc::now()) {
        return failed(err);
    }
    match store.insert(&owner, &e).await {
        Err(err) => failed(err),
        Ok(()) => Redirect::to(&format!("/diary?quick={}", e.id)).into_response(),
    }
}

/// The full form's query: the quick log's "another time" passes the leg and how bad on.
#[derive(Debug, Deserialize)]
pub(crate) struct NewQuery {
    side: Option<String>,
    severity: Option<String>,
}

pub(crate) async fn new_form(State(cfg): State<Shared>, Query(q): Query<NewQuery>) -> Response {
    let mut v = FormValues::for_now(cfg.time_zone);
    let from_quick = q.side.is_some() || q.severity.is_some();
    if let Some(side) = q.side.filter(|s| Side::from_str(s).is_ok()) {
        v.side = side;
    }
    if let Some(sev) = q.severity.filter(|s| Severity::from_str(s).is_ok()) {
        v.severity = sev;
    }
    if from_quick {
        // "Another time": the time now would be wrong, so it is left for the person.
        v.time.clear();
    }
    render(
        StatusCode::OK,
        &FormPage::new("/diary".into(), "Log a cramp", "Save", v, Vec::new()),
    )
}

#[derive(Template)]
#[template(path = "diary_red_flag.html")]
struct RedFlagPage {
    layout: Layout,
    advice: legcramps_core::diary::RedFlagAdvice,
    facts: String,
}

/// The page after logging a cramp that is a red flag: urgent when it is recent, "tell your
/// GP" when it is older; both name its date.
fn red_flag_page(advice: legcramps_core::diary::RedFlagAdvice) -> Response {
    render(
        StatusCode::OK,
        &RedFlagPage {
            layout: Layout::new(advice.headline, "diary"),
            facts: advice.facts.join(" "),
            advice,
        },
    )
}

/// Whether every name and value of a form decodes to UTF-8. The form parser would put U+FFFD
/// in place of a bad byte and store that; the diary refuses such a form instead.
fn form_is_utf8(body: &[u8]) -> bool {
    body.split(|b| *b == b'&').all(|pair| {
        let plus_as_space: Vec<u8> = pair
            .iter()
            .map(|b| if *b == b'+' { b' ' } else { *b })
            .collect();
        percent_encoding::percent_decode(&plus_as_space)
            .decode_utf8()
            .is_ok()
    })
}

fn not_utf8() -> Response {
    refused(
        StatusCode::BAD_REQUEST,
        "The form held characters that could not be read, so nothing was saved. Please type the note again.".to_owned(),
        false,
    )
}

pub(crate) async fn create(
    State(cfg): State<Shared>,
    Extension(owner): Extension<Owner>,
    body: Bytes,
) -> Response {
    let store = store_or_fail!(cfg);
    if !form_is_utf8(&body) {
        return not_utf8();
    }
    let v = FormValues::from_form(&body, cfg.time_zone);
    match dates_checked(v.episode(new_id())) {
        Err(errors) => render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &FormPage::new("/diary".into(), "Log a cramp", "Save", v, errors),
        ),
        Ok(e) => match store.insert(&owner, &e).await {
            Err(err) => failed(err),
            Ok(()) => match e.advice_after_logging(Utc::now()) {
                Some(advice) => red_flag_page(advice),
                None => Redirect::to("/diary?logged=1").into_response(),
            },
        },
    }
}

/// The date limits every way in applies (`Episode::check_dates`), with the form field at fault
/// marked.
fn dates_checked(
    r: Result<Episode, Vec<(&'static str, String)>>,
) -> Result<Episode, Vec<(&'static str, String)>> {
    let e = r?;
    e.check_dates(Utc::now()).map_err(|err| {
        vec![match err.field {
            "new_medication_started" => (
                "medication-started",
                format!("The date you started the medicine {}", err.message),
            ),
            _ => (
                "start-day",
                format!("The date and time of the cramp {}", err.message),
            ),
        }]
    })?;
    Ok(e)
}

fn parse_id(id: &str) -> Option<EpisodeId> {
    EpisodeId::new(id).ok()
}

/// The owner's episode with this id, or the page to show instead (not found, or a failure).
async fn find(cfg: &Shared, owner: &Owner, id: &str) -> Result<Episode, Response> {
    let store = store(cfg).ok_or_else(|| failed("the diary is off"))?;
    let Some(id) = parse_id(id) else {
        return Err(crate::pages::not_found().await);
    };
    match store.get(owner, &id).await {
        Err(e) => Err(failed(e)),
        Ok(None) => Err(crate::pages::not_found().await),
        Ok(Some(e)) => Ok(e),
    }
}

pub(crate) async fn edit_form(
    State(cfg): State<Shared>,
    Extension(owner): Extension<Owner>,
    Path(id): Path<String>,
) -> Response {
    match find(&cfg, &owner, &id).await {
        Err(page) => page,
        Ok(e) => render(
            StatusCode::OK,
            &FormPage::new(
                format!("/diary/{}", e.id),
                "Change a cramp",
                "Save changes",
                FormValues::from_episode(&e, cfg.time_zone),
                Vec::new(),
            ),
        ),
    }
}

pub(crate) async fn update(
    State(cfg): State<Shared>,
    Extension(owner): Extension<Owner>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    if !form_is_utf8(&body) {
        return not_utf8();
    }
    let store = store_or_fail!(cfg);
    let Some(id) = parse_id(&id) else {
        return crate::pages::not_found().await;
    };
    let v = FormValues::from_form(&body, cfg.time_zone);
    match dates_checked(v.episode(id.clone())) {
        Err(errors) => render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &FormPage::new(
                format!("/diary/{id}"),
                "Change a cramp",
                "Save changes",
                v,
                errors,
            ),
        ),
        Ok(e) => match store.update(&owner, &e).await {
            Err(err) => failed(err),
            Ok(false) => crate::pages::not_found().await,
            Ok(true) => match e.advice_after_logging(Utc::now()) {
                Some(advice) => red_flag_page(advice),
                None => Redirect::to("/diary?changed=1").into_response(),
            },
        },
    }
}

#[derive(Template)]
#[template(path = "diary_delete.html")]
struct DeletePage {
    layout: Layout,
    id: String,
    when: String,
}

pub(crate) async fn delete_form(
    State(cfg): State<Shared>,
    Extension(owner): Extension<Owner>,
    Path(id): Path<String>,
) -> Response {
    match find(&cfg, &owner, &id).await {
        Err(page) => page,
        Ok(e) => render(
            StatusCode::OK,
            &DeletePage {
                layout: Layout::new("Delete this cramp?", "diary"),
                id: e.id.to_string(),
                when: match e.duration {
                    Some(d) => format!("{}, {}, {}", e.when_listed(), d.human(), e.place()),
                    None => format!("{}, {}", e.when_listed(), e.place()),
                },
            },
        ),
    }
}

pub(crate) async fn delete(
    State(cfg): State<Shared>,
    Extension(owner): Extension<Owner>,
    Path(id): Path<String>,
) -> Response {
    let store = store_or_fail!(cfg);
    let Some(id) = parse_id(&id) else {
        return crate::pages::not_found().await;
    };
    match store.delete(&owner, &id).await {
        Err(e) => failed(e),
        Ok(false) => crate::pages::not_found().await,
        Ok(true) => Redirect::to("/diary?deleted=1").into_response(),
    }
}

#[derive(Template)]
#[template(path = "diary_delete_all.html")]
struct DeleteAllPage {
    layout: Layout,
    done: Option<u64>,
}

pub(crate) async fn delete_all_form() -> Response {
    render(
        StatusCode::OK,
        &DeleteAllPage {
            layout: Layout::new("Delete your whole diary?", "diary"),
            done: None,
        },
    )
}

pub(crate) async fn delete_all(
    State(cfg): State<Shared>,
    Extension(owner): Extension<Owner>,
    body: Bytes,
) -> Response {
    let store = store_or_fail!(cfg);
    let confirmed = form_urlencoded::parse(&body).any(|(k, v)| k == "confirm" && v == "yes");
    if !confirmed {
        return Redirect::to("/diary/delete-all").into_response();
    }
    match store.delete_all(&owner).await {
        Err(e) => failed(e),
        Ok(n) => render(
            StatusCode::OK,
            &DeleteAllPage {
                layout: Layout::new("Your diary has been deleted", "diary"),
                done: Some(n),
            },
        ),
    }
}

#[derive(Template)]
#[template(path = "diary_check_saved.html")]
struct CheckSavedPage {
    layout: Layout,
    headline: &'static str,
}

/// `POST /diary/checks`: keep a completed check's answers in the diary.
pub(crate) async fn save_check(
    State(cfg): State<Shared>,
    Extension(owner): Extension<Owner>,
    body: Bytes,
) -> Response {
    let store = store_or_fail!(cfg);
    let Some((answers, outcome)) = crate::check::completed_check(&body) else {
        return refused(StatusCode::BAD_REQUEST, "The answers of the check could not be read, so nothing was saved. Please do the check again.".to_owned(), false);
    };
    let check = legcramps_contract::diary_io::SavedCheck {
        id: new_id(),
        at: Local::now().fixed_offset(),
        answers,
        shown: Some(legcramps_contract::diary_io::Shown::of(&outcome)),
    };
    match store.save_check(&owner, &check).await {
        Err(e) => failed(e),
        Ok(()) => render(
            StatusCode::OK,
            &CheckSavedPage {
                layout: Layout::new("Check saved to your diary", "diary"),
                headline: outcome.headline(),
            },
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// Patterns and the GP summary

#[derive(Deserialize)]
pub(crate) struct RangeQuery {
    from: Option<String>,
    to: Option<String>,
    /// A preset: "4" or "12" (the last so many weeks, to today) or "all" (from the first cramp).
    weeks: Option<String>,
}

/// The date-range presets, as (value of `weeks`, label).
pub(crate) const RANGE_PRESETS: [(&str, &str); 3] = [
    ("4", "Last 4 weeks"),
    ("12", "Last 12 weeks"),
    ("all", "Everything"),
];

impl RangeQuery {
    /// The preset in use ("12" when no dates are given), or "" for dates of the person's own.
    pub(crate) fn preset(&self) -> &'static str {
        let given = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.is_empty());
        match self.weeks.as_deref() {
            Some(w) => RANGE_PRESETS
                .iter()
                .find(|(v, _)| *v == w)
                .map_or("", |(v, _)| v),
            None if !given(&self.from) && !given(&self.to) => "12",
            None => "",
        }
    }
}

/// The range asked for (a preset, or dates), or the last 12 weeks; an error message for a bad
/// one. "Today" is the date in the server's zone.
fn range(q: &RangeQuery, zone: chrono_tz::Tz) -> Result<(NaiveDate, NaiveDate), String> {
    let today = Utc::now().with_timezone(&zone).date_naive();
    if let Some(w) = q.weeks.as_deref() {
        return match w {
            "4" => Ok((
                today - chrono::Duration::weeks(4) + chrono::Duration::days(1),
                today,
            )),
            "12" => Ok((
                today - chrono::Duration::weeks(12) + chrono::Duration::days(1),
                today,
            )),
            // Everything: the summary's weeks begin at the first cramp logged.
            "all" => Ok((today - chrono::Duration::days(366 * 20), today)),
            other => Err(format!("weeks: `{other}` is not one of 4, 12 or all")),
        };
    }
    let to = match q.to.as_deref().filter(|s| !s.is_empty()) {
        Some(t) => parse_date("to", t).map_err(|e| e.to_string())?,
        None => today,
    };
    let from = match q.from.as_deref().filter(|s| !s.is_empty()) {
        Some(f) => parse_date("from", f).map_err(|e| e.to_string())?,
        None => to - chrono::Duration::weeks(12) + chrono::Duration::days(1),
    };
    if from > to {
        return Err("from: is after to".into());
    }
    if (to - from).num_days() > 366 * 20 {
        return Err("the range is longer than 20 years".into());
    }
    Ok((from, to))
}

async fn summary_for(
    cfg: &Shared,
    owner: &Owner,
    q: &RangeQuery,
) -> Result<(Summary, Vec<Episode>, Vec<SavedCheck>), Response> {
    let store = store(cfg).ok_or_else(|| failed("the diary is off"))?;
    let (from, to) = range(q, cfg.time_zone).map_err(|m| {
        refused(
            StatusCode::BAD_REQUEST,
            format!("The dates are not valid ({m}). Use dates like 2026-11-01."),
            false,
        )
    })?;
    let episodes = store
        .list(owner, Some(from), Some(to))
        .await
        .map_err(failed)?;
    let checks = store.checks(owner).await.map_err(failed)?;
    let first = store.first_logged(owner).await.map_err(failed)?;
    let profile = store.profile(owner).await.map_err(failed)?;
    Ok((
        summarise_since(&episodes, &profile, from, to, first, cfg.settings),
        episodes,
        checks,
    ))
}

/// Now, in the server's zone, for "made on" lines.
fn made_now(zone: chrono_tz::Tz) -> String {
    crate::report::generated_text(
        Utc::now().with_timezone(&zone).fixed_offset(),
        &zone_label(zone),
    )
}

#[derive(Template)]
#[template(path = "diary_patterns.html")]
struct PatternsPage<'a> {
    layout: Layout,
    v: SummaryView<'a>,
    from: String,
    to: String,
    preset: &'static str,
    presets: &'static [(&'static str, &'static str)],
    hour_chart: String,
    duration_chart: String,
    legs_chart: String,
    hours: Vec<(String, u32)>,
    compare_min: usize,
    recent_red_flag: Option<legcramps_core::diary::RedFlagAdvice>,
}

pub(crate) async fn patterns(
    State(cfg): State<Shared>,
    Extension(owner): Extension<Owner>,
    Query(q): Query<RangeQuery>,
) -> Response {
    let (summary, episodes, checks) = match summary_for(&cfg, &owner, &q).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let recent_red_flag = match store(&cfg) {
        Some(store) => match recent_red_flag(store, &owner).await {
            Ok(r) => r,
            Err(e) => return failed(e),
        },
        None => None,
    };
    let page = PatternsPage {
        recent_red_flag,
        layout: Layout::new("Your patterns", "diary"),
        from: summary.from.to_string(),
        to: summary.to.to_string(),
        preset: q.preset(),
        presets: &RANGE_PRESETS,
        hour_chart: charts::by_hour(&summary),
        duration_chart: charts::durations(&summary),
        legs_chart: charts::leg_diagram(&episodes),
        compare_min: legcramps_core::patterns::COMPARE_MIN_NIGHTS,
        hours: (0..24)
            .map(|i| (charts::DAY_STARTS_AT + i) % 24)
            .filter(|h| summary.by_hour[*h] > 0)
            .map(|h| {
                (
                    format!("{h:02}:00 to {:02}:00", (h + 1) % 24),
                    summary.by_hour[h],
                )
            })
            .collect(),
        v: SummaryView::new(&summary, &cfg.settings, made_now(cfg.time_zone)).with_checks(&checks),
    };
    render(StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "diary_summary.html")]
struct SummaryPage<'a> {
    layout: Layout,
    v: SummaryView<'a>,
    from: String,
    to: String,
    preset: &'static str,
    presets: &'static [(&'static str, &'static str)],
    gp_css: &'static str,
}

pub(crate) async fn summary(
    State(cfg): State<Shared>,
    Extension(owner): Extension<Owner>,
    Query(q): Query<RangeQuery>,
) -> Response {
    let (summary, _, checks) = match summary_for(&cfg, &owner, &q).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    render(
        StatusCode::OK,
        &SummaryPage {
            layout: Layout::new("Summary for your GP", "diary"),
            from: summary.from.to_string(),
            to: summary.to.to_string(),
            preset: q.preset(),
            presets: &RANGE_PRESETS,
            gp_css: crate::assets::GP_SUMMARY_CSS,
            v: SummaryView::new(&summary, &cfg.settings, made_now(cfg.time_zone))
                .with_checks(&checks),
        },
    )
}

// ---------------------------------------------------------------------------------------------
// Downloads

async fn everything(cfg: &Shared, owner: &Owner, q: &RangeQuery) -> Result<DiaryFile, Response> {
    everything_for(cfg, owner, q, false).await
}

/// Everything in a date range; a bad date is a page for people, or problem+json for the API.
async fn everything_for(
    cfg: &Shared,
    owner: &Owner,
    q: &RangeQuery,
    api: bool,
) -> Result<DiaryFile, Response> {
    let fail = |e: &dyn std::fmt::Display| if api { api_failed(e) } else { failed(e) };
    let store = store(cfg).ok_or_else(|| fail(&"the diary is off"))?;
    let parse = |v: &Option<String>, f: &'static str| -> Result<Option<NaiveDate>, Response> {
        v.as_deref()
            .filter(|s| api || !s.is_empty())
            .map(|s| {
                if api && !legcramps_contract::diary_io::is_iso_day(s) {
                    // The API is exact, as its OpenAPI document says.
                    return Err(legcramps_core::diary::Invalid {
                        field: f,
                        message: format!("`{s}` is not a date written as YYYY-MM-DD"),
                    });
                }
                parse_date(f, s)
            })
            .transpose()
            .map_err(|e| {
                if api {
                    problem(
                        StatusCode::BAD_REQUEST,
                        "The dates are not valid",
                        e.to_string(),
                        Some(e.field.to_owned()),
                    )
                } else {
                    refused(
                        StatusCode::BAD_REQUEST,
                        format!("The dates are not valid ({e})."),
                        false,
                    )
                }
            })
    };
    let from = parse(&q.from, "from")?;
    let to = parse(&q.to, "to")?;
    store
        .everything(owner, from, to)
        .await
        .map_err(|e| fail(&e))
}

fn download(body: String, content_type: &'static str, name: &str) -> Response {
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

fn stamp() -> String {
    Local::now().format("%Y-%m-%d").to_string()
}

/// The export formats offered for download.
#[derive(Clone, Copy)]
enum Export {
    Csv,
    Json,
    Fhir,
}

async fn export(cfg: &Shared, owner: &Owner, q: &RangeQuery, kind: Export) -> Response {
    let f = match everything(cfg, owner, q).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let (body, content_type, ext) = match kind {
        Export::Csv => (
            to_csv(&f.episodes, &f.profile),
            "text/csv; charset=utf-8",
            "csv",
        ),
        Export::Json => (to_json(&f), "application/json", "json"),
        Export::Fhir => (
            fhir::to_fhir(&f, Utc::now()),
            "application/fhir+json",
            "fhir.json",
        ),
    };
    download(
        body,
        content_type,
        &format!("leg-cramps-diary-{}.{ext}", stamp()),
    )
}

pub(crate) async fn export_csv(
    State(cfg): State<Shared>,
    Extension(owner): Extension<Owner>,
    Query(q): Query<RangeQuery>,
) -> Response {
    export(&cfg, &owner, &q, Export::Csv).await
}

pub(crate) async fn export_json(
    State(cfg): State<Shared>,
    Extension(owner): Extension<Owner>,
    Query(q): Query<RangeQuery>,
) -> Response {
    export(&cfg, &owner, &q, Export::Json).await
}

pub(crate) async fn export_fhir(
    State(cfg): State<Shared>,
    Extension(owner): Extension<Owner>,
    Query(q): Query<RangeQuery>,
) -> Response {
    export(&cfg, &owner, &q, Export::Fhir).await
}

#[derive(Deserialize)]
pub(crate) struct ReminderQuery {
    at: Option<String>,
}

pub(crate) async fn reminder(Query(q): Query<ReminderQuery>) -> Response {
    let text = q.at.as_deref().unwrap_or("21:30");
    match ics::parse_time(text) {
        Some(t) => download(
            ics::reminder(Local::now().date_naive(), t, Utc::now()),
            "text/calendar; charset=utf-8",
            "legcramps-stretch.ics",
        ),
        None => refused(
            StatusCode::BAD_REQUEST,
            format!("`{text}` is not a time like 21:30."),
            false,
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// The JSON API for episodes

/// The largest episode body the API accepts.
const MAX_EPISODE_BYTES: usize = 16 * 1024;

fn problem(status: StatusCode, title: &str, detail: String, field: Option<String>) -> Response {
    let mut body = serde_json::json!({"type": "/problems/invalid-episode", "title": title, "status": status.as_u16(), "detail": detail});
    if let Some(f) = field {
        body["field"] = f.into();
    }
    let mut r = (status, body.to_string()).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    r
}

/// `POST /api/v1/episodes`: log an episode; 201 with its id, and the urgent advice when it is a
/// red flag. The response is sent once the write is durable.
#[utoipa::path(
    post,
    path = "/api/v1/episodes",
    tag = "diary",
    security((), ("token" = []), ("session" = [])),
    request_body(content = legcramps_contract::diary_io::NewEpisodeJson, content_type = "application/json"),
    responses(
        (status = 201, description = "Logged, once the write is durable", body = crate::api::EpisodeCreated),
        (status = 400, description = "The body is not one JSON object", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 401, description = "Accounts are on and the request has no signed-in session", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The diary is not served to this host, or the request came from another site", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than 16384 bytes", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 415, description = "The content type is not application/json", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The episode breaks the rules (names the field)", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 503, description = "The diary cannot be reached just now (nothing was changed); see Retry-After", body = crate::api::Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn api_create(
    State(cfg): State<Shared>,
    Extension(owner): Extension<Owner>,
    request: axum::extract::Request,
) -> Response {
    let Some(store) = store(&cfg) else {
        return api_failed("the diary is off");
    };
    let json = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(';')
                .next()
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
        });
    if !json {
        return problem(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Send the episode as application/json",
            "the Content-Type header must be application/json".into(),
            None,
        );
    }
    // Read at most the limit ourselves, so that any larger body, however large, gets a
    // problem+json answer rather than the framework's plain-text one.
    let Ok(body) = axum::body::to_bytes(request.into_body(), MAX_EPISODE_BYTES).await else {
        return problem(
            StatusCode::PAYLOAD_TOO_LARGE,
            "The episode is too large",
            format!("the body is larger than {MAX_EPISODE_BYTES} bytes"),
            None,
        );
    };
    let Ok(text) = std::str::from_utf8(&body) else {
        return problem(
            StatusCode::BAD_REQUEST,
            "The body is not valid JSON",
            "the body is not UTF-8 text".into(),
            None,
        );
    };
    // Not one JSON object at all is a 400, as for triage; a well-formed object that breaks the
    // rules is a 422 naming the field.
    if !matches!(
        serde_json::from_str::<serde_json::Value>(text),
        Ok(serde_json::Value::Object(_))
    ) {
        return problem(
            StatusCode::BAD_REQUEST,
            "The body is not one JSON object",
            "send one JSON object describing the episode".into(),
            None,
        );
    }
    let (episode, said) = match new_episode_from_json(text, new_id()) {
        Ok(e) => e,
        Err(e) => {
            return problem(
                StatusCode::UNPROCESSABLE_ENTITY,
                "The episode is not valid",
                e.to_string(),
                e.field,
            );
        }
    };
    let medicine_dates = said
        .medicines
        .iter()
        .filter_map(|m| m.started)
        .try_for_each(|d| {
            legcramps_core::diary::check_day("new_medication_started", d, Utc::now())
        });
    if let Err(err) = episode.check_dates(Utc::now()).and(medicine_dates) {
        let field = match err.field {
            "new_medication_started" => "context.new_medication.started",
            other => other,
        };
        return problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "The episode is not valid",
            format!("{field}: {}", err.message),
            Some(field.to_owned()),
        );
    }
    if let Err(e) = store.insert(&owner, &episode).await {
        return api_failed(e);
    }
    // An older program's "new medicine" or "pregnant" goes into the profile.
    if let Err(e) = store.add_from_diary(&owner, &said).await {
        return api_failed(e);
    }
    let red_flag = episode.is_red_flag();
    let advice = episode.advice_after_logging(Utc::now());
    let mut out = crate::api::EpisodeCreated {
        id: episode.id.to_string(),
        red_flag,
        advice: None,
        safety_net_lines: legcramps_core::diary::LOG_SAFETY_NET
            .iter()
            .map(|l| l.text)
            .collect(),
    };
    if let Some(a) = advice {
        // A recent red flag is urgent; an older one is one to tell the GP about.
        out.advice = Some(serde_json::json!({
            "disposition": if a.recent { Level::UrgentGp.code() } else { Level::Gp.code() },
            "recent": a.recent,
            "headline": a.headline,
            "what_happened": a.what_happened,
            "text": a.what_to_do,
            "safety_net": a.safety_net.join(" "),
            "safety_net_lines": a.safety_net,
            "phone_111": a.recent,
            "fact": a.facts,
        }));
    }
    let mut r = (
        StatusCode::CREATED,
        serde_json::to_string(&out).unwrap_or_default(),
    )
        .into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

/// `GET /api/v1/episodes`: the diary as JSON (the export format).
#[utoipa::path(
    get,
    path = "/api/v1/episodes",
    tag = "diary",
    security((), ("token" = []), ("session" = [])),
    params(
        ("from" = Option<String>, Query, description = "The first day, as YYYY-MM-DD", format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"),
        ("to" = Option<String>, Query, description = "The last day, as YYYY-MM-DD", format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"),
    ),
    responses(
        (status = 200, description = "The diary, in the export format", body = legcramps_contract::diary_io::DiaryJson),
        (status = 400, description = "A date is not valid (names the field)", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 401, description = "Accounts are on and the request has no signed-in session", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The diary is not served to this host", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 503, description = "The diary cannot be reached just now; see Retry-After", body = crate::api::Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn api_list(
    State(cfg): State<Shared>,
    Extension(owner): Extension<Owner>,
    q: Result<Query<RangeQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Ok(Query(q)) = q else {
        return problem(
            StatusCode::BAD_REQUEST,
            "The query is not valid",
            "use ?from=YYYY-MM-DD&to=YYYY-MM-DD, both optional".into(),
            None,
        );
    };
    match everything_for(&cfg, &owner, &q, true).await {
        Ok(f) => {
            let mut r = to_json(&f).into_response();
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            r
        }
        Err(r) => r,
    }
}
