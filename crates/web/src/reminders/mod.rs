//! Reminders that reach the phone (issue 21, finding 3): a bedtime calf-stretch reminder and a
//! morning "Any cramps last night?" whose "No cramps" records the night's check-in and whose
//! "Log one" opens the quick log. Each device opts in from `/diary/reminders` (its browser's
//! Web Push subscription, made by `app.js`, is sent with the form), with times in the
//! person's own time zone; the calendar file stays for those who prefer it. [`send`] sends
//! them.
//!
//! Without JavaScript no subscription can be made: the page says so and offers the calendar
//! file. A server started without `--push-contact` sends none and says so.

pub(crate) mod send;

use askama::Template;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use legcramps_store::{PushDevice, PushReminder};
use serde::Deserialize;

use crate::config::{DiaryAccess, Shared};
use crate::http::auth::{Who, diary_store};
use crate::http::error::WebError;
use crate::http::render::{Page, render};
use crate::http::views::Layout;

/// The most devices one diary can have reminders on (a product limit: a phone, a tablet and a
/// computer or two, with room to spare), so one account cannot make the server post to
/// hundreds of addresses.
pub(crate) const MAX_DEVICES: i64 = 10;

/// "Send the morning question now" at most once in this many seconds per account.
const TRY_EVERY_SECONDS: i64 = 60;

/// The times offered at first (product defaults, changeable on the page).
const STRETCH_AT: &str = "21:30";
const MORNING_AT: &str = "07:30";

/// One device with reminders on, as the page lists it.
pub(crate) struct Device {
    pub(crate) endpoint: String,
    /// "Calf stretch at 21:30, morning question at 07:30 (Europe/London)".
    pub(crate) what: String,
}

#[derive(Template)]
#[template(path = "reminders.html")]
struct RemindersPage {
    layout: Layout,
    /// Whether this server sends notifications at all.
    push_on: bool,
    public_key: String,
    devices: Vec<Device>,
    stretch: bool,
    stretch_at: String,
    morning: bool,
    morning_at: String,
    errors: Vec<(&'static str, String)>,
    /// A line saying what just happened.
    done: Option<String>,
}

impl RemindersPage {
    fn has_error(&self, id: &str) -> bool {
        self.errors.iter().any(|(f, _)| *f == id)
    }

