//! Cramps: storing, reading, changing and deleting an owner's episodes, saved checks, and
//! imports that become visible all at once.

use super::*;

/// How many rows an import writes in its first transaction, and the most in any one. On
/// SQLite later batches are sized to take about [`IMPORT_BATCH_TIME`]; PostgreSQL locks rows,
/// not the database, so there every batch is this size.
pub const IMPORT_BATCH_ROWS: usize = 500;

/// The most rows in one SQLite batch, however fast the disk.
const IMPORT_BATCH_MAX_ROWS: usize = 5_000;

/// About how long one SQLite import batch holds the diary's write lock.
pub const IMPORT_BATCH_TIME: std::time::Duration = std::time::Duration::from_millis(150);

/// The pause between SQLite import batches. A writer that finds the diary busy sleeps and
/// tries again, at most 100 ms apart (SQLite's busy handler), so a pause longer than that
/// means every waiting write gets in before the next batch: no write waits much longer than
/// one batch, and a write is never starved by a long import.
pub const IMPORT_PAUSE: std::time::Duration = std::time::Duration::from_millis(110);

/// An import whose last write is older than this is taken as abandoned (its process died) and
/// its rows are removed the next time the diary is opened.
pub const ABANDONED_IMPORT_AFTER: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// The condition that hides the rows of an import that has not finished.
const VISIBLE: &str = "(import_id IS NULL OR import_id NOT IN (SELECT id FROM pending_imports))";

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportReport {
    pub added: u64,
    /// Rows whose id was already in the diary (importing the same file twice adds nothing).
    pub already_present: u64,
    /// Profile entries added (those the profile lacked: see `Profile::missing_from`).
    pub profile_added: u64,
}

/// The columns an episode is read from, each as an expression and its name, in the order of
/// [`EpisodeColumns`]. The four choices come back as their place in the type's `ALL` (`CASE`),
/// not as text: the database driver copies every text value it returns, and for ten years of
/// cramps that was a quarter of the GP summary's read (docs/benchmarks.md). A value no choice
/// has reads as -1, which [`EpisodeColumns::check`] reports as corrupt.
static EPISODE_EXPRESSIONS: std::sync::LazyLock<Vec<(String, &'static str)>> =
    std::sync::LazyLock::new(|| {
        fn choice(column: &'static str, names: &[&str]) -> (String, &'static str) {
            let whens: String = names
                .iter()
                .enumerate()
                .map(|(i, n)| format!(" WHEN {column} = '{n}' THEN {i}"))
                .collect();
            (
                format!("CASE WHEN {column} IS NULL THEN NULL{whens} ELSE -1 END"),
                column,
            )
        }
        let plain = |c: &'static str| (c.to_owned(), c);
        let site: Vec<&str> = Site::ALL.iter().map(|v| v.name()).collect();
        let side: Vec<&str> = Side::ALL.iter().map(|v| v.name()).collect();
        let eased: Vec<&str> = Eased::ALL.iter().map(|v| v.name()).collect();
        let severity: Vec<&str> = Severity::ALL.iter().map(|v| v.name()).collect();
        vec![
            plain("id"),
            plain("start_text"),
            plain("duration_seconds"),
            choice("site", &site),
            choice("side", &side),
            plain("asleep"),
            choice("eased", &eased),
            choice("severity", &severity),
            plain("note"),
            plain("exercise"),
            plain("short_of_fluids"),
            plain("last_night"),
            plain("helped"),
            plain("suspected"),
        ]
    });

/// `SELECT` list of [`EPISODE_EXPRESSIONS`], one column each, for reading a few rows.
static EPISODE_COLUMNS: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    EPISODE_EXPRESSIONS
        .iter()
        .map(|(e, name)| format!("{e} AS {name}"))
        .collect::<Vec<_>>()
        .join(", ")
});

/// [`EPISODE_EXPRESSIONS`] as one JSON array an episode, for reading many rows as one value.
static EPISODE_ARRAY: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    EPISODE_EXPRESSIONS
        .iter()
        .map(|(e, _)| e.as_str())
        .collect::<Vec<_>>()
        .join(", ")
});

/// An episode's columns as the database returned them, before they are checked: read from a
/// row ([`EpisodeColumns::of_row`]) or, for many episodes at once, from a JSON array of arrays
/// (serde reads a struct from an array in field order).
#[derive(serde::Deserialize)]
struct EpisodeColumns {
    id: String,
    start_text: String,
    duration_seconds: Option<i32>,
    site: Option<i32>,
    side: Option<i32>,
    asleep: Option<i16>,
    eased: Option<i32>,
    severity: Option<i32>,
    note: Option<String>,
    exercise: i16,
    short_of_fluids: i16,
    last_night: i16,
    helped: Option<String>,
    suspected: Option<String>,
}

