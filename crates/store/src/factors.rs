//! Passkeys, authenticator-app (TOTP) second factors, the short-lived state of a sign-in step
//! or a passkey ceremony, and sign-in backoff shared by every process on the database.
//!
//! A ceremony is taken once: [`Store::take_ceremony`] deletes the row as it reads it, so a
//! replayed passkey assertion or a reused sign-in step finds nothing.

use sqlx::Row;

use crate::{AccountId, Store, StoreError, on_pool, unix_now};

/// A passkey, as kept: the credential (public key, counter) as `webauthn-rs` serialises it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPasskey {
    /// The credential id, base64url.
    pub credential_id: String,
    pub account_id: AccountId,
    /// The person's name for it ("Phone", say).
    pub name: String,
    /// `webauthn_rs::prelude::Passkey` as JSON (no secret: a public key and a counter).
    pub passkey: String,
    pub created_utc: i64,
    pub last_used_utc: Option<i64>,
}

/// The state of a sign-in step or a passkey ceremony.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ceremony {
    pub kind: String,
    pub account_id: Option<AccountId>,
    pub state: String,
    /// Tries so far (counted by [`Store::try_ceremony`]).
    pub tries: i64,
}

fn passkey_from_row<R>(r: &R) -> Result<StoredPasskey, StoreError>
where
    R: Row,
    for<'a> &'a str: sqlx::ColumnIndex<R>,
    String: for<'x> sqlx::Decode<'x, R::Database> + sqlx::Type<R::Database>,
    i64: for<'x> sqlx::Decode<'x, R::Database> + sqlx::Type<R::Database>,
    Option<i64>: for<'x> sqlx::Decode<'x, R::Database> + sqlx::Type<R::Database>,
{
    let c = crate::corrupt;
    Ok(StoredPasskey {
        credential_id: r.try_get("credential_id").map_err(c)?,
        account_id: r.try_get("account_id").map_err(c)?,
        name: r.try_get("name").map_err(c)?,
        passkey: r.try_get("passkey").map_err(c)?,
        created_utc: r.try_get("created_utc").map_err(c)?,
        last_used_utc: r.try_get("last_used_utc").map_err(c)?,
    })
}

fn ceremony_from_row<R>(r: &R) -> Result<Ceremony, StoreError>
where
    R: Row,
    for<'a> &'a str: sqlx::ColumnIndex<R>,
    String: for<'x> sqlx::Decode<'x, R::Database> + sqlx::Type<R::Database>,
    Option<String>: for<'x> sqlx::Decode<'x, R::Database> + sqlx::Type<R::Database>,
    i64: for<'x> sqlx::Decode<'x, R::Database> + sqlx::Type<R::Database>,
{
    let c = crate::corrupt;
    Ok(Ceremony {
        kind: r.try_get("kind").map_err(c)?,
        account_id: r.try_get("account_id").map_err(c)?,
        state: r.try_get("state").map_err(c)?,
        tries: r.try_get("tries").map_err(c)?,
    })
}

const PASSKEY_COLUMNS: &str =
    "credential_id, account_id, name, passkey, created_utc, last_used_utc";

/// Backoff counts older than this start again (seconds).
const ATTEMPTS_FORGOTTEN_AFTER: i64 = 24 * 3600;

impl Store {
    /// Keep a new passkey. False (nothing stored) when that credential is already kept, for
    /// this account or another.
    pub async fn add_passkey(
        &self,
        account_id: &AccountId,
        credential_id: &str,
        name: &str,
        passkey: &str,
    ) -> Result<bool, StoreError> {
        let now = unix_now();
        on_pool!(self, |pool| {
            let done = sqlx::query("INSERT INTO passkeys (credential_id, account_id, name, passkey, created_utc) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (credential_id) DO NOTHING")
                .bind(credential_id)
                .bind(account_id)
                .bind(name)
                .bind(passkey)
                .bind(now)
                .execute(pool)
                .await?;
            Ok(done.rows_affected() == 1)
        })
    }

    /// The account's passkeys, oldest first.
    pub async fn passkeys_of(
        &self,
        account_id: &AccountId,
    ) -> Result<Vec<StoredPasskey>, StoreError> {
        on_pool!(self, |pool| {
            let rows = sqlx::query(&format!(
                "SELECT {PASSKEY_COLUMNS} FROM passkeys WHERE account_id = $1 ORDER BY created_utc, credential_id"
            ))
            .bind(account_id)
            .fetch_all(pool)
            .await?;
            rows.iter().map(passkey_from_row).collect()
        })
    }

