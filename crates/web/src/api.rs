//! The JSON API: `POST /api/v1/triage` (the contract in PRODUCT.md), `GET /api/v1/content`,
//! and the OpenAPI 3.1 description at `/api/openapi.json`, generated from these handlers and
//! the wire types.
//!
//! Errors are RFC 9457 `application/problem+json` and name the field: 400 for a body that is
//! not one JSON object, 422 for one that breaks the contract, 413 over [`MAX_API_BODY_BYTES`],
//! 415 for a content type other than JSON. Input never causes a 500.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use legcramps_contract::{
    AdviceOut, AssessmentIn, ConditionName, ErrorKind, OutcomeOut, ReasonOut, outcome_out,
    parse_assessment,
};
use legcramps_core::content::{Kind, SOURCE_CREDIT, TOPICS};
use legcramps_core::{CONTENT_VERSION, evaluate};
use serde::Serialize;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

/// The largest request body accepted by the API, in bytes (the contract's own limit).
pub const MAX_API_BODY_BYTES: usize = legcramps_contract::MAX_BODY_BYTES;

/// An RFC 9457 problem.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Problem {
    /// A URI naming the problem type (relative to this service).
    #[serde(rename = "type")]
    kind: &'static str,
    title: &'static str,
    status: u16,
    detail: String,
    /// The field at fault, when there is one (for example `longest_cramp_minutes`).
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<String>,
}

impl Problem {
    fn response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::BAD_REQUEST);
        let mut response = (status, axum::Json(self)).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        response
    }
}

pub(crate) fn problem(
    status: StatusCode,
    kind: &'static str,
    title: &'static str,
    detail: String,
    field: Option<String>,
) -> Response {
    Problem {
        kind,
        title,
        status: status.as_u16(),
        detail,
        field,
    }
    .response()
}

#[utoipa::path(
    post,
    path = "/api/v1/triage",
    tag = "triage",
    request_body(content = AssessmentIn, content_type = "application/json"),
    responses(
        (status = 200, description = "The outcome", body = OutcomeOut),
        (status = 400, description = "The body is not one JSON object", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than 16384 bytes", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The content type is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The object breaks the contract (unknown field, wrong type, out of range)", body = Problem, content_type = "application/problem+json"),
    )
)]
/// Triage one assessment. The answer is derived from health answers, so no cache may keep it
/// (nor an error about them).
pub(crate) async fn triage(request: Request) -> Response {
    let mut response = triage_answer(request).await;
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    response
}

async fn triage_answer(request: Request) -> Response {
    let json = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| {
            let v = v.trim().to_ascii_lowercase();
            v == "application/json" || (v.starts_with("application/") && v.ends_with("+json"))
        });
    if !json {
        return problem(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "/problems/unsupported-media-type",
            "Send the assessment as application/json",
            "the Content-Type header must be application/json".to_owned(),
            None,
        );
    }
    let body: Body = request.into_body();
    let Ok(bytes) = to_bytes(body, MAX_API_BODY_BYTES).await else {
        return problem(
            StatusCode::PAYLOAD_TOO_LARGE,
            "/problems/too-large",
            "The assessment is too large",
            format!("the body is larger than {MAX_API_BODY_BYTES} bytes"),
            None,
        );
    };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return problem(
            StatusCode::BAD_REQUEST,
            "/problems/not-json",
            "The body is not valid JSON",
            "the body is not UTF-8 text".to_owned(),
            None,
        );
    };
    match parse_assessment(text) {
        Ok(a) => axum::Json(outcome_out(&evaluate(&a))).into_response(),
        Err(e) => {
            let (status, kind, title) = match e.kind {
                ErrorKind::Syntax => (
                    StatusCode::BAD_REQUEST,
                    "/problems/not-json",
                    "The body is not one JSON object",
                ),
                ErrorKind::Invalid => (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "/problems/invalid-assessment",
                    "The assessment breaks the contract",
                ),
                ErrorKind::TooLarge => (
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "/problems/too-large",
                    "The assessment is too large",
                ),
            };
            problem(status, kind, title, e.to_string(), e.field.clone())
        }
    }
}

/// The guidance as data.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ContentOut {
    content_version: &'static str,
    source: &'static str,
    topics: Vec<TopicOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct TopicOut {
    slug: &'static str,
    title: &'static str,
    summary: &'static str,
    items: Vec<ItemOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ItemOut {
    id: &'static str,
    /// The fact ids this item carries.
    #[schema(value_type = Vec<String>)]
    facts: &'static [&'static str],
    /// `text`, `urgent`, `non-urgent` or `steps`.
    kind: &'static str,
    heading: Option<&'static str>,
    text: &'static str,
    #[schema(value_type = Vec<String>)]
    list: &'static [&'static str],
}

