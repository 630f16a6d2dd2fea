//! Downloads: CSV, JSON, FHIR, and the reminder calendar file.

use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use chrono::{Local, NaiveDate, Utc};
use legcramps_contract::diary_io::{DiaryFile, to_csv, to_json};
use legcramps_contract::{fhir, ics};
use legcramps_core::diary::parse_date;
use legcramps_store::Owner;

use crate::config::Shared;
use crate::http::auth::{Who, diary_store};
use crate::http::error::WebError;

use super::range::RangeQuery;
use crate::http::problem::episode_problem;
use axum::response::IntoResponse;
use serde::Deserialize;
// ---------------------------------------------------------------------------------------------
// Downloads

async fn everything(cfg: &Shared, owner: &Owner, q: &RangeQuery) -> Result<DiaryFile, WebError> {
    everything_for(cfg, owner, q, false).await
}

/// Everything in a date range; a bad date is a page for people, or problem+json for the API.
pub(crate) async fn everything_for(
    cfg: &Shared,
    owner: &Owner,
    q: &RangeQuery,
    api: bool,
) -> Result<DiaryFile, WebError> {
    let store = diary_store(cfg)?;
    let parse = |v: &Option<String>, f: &'static str| -> Result<Option<NaiveDate>, WebError> {
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
                    WebError::Problem(episode_problem(
                        StatusCode::BAD_REQUEST,
                        "The dates are not valid",
                        e.to_string(),
                        Some(e.field.to_owned()),
                    ))
                } else {
                    // Only a hand-made link carries dates here: no date format is shown to people.
                    let _ = e;
                    WebError::diary_refused(
                        StatusCode::BAD_REQUEST,
                        "The dates in the link you followed could not be read. Download your diary from its page instead.".to_owned(),
                    )
                }
            })
    };
    let from = parse(&q.from, "from")?;
    let to = parse(&q.to, "to")?;
    store
        .everything(owner, from, to)
        .await
        .map_err(WebError::diary)
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

async fn export(
    cfg: &Shared,
    owner: &Owner,
    q: &RangeQuery,
    kind: Export,
) -> Result<Response, WebError> {
    let f = everything(cfg, owner, q).await?;
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
    Ok(download(
        body,
        content_type,
        &format!("leg-cramps-diary-{}.{ext}", stamp()),
    ))
}

pub(crate) async fn export_csv(
    State(cfg): State<Shared>,
    Who { owner, .. }: Who,
    q: RangeQuery,
) -> Result<Response, WebError> {
    export(&cfg, &owner, &q, Export::Csv).await
}

pub(crate) async fn export_json(
    State(cfg): State<Shared>,
    Who { owner, .. }: Who,
    q: RangeQuery,
) -> Result<Response, WebError> {
    export(&cfg, &owner, &q, Export::Json).await
}

pub(crate) async fn export_fhir(
    State(cfg): State<Shared>,
    Who { owner, .. }: Who,
    q: RangeQuery,
) -> Result<Response, WebError> {
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
        None => WebError::diary_refused(
            StatusCode::BAD_REQUEST,
            format!("“{text}” is not a time. Enter the time on the 24-hour clock, like 21:30."),
        )
        .into_response(),
    }
}
