//! Requests against the router, and the bits of HTML a browser would read.

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: String,
}

pub(crate) async fn send(request: Request<Body>) -> Reply {
    send_to(legcramps_web::router(), request).await
}

pub(crate) async fn send_to(app: axum::Router, request: Request<Body>) -> Reply {
    let response = app
        .oneshot(request)
        .await
        .expect("the router always answers");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("a body")
        .to_bytes();
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

pub(crate) async fn get(path: &str) -> Reply {
    send(
        Request::builder()
            .uri(path)
            .body(Body::empty())
            .expect("request"),
    )
    .await
}

pub(crate) async fn post_form(path: &str, pairs: &[(String, String)]) -> Reply {
    post_form_to(legcramps_web::router(), path, pairs).await
}

/// A form post to an app built with its own settings.
pub(crate) async fn post_form_to(
    app: axum::Router,
    path: &str,
    pairs: &[(String, String)],
) -> Reply {
    let body: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    send_to(
        app,
        Request::builder()
            .method(Method::POST)
            .uri(path)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .expect("request"),
    )
    .await
}

pub(crate) async fn post(path: &str, content_type: &str, body: impl Into<Body>) -> Reply {
    send(
        Request::builder()
            .method(Method::POST)
            .uri(path)
            .header("content-type", content_type)
            .body(body.into())
            .expect("request"),
    )
    .await
}

/// The value of attribute `name` in one tag.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let needle = format!(" {name}=\"");
    let start = tag.find(&needle)? + needle.len();
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}

/// Text as askama writes it into HTML.
pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

fn unescape(s: &str) -> String {
    s.replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The hidden fields of the last form on the page (the main form; a question page also has a
/// small "Back" form before it).
pub(crate) fn hidden_fields(html: &str) -> Vec<(String, String)> {
    let form = &html[html.rfind("<form").expect("a form")..];
    form.split('<')
        .filter(|tag| tag.starts_with("input") && attr(tag, "type") == Some("hidden"))
        .filter_map(|tag| Some((unescape(attr(tag, "name")?), unescape(attr(tag, "value")?))))
        .collect()
}

/// Replace asset fingerprints (which change with any asset) so snapshots stay stable.
pub(crate) fn stable(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find("/assets/") {
        out.push_str(&rest[..i + 8]);
        rest = &rest[i + 8..];
        let end = rest.find('"').unwrap_or(0);
        let name = &rest[..end];
        match name.rsplit_once('-') {
            Some((stem, tail))
                if tail.len() > 13 && tail[..12].bytes().all(|b| b.is_ascii_hexdigit()) =>
            {
                out.push_str(stem);
                out.push_str("-HASH");
                out.push_str(&tail[12..]);
            }
            _ => out.push_str(name),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}