    /// The passkey with this credential id, whoever's it is.
    pub async fn passkey(&self, credential_id: &str) -> Result<Option<StoredPasskey>, StoreError> {
        on_pool!(self, |pool| {
            let row = sqlx::query(&format!(
                "SELECT {PASSKEY_COLUMNS} FROM passkeys WHERE credential_id = $1"
            ))
            .bind(credential_id)
            .fetch_optional(pool)
            .await?;
            row.as_ref().map(passkey_from_row).transpose()
        })
    }

    /// After a sign-in with it: the passkey's new counter and when it was used.
    pub async fn passkey_used(&self, credential_id: &str, passkey: &str) -> Result<(), StoreError> {
        let now = unix_now();
        on_pool!(self, |pool| {
            sqlx::query(
                "UPDATE passkeys SET passkey = $2, last_used_utc = $3 WHERE credential_id = $1",
            )
            .bind(credential_id)
            .bind(passkey)
            .bind(now)
            .execute(pool)
            .await?;
            Ok(())
        })
    }

    /// Give one of the account's passkeys a new name. False when it is not this account's.
    pub async fn rename_passkey(
        &self,
        account_id: &AccountId,
        credential_id: &str,
        name: &str,
    ) -> Result<bool, StoreError> {
        on_pool!(self, |pool| {
            let done = sqlx::query(
                "UPDATE passkeys SET name = $3 WHERE account_id = $1 AND credential_id = $2",
            )
            .bind(account_id)
            .bind(credential_id)
            .bind(name)
            .execute(pool)
            .await?;
            Ok(done.rows_affected() == 1)
        })
    }

    /// Remove one of the account's passkeys. False when it is not this account's.
    pub async fn remove_passkey(
        &self,
        account_id: &AccountId,
        credential_id: &str,
    ) -> Result<bool, StoreError> {
        on_pool!(self, |pool| {
            let done =
                sqlx::query("DELETE FROM passkeys WHERE account_id = $1 AND credential_id = $2")
                    .bind(account_id)
                    .bind(credential_id)
                    .execute(pool)
                    .await?;
            Ok(done.rows_affected() == 1)
        })
    }

    /// Turn on an authenticator app for the account (replacing any earlier one).
    pub async fn set_totp(
        &self,
        account_id: &AccountId,
        secret: &str,
        step: i64,
    ) -> Result<(), StoreError> {
        let now = unix_now();
        on_pool!(self, |pool| {
            sqlx::query("INSERT INTO totp_factors (account_id, secret, last_step, created_utc) VALUES ($1, $2, $3, $4) ON CONFLICT (account_id) DO UPDATE SET secret = excluded.secret, last_step = excluded.last_step, created_utc = excluded.created_utc")
                .bind(account_id)
                .bind(secret)
                .bind(step)
                .bind(now)
                .execute(pool)
                .await?;
            Ok(())
        })
    }

    /// The account's authenticator-app secret, if it has one.
    pub async fn totp_secret(&self, account_id: &AccountId) -> Result<Option<String>, StoreError> {
        on_pool!(self, |pool| {
            Ok(
                sqlx::query_scalar("SELECT secret FROM totp_factors WHERE account_id = $1")
                    .bind(account_id)
                    .fetch_optional(pool)
                    .await?,
            )
        })
    }

    /// Use the code of time step `step`: true only if no code of this step or a later one
    /// has been used (so a code works once, even within its 30 seconds).
    pub async fn use_totp_step(
        &self,
        account_id: &AccountId,
        step: i64,
    ) -> Result<bool, StoreError> {
        on_pool!(self, |pool| {
            let done = sqlx::query(
                "UPDATE totp_factors SET last_step = $2 WHERE account_id = $1 AND last_step < $2",
            )
            .bind(account_id)
            .bind(step)
            .execute(pool)
            .await?;
            Ok(done.rows_affected() == 1)
        })
    }

    /// Turn off the account's authenticator app. False when it had none.
    pub async fn remove_totp(&self, account_id: &AccountId) -> Result<bool, StoreError> {
        on_pool!(self, |pool| {
            let done = sqlx::query("DELETE FROM totp_factors WHERE account_id = $1")
                .bind(account_id)
                .execute(pool)
                .await?;
            Ok(done.rows_affected() == 1)
        })
    }

