//! Forms sent after their sign-in had ended, kept until the person signs in again and saves
//! them (issue 21: nothing typed is lost). Each is bound to the account whose session it was
//! and to the browser that sent it (the hash of a secret in that browser's cookie): only a
//! request signed in as that account, from that browser, can read it back. Several may wait.

use crate::{AccountId, Store, StoreError, on_pool, unix_now};

/// The most forms kept for one account at a time (the oldest goes first).
pub const MAX_UNSAVED_PER_ACCOUNT: i64 = 5;

/// A form kept until its person signs in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsavedForm {
    /// Its own id (a form that saves it names it, so that exactly it is forgotten).
    pub id: String,
    /// The path it was sent to (`/diary`, `/diary/profile/medicines`, ...).
    pub path: String,
    /// The form as sent (`application/x-www-form-urlencoded`).
    pub body: String,
    pub created_utc: i64,
}

impl Store {
    /// Keep a form for `account_id` and the browser `browser_hash` names, for `ttl_seconds`.
    /// Expired forms, and an account's oldest beyond [`MAX_UNSAVED_PER_ACCOUNT`], are removed.
    pub async fn keep_unsaved(
        &self,
        browser_hash: &str,
        account_id: &AccountId,
        path: &str,
        body: &str,
        ttl_seconds: i64,
    ) -> Result<String, StoreError> {
        let now = unix_now();
        let id = uuid::Uuid::new_v4().to_string();
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query("DELETE FROM unsaved_forms WHERE expires_utc < $1")
                .bind(now)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM ended_sessions WHERE ended_utc < $1")
                .bind(now - ttl_seconds)
                .execute(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO unsaved_forms (id, browser_hash, account_id, path, body, created_utc, expires_utc) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(&id)
                .bind(browser_hash)
                .bind(account_id)
                .bind(path)
                .bind(body)
                .bind(now)
                .bind(now + ttl_seconds)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM unsaved_forms WHERE account_id = $1 AND id NOT IN (SELECT id FROM unsaved_forms WHERE account_id = $1 ORDER BY created_utc DESC, id LIMIT $2)")
                .bind(account_id)
                .bind(MAX_UNSAVED_PER_ACCOUNT)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        Ok(id)
    }

    /// The account whose forms this browser has kept, if any (a second form sent from the
    /// same browser, whose session is long gone, is kept for the same person).
    pub async fn unsaved_owner(&self, browser_hash: &str) -> Result<Option<AccountId>, StoreError> {
        on_pool!(self, |pool| {
            Ok(sqlx::query_scalar(
                "SELECT account_id FROM unsaved_forms WHERE browser_hash = $1 AND expires_utc >= $2 ORDER BY created_utc DESC LIMIT 1",
            )
            .bind(browser_hash)
            .bind(unix_now())
            .fetch_optional(pool)
            .await?)
        })
    }

    /// The forms kept for `account_id` from this browser, oldest first.
    pub async fn unsaved_forms(
        &self,
        browser_hash: &str,
        account_id: &AccountId,
    ) -> Result<Vec<UnsavedForm>, StoreError> {
        on_pool!(self, |pool| {
            let rows: Vec<(String, String, String, i64)> = sqlx::query_as(
                "SELECT id, path, body, created_utc FROM unsaved_forms WHERE browser_hash = $1 AND account_id = $2 AND expires_utc >= $3 ORDER BY created_utc, id",
            )
            .bind(browser_hash)
            .bind(account_id)
            .bind(unix_now())
            .fetch_all(pool)
            .await?;
            Ok(rows
                .into_iter()
                .map(|(id, path, body, created_utc)| UnsavedForm {
                    id,
                    path,
                    body,
                    created_utc,
                })
                .collect())
        })
    }

    /// Forget one kept form (saved, or the person said not to keep it). True when there was
    /// one.
    pub async fn forget_unsaved(
        &self,
        id: &str,
        browser_hash: &str,
        account_id: &AccountId,
    ) -> Result<bool, StoreError> {
        let done = on_pool!(self, |pool| {
            sqlx::query(
                "DELETE FROM unsaved_forms WHERE id = $1 AND browser_hash = $2 AND account_id = $3",
            )
            .bind(id)
            .bind(browser_hash)
            .bind(account_id)
            .execute(pool)
            .await
            .map(|d| d.rows_affected())
        })?;
        if done > 0 {
            self.forget_deleted().await;
        }
        Ok(done > 0)
    }

    /// Whose session this was, if it ended by time within the last `max_age_seconds` (see
    /// [`Store::check_session`], which remembers it).
    pub async fn ended_session(
        &self,
        id_hash: &str,
        max_age_seconds: i64,
    ) -> Result<Option<AccountId>, StoreError> {
        on_pool!(self, |pool| {
            Ok(sqlx::query_scalar(
                "SELECT account_id FROM ended_sessions WHERE id_hash = $1 AND ended_utc >= $2",
            )
            .bind(id_hash)
            .bind(unix_now() - max_age_seconds)
            .fetch_optional(pool)
            .await?)
        })
    }
}
