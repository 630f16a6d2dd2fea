//! Security headers on every response, and one structured log line per request.
//!
//! The log records the method, the route *pattern* (never the URL with its query), the status
//! and the time taken. Answers travel in POST bodies and are never logged.

use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// No inline scripts or styles, nothing from another origin, no framing.
pub(crate) const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self'; font-src 'self'; connect-src 'self'; form-action 'self'; \
     frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

const PERMISSIONS: &str = "accelerometer=(), camera=(), geolocation=(), gyroscope=(), \
     magnetometer=(), microphone=(), payment=(), usb=()";

pub(crate) async fn headers_and_logs(
    axum::extract::State(cfg): axum::extract::State<crate::config::Shared>,
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (HeaderName::from_static("permissions-policy"), PERMISSIONS),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    // A hosted site reached over https tells browsers to use nothing else for a year.
    if let crate::config::DiaryAccess::Accounts { site, .. } = &cfg.diary
        && site.https
    {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    tracing::info!(
        method = %method,
        route = %route,
        status = response.status().as_u16(),
        micros = started.elapsed().as_micros() as u64,
        "request"
    );
    response
}

/// A form post from another site: a page elsewhere trying to change the diary, or to make this
/// site show an outcome for answers the person never gave. Browsers say where a request came
/// from in `Sec-Fetch-Site`; older ones send `Origin`, which must name this host.
pub(crate) fn cross_site(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    match (
        headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
        headers.get(header::HOST).and_then(|v| v.to_str().ok()),
    ) {
        (Some(origin), Some(host)) => origin.split("://").nth(1) != Some(host),
        _ => false,
    }
}

/// Give a request at most `limit` from its headers to its response; past that it gets a 503
/// with `Retry-After` (a write that had already been made stays made).
pub(crate) async fn request_timeout(
    limit: std::time::Duration,
    request: Request,
    next: Next,
) -> Response {
    let method = request.method().clone();
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            // The request's own log line (in `headers`) is never written when it is cut off
            // here, so this one says it happened (outside test: slow uploads left no trace).
            // The method only: the route is not known out here, and a path is not logged.
            tracing::warn!(
                method = %method,
                status = 503,
                seconds = limit.as_secs(),
                "request timed out"
            );
            let mut r = axum::response::IntoResponse::into_response((
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                "Sorry, that took too long. Please try again. If you need advice now, speak to your GP, or phone 111 if the surgery is closed.",
            ));
            r.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from(super::error::RETRY_AFTER_SECONDS),
            );
            r
        }
    }
}