    /// Keep the state of a sign-in step or passkey ceremony for `ttl_seconds`, under the hash
    /// of its random id. Expired ones are removed as new ones arrive.
    pub async fn put_ceremony(
        &self,
        id_hash: &str,
        kind: &str,
        account_id: Option<&AccountId>,
        state: &str,
        ttl_seconds: i64,
    ) -> Result<(), StoreError> {
        let now = unix_now();
        on_pool!(self, |pool| {
            sqlx::query("DELETE FROM ceremonies WHERE expires_utc < $1")
                .bind(now)
                .execute(pool)
                .await?;
            sqlx::query("INSERT INTO ceremonies (id_hash, kind, account_id, state, expires_utc) VALUES ($1, $2, $3, $4, $5)")
                .bind(id_hash)
                .bind(kind)
                .bind(account_id)
                .bind(state)
                .bind(now + ttl_seconds)
                .execute(pool)
                .await?;
            Ok(())
        })
    }

    /// Take a live ceremony of this kind: it is deleted as it is read, so it works once.
    pub async fn take_ceremony(
        &self,
        id_hash: &str,
        kind: &str,
    ) -> Result<Option<Ceremony>, StoreError> {
        let now = unix_now();
        on_pool!(self, |pool| {
            let row = sqlx::query("DELETE FROM ceremonies WHERE id_hash = $1 AND kind = $2 AND expires_utc >= $3 RETURNING kind, account_id, state, tries")
                .bind(id_hash)
                .bind(kind)
                .bind(now)
                .fetch_optional(pool)
                .await?;
            row.as_ref().map(ceremony_from_row).transpose()
        })
    }

    /// Count a try at a live ceremony of this kind and return it, without taking it; after
    /// `max_tries` it is deleted and this returns `None`.
    pub async fn try_ceremony(
        &self,
        id_hash: &str,
        kind: &str,
        max_tries: i64,
    ) -> Result<Option<Ceremony>, StoreError> {
        let now = unix_now();
        on_pool!(self, |pool| {
            let row = sqlx::query("UPDATE ceremonies SET tries = tries + 1 WHERE id_hash = $1 AND kind = $2 AND expires_utc >= $3 RETURNING kind, account_id, state, tries")
                .bind(id_hash)
                .bind(kind)
                .bind(now)
                .fetch_optional(pool)
                .await?;
            let found = row.as_ref().map(ceremony_from_row).transpose()?;
            if found.as_ref().is_some_and(|c| c.tries > max_tries) {
                sqlx::query("DELETE FROM ceremonies WHERE id_hash = $1")
                    .bind(id_hash)
                    .execute(pool)
                    .await?;
                return Ok(None);
            }
            Ok(found)
        })
    }

