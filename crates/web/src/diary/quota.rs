//! How much one account may keep on a hosted site (product settings, generous for any real
//! diary: ten years of nightly cramps is under 10,000). The local diary has no cap.

use axum::http::StatusCode;
use legcramps_core::diary::Episode;
use legcramps_store::{Owner, Store};

use crate::config::{DiaryAccess, Shared};
use crate::http::error::WebError;

/// Store `e` in the owner's diary if it has room ([`crate::config::Site::episodes_max`] on a
/// hosted site; the local diary has no cap), counted and stored in one step; else why not
/// (409, saying what to do), with nothing stored.
pub(crate) async fn insert(
    cfg: &Shared,
    store: &Store,
    owner: &Owner,
    e: &Episode,
) -> Result<(), WebError> {
    let DiaryAccess::Accounts { site, .. } = &cfg.diary else {
        return store.insert(owner, e).await.map_err(WebError::diary);
    };
    if store
        .insert_within(owner, e, site.episodes_max)
        .await
        .map_err(WebError::diary)?
    {
        return Ok(());
    }
    Err(WebError::diary_refused(
        StatusCode::CONFLICT,
        format!(
            "Your diary holds {} cramps, the most this site keeps for one person. Nothing was saved. Download a copy of your diary, then delete older cramps to make room.",
            site.episodes_max
        ),
    ))
}
