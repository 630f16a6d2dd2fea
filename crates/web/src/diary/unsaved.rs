//! "Your cramp is not saved yet": a form kept from after its sign-in ended (see
//! [`crate::http::unsaved`]), offered back to the person who typed it once they have signed
//! in again, one tap from saving. Only their account, in the browser that sent it, can see
//! it; it goes when they save it (the guard forgets exactly the one a form names once it is
//! accepted) or say not to. Several may wait (two tabs): one is shown at a time, oldest first.

use askama::Template;
use axum::body::Bytes;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use legcramps_accounts::hash_secret;

use crate::http::auth::{Hosted, SignedIn};
use crate::http::error::WebError;
use crate::http::render::{Page, render};
use crate::http::unsaved;
use crate::http::views::{Layout, zone_label};

#[derive(Template)]
#[template(path = "diary_unsaved.html")]
struct UnsavedPage {
    layout: Layout,
    what: &'static str,
    /// When it was sent: "at 03:12 on 3 December 2026 (UK time)".
    sent: String,
    action: String,
    /// The form as sent, but its old anti-forgery token (the page adds this session's), and
    /// which kept form it is.
    fields: Vec<(String, String)>,
    /// Its answers, so the person knows which it is, in the form's words.
    shown: Vec<(&'static str, String)>,
    /// This kept form's id (the save and "Do not save it" forms name it).
    id: String,
    field: &'static str,
    /// How many more wait after this one.
    more: usize,
    /// Whether "change it later" applies (a cramp).
    cramp: bool,
    /// Not kept: a form from before the latest sign-in, given back (see `http::unsaved`).
    stale: bool,
}

/// A reply that also removes the unsaved-form cookie.
fn clearing(mut r: Response) -> Response {
    r.headers_mut()
        .append(header::SET_COOKIE, unsaved::clear_cookie());
    r
}

/// `GET /diary/unsaved`: the oldest form kept for this person in this browser, ready to
/// save; the diary when there is none (saved already, not theirs, or expired).
pub(crate) async fn page(
    page: Page,
    Hosted(ref store, _, _): Hosted,
    who: SignedIn,
    headers: HeaderMap,
) -> Response {
    let Some(secret) = unsaved::cookie(&headers) else {
        return Redirect::to("/diary").into_response();
    };
    let kept = match store
        .unsaved_forms(&hash_secret(&secret), &who.account_id)
        .await
    {
        Ok(k) => k,
        Err(e) => return WebError::diary(e).into_response(),
    };
    let mut waiting = kept.into_iter().filter(|k| unsaved::keepable(&k.path));
    let Some(kept) = waiting.next() else {
        return clearing(Redirect::to("/diary").into_response());
    };
    let more = waiting.count();
    let zone = page.context().zone;
    let sent =
        chrono::DateTime::from_timestamp(kept.created_utc, 0).map_or_else(String::new, |t| {
            format!(
                "at {} ({})",
                t.with_timezone(&zone).format("%H:%M on %-d %B %Y"),
                zone_label(zone)
            )
        });
    let what = unsaved::what(&kept.path);
    let mut fields: Vec<(String, String)> = form_urlencoded::parse(kept.body.as_bytes())
        .into_owned()
        .filter(|(name, _)| name != "csrf" && name != unsaved::FIELD && name != "sent-at")
        .collect();
    let shown = unsaved::recognisable(&fields);
    // A quick log "just now" or "last night" is when it was sent, not when it is saved.
    fields.push(("sent-at".to_owned(), kept.created_utc.to_string()));
    render(
        axum::http::StatusCode::OK,
        &UnsavedPage {
            layout: page.layout(format!("Your {what} is not saved yet"), "diary"),
            what,
            sent,
            cramp: kept.path == "/diary" || kept.path == "/diary/quick",
            action: kept.path,
            fields,
            shown,
            id: kept.id,
            field: unsaved::FIELD,
            more,
            stale: false,
        },
    )
}

/// `POST /diary/unsaved/discard`: "Do not save it": the one named is forgotten; the next
/// waiting one, or the diary.
pub(crate) async fn discard(
    Hosted(ref store, _, _): Hosted,
    who: SignedIn,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(secret) = unsaved::cookie(&headers) else {
        return Redirect::to("/diary").into_response();
    };
    let hash = hash_secret(&secret);
    let id = form_urlencoded::parse(&body)
        .find(|(k, _)| k == unsaved::FIELD)
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    if let Err(e) = store.forget_unsaved(&id, &hash, &who.account_id).await {
        return WebError::diary(e).into_response();
    }
    match store.unsaved_forms(&hash, &who.account_id).await {
        Ok(left) if !left.is_empty() => Redirect::to("/diary/unsaved").into_response(),
        Ok(_) => clearing(Redirect::to("/diary?unsaved=let-go").into_response()),
        Err(e) => WebError::diary(e).into_response(),
    }
}
