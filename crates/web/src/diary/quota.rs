//! How much one account may keep on a hosted site (product settings, generous for any real
//! diary: ten years of nightly cramps is under 10,000). The local diary has no cap.

use axum::http::StatusCode;
use legcramps_store::{Owner, Store};

use crate::config::{DiaryAccess, Shared};
use crate::http::error::WebError;

/// `Ok` when the owner's diary has room for one more cramp; else why not (409, saying what to
/// do). Only accounts have a cap ([`crate::config::Site::episodes_max`]).
pub(crate) async fn room_for_one(
    cfg: &Shared,
    store: &Store,
    owner: &Owner,
) -> Result<(), WebError> {
    let DiaryAccess::Accounts { site, .. } = &cfg.diary else {
        return Ok(());
    };
    let n = store.count_episodes(owner).await.map_err(WebError::diary)?;
    if n >= site.episodes_max {
        return Err(WebError::diary_refused(
            StatusCode::CONFLICT,
            format!(
                "Your diary holds {n} cramps, the most this site keeps for one person. Nothing was saved. Download a copy of your diary, then delete older cramps to make room."
            ),
        ));
    }
    Ok(())
}
