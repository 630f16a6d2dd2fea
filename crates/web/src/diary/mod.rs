//! The cramp diary on the web: log, list, edit and delete episodes; patterns with accessible
//! charts; the printable GP summary; exports and the reminder; and the JSON API for episodes.
//!
//! Every route here is behind [`crate::http::auth::guard`] (who may reach the diary, whose it
//! is, no cross-site posts, `no-store`): the handlers take the owner from the [`Who`]
//! extractor and never check access themselves.

use std::str::FromStr;

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{NaiveDate, TimeZone, Timelike, Utc};
use legcramps_core::diary::{Context, Duration, Eased, Episode, EpisodeId, Severity, Side};
use legcramps_core::profile::Profile;
use legcramps_store::{Owner, Store, new_id};
use serde::Deserialize;

use crate::config::Shared;
use crate::http::auth::{Who, diary_store};
use crate::http::error::{WebError, or_reply};
use crate::http::render::{Page, render};
use crate::http::views::Layout;

pub(crate) mod api;
pub(crate) mod charts;
pub(crate) mod exports;
pub(crate) mod form;
pub(crate) mod import;
pub(crate) mod patterns;
pub(crate) mod quota;
pub(crate) mod range;
pub mod summary;
pub(crate) mod unsaved;

use form::{
    FormPage, FormValues, Opt, error_for, has_error, options, severity_options, side_options,
};
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
    /// After "No cramps last night": that it was recorded, or taken back.
    night: Option<String>,
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
    /// The compact list (issue 21, finding 9): the first line's facts after the time ("3
    /// minutes", "left calf", "moderate"), the second line's ("in sleep", "eased when I
    /// moved", what else was going on, the note cut short), and the details not logged, named
    /// in one short clause instead of "not logged" in every column.
    line_one: Vec<String>,
    line_two: Vec<String>,
    not_logged: Vec<&'static str>,
    /// When, without the year (the week's heading has it): "Thu 12 Nov, 02:10".
    when_short: String,
}

/// A note in the compact list is cut to this many characters (the change page has it whole);
/// so is what else was going on.
const LIST_NOTE_CHARS: usize = 60;
const LIST_ALSO_CHARS: usize = 50;

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
    checks: Vec<crate::diary::summary::SavedCheckLine>,
    banner: Option<&'static str>,
    /// After a quick log: the cramp's id (for "add more about it").
    quick_logged: Option<String>,
    /// After every log: the whole safety net (issue 18, finding 6), each line with its facts.
    safety_net: Vec<crate::http::views::AdviceLine>,
    /// "Get help now", on every diary page.
    help: crate::http::views::Block,
    /// A red-flag cramp that is still recent: its urgent advice, shown while it lasts.
    recent_red_flag: Option<legcramps_core::diary::RedFlagAdvice>,
    /// The quick log's choices, as sent when it had a problem.
    whens: Vec<Opt>,
    sides: Vec<Opt>,
    severities: Vec<Opt>,
    errors: Vec<(&'static str, String)>,
    /// Last night (named by this morning's date): whether the person has said it had no
    /// cramps, and whether a cramp in their sleep is logged for it.
    last_night: LastNight,
}

