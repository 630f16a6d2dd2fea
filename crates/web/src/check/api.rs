//! `POST /api/v1/triage`: the check as JSON (the contract in docs/product.md).
//!
//! Errors are RFC 9457 `application/problem+json` and name the field: 400 for a body that is
//! not one JSON object, 422 for one that breaks the contract, 413 over
//! [`MAX_API_BODY_BYTES`], 415 for a content type other than JSON. Input never causes a 500.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use legcramps_contract::{ErrorKind, outcome_out, parse_assessment};
use legcramps_core::evaluate;

use crate::config::MAX_API_BODY_BYTES;
use crate::http::problem::problem;

#[utoipa::path(
    post,
    path = "/api/v1/triage",
    tag = "triage",
    request_body(content = legcramps_contract::AssessmentIn, content_type = "application/json"),
    responses(
        (status = 200, description = "The outcome", body = legcramps_contract::OutcomeOut),
        (status = 400, description = "The body is not one JSON object", body = crate::http::problem::Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than 16384 bytes", body = crate::http::problem::Problem, content_type = "application/problem+json"),
        (status = 415, description = "The content type is not application/json", body = crate::http::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The object breaks the contract (unknown field, wrong type, out of range)", body = crate::http::problem::Problem, content_type = "application/problem+json"),
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