    /// End a ceremony (a sign-in step that has been completed).
    pub async fn end_ceremony(&self, id_hash: &str) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            sqlx::query("DELETE FROM ceremonies WHERE id_hash = $1")
                .bind(id_hash)
                .execute(pool)
                .await?;
            Ok(())
        })
    }

    /// One try on a backoff key, checked and counted in one statement (concurrent tries, from
    /// any process on this database, cannot all pass one check): `Ok(None)` when the try may
    /// go ahead — it is counted as a failure now, and [`Store::clear_attempts`] forgets the
    /// count if it turns out right — or `Ok(Some(seconds))` to wait first (nothing counted).
    /// `wait_after(n)` is the wait after `n` failures in a row; it must reach its largest
    /// value by `n = 64`. A count quiet for a day is forgotten.
    pub async fn take_attempt(
        &self,
        key: &str,
        wait_after: &(dyn Fn(u32) -> u64 + Sync),
    ) -> Result<Option<u64>, StoreError> {
        self.take_attempts(&[(key, wait_after)]).await
    }

    /// One try on each key, in order, in one transaction (one write to disk for all of them),
    /// each checked and counted in one statement as [`Store::take_attempt`] says. The first
    /// key that must wait stops it: `Ok(Some(seconds))`, the keys before it counted.
    pub async fn take_attempts(
        &self,
        keys: &[(&str, &(dyn Fn(u32) -> u64 + Sync))],
    ) -> Result<Option<u64>, StoreError> {
        let now = unix_now();
        let forget = now - ATTEMPTS_FORGOTTEN_AFTER;
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let mut wait = None;
            for (key, wait_after) in keys {
                // The wait for the new count, as SQL: `CASE n WHEN 1 THEN .. ELSE <largest>
                // END` (numbers only, made here). A count quiet for a day starts again at 1.
                let secs = |n: u32| i64::try_from(wait_after(n)).unwrap_or(i64::MAX / 4);
                let arms: String = (1..64u32)
                    .map(|n| format!(" WHEN {n} THEN {}", secs(n)))
                    .collect();
                let case = |n: &str| format!("(CASE {n}{arms} ELSE {} END)", secs(64));
                let upsert = format!(
                    "INSERT INTO attempts (key, failures, last_utc, not_before_utc) VALUES ($1, 1, $2, $2 + {first}) \
                     ON CONFLICT (key) DO UPDATE SET \
                     failures = CASE WHEN attempts.last_utc < $3 THEN 1 ELSE attempts.failures + 1 END, \
                     last_utc = $2, \
                     not_before_utc = $2 + CASE WHEN attempts.last_utc < $3 THEN {first} ELSE {next} END \
                     WHERE attempts.not_before_utc <= $2 OR attempts.last_utc < $3 RETURNING failures",
                    first = case("1"),
                    next = case("attempts.failures + 1"),
                );
                let counted: Option<(i64,)> = sqlx::query_as(&upsert)
                    .bind(*key)
                    .bind(now)
                    .bind(forget)
                    .fetch_optional(&mut *tx)
                    .await?;
                if counted.is_none() {
                    let until: Option<(i64,)> =
                        sqlx::query_as("SELECT not_before_utc FROM attempts WHERE key = $1")
                            .bind(*key)
                            .fetch_optional(&mut *tx)
                            .await?;
                    wait = Some(until.map_or(1, |(t,)| u64::try_from(t - now).unwrap_or(0).max(1)));
                    break;
                }
            }
            // Now and then, forget keys quiet for a day, so the table cannot grow without end.
            if uuid::Uuid::new_v4().as_bytes()[0] == 0 {
                sqlx::query("DELETE FROM attempts WHERE last_utc < $1")
                    .bind(forget)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(wait)
        })
    }

    /// Forget the failures of several backoff keys at once (after a success).
    pub async fn clear_attempts_of(&self, keys: &[&str]) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            for key in keys {
                sqlx::query("DELETE FROM attempts WHERE key = $1")
                    .bind(*key)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// Forget a backoff key's failures (after a success).
    pub async fn clear_attempts(&self, key: &str) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            sqlx::query("DELETE FROM attempts WHERE key = $1")
                .bind(key)
                .execute(pool)
                .await?;
            Ok(())
        })
    }
}

impl Store {
    /// Make an account that signs in with a passkey and has no password, in one transaction
    /// with its first passkey. `None` (nothing stored) when the username is taken or the
    /// credential is already kept.
    pub async fn create_passkey_account(
        &self,
        id: &AccountId,
        username: &str,
        credential_id: &str,
        name: &str,
        passkey: &str,
    ) -> Result<Option<crate::Account>, StoreError> {
        let account = crate::Account {
            id: id.clone(),
            username: username.to_owned(),
            password_hash: None,
            created_utc: unix_now(),
            disabled: false,
        };
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let made = sqlx::query("INSERT INTO accounts (id, username, password_hash, created_utc, disabled, look_alike) VALUES ($1, $2, NULL, $3, 0, $4) ON CONFLICT DO NOTHING")
                .bind(&account.id)
                .bind(&account.username)
                .bind(account.created_utc)
                .bind(crate::look_alike(username))
                .execute(&mut *tx)
                .await?;
            if made.rows_affected() != 1 {
                // The name is taken (or looks the same as one that is): nothing to add to.
                tx.rollback().await?;
                return Ok(None);
            }
            let kept = sqlx::query("INSERT INTO passkeys (credential_id, account_id, name, passkey, created_utc) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING")
                .bind(credential_id)
                .bind(&account.id)
                .bind(name)
                .bind(passkey)
                .bind(account.created_utc)
                .execute(&mut *tx)
                .await?;
            if kept.rows_affected() == 1 {
                tx.commit().await?;
                Ok(Some(account))
            } else {
                tx.rollback().await?;
                Ok(None)
            }
        })
    }
}