impl EpisodeColumns {
    fn of_row<R>(row: &R) -> Result<Self, StoreError>
    where
        R: Row,
        for<'a> &'a str: sqlx::ColumnIndex<R>,
        String: for<'r> sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
        Option<String>: for<'r> sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
        Option<i32>: for<'r> sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
        i16: for<'r> sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
        Option<i16>: for<'r> sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    {
        let text = |c: &str| row.try_get::<String, _>(c).map_err(corrupt);
        let optional = |c: &str| row.try_get::<Option<String>, _>(c).map_err(corrupt);
        let number = |c: &str| row.try_get::<Option<i32>, _>(c).map_err(corrupt);
        let small = |c: &str| row.try_get::<i16, _>(c).map_err(corrupt);
        Ok(Self {
            id: text("id")?,
            start_text: text("start_text")?,
            duration_seconds: number("duration_seconds")?,
            site: number("site")?,
            side: number("side")?,
            asleep: row.try_get::<Option<i16>, _>("asleep").map_err(corrupt)?,
            eased: number("eased")?,
            severity: number("severity")?,
            note: optional("note")?,
            exercise: small("exercise")?,
            short_of_fluids: small("short_of_fluids")?,
            last_night: small("last_night")?,
            helped: optional("helped")?,
            suspected: optional("suspected")?,
        })
    }

    /// The episode, checked as one typed by hand would be: a value out of its range is
    /// reported as corrupt, never guessed.
    fn check(self) -> Result<Episode, StoreError> {
        // A choice, read as its place in `all` (see EPISODE_EXPRESSIONS).
        fn pick<T: Copy>(v: Option<i32>, column: &str, all: &[T]) -> Result<Option<T>, StoreError> {
            match v {
                None => Ok(None),
                Some(i) => usize::try_from(i)
                    .ok()
                    .and_then(|i| all.get(i).copied())
                    .map(Some)
                    .ok_or_else(|| corrupt(format!("{column} is not one of its choices"))),
            }
        }
        Ok(Episode {
            id: EpisodeId::new(&self.id).map_err(corrupt)?,
            start: parse_start(&self.start_text).map_err(corrupt)?,
            last_night: self.last_night != 0,
            duration: self
                .duration_seconds
                .map(|n| {
                    Duration::from_seconds(u32::try_from(n).map_err(corrupt)?).map_err(corrupt)
                })
                .transpose()?,
            site: pick(self.site, "site", Site::ALL)?,
            side: pick(self.side, "side", Side::ALL)?.ok_or_else(|| corrupt("side is empty"))?,
            asleep: self.asleep.map(|v| v != 0),
            eased: pick(self.eased, "eased", Eased::ALL)?,
            severity: pick(self.severity, "severity", Severity::ALL)?
                .ok_or_else(|| corrupt("severity is empty"))?,
            note: match self.note {
                Some(n) => Note::new(&n).map_err(corrupt)?,
                None => None,
            },
            context: Context {
                exercise: self.exercise != 0,
                short_of_fluids: self.short_of_fluids != 0,
                helped: parse_choices(self.helped.as_deref().unwrap_or_default())
                    .map_err(corrupt)?,
                suspected: parse_choices(self.suspected.as_deref().unwrap_or_default())
                    .map_err(corrupt)?,
            },
        })
    }
}

/// A list of choices as stored: names with `;` between, or NULL for none.
fn choices<T: std::fmt::Display>(items: &[T]) -> Option<String> {
    (!items.is_empty()).then(|| {
        items
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(";")
    })
}

fn flag(b: bool) -> i16 {
    i16::from(b)
}

fn episode_from_row<R>(row: &R) -> Result<Episode, StoreError>
where
    R: Row,
    for<'a> &'a str: sqlx::ColumnIndex<R>,
    String: for<'r> sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    Option<String>: for<'r> sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    Option<i32>: for<'r> sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    i16: for<'r> sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    Option<i16>: for<'r> sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    EpisodeColumns::of_row(row)?.check()
}

/// Insert one row (`$insert`, given the transaction) only if `$count` (bound to the owner)
/// stays within `$cap`: `Ok(false)`, nothing stored, when it would not. The count and the insert
/// are one step for every writer on the database: on SQLite the insert takes the write lock
/// before the count; on PostgreSQL `$lock`, an advisory lock on the owner, serialises them.
macro_rules! insert_within_cap {
    ($store:expr, $owner:expr, $lock:expr, $count:expr, $cap:expr, |$tx:ident| $insert:block) => {{
        let owner: &Owner = $owner;
        match $store {
            Store::Sqlite(pool) => {
                let mut $tx = pool.begin().await?;
                $insert
                let n: i64 = sqlx::query_scalar($count)
                    .bind(owner.as_str())
                    .fetch_one(&mut *$tx)
                    .await?;
                if n > $cap {
                    $tx.rollback().await?;
                    return Ok(false);
                }
                $tx.commit().await?;
                Ok(true)
            }
            Store::Postgres(pool) => {
                let mut $tx = pool.begin().await?;
                sqlx::query(OwnerLock::SQL)
                    .bind(owner.as_str())
                    .bind($lock.seed())
                    .execute(&mut *$tx)
                    .await?;
                let n: i64 = sqlx::query_scalar($count)
                    .bind(owner.as_str())
                    .fetch_one(&mut *$tx)
                    .await?;
                if n >= $cap {
                    $tx.rollback().await?;
                    return Ok(false);
                }
                $insert
                $tx.commit().await?;
                Ok(true)
            }
        }
    }};
}

