//! Patterns and the GP summary pages.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{NaiveDate, Utc};
use legcramps_contract::diary_io::SavedCheck;
use legcramps_core::diary::Episode;
use legcramps_core::patterns::{Nights, Summary, summarise_since};
use legcramps_core::profile::Profile;
use legcramps_store::Owner;

use super::recent_red_flag;
use crate::config::Shared;
use crate::diary::charts;
use crate::diary::range::{self, RangeForm, RangeQuery};
use crate::diary::summary::SummaryView;
use crate::http::auth::{Who, diary_store};
use crate::http::error::WebError;
use crate::http::render::{Page, render};
use crate::http::views::{Layout, zone_label};

// ---------------------------------------------------------------------------------------------
// Patterns and the GP summary

/// What the patterns page, the GP summary and the full record read for a period.
struct Period {
    summary: Summary,
    episodes: Vec<Episode>,
    checks: Vec<SavedCheck>,
    nights: Nights,
    check_ins: Vec<NaiveDate>,
}

/// The page for dates that could not be read: the range form again, every problem said, what
/// was typed kept (issue 21, finding 10).
#[derive(Template)]
#[template(path = "diary_range_error.html")]
struct RangeErrorPage {
    layout: Layout,
    heading: &'static str,
    back: &'static str,
    range: RangeForm,
}

/// The period a page asked for, or its range-error page (400).
fn period_of(
    page: &Page,
    cfg: &Shared,
    q: &RangeQuery,
    (action, heading, back): (&'static str, &'static str, &'static str),
) -> Result<(NaiveDate, NaiveDate), Box<Response>> {
    range::read(action, q, cfg.time_zone).map_err(|form| {
        Box::new(render(
            StatusCode::BAD_REQUEST,
            &RangeErrorPage {
                layout: page.layout(format!("Error: {heading}"), "diary"),
                heading,
                back,
                range: *form,
            },
        ))
    })
}

/// The period a page asked for and what the diary holds for it; or the page to answer with
/// instead (the range-error page, or the storage failure).
async fn read_period(
    page: &Page,
    cfg: &Shared,
    owner: &Owner,
    q: &RangeQuery,
    names: (&'static str, &'static str, &'static str),
) -> Result<((NaiveDate, NaiveDate), Period), Box<Response>> {
    let dates = period_of(page, cfg, q, names)?;
    let period = summary_for(cfg, owner, dates)
        .await
        .map_err(|e| Box::new(e.into_response()))?;
    Ok((dates, period))
}

async fn summary_for(
    cfg: &Shared,
    owner: &Owner,
    (from, to): (NaiveDate, NaiveDate),
) -> Result<Period, WebError> {
    let store = diary_store(cfg)?;
    let episodes = store
        .list(owner, Some(from), Some(to))
        .await
        .map_err(WebError::diary)?;
    let checks = store.checks(owner).await.map_err(WebError::diary)?;
    let first = store.first_logged(owner).await.map_err(WebError::diary)?;
    let profile = store.profile(owner).await.map_err(WebError::diary)?;
    let (check_ins, first_check_in) = store
        .check_ins(owner, Some(from), Some(to))
        .await
        .map_err(WebError::diary)?;
    // The diary began with its first cramp or its first check-in, whichever came first.
    let began = match (first, first_check_in) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let summary = summarise_since(&episodes, &profile, from, to, began, cfg.settings);
    let nights = Nights::count(
        &episodes,
        &check_ins,
        summary.start,
        summary.to,
        first_check_in,
    );
    Ok(Period {
        summary,
        episodes,
        checks,
        nights,
        check_ins,
    })
}

/// Now, in the server's zone, for "made on" lines.
fn made_now(zone: chrono_tz::Tz) -> String {
    crate::diary::summary::generated_text(
        Utc::now().with_timezone(&zone).fixed_offset(),
        &zone_label(zone),
    )
}

#[derive(Template)]
#[template(path = "diary_patterns.html")]
struct PatternsPage<'a> {
    layout: Layout,
    v: SummaryView<'a>,
    range: RangeForm,
    hour_chart: String,
    duration_chart: String,
    legs_chart: String,
    hours: Vec<(String, u32)>,
    compare_min: usize,
    recent_red_flag: Option<legcramps_core::diary::RedFlagAdvice>,
}

pub(crate) async fn patterns(
    page: Page,
    State(cfg): State<Shared>,
    Who { owner, .. }: Who,
    q: RangeQuery,
) -> Result<Response, WebError> {
    let (
        dates,
        Period {
            summary,
            episodes,
            checks,
            nights,
            check_ins,
        },
    ) = match read_period(
        &page,
        &cfg,
        &owner,
        &q,
        ("/diary/patterns", "Your patterns", "your patterns"),
    )
    .await
    {
        Ok(p) => p,
        Err(r) => return Ok(*r),
    };
    let recent_red_flag = recent_red_flag(diary_store(&cfg)?, &owner)
        .await
        .map_err(WebError::diary)?;
    let page = PatternsPage {
        recent_red_flag,
        layout: page.layout("Your patterns", "diary"),
        range: RangeForm::shown("/diary/patterns", &q, dates),
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
        v: SummaryView::new(&summary, &cfg.settings, made_now(cfg.time_zone))
            .with_checks(&checks)
            .with_nights(&nights, &episodes, &check_ins),
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "diary_summary.html")]
struct SummaryPage<'a> {
    layout: Layout,
    v: SummaryView<'a>,
    from: String,
    to: String,
    range: RangeForm,
    gp_css: &'static str,
}

