//! "No cramps last night" (issue 21): the nights a person said had no cramps, each named by
//! the morning it ended on. Patterns count nights from these and from cramps in sleep
//! (`legcramps_core::patterns::Nights`); every other night is not known.

use chrono::NaiveDate;

use crate::{Owner, Store, StoreError, corrupt, on_pool, unix_now};

impl Store {
    /// Record that the night ending on the morning of `night` had no cramps. False when it
    /// was recorded already (nothing changes).
    pub async fn check_in(&self, owner: &Owner, night: NaiveDate) -> Result<bool, StoreError> {
        let done = on_pool!(self, |pool| {
            sqlx::query("INSERT INTO night_check_ins (owner, night, created_utc) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                .bind(owner.as_str())
                .bind(night.format("%Y-%m-%d").to_string())
                .bind(unix_now())
                .execute(pool)
                .await
                .map(|d| d.rows_affected())
        })?;
        Ok(done == 1)
    }

    /// Take back a check-in (the person tapped it by mistake). False when there was none.
    pub async fn undo_check_in(&self, owner: &Owner, night: NaiveDate) -> Result<bool, StoreError> {
        let done = on_pool!(self, |pool| {
            sqlx::query("DELETE FROM night_check_ins WHERE owner = $1 AND night = $2")
                .bind(owner.as_str())
                .bind(night.format("%Y-%m-%d").to_string())
                .execute(pool)
                .await
                .map(|d| d.rows_affected())
        })?;
        Ok(done == 1)
    }

    /// The nights checked in as having no cramps, from `from` to `to` (both included; `None`:
    /// no bound), in order, and the first one ever.
    pub async fn check_ins(
        &self,
        owner: &Owner,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<(Vec<NaiveDate>, Option<NaiveDate>), StoreError> {
        let text = |d: Option<NaiveDate>, or: &str| {
            d.map_or_else(|| or.to_owned(), |d| d.format("%Y-%m-%d").to_string())
        };
        // One row, not one a night: the SQLite driver hands each row to the async side through
        // a channel, waking it every time, and for ten years of nightly check-ins those
        // wake-ups were most of the GP summary's time (docs/benchmarks.md). Sorted here.
        let (from, to) = (text(from, "0000-01-01"), text(to, "9999-12-31"));
        // The one difference between the backends: the name of the string aggregate.
        let aggregate = self.string_agg();
        let query = format!(
            "SELECT {aggregate}(night, ',') FROM night_check_ins WHERE owner = $1 AND night >= $2 AND night <= $3"
        );
        let joined: Option<String> = on_pool!(self, |pool| {
            sqlx::query_scalar(&query)
                .bind(owner.as_str())
                .bind(&from)
                .bind(&to)
                .fetch_one(pool)
                .await
        })?;
        let first: Option<String> = on_pool!(self, |pool| {
            sqlx::query_scalar("SELECT MIN(night) FROM night_check_ins WHERE owner = $1")
                .bind(owner.as_str())
                .fetch_one(pool)
                .await
        })?;
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(corrupt);
        let mut nights = joined
            .as_deref()
            .filter(|j| !j.is_empty())
            .map_or(Ok(Vec::new()), |j| {
                j.split(',').map(day).collect::<Result<Vec<_>, _>>()
            })?;
        nights.sort_unstable();
        Ok((nights, first.as_deref().map(day).transpose()?))
    }
}
