//! `POST /diary/checks`: keep a completed check in the diary.

// Handlers return a ready `Response` as their error: it is what axum sends, and boxing it
// would only move the allocation.

use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Local;
use legcramps_store::{Owner, new_id};

use crate::config::Shared;
use crate::http::access::{failed, refused, store_or_fail};
use crate::http::render::render;
use crate::http::views::Layout;

#[derive(Template)]
#[template(path = "diary_check_saved.html")]
struct CheckSavedPage {
    layout: Layout,
    headline: &'static str,
}

/// `POST /diary/checks`: keep a completed check's answers in the diary.
pub(crate) async fn save_check(
    State(cfg): State<Shared>,
    Extension(owner): Extension<Owner>,
    body: Bytes,
) -> Response {
    let store = store_or_fail!(cfg);
    let Some((answers, outcome)) = crate::check::completed_check(&body) else {
        return refused(StatusCode::BAD_REQUEST, "The answers of the check could not be read, so nothing was saved. Please do the check again.".to_owned(), false);
    };
    let check = legcramps_contract::diary_io::SavedCheck {
        id: new_id(),
        at: Local::now().fixed_offset(),
        answers,
        shown: Some(legcramps_contract::diary_io::Shown::of(&outcome)),
    };
    match store.save_check(&owner, &check).await {
        Err(e) => failed(e),
        Ok(()) => render(
            StatusCode::OK,
            &CheckSavedPage {
                layout: Layout::new("Check saved to your diary", "diary"),
                headline: outcome.headline(),
            },
        ),
    }
}
