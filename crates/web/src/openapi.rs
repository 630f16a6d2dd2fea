//! The OpenAPI 3.1 description at `/api/openapi.json`, generated from the handlers and the
//! wire types of every feature, and the list of API routes the tests walk.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use legcramps_contract::{AdviceOut, AssessmentIn, ConditionName, OutcomeOut, ReasonOut};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::diary::api::EpisodeCreated;
use crate::guide::api::{ContentOut, ItemOut, TopicOut};
use crate::http::problem::Problem;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "legcramps API",
        description = "Leg cramps guidance and triage, based on NHS inform \"Leg cramps\" (NHS 24). Not an NHS service.",
        license(name = "MIT")
    ),
    paths(crate::check::api::triage, crate::guide::api::content, crate::diary::api::api_create, crate::diary::api::api_list, crate::diary::api::api_check_in),
    components(schemas(
        legcramps_contract::diary_io::NewEpisodeJson,
        legcramps_contract::diary_io::DiaryJson,
        legcramps_contract::diary_io::EpisodeJson,
        legcramps_contract::diary_io::ContextJson,
        legcramps_contract::diary_io::MedicationJson,
        legcramps_contract::diary_io::CheckJson,
        EpisodeCreated,
        crate::diary::api::NightCheckIn,
        crate::diary::api::NightAnswer,
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
                crate::http::session::COOKIE,
                "A signed-in browser session; a POST also sends the session's anti-forgery token in the X-CSRF-Token header.",
            ))),
        );
    }
}

/// The paths of every API route the router serves (the access and documentation tests use
/// this list, so a new route cannot go undocumented).
pub const API_ROUTES: &[(&str, &str)] = &[
    ("/api/v1/triage", "post"),
    ("/api/v1/content", "get"),
    ("/api/v1/episodes", "get"),
    ("/api/v1/episodes", "post"),
    ("/api/v1/nights", "post"),
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
