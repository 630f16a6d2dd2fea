//! The JSON API for episodes: `GET` and `POST /api/v1/episodes`.

use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use legcramps_contract::diary_io::{new_episode_from_json, to_json};
use legcramps_core::Level;
use legcramps_store::new_id;

use crate::config::Shared;
use crate::http::auth::{Who, diary_store};
use crate::http::error::WebError;

use crate::http::problem::diary_problem as problem;
use serde::Serialize;
use utoipa::ToSchema;

/// The answer to `POST /api/v1/episodes`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct EpisodeCreated {
    /// The new episode's id.
    pub(crate) id: String,
    /// Whether the cramp was a red flag (10 minutes or more, not eased by moving).
    pub(crate) red_flag: bool,
    /// For a red flag: what to do, urgent while it is recent, naming the cramp's date; for a
    /// cramp of an hour or more that eased: see a GP (disposition `gp`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub(crate) advice: Option<serde_json::Value>,
    /// After every log: when to get help (999 for chest pain or new or worse breathlessness,
    /// the signs of a clot in one leg, a cramp of 10 minutes or more that moving does not
    /// ease, and where to phone), as short lines. A red flag's `advice` carries its own.
    pub(crate) safety_net_lines: Vec<&'static str>,
}

// ---------------------------------------------------------------------------------------------
// The JSON API for episodes

/// The largest episode body the API accepts.
const MAX_EPISODE_BYTES: usize = 16 * 1024;

