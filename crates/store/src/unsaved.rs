//! Forms sent after their sign-in had ended, kept until the person signs in again and saves
//! them (issue 21: nothing typed is lost). Each is bound to the account whose session it was
//! and to the browser that sent it (the hash of a secret in that browser's cookie): only a
//! request signed in as that account, from that browser, can read it back.

use crate::{AccountId, Store, StoreError, on_pool, unix_now};

/// The most forms kept for one account at a time (the oldest goes first).
pub const MAX_UNSAVED_PER_ACCOUNT: i64 = 5;

/// A form kept until its person signs in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsavedForm {
    /// The path it was sent to (`/diary`, `/diary/profile/medicines`, ...).
    pub path: String,
    /// The form as sent (`application/x-www-form-urlencoded`).
    pub body: String,
    pub created_utc: i64,
}

impl Store {
    /// Keep a form for `account_id`, under `id_hash`, for `ttl_seconds` (a second form from
    /// the same browser replaces the first). Expired forms, and an account's oldest beyond
    /// [`MAX_UNSAVED_PER_ACCOUNT`], are removed.
    pub async fn keep_unsaved(
        &self,
        id_hash: &str,
        account_id: &AccountId,
        path: &str,
        body: &str,
        ttl_seconds: i64,
    ) -> Result<(), StoreError> {
        let now = unix_now();
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query("DELETE FROM unsaved_forms WHERE expires_utc < $1 OR id_hash = $2")
                .bind(now)
                .bind(id_hash)
                .execute(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO unsaved_forms (id_hash, account_id, path, body, created_utc, expires_utc) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(id_hash)
                .bind(account_id)
                .bind(path)
                .bind(body)
                .bind(now)
                .bind(now + ttl_seconds)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM unsaved_forms WHERE account_id = $1 AND id_hash NOT IN (SELECT id_hash FROM unsaved_forms WHERE account_id = $1 ORDER BY created_utc DESC, id_hash LIMIT $2)")
                .bind(account_id)
                .bind(MAX_UNSAVED_PER_ACCOUNT)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// The account a kept form belongs to (a second form sent from the same browser, whose
    /// session is already gone, is kept for the same person).
    pub async fn unsaved_owner(&self, id_hash: &str) -> Result<Option<AccountId>, StoreError> {
        on_pool!(self, |pool| {
            Ok(sqlx::query_scalar(
                "SELECT account_id FROM unsaved_forms WHERE id_hash = $1 AND expires_utc >= $2",
            )
            .bind(id_hash)
            .bind(unix_now())
            .fetch_optional(pool)
            .await?)
        })
    }

    /// The form kept under `id_hash`, if it is `account_id`'s and has not expired.
    pub async fn unsaved_form(
        &self,
        id_hash: &str,
        account_id: &AccountId,
    ) -> Result<Option<UnsavedForm>, StoreError> {
        on_pool!(self, |pool| {
            let row: Option<(String, String, i64)> = sqlx::query_as(
                "SELECT path, body, created_utc FROM unsaved_forms WHERE id_hash = $1 AND account_id = $2 AND expires_utc >= $3",
            )
            .bind(id_hash)
            .bind(account_id)
            .bind(unix_now())
            .fetch_optional(pool)
            .await?;
            Ok(row.map(|(path, body, created_utc)| UnsavedForm {
                path,
                body,
                created_utc,
            }))
        })
    }

    /// Forget the form kept under `id_hash` for `account_id` (saved, or the person said not to
    /// keep it). True when there was one.
    pub async fn forget_unsaved(
        &self,
        id_hash: &str,
        account_id: &AccountId,
    ) -> Result<bool, StoreError> {
        let done = on_pool!(self, |pool| {
            sqlx::query("DELETE FROM unsaved_forms WHERE id_hash = $1 AND account_id = $2")
                .bind(id_hash)
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
}
