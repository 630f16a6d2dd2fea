//! "Your cramp is not saved yet": a form kept from after its sign-in ended (see
//! [`crate::http::unsaved`]), offered back to the person who typed it once they have signed
//! in again, one tap from saving. Only their account, in the browser that sent it, can see
//! it; it goes when they save it (the guard forgets it once the form is accepted) or say not
//! to.

use askama::Template;
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
    /// When it was typed: "at 03:12 on 3 December 2026 (UK time)".
    typed: String,
    action: String,
    /// The form as sent, but its old anti-forgery token (the page adds this session's).
    fields: Vec<(String, String)>,
    /// A few of its answers, so the person knows which it is: when the cramp started, the
    /// name of a medicine or condition, a note.
    shown: Vec<(&'static str, String)>,
}

/// What to show of a kept form: enough to recognise it, in the form's own words.
fn recognisable(fields: &[(String, String)]) -> Vec<(&'static str, String)> {
    let get = |name: &str| {
        fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    };
    let mut shown = Vec::new();
    if let (Some(d), Some(m), Some(y)) = (get("start-day"), get("start-month"), get("start-year"))
        && let (Ok(d), Ok(m), Ok(y)) = (d.parse(), m.parse(), y.parse())
        && let Some(day) = chrono::NaiveDate::from_ymd_opt(y, m, d)
    {
        let at = get("start-time").map_or(String::new(), |t| format!(" at {t}"));
        shown.push(("Started", format!("{}{at}", day.format("%A %-d %B %Y"))));
    }
    if let Some(minutes) = get("minutes") {
        shown.push(("How long", format!("{minutes} minutes")));
    }
    if let Some(name) = get("name") {
        shown.push(("Name", name.to_owned()));
    }
    if let Some(note) = get("note") {
        shown.push(("Notes", note.to_owned()));
    }
    shown
}

/// A reply that also removes the unsaved-form cookie.
fn clearing(mut r: Response) -> Response {
    r.headers_mut()
        .append(header::SET_COOKIE, unsaved::clear_cookie());
    r
}

/// `GET /diary/unsaved`: the form kept for this person in this browser, ready to save; the
/// diary when there is none (saved already, not theirs, or expired).
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
        .unsaved_form(&hash_secret(&secret), &who.account_id)
        .await
    {
        Ok(k) => k,
        Err(e) => return WebError::diary(e).into_response(),
    };
    let Some(kept) = kept.filter(|k| unsaved::keepable(&k.path)) else {
        return clearing(Redirect::to("/diary").into_response());
    };
    let zone = page.context().zone;
    let typed =
        chrono::DateTime::from_timestamp(kept.created_utc, 0).map_or_else(String::new, |t| {
            format!(
                "at {} ({})",
                t.with_timezone(&zone).format("%H:%M on %-d %B %Y"),
                zone_label(zone)
            )
        });
    let what = unsaved::what(&kept.path);
    let fields: Vec<(String, String)> = form_urlencoded::parse(kept.body.as_bytes())
        .into_owned()
        .filter(|(name, _)| name != "csrf")
        .collect();
    let shown = recognisable(&fields);
    render(
        axum::http::StatusCode::OK,
        &UnsavedPage {
            layout: page.layout(format!("Your {what} is not saved yet"), "diary"),
            what,
            typed,
            action: kept.path,
            fields,
            shown,
        },
    )
}

/// `POST /diary/unsaved/discard`: "Do not save it": forgotten, and back to the diary.
pub(crate) async fn discard(
    Hosted(ref store, _, _): Hosted,
    who: SignedIn,
    headers: HeaderMap,
) -> Response {
    if let Some(secret) = unsaved::cookie(&headers)
        && let Err(e) = store
            .forget_unsaved(&hash_secret(&secret), &who.account_id)
            .await
    {
        return WebError::diary(e).into_response();
    }
    clearing(Redirect::to("/diary").into_response())
}