/// The body of a JSON write: `application/json`, at most `limit` bytes (read here, so any larger
/// body, however large, gets a problem+json answer rather than the framework's plain text),
/// UTF-8, and one JSON object (else 400; a well-formed object that breaks the rules is the
/// caller's 422 naming the field). `titles`: the problem titles for the wrong media type and
/// for too large a body; `shape`: what to send.
async fn json_object_body(
    request: axum::extract::Request,
    limit: usize,
    (wrong_type, too_large): (&'static str, &'static str),
    shape: &str,
) -> Result<(String, serde_json::Map<String, serde_json::Value>), Response> {
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
        return Err(problem(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            wrong_type,
            "the Content-Type header must be application/json".into(),
            None,
        ));
    }
    let Ok(body) = axum::body::to_bytes(request.into_body(), limit).await else {
        return Err(problem(
            StatusCode::PAYLOAD_TOO_LARGE,
            too_large,
            format!("the body is larger than {limit} bytes"),
            None,
        ));
    };
    let Ok(text) = String::from_utf8(body.to_vec()) else {
        return Err(problem(
            StatusCode::BAD_REQUEST,
            "The body is not valid JSON",
            "the body is not UTF-8 text".into(),
            None,
        ));
    };
    match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(serde_json::Value::Object(fields)) => Ok((text, fields)),
        _ => Err(problem(
            StatusCode::BAD_REQUEST,
            "The body is not one JSON object",
            format!("send one JSON object: {shape}"),
            None,
        )),
    }
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
        (status = 201, description = "Logged, once the write is durable", body = EpisodeCreated),
        (status = 400, description = "The body is not one JSON object", body = crate::http::problem::Problem, content_type = "application/problem+json"),
        (status = 401, description = "Accounts are on and the request has no signed-in session", body = crate::http::problem::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The diary is not served to this host, or the request came from another site", body = crate::http::problem::Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than 16384 bytes", body = crate::http::problem::Problem, content_type = "application/problem+json"),
        (status = 415, description = "The content type is not application/json", body = crate::http::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The account's diary holds the most cramps this site keeps for one person (a setting); nothing was saved", body = crate::http::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The episode breaks the rules (names the field)", body = crate::http::problem::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many changes to this account's diary in the last minute (a setting); see Retry-After", body = crate::http::problem::Problem, content_type = "application/problem+json"),
        (status = 503, description = "The diary cannot be reached just now (nothing was changed); see Retry-After", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn api_create(
    State(cfg): State<Shared>,
    Who { owner, .. }: Who,
    request: axum::extract::Request,
) -> Response {
    let Ok(store) = diary_store(&cfg) else {
        return WebError::diary("the diary is off").into_response();
    };
    let text = match json_object_body(
        request,
        MAX_EPISODE_BYTES,
        (
            "Send the episode as application/json",
            "The episode is too large",
        ),
        "the episode, as the OpenAPI document describes it",
    )
    .await
    {
        Ok((text, _)) => text,
        Err(r) => return r,
    };
    let (episode, said) = match new_episode_from_json(&text, new_id()) {
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
    if let Err(e) = super::quota::insert(&cfg, store, &owner, &episode).await {
        return e.into_response();
    }
    // An older program's "new medicine" or "pregnant" goes into the profile.
    if let Err(e) = store.add_from_diary(&owner, &said).await {
        return WebError::diary(e).into_response();
    }
    let red_flag = episode.is_red_flag();
    let advice = episode.advice_after_logging(Utc::now());
    let mut out = EpisodeCreated {
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
/// The query of `GET /api/v1/episodes`.
#[derive(serde::Deserialize)]
pub(crate) struct ListQuery {
    from: Option<String>,
    to: Option<String>,
    limit: Option<String>,
    after: Option<String>,
}

/// Episodes in a page when the request does not say (`limit`), and the most it may ask for.
pub(crate) const PAGE_DEFAULT: i64 = 500;
pub(crate) const PAGE_MAX: i64 = 1000;

#[utoipa::path(
    get,
    path = "/api/v1/episodes",
    tag = "diary",
    security((), ("token" = []), ("session" = [])),
    params(
        ("from" = Option<String>, Query, description = "The first day, as YYYY-MM-DD", format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"),
        ("to" = Option<String>, Query, description = "The last day, as YYYY-MM-DD", format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"),
        ("limit" = Option<i64>, Query, description = "The most episodes in this page (1 to 1000; 500 when not given)", minimum = 1, maximum = 1000),
        ("after" = Option<String>, Query, description = "Where this page starts: the `after` of the previous page's `Link: <...>; rel=\"next\"` header (opaque)", pattern = "^-?[0-9]{1,18}\\.[a-z0-9-]{1,64}$"),
    ),
    responses(
        (status = 200, description = "A page of the diary, in the export format, oldest first. The saved checks and the profile come with the first page (no `after`) only. When there is more, a `Link` header (RFC 8288) names the next page with rel=\"next\"; the last page has none.", body = legcramps_contract::diary_io::DiaryJson,
            headers(("Link" = String, description = "The next page: <URL>; rel=\"next\""))),
        (status = 400, description = "A date, the limit or the page is not valid (names the field)", body = crate::http::problem::Problem, content_type = "application/problem+json"),
        (status = 401, description = "Accounts are on and the request has no signed-in session", body = crate::http::problem::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The diary is not served to this host", body = crate::http::problem::Problem, content_type = "application/problem+json"),
        (status = 503, description = "The diary cannot be reached just now; see Retry-After", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn api_list(
    State(cfg): State<Shared>,
    Who { owner, .. }: Who,
    q: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Ok(Query(q)) = q else {
        return problem(
            StatusCode::BAD_REQUEST,
            "The query is not valid",
            "use ?from=YYYY-MM-DD&to=YYYY-MM-DD&limit=N&after=..., all optional".into(),
            None,
        );
    };
    let bad = |field: &str, detail: String| {
        problem(
            StatusCode::BAD_REQUEST,
            "The query is not valid",
            detail,
            Some(field.to_owned()),
        )
    };
    let day = |v: &Option<String>, field: &'static str| match v.as_deref() {
        None => Ok(None),
        Some(s) if legcramps_contract::diary_io::is_iso_day(s) => {
            legcramps_core::diary::parse_date(field, s)
                .map(Some)
                .map_err(|e| (field, e.to_string()))
        }
        Some(s) => Err((field, format!("`{s}` is not a date written as YYYY-MM-DD"))),
    };
    let (from, to) = match (day(&q.from, "from"), day(&q.to, "to")) {
        (Ok(f), Ok(t)) => (f, t),
        (Err((field, why)), _) | (_, Err((field, why))) => return bad(field, why),
    };
    let limit = match q.limit.as_deref().map(str::parse::<i64>) {
        None => PAGE_DEFAULT,
        Some(Ok(n)) if (1..=PAGE_MAX).contains(&n) => n,
        Some(_) => return bad("limit", format!("give a whole number from 1 to {PAGE_MAX}")),
    };
    let after = match q.after.as_deref() {
        None => None,
        Some(text) => match text
            .split_once('.')
            .and_then(|(t, id)| {
                Some((
                    t.parse::<i64>().ok()?,
                    legcramps_core::diary::EpisodeId::new(id).ok()?,
                ))
            })
            .filter(|(_, id)| q.after.as_deref().is_some_and(|a| a.ends_with(id.as_str())))
        {
            Some(a) => Some(a),
            None => {
                return bad(
                    "after",
                    "use the `after` from the previous page's Link header".into(),
                );
            }
        },
    };
    let Ok(store) = diary_store(&cfg) else {
        return WebError::diary("the diary is off").into_response();
    };
    let mut episodes = match store
        .list_page(
            &owner,
            from,
            to,
            after.as_ref().map(|(t, id)| (*t, id.as_str())),
            limit + 1,
        )
        .await
    {
        Ok(e) => e,
        Err(e) => return WebError::diary(e).into_response(),
    };
    let more = i64::try_from(episodes.len()).unwrap_or(i64::MAX) > limit;
    episodes.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let (checks, profile, nights) = if after.is_none() {
        let checks = match store.checks(&owner).await {
            Ok(c) => c
                .into_iter()
                .filter(|c| {
                    let d = c.at.date_naive();
                    from.is_none_or(|f| d >= f) && to.is_none_or(|t| d <= t)
                })
                .collect(),
            Err(e) => return WebError::diary(e).into_response(),
        };
        let nights = match store.check_ins(&owner, from, to).await {
            Ok((n, _)) => n,
            Err(e) => return WebError::diary(e).into_response(),
        };
        match store.profile(&owner).await {
            Ok(p) => (checks, p, nights),
            Err(e) => return WebError::diary(e).into_response(),
        }
    } else {
        (
            Vec::new(),
            legcramps_core::profile::Profile::default(),
            Vec::new(),
        )
    };
    let next = more
        .then(|| {
            let last = episodes.last()?;
            let mut url = form_urlencoded::Serializer::new(String::new());
            if let Some(f) = &from {
                url.append_pair("from", &f.to_string());
            }
            if let Some(t) = &to {
                url.append_pair("to", &t.to_string());
            }
            url.append_pair("limit", &limit.to_string());
            url.append_pair(
                "after",
                &format!("{}.{}", last.start.timestamp(), last.id.as_str()),
            );
            Some(format!("</api/v1/episodes?{}>; rel=\"next\"", url.finish()))
        })
        .flatten();
    let file = legcramps_contract::diary_io::DiaryFile {
        episodes,
        checks,
        profile,
        nights_without_cramps: nights,
    };
    let mut r = to_json(&file).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Some(link) = next.and_then(|l| HeaderValue::from_str(&l).ok()) {
        r.headers_mut().insert(header::LINK, link);
    }
    r
}

// ---------------------------------------------------------------------------------------------
// Nights without cramps (issue 21)

/// The body of `POST /api/v1/nights`.
#[derive(Debug, serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NightCheckIn {
    /// The night, named by the date of the morning it ended on (`YYYY-MM-DD`): from 1900 and
    /// not in the future.
    #[schema(format = Date, example = "2026-12-03")]
    pub(crate) night: String,
    /// Take a check-in back (default: false, record it).
    #[serde(default)]
    pub(crate) undo: bool,
}

/// The answer to `POST /api/v1/nights`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct NightAnswer {
    /// The night, as sent.
    pub(crate) night: String,
    /// Whether the night is now recorded as having had no cramps.
    pub(crate) without_cramps: bool,
    /// Whether this request changed anything (false: it was already so).
    pub(crate) changed: bool,
}

/// The largest check-in body the API accepts (as for an episode: a smaller limit answered
/// fuzzed bodies with 413, which schemathesis does not count as a rejection).
const MAX_NIGHT_BYTES: usize = 16 * 1024;

/// `POST /api/v1/nights`: "no cramps last night" (or, with `undo`, take it back). A night
/// with a cramp logged in sleep still counts as a night with a cramp.
#[utoipa::path(
    post,
    path = "/api/v1/nights",
    tag = "diary",
    security((), ("token" = []), ("session" = [])),
    request_body(content = NightCheckIn, content_type = "application/json"),
    responses(
        (status = 200, description = "Recorded (or taken back), once the write is durable", body = NightAnswer),
        (status = 400, description = "The body is not one JSON object", body = crate::http::problem::Problem, content_type = "application/problem+json"),
        (status = 401, description = "Accounts are on and the request has no signed-in session", body = crate::http::problem::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The diary is not served to this host, the request came from another site, or the token can only read", body = crate::http::problem::Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than 16384 bytes", body = crate::http::problem::Problem, content_type = "application/problem+json"),
        (status = 415, description = "The content type is not application/json", body = crate::http::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The check-in breaks the rules (names the field)", body = crate::http::problem::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many changes to this account's diary in the last minute (a setting); see Retry-After", body = crate::http::problem::Problem, content_type = "application/problem+json"),
        (status = 503, description = "The diary cannot be reached just now (nothing was changed); see Retry-After", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn api_check_in(
    State(cfg): State<Shared>,
    Who { owner, .. }: Who,
    request: axum::extract::Request,
) -> Response {
    let Ok(store) = diary_store(&cfg) else {
        return WebError::diary("the diary is off").into_response();
    };
    let fields = match json_object_body(
        request,
        MAX_NIGHT_BYTES,
        (
            "Send the check-in as application/json",
            "The check-in is too large",
        ),
        "{\"night\": \"YYYY-MM-DD\"}",
    )
    .await
    {
        Ok((_, fields)) => fields,
        Err(r) => return r,
    };
    let invalid = |field: &str, detail: String| {
        problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "The check-in is not valid",
            detail,
            Some(field.to_owned()),
        )
    };
    // Read field by field, so that every problem names its field.
    if let Some(other) = fields.keys().find(|k| *k != "night" && *k != "undo") {
        return invalid(
            other,
            format!("{other}: is not a field of a check-in (send night, and undo to take it back)"),
        );
    }
    let night_text = match fields.get("night") {
        Some(serde_json::Value::String(t)) => t.clone(),
        Some(_) => {
            return invalid(
                "night",
                "night: write the date as a string, YYYY-MM-DD".into(),
            );
        }
        None => return invalid("night", "night: is required".into()),
    };
    let undo = match fields.get("undo") {
        None => false,
        Some(serde_json::Value::Bool(b)) => *b,
        Some(_) => return invalid("undo", "undo: must be true or false".into()),
    };
    let check_in = NightCheckIn {
        night: night_text,
        undo,
    };
    if !legcramps_contract::diary_io::is_iso_day(&check_in.night) {
        return invalid("night", "night: write the date as YYYY-MM-DD".into());
    }
    let night = match legcramps_core::diary::parse_date("night", &check_in.night)
        .and_then(|d| legcramps_core::diary::check_day("night", d, Utc::now()).map(|()| d))
    {
        Ok(d) => d,
        Err(e) => return invalid("night", e.to_string()),
    };
    let changed = if check_in.undo {
        store.undo_check_in(&owner, night).await
    } else {
        store.check_in(&owner, night).await
    };
    let changed = match changed {
        Ok(c) => c,
        Err(e) => return WebError::diary(e).into_response(),
    };
    let out = NightAnswer {
        night: check_in.night,
        without_cramps: !check_in.undo,
        changed,
    };
    let mut r = (
        StatusCode::OK,
        serde_json::to_string(&out).unwrap_or_default(),
    )
        .into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}