/// Insert a saved check (owner, then the check's columns, then the import it belongs to, or
/// NULL); one with an id the owner has already is left as it is.
const INSERT_CHECK: &str = "INSERT INTO checks (owner, id, at_text, at_utc, answers, shown_disposition, shown_phone_111, shown_phone_999, shown_content_version, shown_rules_version, import_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (owner, id) DO NOTHING";

/// Bind a saved check's columns (after owner) to [`INSERT_CHECK`].
macro_rules! bind_check {
    ($q:expr, $c:expr) => {{
        let c: &SavedCheck = $c;
        let shown = c.shown.as_ref();
        $q.bind(c.id.as_str().to_owned())
            .bind(format_start(&c.at))
            .bind(c.at.timestamp())
            .bind(assessment_json(&c.answers).to_string())
            .bind(shown.map(|s| s.disposition.code()))
            .bind(shown.map(|s| i16::from(s.phone_111)))
            .bind(shown.map(|s| i16::from(s.phone_999)))
            .bind(shown.map(|s| s.content_version.clone()))
            .bind(shown.map(|s| s.rules_version.clone()))
    }};
}

/// Bind an episode's columns (after owner) to an INSERT or UPDATE.
macro_rules! bind_episode {
    ($q:expr, $e:expr) => {{
        let e: &Episode = $e;
        // The old pregnant and medication columns stay empty (the profile holds these).
        $q.bind(e.id.as_str().to_owned())
            .bind(format_start(&e.start))
            .bind(e.start.timestamp())
            .bind(e.start.date_naive().to_string())
            .bind(
                e.duration
                    .map(|d| i32::try_from(d.seconds()).unwrap_or(i32::MAX)),
            )
            .bind(e.site.map(Site::name))
            .bind(e.side.name())
            .bind(e.asleep.map(flag))
            .bind(e.eased.map(Eased::name))
            .bind(e.severity.name())
            .bind(e.note.as_ref().map(|n| n.as_str().to_owned()))
            .bind(flag(e.context.exercise))
            .bind(flag(false))
            .bind(flag(e.context.short_of_fluids))
            .bind(None::<String>)
            .bind(None::<String>)
            .bind(flag(e.last_night))
            .bind(choices(&e.context.helped))
            .bind(choices(&e.context.suspected))
    }};
}

const INSERT_EPISODE: &str = "INSERT INTO episodes (owner, id, start_text, start_utc, local_date, duration_seconds, site, side, asleep, eased, severity, note, exercise, pregnant, short_of_fluids, medication_name, medication_started, last_night, helped, suspected) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)";