pub(crate) async fn summary(
    page: Page,
    State(cfg): State<Shared>,
    Who { owner, .. }: Who,
    q: RangeQuery,
) -> Result<Response, WebError> {
    let (
        dates,
        Period {
            summary,
            episodes,
            checks,
            nights,
            check_ins,
        },
    ) = match read_period(
        &page,
        &cfg,
        &owner,
        &q,
        (
            "/diary/summary",
            "Summary for your GP",
            "the summary for your GP",
        ),
    )
    .await
    {
        Ok(p) => p,
        Err(r) => return Ok(*r),
    };
    Ok(render(
        StatusCode::OK,
        &SummaryPage {
            layout: page.layout("Summary for your GP", "diary"),
            from: summary.from.to_string(),
            to: summary.to.to_string(),
            range: RangeForm::shown("/diary/summary", &q, dates),
            gp_css: crate::http::assets::GP_SUMMARY_CSS,
            v: SummaryView::new(&summary, &cfg.settings, made_now(cfg.time_zone))
                .for_one_page(&cfg.settings)
                .with_checks(&checks)
                .with_nights(&nights, &episodes, &check_ins),
        },
    ))
}

#[derive(Template)]
#[template(path = "diary_record.html")]
struct RecordPage<'a> {
    layout: Layout,
    v: SummaryView<'a>,
    from: String,
    to: String,
    range: RangeForm,
    gp_css: &'static str,
    /// Every cramp in the period, newest first, as the diary list words it (without the
    /// profile on its day: the medicines are listed once, with their dates).
    rows: Vec<super::Row>,
    /// Each red flag, with its whole note.
    red_not_eased: Vec<String>,
    red_unknown: Vec<String>,
}

/// The full record for the GP (issue 21, finding 5): everything the one-page summary leaves
/// out — every cramp of the period, every red flag and note whole, every medicine, pregnancy
/// and condition, and every saved check with its reasons. It runs to as many pages as it needs,
/// never splitting a section's heading from what follows.
pub(crate) async fn record(
    page: Page,
    State(cfg): State<Shared>,
    Who { owner, .. }: Who,
    q: RangeQuery,
) -> Result<Response, WebError> {
    let (
        dates,
        Period {
            summary,
            episodes,
            checks,
            nights,
            check_ins,
        },
    ) = match read_period(
        &page,
        &cfg,
        &owner,
        &q,
        (
            "/diary/record",
            "Full record for your GP",
            "the full record",
        ),
    )
    .await
    {
        Ok(p) => p,
        Err(r) => return Ok(*r),
    };
    let (red_not_eased, red_unknown) = crate::diary::summary::red_lines_whole(&summary);
    Ok(render(
        StatusCode::OK,
        &RecordPage {
            layout: page.layout("Full record for your GP", "diary"),
            from: summary.from.to_string(),
            to: summary.to.to_string(),
            range: RangeForm::shown("/diary/record", &q, dates),
            gp_css: crate::http::assets::GP_SUMMARY_CSS,
            rows: episodes
                .iter()
                .rev()
                .map(|e| super::row_of(e, &Profile::default()))
                .collect(),
            red_not_eased,
            red_unknown,
            v: SummaryView::new(&summary, &cfg.settings, made_now(cfg.time_zone))
                .with_checks(&checks)
                .with_nights(&nights, &episodes, &check_ins),
        },
    ))
}
