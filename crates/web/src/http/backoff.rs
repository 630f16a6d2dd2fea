//! Waits after failed sign-ins, kept in the database so that every process counts the same
//! failures, and the page that asks people to wait.

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use legcramps_accounts::hash_secret;
use legcramps_store::Store;

use crate::config::Site;
use crate::http::render::render;
use crate::http::views::Layout;

/// Backoff after failures, per key ("signin-ip:..." or "signin-user:...:..."), kept in the
/// diary database so that every process behind one address counts the same failures. Keys
/// are stored hashed (a username never sits in the table). If the database cannot be reached
/// the sign-in fails anyway, so an error here counts as no wait.
pub(crate) async fn attempt_wait(store: &Store, site: &Site, key: &str) -> u64 {
    match store.attempts(&attempt_key(key)).await {
        Ok(Some((failures, last))) => {
            let since = u64::try_from(legcramps_store::unix_seconds() - last).unwrap_or(0);
            site.backoff.wait_seconds(failures).saturating_sub(since)
        }
        Ok(None) => 0,
        Err(e) => {
            tracing::warn!(error = %e, "sign-in backoff could not be read");
            0
        }
    }
}

pub(crate) async fn attempt_failed(store: &Store, key: &str) {
    if let Err(e) = store.fail_attempt(&attempt_key(key)).await {
        tracing::warn!(error = %e, "sign-in backoff could not be counted");
    }
}

pub(crate) async fn attempt_ok(store: &Store, key: &str) {
    let _ = store.clear_attempts(&attempt_key(key)).await;
}

fn attempt_key(key: &str) -> String {
    hash_secret(&format!("legcramps backoff\n{key}"))[..32].to_owned()
}

#[derive(Template)]
#[template(path = "account_wait.html")]
struct WaitPage {
    layout: Layout,
    minutes: u64,
    seconds: u64,
}

pub(crate) fn too_many(wait: u64) -> Response {
    let mut r = render(
        StatusCode::TOO_MANY_REQUESTS,
        &WaitPage {
            layout: Layout::new("Please wait before trying again", "account"),
            minutes: wait.div_ceil(60),
            seconds: wait,
        },
    );
    if let Ok(v) = HeaderValue::from_str(&wait.to_string()) {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    r
}