    fn error_for(&self, id: &str) -> &str {
        self.errors
            .iter()
            .find(|(f, _)| *f == id)
            .map_or("", |(_, m)| m.as_str())
    }
}

/// What just happened, from the address the page was sent back to. Read leniently: a value
/// that is not a number is taken as none (never the framework's own error).
#[derive(Debug, Deserialize, Default)]
pub(crate) struct Done {
    on: Option<String>,
    off: Option<String>,
    tried: Option<String>,
}

fn minute_text(at_minute: i32) -> String {
    format!("{:02}:{:02}", at_minute / 60, at_minute % 60)
}

fn devices_of(reminders: &[PushReminder]) -> Vec<Device> {
    let mut out: Vec<(String, String, Vec<String>)> = Vec::new();
    // The stretch (evening) before the morning question.
    let mut reminders: Vec<&PushReminder> = reminders.iter().collect();
    reminders.sort_by_key(|r| r.kind != "stretch");
    for r in reminders {
        let part = if r.kind == "stretch" {
            format!("calf stretch at {}", minute_text(r.at_minute))
        } else {
            format!("morning question at {}", minute_text(r.at_minute))
        };
        match out.iter_mut().find(|(e, _, _)| *e == r.device.endpoint) {
            Some((_, _, parts)) => parts.push(part),
            None => out.push((r.device.endpoint.clone(), r.device.zone.clone(), vec![part])),
        }
    }
    out.into_iter()
        .map(|(endpoint, zone, parts)| {
            let what = parts.join(", ");
            let mut chars = what.chars();
            let what = match chars.next() {
                Some(first) => format!("{}{} ({zone} time)", first.to_uppercase(), chars.as_str()),
                None => what,
            };
            Device { endpoint, what }
        })
        .collect()
}

async fn page_with(
    page: &Page,
    cfg: &Shared,
    who: &Who,
    form: RemindersPage,
    status: StatusCode,
) -> Result<Response, WebError> {
    let store = diary_store(cfg)?;
    let reminders = store
        .push_reminders_of(&who.owner)
        .await
        .map_err(WebError::diary)?;
    let mut form = form;
    form.devices = devices_of(&reminders);
    form.layout = page.layout(
        if form.errors.is_empty() {
            "Reminders".to_owned()
        } else {
            "Error: Reminders".to_owned()
        },
        "diary",
    );
    Ok(render(status, &form))
}

fn blank(page: &Page, cfg: &Shared) -> RemindersPage {
    RemindersPage {
        layout: page.layout("Reminders", "diary"),
        push_on: cfg.push.is_some(),
        public_key: cfg
            .push
            .as_ref()
            .map_or_else(String::new, |p| p.public_key.clone()),
        devices: Vec::new(),
        stretch: true,
        stretch_at: STRETCH_AT.to_owned(),
        morning: true,
        morning_at: MORNING_AT.to_owned(),
        errors: Vec::new(),
        done: None,
    }
}

/// `GET /diary/reminders`.
pub(crate) async fn page(
    page: Page,
    State(cfg): State<Shared>,
    who: Who,
    Query(done): Query<Done>,
) -> Result<Response, WebError> {
    let mut form = blank(&page, &cfg);
    let off = done.off.and_then(|n| n.parse::<u64>().ok());
    let wait = done.tried.as_deref() == Some("wait");
    let tried = done.tried.and_then(|n| n.parse::<usize>().ok());
    form.done = match (done.on, off, tried) {
        _ if wait => Some("The morning question was sent less than a minute ago. Wait a minute, then try again.".to_owned()),
        (Some(_), _, _) => Some("Reminders are on for this device.".to_owned()),
        (_, Some(0), _) => Some("There were no reminders to turn off.".to_owned()),
        (_, Some(_), _) => Some("Reminders are off.".to_owned()),
        (_, _, Some(0)) => Some("The morning question could not be sent. Check that notifications are allowed for this site, or turn reminders off and on again.".to_owned()),
        (_, _, Some(n)) => Some(format!(
            "The morning question was sent to {}. It should arrive in a few seconds.",
            if n == 1 { "your device".to_owned() } else { format!("your {n} devices") }
        )),
        _ => None,
    };
    page_with(&page, &cfg, &who, form, StatusCode::OK).await
}

/// A time of day as people type it ("21:30", "9:30", "2130"), in minutes after midnight.
fn minute_of(text: &str) -> Option<i32> {
    use chrono::Timelike;
    let t = legcramps_contract::ics::parse_time(text.trim())?;
    i32::try_from(t.hour() * 60 + t.minute()).ok()
}

/// `POST /diary/reminders`: turn reminders on (or change them) for the device whose push
/// subscription the form carries.
pub(crate) async fn turn_on(
    page: Page,
    State(cfg): State<Shared>,
    who: Who,
    body: Bytes,
) -> Result<Response, WebError> {
    let store = diary_store(&cfg)?;
    let field = |name: &str| {
        form_urlencoded::parse(&body)
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    };
    let mut form = blank(&page, &cfg);
    form.stretch = field("stretch") == "on";
    form.morning = field("morning") == "on";
    form.stretch_at = field("stretch-at");
    form.morning_at = field("morning-at");
    let Some(push) = cfg.push.clone() else {
        form.errors.push((
            "turn-on",
            "This server does not send notifications. Download a calendar reminder instead."
                .to_owned(),
        ));
        return page_with(&page, &cfg, &who, form, StatusCode::BAD_REQUEST).await;
    };
    let stretch_at = minute_of(&form.stretch_at);
    let morning_at = minute_of(&form.morning_at);
    if !form.stretch && !form.morning {
        form.errors.push((
            "stretch",
            "Choose at least one reminder, or turn reminders off".to_owned(),
        ));
    }
    if form.stretch && stretch_at.is_none() {
        form.errors.push((
            "stretch-at",
            "Enter the time for the stretch reminder on the 24-hour clock, like 21:30".to_owned(),
        ));
    }
    if form.morning && morning_at.is_none() {
        form.errors.push((
            "morning-at",
            "Enter the time for the morning question on the 24-hour clock, like 07:30".to_owned(),
        ));
    }
    let endpoint = field("endpoint");
    let device = PushDevice {
        endpoint: crate::config::Push::canonical(&endpoint).unwrap_or_default(),
        p256dh: field("p256dh"),
        auth: field("auth"),
        zone: field("zone"),
    };
    let zone = crate::config::parse_time_zone(&device.zone).unwrap_or(cfg.time_zone);
    let device = PushDevice {
        zone: zone.name().to_owned(),
        ..device
    };
    if endpoint.is_empty() {
        form.errors.push((
            "turn-on",
            "This browser did not turn notifications on. Allow notifications for this site when your browser asks, or download a calendar reminder instead.".to_owned(),
        ));
    } else if !push.allows(&device.endpoint) {
        form.errors.push((
            "turn-on",
            "This browser's notification service is not one this site can send to. Try another browser, or download a calendar reminder instead.".to_owned(),
        ));
    } else if !keys_valid(&device) {
        form.errors.push((
            "turn-on",
            "This browser gave keys that notifications cannot be locked with. Turn reminders off in the browser's site settings and try again, or download a calendar reminder instead.".to_owned(),
        ));
    } else {
        let mine = store
            .push_reminders_of(&who.owner)
            .await
            .map_err(WebError::diary)?;
        let known = mine.iter().any(|r| r.device.endpoint == device.endpoint);
        let devices = store
            .push_devices_of(&who.owner)
            .await
            .map_err(WebError::diary)?;
        if !known && devices >= MAX_DEVICES {
            form.errors.push((
                "turn-on",
                format!("Reminders are on for {MAX_DEVICES} devices already, the most one diary can have. Turn them off on a device you no longer use, then try again."),
            ));
        }
    }
    if !form.errors.is_empty() {
        return page_with(&page, &cfg, &who, form, StatusCode::BAD_REQUEST).await;
    }
    let now = legcramps_store::unix_seconds();
    let mut reminders = Vec::new();
    if let (true, Some(m)) = (form.stretch, stretch_at) {
        reminders.push(("stretch", m, send::next_due(zone, m, now)));
    }
    if let (true, Some(m)) = (form.morning, morning_at) {
        reminders.push(("morning", m, send::next_due(zone, m, now)));
    }
    store
        .set_push_reminders(&who.owner, &device, &reminders)
        .await
        .map_err(WebError::diary)?;
    Ok(Redirect::to("/diary/reminders?on=1").into_response())
}

/// Whether a subscription's keys are what RFC 8291 needs: a P-256 point and a 16-byte secret.
fn keys_valid(device: &PushDevice) -> bool {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    // RFC 8291: the uncompressed point, 65 bytes.
    let point = b64
        .decode(device.p256dh.trim_end_matches('='))
        .ok()
        .is_some_and(|k| {
            k.len() == 65 && web_push_native::p256::PublicKey::from_sec1_bytes(&k).is_ok()
        });
    let auth = b64
        .decode(device.auth.trim_end_matches('='))
        .ok()
        .is_some_and(|a| a.len() == 16);
    point && auth
}

/// `POST /diary/reminders/off`: turn reminders off on one device (the `endpoint` the page's
/// script fills in for this device, or one listed) or, with `all`, on every device.
pub(crate) async fn turn_off(
    State(cfg): State<Shared>,
    who: Who,
    body: Bytes,
) -> Result<Response, WebError> {
    let store = diary_store(&cfg)?;
    let endpoint = form_urlencoded::parse(&body)
        .find(|(k, _)| k == "endpoint")
        .map(|(_, v)| v.into_owned())
        .filter(|v| !v.is_empty());
    let all = form_urlencoded::parse(&body).any(|(k, v)| k == "all" && v == "yes");
    let n = match (endpoint, all) {
        (_, true) => store.stop_push_reminders(&who.owner, None).await,
        (Some(e), false) => {
            let e = crate::config::Push::canonical(&e).unwrap_or(e);
            store.stop_push_reminders(&who.owner, Some(&e)).await
        }
        (None, false) => Ok(0),
    }
    .map_err(WebError::diary)?;
    // Off everywhere: the "No cramps" codes already sent stop working too.
    if all {
        store
            .forget_push_actions_of(&who.owner)
            .await
            .map_err(WebError::diary)?;
    }
    Ok(Redirect::to(&format!("/diary/reminders?off={n}")).into_response())
}

/// `POST /diary/reminders/try`: send the morning question to each of this person's devices
/// now, to see that it arrives (its "No cramps" works as the real one does).
pub(crate) async fn try_now(State(cfg): State<Shared>, who: Who) -> Result<Response, WebError> {
    let store = diary_store(&cfg)?;
    let Some(push) = cfg.push.clone() else {
        return Err(WebError::NotFound);
    };
    let reminders = store
        .push_reminders_of(&who.owner)
        .await
        .map_err(WebError::diary)?;
    let now = legcramps_store::unix_seconds();
    if reminders.is_empty() {
        return Ok(Redirect::to("/diary/reminders?tried=0").into_response());
    }
    // At most once a minute per account, so the server is never a way to flood a push service.
    if !store
        .may_try_push(&who.owner, now, TRY_EVERY_SECONDS)
        .await
        .map_err(WebError::diary)?
    {
        return Ok(Redirect::to("/diary/reminders?tried=wait").into_response());
    }
    // Each device at once: a slow push service delays only its own.
    let mut seen: Vec<&str> = Vec::new();
    let mut tasks = tokio::task::JoinSet::new();
    for r in &reminders {
        if seen.contains(&r.device.endpoint.as_str()) {
            continue;
        }
        seen.push(&r.device.endpoint);
        let morning = PushReminder {
            kind: "morning".to_owned(),
            ..r.clone()
        };
        let (store, push) = (store.clone(), push.clone());
        tasks.spawn(async move { send::send_one(&store, &push, &morning, now).await });
    }
    let mut sent = 0;
    while let Some(done) = tasks.join_next().await {
        if matches!(done, Ok(Ok(send::Outcome::Sent))) {
            sent += 1;
        }
    }
    Ok(Redirect::to(&format!("/diary/reminders?tried={sent}")).into_response())
}

#[derive(Debug, Deserialize)]
pub(crate) struct NoCramps {
    code: String,
}

/// `POST /push/no-cramps` (from the service worker, when "No cramps" is tapped on a morning
/// notification): the one-use code the notification carried records its night as having no
/// cramps. The code is the only credential: it was sent encrypted to that one device, works
/// once, for that night of that diary, for a day. A cross-site post is refused.
pub(crate) async fn no_cramps(
    State(cfg): State<Shared>,
    headers: HeaderMap,
    body: axum::body::Body,
) -> Response {
    let problem = |status: StatusCode, title: &str| {
        (
            status,
            [(axum::http::header::CACHE_CONTROL, "no-store")],
            Json(serde_json::json!({ "title": title, "status": status.as_u16() })),
        )
            .into_response()
    };
    let store = match &cfg.diary {
        DiaryAccess::On { store, .. } | DiaryAccess::Accounts { store, .. } => store,
        DiaryAccess::Off(_) => return problem(StatusCode::NOT_FOUND, "There is no diary here"),
    };
    if crate::http::middleware::cross_site(&headers) {
        return problem(StatusCode::FORBIDDEN, "Not from this site");
    }
    let Ok(body) = axum::body::to_bytes(body, 4096).await else {
        return problem(
            StatusCode::PAYLOAD_TOO_LARGE,
            "Send only {\"code\": \"...\"}",
        );
    };
    let Ok(NoCramps { code }) = serde_json::from_slice::<NoCramps>(&body) else {
        return problem(
            StatusCode::BAD_REQUEST,
            "Send {\"code\": \"...\"} from the notification",
        );
    };
    let now = legcramps_store::unix_seconds();
    match store
        .take_push_action(&legcramps_accounts::hash_secret(&code), now)
        .await
    {
        Ok(Some((owner, night))) if cramp_in_sleep(store, &owner, night).await => problem(
            StatusCode::CONFLICT,
            "You logged a cramp in your sleep that night: open your diary",
        ),
        Ok(Some((owner, night))) => match store.check_in(&owner, night).await {
            Ok(_) => (
                StatusCode::OK,
                [(axum::http::header::CACHE_CONTROL, "no-store")],
                Json(serde_json::json!({
                    "night": night.format("%Y-%m-%d").to_string(),
                    "without_cramps": true,
                })),
            )
                .into_response(),
            Err(_) => problem(
                StatusCode::SERVICE_UNAVAILABLE,
                "Not saved: try again from your diary",
            ),
        },
        Ok(None) => problem(
            StatusCode::NOT_FOUND,
            "This notification's answer was used already or has expired: open your diary",
        ),
        Err(_) => problem(
            StatusCode::SERVICE_UNAVAILABLE,
            "Not saved: try again from your diary",
        ),
    }
}

/// Whether `owner` logged a cramp in their sleep on the night ending on the morning of `night`
/// (then "No cramps" would contradict the diary).
async fn cramp_in_sleep(
    store: &legcramps_store::Store,
    owner: &legcramps_store::Owner,
    night: chrono::NaiveDate,
) -> bool {
    use legcramps_core::patterns::night_of;
    store
        .list(owner, Some(night - chrono::Days::new(1)), Some(night))
        .await
        .is_ok_and(|list| {
            list.iter()
                .any(|e| e.asleep == Some(true) && night_of(e.start.naive_local()) == night)
        })
}
