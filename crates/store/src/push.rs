//! Reminders that reach the phone (issue 21): each device's Web Push subscription and the
//! reminders it asked for, when each is next due, and the one-use codes that let a morning
//! notification's "No cramps" record the check-in.
//!
//! Several servers may share one PostgreSQL database: a reminder is sent by whichever server
//! takes its lease first ([`Store::lease_push`], one conditional update), and moved to its next
//! time only after it was sent ([`Store::push_sent`]). A server that stops mid-send lets it go
//! when the lease ends, so another sends it: none is missed across a restart, and none is sent
//! twice while a lease holds.

use chrono::NaiveDate;

use crate::{Owner, Store, StoreError, corrupt, on_pool, unix_now};

/// What a browser's push subscription gave: where to send, and the keys to encrypt to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushDevice {
    /// The push service's address for this device (https).
    pub endpoint: String,
    /// The device's P-256 public key (base64url, as the browser gave it).
    pub p256dh: String,
    /// The device's authentication secret (base64url).
    pub auth: String,
    /// The person's time zone on this device (an IANA name such as "Europe/London").
    pub zone: String,
}

/// One reminder on one device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushReminder {
    pub owner: Owner,
    pub device: PushDevice,
    /// "stretch" (bedtime) or "morning" ("Any cramps last night?").
    pub kind: String,
    /// The time of day in the device's zone, in minutes after midnight.
    pub at_minute: i32,
    /// When it is next due (Unix seconds).
    pub next_utc: i64,
}

type Row = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    i32,
    i64,
);

fn reminder(
    (endpoint, kind, owner, p256dh, auth, zone, _, at_minute, next_utc): Row,
) -> PushReminder {
    PushReminder {
        owner: Owner::named(&owner),
        device: PushDevice {
            endpoint,
            p256dh,
            auth,
            zone,
        },
        kind,
        at_minute,
        next_utc,
    }
}

const COLUMNS: &str = "endpoint, kind, owner, p256dh, auth, zone, '', at_minute, next_utc";

