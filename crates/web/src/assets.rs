//! The embedded assets (see `build.rs`): fingerprinted URLs, cached for a year.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

include!(concat!(env!("OUT_DIR"), "/assets.rs"));

pub(crate) async fn serve(Path(path): Path<String>) -> Response {
    let url = format!("/assets/{path}");
    match ASSETS.iter().find(|(u, _, _)| *u == url) {
        Some((_, kind, bytes)) => {
            let mut response = (*bytes).into_response();
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
            headers.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            );
            response
        }
        None => (StatusCode::NOT_FOUND, "no such asset").into_response(),
    }
}

/// Browsers ask for /favicon.ico whatever the page says; point them at ours.
pub(crate) async fn favicon() -> Redirect {
    Redirect::permanent(FAVICON_SVG)
}