impl Store {
    /// Store a new episode. Returns once it is durable.
    pub async fn insert(&self, owner: &Owner, e: &Episode) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            bind_episode!(sqlx::query(INSERT_EPISODE).bind(owner.as_str()), e)
                .execute(pool)
                .await?;
            Ok(())
        })
    }

    /// Store an episode only if the owner keeps fewer than `cap`: `Ok(false)`, and nothing
    /// stored, when the diary is full. The count and the insert are one step for every writer
    /// on the database (outside review of issue 20: 400 writes at once stored 111 of a cap of
    /// 100): on SQLite the insert takes the write lock before the count; on PostgreSQL a
    /// transaction-long advisory lock on the owner serialises that owner's capped inserts.
    pub async fn insert_within(
        &self,
        owner: &Owner,
        e: &Episode,
        cap: i64,
    ) -> Result<bool, StoreError> {
        // The cramps the owner can see: an import's rows count once it is made visible (its
        // commit counts again), so an import cut off by a killed server never fills the diary.
        let count = format!("SELECT COUNT(*) FROM episodes WHERE owner = $1 AND {VISIBLE}");
        insert_within_cap!(self, owner, OwnerLock::Cramps, &count, cap, |tx| {
            bind_episode!(sqlx::query(INSERT_EPISODE).bind(owner.as_str()), e)
                .execute(&mut *tx)
                .await?;
        })
    }

    /// Replace an episode. False when there is no episode with that id.
    pub async fn update(&self, owner: &Owner, e: &Episode) -> Result<bool, StoreError> {
        let sql = format!(
            "UPDATE episodes SET id = $2, start_text = $3, start_utc = $4, local_date = $5, duration_seconds = $6, site = $7, side = $8, asleep = $9, eased = $10, severity = $11, note = $12, exercise = $13, pregnant = $14, short_of_fluids = $15, medication_name = $16, medication_started = $17, last_night = $18, helped = $19, suspected = $20 WHERE owner = $1 AND id = $2 AND {VISIBLE}"
        );
        let changed = on_pool!(self, |pool| {
            let done = bind_episode!(sqlx::query(&sql).bind(owner.as_str()), e)
                .execute(pool)
                .await?;
            Ok::<bool, StoreError>(done.rows_affected() == 1)
        })?;
        // What the cramp said before (a note changed, say) does not stay on disk either.
        self.forget_deleted().await;
        Ok(changed)
    }

    /// Delete an episode. False when there is no episode with that id.
    pub async fn delete(&self, owner: &Owner, id: &EpisodeId) -> Result<bool, StoreError> {
        let gone = on_pool!(self, |pool| {
            let done = sqlx::query(&format!(
                "DELETE FROM episodes WHERE owner = $1 AND id = $2 AND {VISIBLE}"
            ))
            .bind(owner.as_str())
            .bind(id.as_str())
            .execute(pool)
            .await?;
            Ok::<bool, StoreError>(done.rows_affected() == 1)
        })?;
        self.forget_deleted().await;
        Ok(gone)
    }

    /// After a deletion or an edit on SQLite: the pages as they were stay in the write-ahead
    /// log until a checkpoint, so copy it into the (securely deleted) file and empty it (issue
    /// 20, finding 8). Busy readers only delay this to the next one. Nothing to do on
    /// PostgreSQL (its storage is the operator's to protect).
    pub(crate) async fn forget_deleted(&self) {
        if let Store::Sqlite(pool) = self {
            let _ = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(pool)
                .await;
        }
    }

    /// Delete everything the owner has stored. Returns how many rows went.
    pub async fn delete_all(&self, owner: &Owner) -> Result<u64, StoreError> {
        let n = on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let a = sqlx::query("DELETE FROM episodes WHERE owner = $1")
                .bind(owner.as_str())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            let mut n = a;
            for table in [
                "checks",
                "night_check_ins",
                "profile_medicines",
                "profile_pregnancies",
                "profile_conditions",
            ] {
                n += sqlx::query(&format!("DELETE FROM {table} WHERE owner = $1"))
                    .bind(owner.as_str())
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            }
            tx.commit().await?;
            Ok::<u64, StoreError>(n)
        })?;
        self.forget_deleted().await;
        Ok(n)
    }

    pub async fn get(&self, owner: &Owner, id: &EpisodeId) -> Result<Option<Episode>, StoreError> {
        on_pool!(self, |pool| {
            let row = sqlx::query(&format!(
                "SELECT {} FROM episodes WHERE owner = $1 AND id = $2 AND {VISIBLE}",
                *EPISODE_COLUMNS
            ))
            .bind(owner.as_str())
            .bind(id.as_str())
            .fetch_optional(pool)
            .await?;
            row.map(|r| episode_from_row(&r)).transpose()
        })
    }

    /// The local date of the owner's first cramp, if any (so patterns do not draw the weeks
    /// before the diary began as zeros).
    pub async fn first_logged(&self, owner: &Owner) -> Result<Option<NaiveDate>, StoreError> {
        let first: Option<String> = on_pool!(self, |pool| {
            sqlx::query_scalar(&format!(
                "SELECT MIN(local_date) FROM episodes WHERE owner = $1 AND {VISIBLE}"
            ))
            .bind(owner.as_str())
            .fetch_one(pool)
            .await
        })?;
        first
            .map(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").map_err(corrupt))
            .transpose()
    }

    /// The local dates with cramps in the owner's diary, oldest first, each with how many (so a
    /// page of the diary list can read only its own cramps, however long the diary).
    pub async fn days_logged(&self, owner: &Owner) -> Result<Vec<(NaiveDate, u32)>, StoreError> {
        // One row ("2026-11-30:2,2026-12-01:1"), not one a day: the SQLite driver wakes the
        // async side for every row, and ten years of days made the diary page slow
        // (docs/benchmarks.md). Dates hold no ':' or ','. Sorted here.
        let aggregate = self.string_agg();
        let query = format!(
            "SELECT {aggregate}(local_date || ':' || CAST(n AS TEXT), ',') FROM (SELECT local_date, COUNT(*) AS n FROM episodes WHERE owner = $1 AND {VISIBLE} GROUP BY local_date) AS days"
        );
        let joined: Option<String> = on_pool!(self, |pool| {
            sqlx::query_scalar(&query)
                .bind(owner.as_str())
                .fetch_one(pool)
                .await
        })?;
        let mut days = joined
            .as_deref()
            .filter(|j| !j.is_empty())
            .map_or(Ok(Vec::new()), |j| {
                j.split(',')
                    .map(|day| {
                        let (d, n) = day
                            .split_once(':')
                            .ok_or_else(|| corrupt("a day logged has no count"))?;
                        Ok((
                            NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(corrupt)?,
                            n.parse::<u32>().map_err(corrupt)?,
                        ))
                    })
                    .collect::<Result<Vec<_>, StoreError>>()
            })?;
        days.sort_unstable();
        Ok(days)
    }

    /// The owner's episode ids that start with `prefix` (a short id, as git takes the first
    /// characters of a commit): at most `limit`, in order. Ids are letters, digits and dashes
    /// (`EpisodeId`), so the prefix holds no `LIKE` wildcard.
    pub async fn ids_starting(
        &self,
        owner: &Owner,
        prefix: &EpisodeId,
        limit: i64,
    ) -> Result<Vec<String>, StoreError> {
        on_pool!(self, |pool| {
            Ok(sqlx::query_scalar(&format!(
                "SELECT id FROM episodes WHERE owner = $1 AND id LIKE $2 AND {VISIBLE} ORDER BY id LIMIT $3"
            ))
            .bind(owner.as_str())
            .bind(format!("{}%", prefix.as_str()))
            .bind(limit)
            .fetch_all(pool)
            .await?)
        })
    }

    /// The owner's episodes whose local start date is within the range (either end open),
    /// oldest first.
    pub async fn list(
        &self,
        owner: &Owner,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<Vec<Episode>, StoreError> {
        let from = from.map_or_else(|| "0000-01-01".to_owned(), |d| d.to_string());
        let to = to.map_or_else(|| "9999-12-31".to_owned(), |d| d.to_string());
        match self {
            // One value (a JSON array of arrays), not one row an episode: the SQLite driver
            // wakes the async side for every row, and for ten years of cramps that was most of
            // the GP summary's time. SQLite escapes text as JSON, so a note cannot break the
            // framing. (On PostgreSQL the same, with json_agg, was slower than its rows, which
            // arrive in batches: measured in docs/benchmarks.md.)
            Store::Sqlite(pool) => {
                let query = format!(
                    "SELECT json_group_array(json_array({}) ORDER BY start_utc, id) FROM episodes WHERE owner = $1 AND local_date >= $2 AND local_date <= $3 AND {VISIBLE}",
                    *EPISODE_ARRAY
                );
                let json: Option<String> = sqlx::query_scalar(&query)
                    .bind(owner.as_str())
                    .bind(&from)
                    .bind(&to)
                    .fetch_one(pool)
                    .await?;
                let Some(json) = json else {
                    return Ok(Vec::new());
                };
                serde_json::from_str::<Vec<EpisodeColumns>>(&json)
                    .map_err(corrupt)?
                    .into_iter()
                    .map(EpisodeColumns::check)
                    .collect()
            }
            Store::Postgres(pool) => {
                let rows = sqlx::query(&format!(
                    "SELECT {} FROM episodes WHERE owner = $1 AND local_date >= $2 AND local_date <= $3 AND {VISIBLE} ORDER BY start_utc, id",
                    *EPISODE_COLUMNS
                ))
                .bind(owner.as_str())
                .bind(&from)
                .bind(&to)
                .fetch_all(pool)
                .await?;
                rows.iter().map(episode_from_row).collect()
            }
        }
    }

    /// One page of the owner's episodes within the range, oldest first: at most `limit`,
    /// those after `after` (the start in unix seconds and the id of the last one already
    /// read, in the list's order). Paging by position, so a page is not shifted by a cramp
    /// logged or deleted meanwhile.
    pub async fn list_page(
        &self,
        owner: &Owner,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        after: Option<(i64, &str)>,
        limit: i64,
    ) -> Result<Vec<Episode>, StoreError> {
        let from = from.map_or_else(|| "0000-01-01".to_owned(), |d| d.to_string());
        let to = to.map_or_else(|| "9999-12-31".to_owned(), |d| d.to_string());
        let (after_utc, after_id) = after.unwrap_or((i64::MIN, ""));
        on_pool!(self, |pool| {
            let rows = sqlx::query(&format!(
                "SELECT {} FROM episodes WHERE owner = $1 AND local_date >= $2 AND local_date <= $3 AND (start_utc > $4 OR (start_utc = $4 AND id > $5)) AND {VISIBLE} ORDER BY start_utc, id LIMIT $6",
                *EPISODE_COLUMNS
            ))
            .bind(owner.as_str())
            .bind(&from)
            .bind(&to)
            .bind(after_utc)
            .bind(after_id)
            .bind(limit)
            .fetch_all(pool)
            .await?;
            rows.iter().map(episode_from_row).collect()
        })
    }

    /// How many episodes the owner has (for the per-account cap).
    pub async fn count_episodes(&self, owner: &Owner) -> Result<i64, StoreError> {
        on_pool!(self, |pool| {
            Ok(sqlx::query_scalar(&format!(
                "SELECT COUNT(*) FROM episodes WHERE owner = $1 AND {VISIBLE}"
            ))
            .bind(owner.as_str())
            .fetch_one(pool)
            .await?)
        })
    }

    /// Store a whole file: all of it, or nothing. Rows whose id is already there are left as
    /// they are. The rows are written in batches of [`IMPORT_BATCH_ROWS`], each its own short
    /// transaction, so other writes (the web app, another command) go ahead while a large file
    /// is imported; the rows stay invisible until the last batch is in, and then all appear at
    /// once. On failure the rows already written are removed.
    pub async fn import(
        &self,
        owner: &Owner,
        file: &DiaryFile,
    ) -> Result<ImportReport, StoreError> {
        self.import_within(owner, file, None).await
    }

    /// [`Store::import`], keeping the owner's diary within `cap` cramps and `cap` saved checks
    /// (a hosted site's setting): counted when the import is made visible, in the same step
    /// as [`Store::insert_within`] and [`Store::save_check_within`] count, so imports and
    /// single writes at the same moment cannot pass the cap together. Over it, nothing is
    /// stored and the answer is [`StoreError::Full`].
    pub async fn import_within(
        &self,
        owner: &Owner,
        file: &DiaryFile,
        cap: Option<i64>,
    ) -> Result<ImportReport, StoreError> {
        let mut staged = self.begin_import(owner).await?;
        staged.cap = cap;
        staged.profile = file.profile.clone();
        staged.nights = file.nights_without_cramps.clone();
        let written = self.write_batches(&mut staged, file).await;
        match written {
            Ok(()) => staged.commit().await,
            Err(e) => {
                // Best effort: if this fails too, the rows stay invisible and are removed when
                // the diary is next opened (an abandoned import).
                let _ = staged.abort().await;
                Err(e)
            }
        }
    }

    /// Write a file's rows in batches, pausing between them on SQLite (see [`IMPORT_PAUSE`]).
    async fn write_batches(
        &self,
        staged: &mut StagedImport<'_>,
        file: &DiaryFile,
    ) -> Result<(), StoreError> {
        let sqlite = matches!(self, Store::Sqlite(_));
        let mut size = IMPORT_BATCH_ROWS;
        let (mut e, mut c) = (&file.episodes[..], &file.checks[..]);
        let mut first = true;
        while !e.is_empty() || !c.is_empty() || first {
            if !first && sqlite {
                tokio::time::sleep(IMPORT_PAUSE).await;
            }
            first = false;
            let (batch_e, rest_e) = e.split_at(size.min(e.len()));
            let (batch_c, rest_c) = c.split_at((size - batch_e.len()).min(c.len()));
            let started = std::time::Instant::now();
            staged.add(batch_e, batch_c).await?;
            (e, c) = (rest_e, rest_c);
            if sqlite {
                // Size the next batch to take about IMPORT_BATCH_TIME on this disk.
                let took = started.elapsed().as_secs_f64().max(0.001);
                let scaled = size as f64 * IMPORT_BATCH_TIME.as_secs_f64() / took;
                size = (scaled as usize).clamp(50, IMPORT_BATCH_MAX_ROWS);
            }
        }
        Ok(())
    }

    /// Start an import whose rows stay invisible until [`StagedImport::commit`].
    pub async fn begin_import(&self, owner: &Owner) -> Result<StagedImport<'_>, StoreError> {
        let id = format!("import-{}", uuid::Uuid::new_v4());
        // One import at a time for an owner (outside test: while one import's rows were still
        // hidden, another file with the same ids counted them as "already in your diary", and
        // when the first was refused and removed the second had reported cramps that were
        // gone). Started only if no other import of the owner's has written within the time
        // after which it counts as abandoned; checked and recorded in one step (SQLite's write
        // lock; on PostgreSQL a per-owner advisory lock).
        let live_since =
            unix_now() - i64::try_from(ABANDONED_IMPORT_AFTER.as_secs()).unwrap_or(i64::MAX / 2);
        let insert = "INSERT INTO pending_imports (id, owner, touched_utc) SELECT $1, $2, $3 WHERE NOT EXISTS (SELECT 1 FROM pending_imports WHERE owner = $2 AND touched_utc > $4)";
        let started = match self {
            Store::Sqlite(pool) => sqlx::query(insert)
                .bind(&id)
                .bind(owner.as_str())
                .bind(unix_now())
                .bind(live_since)
                .execute(pool)
                .await?
                .rows_affected(),
            Store::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                sqlx::query(OwnerLock::SQL)
                    .bind(owner.as_str())
                    .bind(OwnerLock::Imports.seed())
                    .execute(&mut *tx)
                    .await?;
                let n = sqlx::query(insert)
                    .bind(&id)
                    .bind(owner.as_str())
                    .bind(unix_now())
                    .bind(live_since)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                tx.commit().await?;
                n
            }
        };
        if started != 1 {
            return Err(StoreError::ImportRunning);
        }
        Ok(StagedImport {
            store: self,
            owner: owner.clone(),
            id,
            report: ImportReport::default(),
            profile: Profile::default(),
            nights: Vec::new(),
            cap: None,
        })
    }

    /// Remove the rows of imports whose process stopped part way (no batch for longer than
    /// `older_than`). Run when the diary is opened; returns how many imports were removed.
    pub async fn remove_abandoned_imports(
        &self,
        older_than: std::time::Duration,
    ) -> Result<u64, StoreError> {
        let cutoff = unix_now() - i64::try_from(older_than.as_secs()).unwrap_or(i64::MAX / 2);
        let ids: Vec<(String, String)> = on_pool!(self, |pool| {
            sqlx::query_as("SELECT id, owner FROM pending_imports WHERE touched_utc <= $1")
                .bind(cutoff)
                .fetch_all(pool)
                .await
        })?;
        let n = ids.len() as u64;
        for (id, owner) in ids {
            StagedImport {
                store: self,
                owner: Owner(owner),
                id,
                report: ImportReport::default(),
                profile: Profile::default(),
                nights: Vec::new(),
                cap: None,
            }
            .abort()
            .await?;
        }
        Ok(n)
    }

    /// Keep the answers of a check in the diary.
    pub async fn save_check(&self, owner: &Owner, c: &SavedCheck) -> Result<(), StoreError> {
        self.save_check_within(owner, c, i64::MAX).await.map(|_| ())
    }

    /// Keep a check only if the owner keeps fewer than `cap` saved checks: `Ok(false)`, and
    /// nothing kept, when there is no room. Counted and stored in one step, as
    /// [`Store::insert_within`] does for cramps (issue 20: saved checks had no cap of their
    /// own, only the write rate).
    pub async fn save_check_within(
        &self,
        owner: &Owner,
        c: &SavedCheck,
        cap: i64,
    ) -> Result<bool, StoreError> {
        let count = format!("SELECT COUNT(*) FROM checks WHERE owner = $1 AND {VISIBLE}");
        insert_within_cap!(self, owner, OwnerLock::SavedChecks, &count, cap, |tx| {
            bind_check!(sqlx::query(INSERT_CHECK).bind(owner.as_str()), c)
                .bind(None::<String>)
                .execute(&mut *tx)
                .await?;
        })
    }

    /// The owner's saved checks, oldest first.
    pub async fn checks(&self, owner: &Owner) -> Result<Vec<SavedCheck>, StoreError> {
        on_pool!(self, |pool| {
            let rows = sqlx::query(&format!(
                "SELECT id, at_text, answers, shown_disposition, shown_phone_111, shown_phone_999, shown_content_version, shown_rules_version FROM checks WHERE owner = $1 AND {VISIBLE} ORDER BY at_utc, id",
            ))
            .bind(owner.as_str())
            .fetch_all(pool)
            .await?;
            rows.iter()
                .map(|r| {
                    let id: String = r.try_get("id").map_err(corrupt)?;
                    let at: String = r.try_get("at_text").map_err(corrupt)?;
                    let answers: String = r.try_get("answers").map_err(corrupt)?;
                    let flag = |name: &str| -> Result<Option<bool>, StoreError> {
                        let v: Option<i16> = r.try_get(name).map_err(corrupt)?;
                        Ok(v.map(|v| v != 0))
                    };
                    let shown = shown_from_parts(
                        r.try_get::<Option<String>, _>("shown_disposition")
                            .map_err(corrupt)?
                            .as_deref(),
                        flag("shown_phone_111")?,
                        flag("shown_phone_999")?,
                        r.try_get("shown_content_version").map_err(corrupt)?,
                        r.try_get("shown_rules_version").map_err(corrupt)?,
                    )
                    .map_err(corrupt)?;
                    Ok(SavedCheck {
                        id: EpisodeId::new(&id).map_err(corrupt)?,
                        at: parse_start(&at).map_err(corrupt)?,
                        answers: parse_assessment(&answers).map_err(corrupt)?,
                        shown,
                    })
                })
                .collect()
        })
    }

    /// Everything the owner has, for export.
    pub async fn everything(
        &self,
        owner: &Owner,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<DiaryFile, StoreError> {
        let episodes = self.list(owner, from, to).await?;
        let checks = self
            .checks(owner)
            .await?
            .into_iter()
            .filter(|c| {
                let d = c.at.date_naive();
                from.is_none_or(|f| d >= f) && to.is_none_or(|t| d <= t)
            })
            .collect();
        let profile = self.profile(owner).await?;
        let (nights_without_cramps, _) = self.check_ins(owner, from, to).await?;
        Ok(DiaryFile {
            episodes,
            checks,
            profile,
            nights_without_cramps,
        })
    }
}

