//! The embedded assets (see `build.rs`): fingerprinted URLs, cached for a year, sent
//! brotli- or gzip-compressed (made at build time) to a browser that accepts it.

use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

include!(concat!(env!("OUT_DIR"), "/assets.rs"));

/// A content coding a client may accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Coding {
    Brotli,
    Gzip,
}

/// Whether `accept` (an `Accept-Encoding` header, RFC 9110 12.5.3) allows `coding`: named, or
/// covered by `*`, with a weight above zero (`;q=0` refuses it).
pub(crate) fn accepts(accept: &str, coding: Coding) -> bool {
    let names: &[&str] = match coding {
        Coding::Brotli => &["br"],
        Coding::Gzip => &["gzip", "x-gzip"],
    };
    let mut named = None;
    let mut star = None;
    for item in accept.split(',') {
        let mut parts = item.split(';');
        let name = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let mut weight = 1.0_f32;
        for param in parts {
            if let Some((k, v)) = param.split_once('=')
                && k.trim().eq_ignore_ascii_case("q")
            {
                // A weight that cannot be read refuses, rather than guesses.
                weight = v.trim().parse().unwrap_or(0.0);
            }
        }
        if names.contains(&name.as_str()) {
            named = Some(weight > 0.0);
        } else if name == "*" {
            star = Some(weight > 0.0);
        }
    }
    named.or(star).unwrap_or(false)
}

/// The best form of an asset for these request headers: brotli, then gzip, then as it is.
fn choose<'a>(
    headers: &HeaderMap,
    raw: &'a [u8],
    br: Option<&'a [u8]>,
    gz: Option<&'a [u8]>,
) -> (&'a [u8], Option<&'static str>) {
    let accept = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    match (br, gz) {
        (Some(b), _) if accepts(accept, Coding::Brotli) => (b, Some("br")),
        (_, Some(g)) if accepts(accept, Coding::Gzip) => (g, Some("gzip")),
        _ => (raw, None),
    }
}

pub(crate) async fn serve(Path(path): Path<String>, request: HeaderMap) -> Response {
    let url = format!("/assets/{path}");
    match ASSETS.iter().find(|(u, _, _, _, _)| *u == url) {
        Some((_, kind, raw, br, gz)) => {
            let (bytes, coding) = choose(&request, raw, *br, *gz);
            let mut response = bytes.into_response();
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
            // Caches keep one copy per coding.
            headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
            if let Some(c) = coding {
                headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(c));
            }
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
