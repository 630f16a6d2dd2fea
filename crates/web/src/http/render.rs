//! Rendering: a template as an HTML response, and the pages every route may end on (not
//! found, method not allowed).

use askama::Template;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::http::problem::problem;
use crate::http::session::Context;
use crate::http::views::Layout;

/// The extractor a handler takes to render a page: this request's [`Context`] (accounts on,
/// signed in as whom, the anti-forgery token, the time zone, the host's 111 online address).
/// Without the context layer (never, in the app) it is the empty context: no form token, so
/// a form rendered from it can change nothing.
#[derive(Debug, Clone, Default)]
pub(crate) struct Page(pub(crate) Context);

impl Page {
    /// The page context a layer put on the request (the empty context if none did).
    pub(crate) fn of(extensions: &axum::http::Extensions) -> Page {
        Page(extensions.get::<Context>().cloned().unwrap_or_default())
    }

    /// The layout of this page: its `title`, and which header `section` is current.
    pub(crate) fn layout(&self, title: impl Into<String>, section: &'static str) -> Layout {
        Layout::of(&self.0, title, section)
    }

    /// This request's context.
    pub(crate) fn context(&self) -> &Context {
        &self.0
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Page {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Page(
            parts
                .extensions
                .get::<Context>()
                .cloned()
                .unwrap_or_default(),
        ))
    }
}

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
pub(crate) async fn not_found_for(page: Page, uri: axum::http::Uri) -> Response {
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
    not_found_page(&page)
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

/// The page for something that is not here (or not yours).
pub(crate) fn not_found_page(page: &Page) -> Response {
    render(
        StatusCode::NOT_FOUND,
        &NotFoundPage {
            layout: page.layout("Page not found", ""),
        },
    )
}