/// An import in progress: its rows are written in short transactions and stay invisible to
/// every read, update and delete until [`StagedImport::commit`] makes them all visible at once
/// (one row deleted from `pending_imports`). Dropped without a commit, its rows stay invisible
/// and are removed as abandoned.
#[derive(Debug)]
pub struct StagedImport<'s> {
    store: &'s Store,
    owner: Owner,
    id: String,
    report: ImportReport,
    /// The file's profile: what the owner's profile lacks of it is added at the commit.
    profile: Profile,
    /// The file's nights without cramps, added at the commit (those already there stay).
    nights: Vec<NaiveDate>,
    /// The most cramps, and the most saved checks, the owner may keep: checked at the commit.
    cap: Option<i64>,
}

impl StagedImport<'_> {
    /// Write one batch in one transaction. Rows whose id the owner already has are counted as
    /// already present and left as they are.
    pub async fn add(
        &mut self,
        episodes: &[Episode],
        checks: &[SavedCheck],
    ) -> Result<(), StoreError> {
        let owner = self.owner.as_str();
        let id = self.id.as_str();
        let report = &mut self.report;
        on_pool!(self.store, |pool| {
            let mut tx = pool.begin().await?;
            let insert = "INSERT INTO episodes (import_id, owner, id, start_text, start_utc, local_date, duration_seconds, site, side, asleep, eased, severity, note, exercise, pregnant, short_of_fluids, medication_name, medication_started, last_night, helped, suspected) VALUES ($21, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) ON CONFLICT (owner, id) DO NOTHING";
            for e in episodes {
                let done = bind_episode!(sqlx::query(insert).bind(owner), e)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 1 {
                    report.added += 1;
                } else {
                    report.already_present += 1;
                }
            }
            for c in checks {
                let done = bind_check!(sqlx::query(INSERT_CHECK).bind(owner), c)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 1 {
                    report.added += 1;
                } else {
                    report.already_present += 1;
                }
            }
            sqlx::query("UPDATE pending_imports SET touched_utc = $2 WHERE id = $1")
                .bind(id)
                .bind(unix_now())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Make every row of the import visible at once, and add to the owner's profile what it
    /// lacks of the file's (with new ids), in the same transaction.
    pub async fn commit(self) -> Result<ImportReport, StoreError> {
        let mut report = self.report;
        let postgres = matches!(self.store, Store::Postgres(_));
        // An async block, so that `?` and `return` end this step, not the whole function: a
        // refusal at the cap must still reach the removal below.
        let committed: Result<ImportReport, StoreError> = on_pool!(self.store, |pool| {
            async {
            let mut tx = pool.begin().await?;
            if self.cap.is_some() && postgres {
                // The locks Store::insert_within, Store::add_to_profile and
                // Store::save_check_within take for this owner, in order: the counts below and
                // the profile entries added here are one at a time with theirs.
                for lock in [OwnerLock::Cramps, OwnerLock::Profile, OwnerLock::SavedChecks] {
                    sqlx::query(OwnerLock::SQL)
                        .bind(self.owner.as_str())
                        .bind(lock.seed())
                        .execute(&mut *tx)
                        .await?;
                }
            }
            // On SQLite this first write takes the database's write lock for the transaction.
            let done = sqlx::query("DELETE FROM pending_imports WHERE id = $1")
                .bind(&self.id)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() != 1 {
                // Removed as abandoned while this import was still running: its rows are gone.
                return Err(StoreError::Open(
                    "the import took too long between batches and was abandoned; nothing was stored".into(),
                ));
            }
            if let Some(cap) = self.cap {
                // The rows visible once this import is (its own among them); another import's
                // rows still hidden are counted at its own commit, not here, so two imports
                // that fit one at a time never refuse each other.
                for (table, what) in [("episodes", "cramps"), ("checks", "saved checks")] {
                    let held: i64 = sqlx::query_scalar(&format!(
                        "SELECT COUNT(*) FROM {table} WHERE owner = $1 AND {VISIBLE}"
                    ))
                    .bind(self.owner.as_str())
                    .fetch_one(&mut *tx)
                    .await?;
                    if held > cap {
                        tx.rollback().await?;
                        return Err(StoreError::Full {
                            what,
                            cap,
                            would_hold: held,
                        });
                    }
                }
            }
            if !self.profile.is_empty() {
                let here = profile::read_profile!(tx, self.owner.as_str())?;
                let missing = profile::with_free_ids(
                    &here,
                    profile::fit(&here, here.missing_from(&self.profile)),
                );
                report.profile_added = (missing.medicines.len()
                    + missing.pregnancies.len()
                    + missing.conditions.len()) as u64;
                profile::insert_profile!(tx, self.owner.as_str(), &missing);
            }
            for night in &self.nights {
                sqlx::query("INSERT INTO night_check_ins (owner, night, created_utc) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                    .bind(self.owner.as_str())
                    .bind(night.format("%Y-%m-%d").to_string())
                    .bind(unix_now())
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(report)
        }
        .await
        });
        match committed {
            Err(full @ StoreError::Full { .. }) => {
                // Rolled back, so the import is still pending: remove its rows now (or, if
                // that fails too, as abandoned later; they stay invisible either way).
                let _ = self.abort().await;
                Err(full)
            }
            other => other,
        }
    }

    /// Remove every row the import wrote (in batches, so other writes go ahead), then the
    /// import itself.
    pub async fn abort(self) -> Result<(), StoreError> {
        let owner = self.owner.as_str();
        let limit = i64::try_from(IMPORT_BATCH_ROWS).unwrap_or(500);
        on_pool!(self.store, |pool| {
            for table in ["episodes", "checks"] {
                let sql = format!(
                    "DELETE FROM {table} WHERE owner = $1 AND id IN (SELECT id FROM {table} WHERE owner = $1 AND import_id = $2 LIMIT $3)"
                );
                loop {
                    let done = sqlx::query(&sql)
                        .bind(owner)
                        .bind(&self.id)
                        .bind(limit)
                        .execute(pool)
                        .await?;
                    if done.rows_affected() == 0 {
                        break;
                    }
                }
            }
            sqlx::query("DELETE FROM pending_imports WHERE id = $1")
                .bind(&self.id)
                .execute(pool)
                .await?;
            Ok(())
        })
    }
}

/// A fresh episode id.
pub fn new_id() -> EpisodeId {
    // A UUID's text form is always a valid id.
    EpisodeId::new(&uuid::Uuid::new_v4().to_string()).unwrap_or_else(|_| unreachable!())
}