impl Store {
    /// Set the reminders of one device for `owner`: exactly `reminders` (kind, time of day,
    /// next due), replacing whatever this device had before, for this account or another
    /// (the device now reminds the person who last turned reminders on there). An empty
    /// list turns the device's reminders off.
    pub async fn set_push_reminders(
        &self,
        owner: &Owner,
        device: &PushDevice,
        reminders: &[(&str, i32, i64)],
    ) -> Result<(), StoreError> {
        let now = unix_now();
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query("DELETE FROM push_reminders WHERE endpoint = $1")
                .bind(&device.endpoint)
                .execute(&mut *tx)
                .await?;
            for (kind, at_minute, next_utc) in reminders {
                sqlx::query(
                    "INSERT INTO push_reminders (endpoint, kind, owner, p256dh, auth, zone, at_minute, next_utc, lease_utc, created_utc) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9)",
                )
                .bind(&device.endpoint)
                .bind(*kind)
                .bind(owner.as_str())
                .bind(&device.p256dh)
                .bind(&device.auth)
                .bind(&device.zone)
                .bind(*at_minute)
                .bind(*next_utc)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok::<(), sqlx::Error>(())
        })?;
        Ok(())
    }

    /// Every reminder of `owner`'s devices, by device then kind.
    pub async fn push_reminders_of(&self, owner: &Owner) -> Result<Vec<PushReminder>, StoreError> {
        let rows: Vec<Row> = on_pool!(self, |pool| {
            sqlx::query_as(&format!(
                "SELECT {COLUMNS} FROM push_reminders WHERE owner = $1 ORDER BY created_utc, endpoint, kind"
            ))
            .bind(owner.as_str())
            .fetch_all(pool)
            .await
        })?;
        Ok(rows.into_iter().map(reminder).collect())
    }

    /// Turn reminders off: on one device of `owner` (its endpoint), or on all of them
    /// (`None`). The number of reminders ended.
    pub async fn stop_push_reminders(
        &self,
        owner: &Owner,
        endpoint: Option<&str>,
    ) -> Result<u64, StoreError> {
        Ok(on_pool!(self, |pool| {
            match endpoint {
                Some(endpoint) => {
                    sqlx::query("DELETE FROM push_reminders WHERE owner = $1 AND endpoint = $2")
                        .bind(owner.as_str())
                        .bind(endpoint)
                        .execute(pool)
                        .await
                }
                None => {
                    sqlx::query("DELETE FROM push_reminders WHERE owner = $1")
                        .bind(owner.as_str())
                        .execute(pool)
                        .await
                }
            }
            .map(|d| d.rows_affected())
        })?)
    }

    /// A device the push service no longer knows (it answered 404 or 410): all its reminders
    /// are removed, whoever's they were.
    pub async fn forget_push_device(&self, endpoint: &str) -> Result<u64, StoreError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query("DELETE FROM push_reminders WHERE endpoint = $1")
                .bind(endpoint)
                .execute(pool)
                .await
                .map(|d| d.rows_affected())
        })?)
    }

    /// Up to `limit` reminders due at `now` that no server holds, the earliest first.
    pub async fn due_push_reminders(
        &self,
        now: i64,
        limit: i64,
    ) -> Result<Vec<PushReminder>, StoreError> {
        let rows: Vec<Row> = on_pool!(self, |pool| {
            sqlx::query_as(&format!(
                "SELECT {COLUMNS} FROM push_reminders WHERE next_utc <= $1 AND lease_utc <= $1 ORDER BY next_utc LIMIT $2"
            ))
            .bind(now)
            .bind(limit)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows.into_iter().map(reminder).collect())
    }

    /// Take a due reminder to send, until `until`: true for exactly one server, and only
    /// while it is still the one that was read (due at `next_utc`, no lease held at `now`).
    pub async fn lease_push(
        &self,
        r: &PushReminder,
        now: i64,
        until: i64,
    ) -> Result<bool, StoreError> {
        let done = on_pool!(self, |pool| {
            sqlx::query(
                "UPDATE push_reminders SET lease_utc = $1 WHERE endpoint = $2 AND kind = $3 AND next_utc = $4 AND lease_utc <= $5",
            )
            .bind(until)
            .bind(&r.device.endpoint)
            .bind(&r.kind)
            .bind(r.next_utc)
            .bind(now)
            .execute(pool)
            .await
            .map(|d| d.rows_affected())
        })?;
        Ok(done == 1)
    }

    /// A leased reminder was sent (or skipped as too late): due next at `next_utc`, lease
    /// given back. Does nothing if the person changed it meanwhile.
    pub async fn push_sent(&self, r: &PushReminder, next_utc: i64) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            sqlx::query(
                "UPDATE push_reminders SET next_utc = $1, lease_utc = 0 WHERE endpoint = $2 AND kind = $3 AND next_utc = $4",
            )
            .bind(next_utc)
            .bind(&r.device.endpoint)
            .bind(&r.kind)
            .bind(r.next_utc)
            .execute(pool)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    /// The devices `owner` has reminders on.
    pub async fn push_devices_of(&self, owner: &Owner) -> Result<i64, StoreError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_scalar(
                "SELECT COUNT(DISTINCT endpoint) FROM push_reminders WHERE owner = $1",
            )
            .bind(owner.as_str())
            .fetch_one(pool)
            .await
        })?)
    }

    /// "Send the morning question now", at most once every `seconds` per account, however
    /// many servers: true (and noted) if `owner` may, false if they did within `seconds`.
    pub async fn may_try_push(
        &self,
        owner: &Owner,
        now: i64,
        seconds: i64,
    ) -> Result<bool, StoreError> {
        let done = on_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO push_tries (owner, at_utc) VALUES ($1, $2) ON CONFLICT (owner) DO UPDATE SET at_utc = excluded.at_utc WHERE push_tries.at_utc <= $3",
            )
            .bind(owner.as_str())
            .bind(now)
            .bind(now - seconds)
            .execute(pool)
            .await
            .map(|d| d.rows_affected())
        })?;
        Ok(done == 1)
    }

    /// Forget every "No cramps" code of `owner` (reminders turned off everywhere).
    pub async fn forget_push_actions_of(&self, owner: &Owner) -> Result<u64, StoreError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query("DELETE FROM push_actions WHERE owner = $1")
                .bind(owner.as_str())
                .execute(pool)
                .await
                .map(|d| d.rows_affected())
        })?)
    }

    /// Forget the "No cramps" codes that expired before `now` (each server does this once a
    /// round). The number forgotten.
    pub async fn forget_expired_push_actions(&self, now: i64) -> Result<u64, StoreError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query("DELETE FROM push_actions WHERE expires_utc < $1")
                .bind(now)
                .execute(pool)
                .await
                .map(|d| d.rows_affected())
        })?)
    }

    /// Keep the hash of a one-use "No cramps" code for `owner`'s `night`, until `expires_utc`.
    pub async fn add_push_action(
        &self,
        code_hash: &str,
        owner: &Owner,
        night: NaiveDate,
        expires_utc: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO push_actions (code_hash, owner, night, expires_utc) VALUES ($1, $2, $3, $4)",
            )
            .bind(code_hash)
            .bind(owner.as_str())
            .bind(night.format("%Y-%m-%d").to_string())
            .bind(expires_utc)
            .execute(pool)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    /// Use a "No cramps" code: whose night it was for, once, if it has not expired at `now`.
    pub async fn take_push_action(
        &self,
        code_hash: &str,
        now: i64,
    ) -> Result<Option<(Owner, NaiveDate)>, StoreError> {
        let row: Option<(String, String, i64)> = on_pool!(self, |pool| {
            sqlx::query_as(
                "DELETE FROM push_actions WHERE code_hash = $1 RETURNING owner, night, expires_utc",
            )
            .bind(code_hash)
            .fetch_optional(pool)
            .await
        })?;
        match row {
            Some((owner, night, expires)) if expires >= now => Ok(Some((
                Owner::named(&owner),
                NaiveDate::parse_from_str(&night, "%Y-%m-%d").map_err(corrupt)?,
            ))),
            _ => Ok(None),
        }
    }
}