#[utoipa::path(
    get,
    path = "/api/v1/content",
    tag = "content",
    responses((status = 200, description = "Every topic and item, with fact ids", body = ContentOut))
)]
/// The guidance: topics, items with their fact ids, and the content version.
pub(crate) async fn content() -> axum::Json<ContentOut> {
    axum::Json(ContentOut {
        content_version: CONTENT_VERSION,
        source: SOURCE_CREDIT.text,
        topics: TOPICS
            .iter()
            .map(|t| TopicOut {
                slug: t.slug,
                title: t.title,
                summary: t.summary,
                items: t
                    .items
                    .iter()
                    .map(|i| ItemOut {
                        id: i.id,
                        facts: i.facts,
                        kind: match i.kind {
                            Kind::Text => "text",
                            Kind::Urgent => "urgent",
                            Kind::NonUrgent => "non-urgent",
                            Kind::Steps => "steps",
                        },
                        heading: i.heading,
                        text: i.text,
                        list: i.list,
                    })
                    .collect(),
            })
            .collect(),
    })
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "legcramps API",
        description = "Leg cramps guidance and triage, based on NHS inform \"Leg cramps\" (NHS 24). Not an NHS service.",
        license(name = "MIT")
    ),
    paths(triage, content, crate::diary::api_create, crate::diary::api_list),
    components(schemas(
        legcramps_contract::diary_io::NewEpisodeJson,
        legcramps_contract::diary_io::DiaryJson,
        legcramps_contract::diary_io::EpisodeJson,
        legcramps_contract::diary_io::ContextJson,
        legcramps_contract::diary_io::MedicationJson,
        legcramps_contract::diary_io::CheckJson,
        EpisodeCreated,
        AssessmentIn,
        ConditionName,
        OutcomeOut,
        ReasonOut,
        AdviceOut,
        Problem,
        ContentOut,
        TopicOut,
        ItemOut
    )),
    modifiers(&HowToSignIn)
)]
struct ApiDoc;

/// The two ways a program reaches a hosted diary (`--accounts`), named in the document so that
/// clients know them; the diary operations list both, and "none" for a diary served to one
/// person on their own computer.
struct HowToSignIn;

impl Modify for HowToSignIn {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("lc_pat_...")
                    .description(Some(
                        "A personal access token from the account page (`Authorization: Bearer lc_pat_...`), read or read-write; a read token may only GET.",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::session::COOKIE,
                "A signed-in browser session; a POST also sends the session's anti-forgery token in the X-CSRF-Token header.",
            ))),
        );
    }
}

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

/// The paths of every API route the router serves (the access and documentation tests use
/// this list, so a new route cannot go undocumented).
pub const API_ROUTES: &[(&str, &str)] = &[
    ("/api/v1/triage", "post"),
    ("/api/v1/content", "get"),
    ("/api/v1/episodes", "get"),
    ("/api/v1/episodes", "post"),
];

/// The OpenAPI 3.1 document.
pub(crate) async fn openapi() -> Response {
    match openapi_json() {
        Some(json) => ([(header::CONTENT_TYPE, "application/json")], json).into_response(),
        None => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// The OpenAPI document, with the one rule of the triage contract that the derive cannot
/// state: an answer to `toxin_or_wound_contact` (the older combined question) may not be sent
/// beside an answer to either of its two parts (null, "not sure", may be).
pub(crate) fn openapi_json() -> Option<String> {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).ok()?;
    let assessment = doc.pointer_mut("/components/schemas/Assessment")?;
    assessment.as_object_mut()?.insert(
        "not".to_owned(),
        serde_json::json!({"anyOf": [
            {
                "required": ["toxin_or_wound_contact", "lead_or_mercury_contact"],
                "properties": {
                    "toxin_or_wound_contact": {"type": "boolean"},
                    "lead_or_mercury_contact": {"type": "boolean"},
                },
            },
            {
                "required": ["toxin_or_wound_contact", "dirt_in_wound"],
                "properties": {
                    "toxin_or_wound_contact": {"type": "boolean"},
                    "dirt_in_wound": {"type": "boolean"},
                },
            },
        ]}),
    );
    serde_json::to_string(&doc).ok()
}
