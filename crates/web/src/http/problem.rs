//! RFC 9457 problems: how the API says what is wrong (`application/problem+json`), naming the
//! field at fault. The bottom of the kernel: [`crate::http::error::WebError`] renders its API
//! replies with these.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// An RFC 9457 problem.
#[derive(Debug, Clone, Serialize, ToSchema)]
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
    pub(crate) fn response(self) -> Response {
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

/// A problem about the diary's API (the type the diary routes have always sent).
pub(crate) fn episode_problem(
    status: StatusCode,
    title: &'static str,
    detail: String,
    field: Option<String>,
) -> Problem {
    Problem {
        kind: "/problems/invalid-episode",
        title,
        status: status.as_u16(),
        detail,
        field,
    }
}

/// [`episode_problem`] as a reply.
pub(crate) fn diary_problem(
    status: StatusCode,
    title: &'static str,
    detail: String,
    field: Option<String>,
) -> Response {
    episode_problem(status, title, detail, field).response()
}
