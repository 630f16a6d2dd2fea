//! `POST /diary/checks`: keep a completed check in the diary.

use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Local;
use legcramps_store::new_id;

use crate::config::{DiaryAccess, Shared};
use crate::http::auth::{Who, diary_store};
use crate::http::error::{WebError, or_reply};
use crate::http::render::{Page, render};
use crate::http::views::Layout;
use axum::response::IntoResponse as _;

#[derive(Template)]
#[template(path = "diary_check_saved.html")]
struct CheckSavedPage {
    layout: Layout,
    headline: &'static str,
}

/// `POST /diary/checks`: keep a completed check's answers in the diary.
pub(crate) async fn save_check(
    page: Page,
    State(cfg): State<Shared>,
    Who { owner, .. }: Who,
    body: Bytes,
) -> Response {
    let store = or_reply!(diary_store(&cfg));
    let Some((answers, outcome)) = crate::check::completed_check(&body) else {
        return WebError::diary_refused(StatusCode::BAD_REQUEST, "The answers of the check could not be read, so nothing was saved. Please do the check again.".to_owned()).into_response();
    };
    let check = legcramps_contract::diary_io::SavedCheck {
        id: new_id(),
        at: Local::now().fixed_offset(),
        answers,
        shown: Some(legcramps_contract::diary_io::Shown::of(&outcome)),
    };
    // A hosted site keeps at most `episodes_max` saved checks for one person, as for cramps.
    let cap = match &cfg.diary {
        DiaryAccess::Accounts { site, .. } => site.episodes_max,
        _ => i64::MAX,
    };
    match store.save_check_within(&owner, &check, cap).await {
        Err(e) => WebError::diary(e).into_response(),
        Ok(false) => WebError::diary_refused(
            StatusCode::CONFLICT,
            format!(
                "Your diary holds {cap} saved checks, the most this site keeps for one person. This check was not saved. What it told you still stands: it is on the page before this one."
            ),
        )
        .into_response(),
        Ok(true) => render(
            StatusCode::OK,
            &CheckSavedPage {
                layout: page.layout("Check saved to your diary", "diary"),
                headline: outcome.headline(),
            },
        ),
    }
}
