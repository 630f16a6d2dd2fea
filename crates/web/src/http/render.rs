//! Rendering: a template as an HTML response, and the pages every route may end on (not
//! found, method not allowed).

use askama::Template;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use crate::http::error::problem;
use crate::http::views::Layout;

/// Render a template as an HTML response. Templates are checked at compile time; rendering can
/// only fail on a formatting error, which becomes a plain 500 page without internals.
pub(crate) fn render(status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed to render");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                "Sorry, something went wrong. If you need advice now, speak to your GP, or phone 111 if the surgery is closed.",
            )
                .into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "not_found.html")]
struct NotFoundPage {
    layout: Layout,
}

/// Not found: a page for people, problem+json under `/api/`.
pub(crate) async fn not_found_for(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return problem(
            StatusCode::NOT_FOUND,
            "/problems/not-found",
            "There is no such API route",
            format!(
                "`{}` is not a route of this API; see /api/openapi.json",
                uri.path()
            ),
            None,
        );
    }
    not_found().await
}

/// A route that exists but not for this method: problem+json under `/api/`, a page elsewhere.
pub(crate) async fn method_not_allowed(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return problem(
            StatusCode::METHOD_NOT_ALLOWED,
            "/problems/method-not-allowed",
            "This method is not allowed here",
            format!(
                "`{}` does not take this method; see /api/openapi.json",
                uri.path()
            ),
            None,
        );
    }
    (StatusCode::METHOD_NOT_ALLOWED, "Method not allowed").into_response()
}

pub(crate) async fn not_found() -> Response {
    not_found_page()
}

pub(crate) fn not_found_page() -> Response {
    render(
        StatusCode::NOT_FOUND,
        &NotFoundPage {
            layout: Layout::new("Page not found", ""),
        },
    )
}