/// The diary's "No cramps last night" check-in, as the list page shows it.
#[derive(Debug)]
struct LastNight {
    /// "the night of Wednesday 2 to Thursday 3 December".
    morning: String,
    checked_in: bool,
    cramp_in_sleep: bool,
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
    /// When it was sent, for a quick log kept from after a sign-in ended and saved later
    /// (`http::unsaved`): "just now" and "last night" are then that time, not the saving's.
    sent_at: Option<i64>,
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
                "sent-at" => q.sent_at = v.trim().parse().ok(),
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

pub(crate) fn row_of(e: &Episode, profile: &Profile) -> Row {
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
    let mut line_one = Vec::new();
    let mut not_logged = Vec::new();
    match e.duration {
        Some(d) => line_one.push(d.human()),
        None => not_logged.push("how long"),
    }
    line_one.push(e.severity.name().to_owned());
    let mut line_two = vec![e.place()];
    if e.site.is_none() {
        not_logged.push("muscle");
    }
    match e.asleep {
        Some(true) => line_two.push("in sleep".to_owned()),
        Some(false) => line_two.push("awake".to_owned()),
        None => not_logged.push("asleep"),
    }
    match e.eased {
        Some(Eased::Yes) => line_two.push("eased when moved".to_owned()),
        Some(Eased::No) => line_two.push("did not ease when moved".to_owned()),
        Some(Eased::Unsure) => line_two.push("not sure if moving eased it".to_owned()),
        None => not_logged.push("eased"),
    }
    if !context.is_empty() {
        // The profile on the day can be long (every medicine taken): cut, so the list stays
        // compact (the outside GP review); the cramp's own page and the exports have it whole.
        let also = context.join(", ");
        let mut cut: String = also.chars().take(LIST_ALSO_CHARS).collect();
        if cut.len() < also.len() {
            cut.push('\u{2026}');
        }
        line_two.push(format!("Also: {cut}"));
    }
    if let Some(n) = &e.note {
        let n = n.as_str();
        let mut cut: String = n.chars().take(LIST_NOTE_CHARS).collect();
        if cut.len() < n.len() {
            cut.push('\u{2026}');
        }
        line_two.push(format!("\u{201c}{cut}\u{201d}"));
    }
    Row {
        when_short: if e.last_night {
            format!("Night of {}", e.evening().format("%a %-d %b"))
        } else {
            e.start.format("%a %-d %b, %H:%M").to_string()
        },
        line_one,
        line_two,
        not_logged,
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
    page: Page,
    State(cfg): State<Shared>,
    Who { owner, .. }: Who,
    Query(q): Query<ListQuery>,
) -> Response {
    list_page(&page, &cfg, &owner, &q, Quick::default()).await
}

/// Last night, for the check-in: named by today's date in the server's zone.
async fn last_night(
    store: &Store,
    owner: &Owner,
    zone: chrono_tz::Tz,
) -> Result<LastNight, legcramps_store::StoreError> {
    use legcramps_core::patterns::{check_in_night, night_of};
    let night = check_in_night(Utc::now().with_timezone(&zone).naive_local());
    let (checked, _) = store.check_ins(owner, Some(night), Some(night)).await?;
    // A cramp in sleep counts on the night it belongs to (from 18:00 the evening before).
    let cramp_in_sleep = store
        .list(owner, Some(night - chrono::Days::new(1)), Some(night))
        .await?
        .iter()
        .any(|e| e.asleep == Some(true) && night_of(e.start.naive_local()) == night);
    Ok(LastNight {
        morning: legcramps_core::patterns::night_name(night),
        checked_in: !checked.is_empty(),
        cramp_in_sleep,
    })
}

/// `POST /diary/nights`: "No cramps last night", one tap: the night that ended this morning
/// (in the server's zone; before 05:00, the one that ended yesterday morning, as the night
/// going on is not over) is recorded as having had no cramps.
pub(crate) async fn check_in(
    State(cfg): State<Shared>,
    Who { owner, .. }: Who,
) -> Result<Response, WebError> {
    let store = diary_store(&cfg)?;
    let night = legcramps_core::patterns::check_in_night(
        Utc::now().with_timezone(&cfg.time_zone).naive_local(),
    );
    store
        .check_in(&owner, night)
        .await
        .map_err(WebError::diary)?;
    Ok(Redirect::to("/diary?night=recorded").into_response())
}

/// `POST /diary/nights/undo`: take back this morning's check-in (a tap by mistake).
pub(crate) async fn undo_check_in(
    State(cfg): State<Shared>,
    Who { owner, .. }: Who,
) -> Result<Response, WebError> {
    let store = diary_store(&cfg)?;
    let night = legcramps_core::patterns::check_in_night(
        Utc::now().with_timezone(&cfg.time_zone).naive_local(),
    );
    store
        .undo_check_in(&owner, night)
        .await
        .map_err(WebError::diary)?;
    Ok(Redirect::to("/diary?night=undone").into_response())
}

/// The diary's first screen: the quick log (with `quick`'s answers and problems, if any), then
/// the list.
/// The latest red-flag cramp that is still recent (going on, or ended within the window), if
/// any: its urgent advice is shown on the diary and the patterns while it lasts (issue 18,
/// finding 21), not only on the page after it was logged. Reads only the last few days.
pub(crate) async fn recent_red_flag(
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

async fn list_page(
    page: &Page,
    cfg: &Shared,
    owner: &Owner,
    q: &ListQuery,
    quick: Quick,
) -> Response {
    let store = or_reply!(diary_store(cfg));
    let recent_red_flag = match recent_red_flag(store, owner).await {
        Ok(r) => r,
        Err(e) => return WebError::diary(e).into_response(),
    };
    // Which weeks have cramps, from the days logged; then only this page's cramps are read (a
    // page costs the same in a diary of ten years as in one of ten days).
    let days = match store.days_logged(owner).await {
        Ok(d) => d,
        Err(e) => return WebError::diary(e).into_response(),
    };
    let total: usize = days.iter().map(|(_, n)| *n as usize).sum();
    let mondays = mondays_newest_first(&days);
    let pages = mondays.len().div_ceil(DIARY_WEEKS_PER_PAGE).max(1);
    // A page that is not a number, or past the end, is the nearest one there is.
    let page_no = q
        .page
        .as_deref()
        .and_then(|p| p.trim().parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, pages);
    let shown = mondays
        .chunks(DIARY_WEEKS_PER_PAGE)
        .nth(page_no - 1)
        .unwrap_or_default();
    let weeks = match (shown.last(), shown.first()) {
        (Some(oldest), Some(newest)) => {
            let mut episodes = match store
                .list(owner, Some(*oldest), Some(*newest + chrono::Days::new(6)))
                .await
            {
                Ok(e) => e,
                Err(e) => return WebError::diary(e).into_response(),
            };
            episodes.reverse();
            // The profile is needed only for the rows shown.
            let profile = match store.profile(owner).await {
                Ok(p) => p,
                Err(e) => return WebError::diary(e).into_response(),
            };
            weeks_of(&episodes, &profile)
        }
        _ => Vec::new(),
    };
    let checks = match store.checks(owner).await {
        Ok(c) => c
            .iter()
            .rev()
            .map(crate::diary::summary::SavedCheckLine::of)
            .collect(),
        Err(e) => return WebError::diary(e).into_response(),
    };
    let quick_logged = q
        .quick
        .as_deref()
        .and_then(parse_id)
        .map(|id| id.to_string());
    let logged = q.logged.is_some() || quick_logged.is_some();
    let last_night = match last_night(store, owner, cfg.time_zone).await {
        Ok(n) => n,
        Err(e) => return WebError::diary(e).into_response(),
    };
    let banner = if logged {
        Some("Your cramp has been logged.")
    } else if q.night.as_deref() == Some("recorded") {
        Some("Recorded: no cramps last night. Thank you: nights without cramps count too.")
    } else if q.night.as_deref() == Some("undone") {
        Some("Taken back: last night is not recorded.")
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
            layout: page.layout(title, "diary"),
            weeks,
            total,
            page: page_no,
            pages,
            checks,
            banner,
            quick_logged,
            safety_net: if logged {
                crate::http::views::AdviceLine::net(legcramps_core::diary::LOG_SAFETY_NET)
            } else {
                Vec::new()
            },
            help: crate::http::views::help_now(),
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
            last_night,
        },
    )
}

/// The quick log: when (just now, last night, another time), which leg, and how bad (its
/// buttons save), in three choices; the rest can be added later. "Another time" goes on to
/// the full form, with the leg and how bad filled in.
pub(crate) async fn quick(
    page: Page,
    State(cfg): State<Shared>,
    Who { owner, .. }: Who,
    body: Bytes,
) -> Response {
    let store = or_reply!(diary_store(&cfg));
    if !form_is_utf8(&body) {
        return not_utf8();
    }
    let q = Quick::from_form(&body);
    // Any problem: the page again, with the choices kept and the problems named.
    let Some((side, severity)) = q.chosen.filter(|_| q.errors.is_empty()) else {
        return list_page(&page, &cfg, &owner, &ListQuery::default(), q).await;
    };
    let zone = cfg.time_zone;
    // Sent earlier and kept while signed out: its own time, if it is a past one within the
    // longest a form is ever kept (a week); otherwise now.
    let real_now = Utc::now();
    let sent = q
        .sent_at
        .and_then(|t| chrono::DateTime::from_timestamp(t, 0))
        .filter(|t| *t <= real_now && real_now - *t <= chrono::Duration::days(7));
    let now = sent.unwrap_or(real_now).with_timezone(&zone);
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
        return WebError::diary(err).into_response();
    }
    match quota::insert(&cfg, store, &owner, &e).await {
        Err(err) => err.into_response(),
        Ok(()) => Redirect::to(&format!("/diary?quick={}", e.id)).into_response(),
    }
}

/// The full form's query: the quick log's "another time" passes the leg and how bad on.
#[derive(Debug, Deserialize)]
pub(crate) struct NewQuery {
    side: Option<String>,
    severity: Option<String>,
}

pub(crate) async fn new_form(
    page: Page,
    State(cfg): State<Shared>,
    Query(q): Query<NewQuery>,
) -> Response {
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
        &FormPage::new(&page, "/diary".into(), "Log a cramp", "Save", v, Vec::new()),
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
fn red_flag_page(page: &Page, advice: legcramps_core::diary::RedFlagAdvice) -> Response {
    render(
        StatusCode::OK,
        &RedFlagPage {
            layout: page.layout(advice.headline, "diary"),
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
    WebError::diary_refused(StatusCode::BAD_REQUEST, "The form held characters that could not be read, so nothing was saved. Please type the note again.".to_owned()).into_response()
}

pub(crate) async fn create(
    page: Page,
    State(cfg): State<Shared>,
    Who { owner, .. }: Who,
    body: Bytes,
) -> Response {
    let store = or_reply!(diary_store(&cfg));
    if !form_is_utf8(&body) {
        return not_utf8();
    }
    let v = FormValues::from_form(&body, cfg.time_zone);
    match dates_checked(v.episode(new_id())) {
        Err(errors) => render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &FormPage::new(&page, "/diary".into(), "Log a cramp", "Save", v, errors),
        ),
        Ok(e) => match quota::insert(&cfg, store, &owner, &e).await {
            Err(err) => err.into_response(),
            Ok(()) => match e.advice_after_logging(Utc::now()) {
                Some(advice) => red_flag_page(&page, advice),
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
    let store = diary_store(cfg).map_err(IntoResponse::into_response)?;
    let Some(id) = parse_id(id) else {
        return Err(WebError::NotFound.into_response());
    };
    match store.get(owner, &id).await {
        Err(e) => Err(WebError::diary(e).into_response()),
        Ok(None) => Err(WebError::NotFound.into_response()),
        Ok(Some(e)) => Ok(e),
    }
}

pub(crate) async fn edit_form(
    page: Page,
    State(cfg): State<Shared>,
    Who { owner, .. }: Who,
    Path(id): Path<String>,
) -> Response {
    match find(&cfg, &owner, &id).await {
        Err(page) => page,
        Ok(e) => render(
            StatusCode::OK,
            &FormPage::new(
                &page,
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
    page: Page,
    State(cfg): State<Shared>,
    Who { owner, .. }: Who,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    if !form_is_utf8(&body) {
        return not_utf8();
    }
    let store = or_reply!(diary_store(&cfg));
    let Some(id) = parse_id(&id) else {
        return WebError::NotFound.into_response();
    };
    let v = FormValues::from_form(&body, cfg.time_zone);
    match dates_checked(v.episode(id.clone())) {
        Err(errors) => render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &FormPage::new(
                &page,
                format!("/diary/{id}"),
                "Change a cramp",
                "Save changes",
                v,
                errors,
            ),
        ),
        Ok(e) => match store.update(&owner, &e).await {
            Err(err) => WebError::diary(err).into_response(),
            Ok(false) => WebError::NotFound.into_response(),
            Ok(true) => match e.advice_after_logging(Utc::now()) {
                Some(advice) => red_flag_page(&page, advice),
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
    page: Page,
    State(cfg): State<Shared>,
    Who { owner, .. }: Who,
    Path(id): Path<String>,
) -> Response {
    match find(&cfg, &owner, &id).await {
        Err(page) => page,
        Ok(e) => render(
            StatusCode::OK,
            &DeletePage {
                layout: page.layout("Delete this cramp?", "diary"),
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
    Who { owner, .. }: Who,
    Path(id): Path<String>,
) -> Response {
    let store = or_reply!(diary_store(&cfg));
    let Some(id) = parse_id(&id) else {
        return WebError::NotFound.into_response();
    };
    match store.delete(&owner, &id).await {
        Err(e) => WebError::diary(e).into_response(),
        Ok(false) => WebError::NotFound.into_response(),
        Ok(true) => Redirect::to("/diary?deleted=1").into_response(),
    }
}

#[derive(Template)]
#[template(path = "diary_delete_all.html")]
struct DeleteAllPage {
    layout: Layout,
    done: Option<u64>,
}

pub(crate) async fn delete_all_form(page: Page) -> Response {
    render(
        StatusCode::OK,
        &DeleteAllPage {
            layout: page.layout("Delete your whole diary?", "diary"),
            done: None,
        },
    )
}

pub(crate) async fn delete_all(
    page: Page,
    State(cfg): State<Shared>,
    Who { owner, means }: Who,
    body: Bytes,
) -> Response {
    let store = or_reply!(diary_store(&cfg));
    // On a hosted site, deleting everything needs a recent "it is me", like deleting the
    // account (issue 20): a stolen session cannot wipe the diary.
    if let Err(e) =
        crate::http::auth::recently_confirmed_if_signed_in(&cfg, &means, "/diary/delete-all")
    {
        return e.into_response();
    }
    let confirmed = form_urlencoded::parse(&body).any(|(k, v)| k == "confirm" && v == "yes");
    if !confirmed {
        return Redirect::to("/diary/delete-all").into_response();
    }
    match store.delete_all(&owner).await {
        Err(e) => WebError::diary(e).into_response(),
        Ok(n) => render(
            StatusCode::OK,
            &DeleteAllPage {
                layout: page.layout("Your diary has been deleted", "diary"),
                done: Some(n),
            },
        ),
    }
}
