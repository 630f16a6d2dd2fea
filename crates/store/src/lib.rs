//! The cramp diary's storage.
//!
//! SQLite by default, in WAL mode with `synchronous=FULL`, so that a write that has been
//! acknowledged survives a crash or power cut; PostgreSQL when given a `postgres://` URL. The
//! same SQL runs on both (`$1` placeholders, portable types), through [`on_pool!`], except
//! where a comment says why not, and the schema is migrated on open. Every row has an owner:
//! [`Owner::local`] for the diary on this computer, [`Owner::account`] for each account on a
//! hosted site.
//!
//! Errors are [`StoreError`]: nothing here logs, and no error message contains diary content.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use chrono::NaiveDate;
use legcramps_contract::diary_io::{
    DiaryFile, SavedCheck, assessment_json, format_start, shown_from_parts,
};
use legcramps_contract::parse_assessment;
use legcramps_core::diary::{
    Context, Duration, Eased, Episode, EpisodeId, Note, Severity, Side, Site, parse_choices,
    parse_start,
};
use legcramps_core::profile::Profile;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{ConnectOptions, Row};

mod accounts;
mod episodes;
mod factors;
mod nights;
mod profile;
mod push;
mod unsaved;
pub use accounts::{
    Account, AccountColumn, AccountId, ApiToken, EventKind, SecurityEvent, Session, SessionCheck,
    SessionLimits, look_alike,
};
pub use episodes::{
    ABANDONED_IMPORT_AFTER, IMPORT_BATCH_ROWS, IMPORT_BATCH_TIME, IMPORT_PAUSE, ImportReport,
    StagedImport, new_id,
};
pub use factors::{Ceremony, StoredPasskey};
pub use profile::{AddedToProfile, Kind as ProfileKind, new_entry_id};
pub use push::{PushDevice, PushReminder};
pub use unsaved::{MAX_UNSAVED_PER_ACCOUNT, UnsavedForm};

/// Why a storage operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the diary database: {0}")]
    Open(String),
    #[error("the diary database failed: {0}")]
    Database(#[from] sqlx::Error),
    #[error("a stored episode cannot be read ({0}); the database may have been edited by hand")]
    Corrupt(String),
    /// Another import into the same diary is still running: nothing of this one was stored.
    #[error(
        "another file is being added to this diary just now; nothing was stored: try again when it has finished"
    )]
    ImportRunning,
    /// What was being stored would take the owner past a cap (a hosted site's setting): none
    /// of it was stored.
    #[error(
        "the diary keeps at most {cap} {what}, and this would make {would_hold}; nothing was stored"
    )]
    Full {
        what: &'static str,
        cap: i64,
        would_hold: i64,
    },
}

/// Whose diary a row belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner(String);

impl Owner {
    /// The person using this installation (before accounts exist).
    pub fn local() -> Owner {
        Owner("local".to_owned())
    }

    /// The owner of an account's rows (accounts have UUID ids, so never "local").
    pub fn account(id: &AccountId) -> Owner {
        Owner(format!("account:{id}"))
    }

    /// Another owner (tests and benchmarks use these to fill the table with other people's rows).
    pub fn named(name: &str) -> Owner {
        Owner(name.to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An open diary database.
#[derive(Debug, Clone)]
pub enum Store {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Run the same code on whichever pool the store holds.
#[macro_export]
macro_rules! on_pool {
    ($store:expr, |$pool:ident| $body:expr) => {
        match $store {
            $crate::Store::Sqlite($pool) => $body,
            $crate::Store::Postgres($pool) => $body,
        }
    };
}

/// The transaction-long PostgreSQL advisory locks on one owner's rows, each named by what it
/// guards (the number is `hashtextextended`'s seed beside the owner). Taken in this order when
/// one step needs several. SQLite needs none: its write lock is the database's.
#[derive(Clone, Copy)]
pub(crate) enum OwnerLock {
    Cramps = 20,
    Profile = 21,
    Imports = 22,
    SavedChecks = 23,
}

impl OwnerLock {
    /// Bind the owner, then `self.seed()`.
    pub(crate) const SQL: &'static str = "SELECT pg_advisory_xact_lock(hashtextextended($1, $2))";

    pub(crate) fn seed(self) -> i64 {
        self as i64
    }
}

impl Store {
    /// The name of the string aggregate (`group_concat` on SQLite, `string_agg` on
    /// PostgreSQL): the one word of SQL that differs when many rows are read as one.
    pub(crate) fn string_agg(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "group_concat",
            Store::Postgres(_) => "string_agg",
        }
    }
}

/// The schema: the SQL files in `crates/store/migrations/`, embedded at build time, numbered,
/// each run once in its own transaction by sqlx's migrator (the same SQL on SQLite and
/// PostgreSQL). Version 11 is not SQL: it is [`profile::move_context`], run in its place, in
/// order, by [`Store::migrate`].
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// The versions applied before the migrations were files, kept in `legcramps_migrations`
/// (which still records the Rust step, 11).
const LEGACY_TABLE: &str =
    "CREATE TABLE IF NOT EXISTS legcramps_migrations (version BIGINT PRIMARY KEY)";

/// The default data directory: `$XDG_DATA_HOME/legcramps` or `~/.local/share/legcramps` on
/// Linux, `~/Library/Application Support/legcramps` on macOS, `%APPDATA%\legcramps` on Windows.
pub fn default_data_dir() -> Option<PathBuf> {
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if cfg!(windows) {
        return env("APPDATA").map(|p| p.join("legcramps"));
    }
    if cfg!(target_os = "macos") {
        return env("HOME").map(|h| h.join("Library/Application Support/legcramps"));
    }
    env("XDG_DATA_HOME")
        .or_else(|| env("HOME").map(|h| h.join(".local/share")))
        .map(|p| p.join("legcramps"))
}

/// Now, in unix seconds (the clock the store's times are in).
pub fn unix_seconds() -> i64 {
    unix_now()
}

pub(crate) fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

pub(crate) fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

impl Store {
    /// Open (creating if need be) the SQLite diary in `dir`, in WAL mode with synchronous=FULL.
    pub async fn open_sqlite(dir: &Path) -> Result<Store, StoreError> {
        let fresh = !dir.exists();
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError::Open(format!("cannot create {}: {e}", dir.display())))?;
        let file = dir.join("diary.sqlite3");
        // Health data: a directory made here, and a new diary file, are for their owner only
        // (SQLite gives its -wal and -shm files the diary file's permissions).
        #[cfg(unix)]
        {
            use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
            if fresh {
                std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(
                    |e| StoreError::Open(format!("cannot protect {}: {e}", dir.display())),
                )?;
            }
            if !file.exists() {
                std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .mode(0o600)
                    .open(&file)
                    .map_err(|e| {
                        StoreError::Open(format!("cannot create {}: {e}", file.display()))
                    })?;
            }
        }
        #[cfg(not(unix))]
        let _ = fresh;
        let options = SqliteConnectOptions::new()
            .filename(file)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            // Deleted rows are overwritten, not left readable in free pages (issue 20).
            .pragma("secure_delete", "ON")
            .foreign_keys(true)
            .busy_timeout(std::time::Duration::from_secs(10))
            .disable_statement_logging();
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .map_err(|e| StoreError::Open(e.to_string()))?;
        let store = Store::Sqlite(pool);
        store.migrate().await?;
        store
            .remove_abandoned_imports(ABANDONED_IMPORT_AFTER)
            .await?;
        store.remove_orphaned_rows().await?;
        Ok(store)
    }

    /// Connect to PostgreSQL.
    pub async fn open_postgres(url: &str) -> Result<Store, StoreError> {
        let options = PgConnectOptions::from_str(url)
            .map_err(|e| StoreError::Open(format!("DATABASE_URL is not a PostgreSQL URL ({e})")))?
            .disable_statement_logging();
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await
            .map_err(|e| StoreError::Open(e.to_string()))?;
        let store = Store::Postgres(pool);
        store.migrate().await?;
        store
            .remove_abandoned_imports(ABANDONED_IMPORT_AFTER)
            .await?;
        store.remove_orphaned_rows().await?;
        Ok(store)
    }

    /// PostgreSQL if `database_url` is a postgres:// URL, else SQLite in `data_dir`.
    pub async fn open(data_dir: &Path, database_url: Option<&str>) -> Result<Store, StoreError> {
        match database_url.filter(|u| !u.is_empty()) {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                Store::open_postgres(url).await
            }
            Some(_) => Err(StoreError::Open(
                "DATABASE_URL must start with postgres:// (leave it unset to use SQLite)".into(),
            )),
            None => Store::open_sqlite(data_dir).await,
        }
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "sqlite",
            Store::Postgres(_) => "postgres",
        }
    }

    /// Bring the schema up to date, in version order: the SQL files through sqlx's migrator
    /// (which keeps `_sqlx_migrations`, with each file's checksum), and the one Rust step (11)
    /// in its place. A database made before the migrations were files (its versions in
    /// `legcramps_migrations` only) is carried over: those versions are recorded as applied,
    /// with the checksums of the files that hold the same SQL, and nothing is run again.
    /// Several processes may start at once: on PostgreSQL the migrator's advisory lock makes
    /// them take turns; on SQLite a step another process applied first is skipped.
    async fn migrate(&self) -> Result<(), StoreError> {
        use sqlx::migrate::Migrate;
        let lock = match self {
            Store::Sqlite(_) => "SELECT 1",
            Store::Postgres(_) => "SELECT pg_advisory_xact_lock(7326001)",
        };
        let failed = |e: sqlx::migrate::MigrateError| StoreError::Open(format!("migrating: {e}"));
        on_pool!(self, |pool| {
            let mut conn = pool.acquire().await?;
            conn.lock().await.map_err(failed)?;
            let result = async {
                conn.ensure_migrations_table().await.map_err(failed)?;
                sqlx::query(LEGACY_TABLE).execute(&mut *conn).await?;
                if let Some(v) = conn.dirty_version().await.map_err(failed)? {
                    return Err(StoreError::Open(format!(
                        "migration {v} failed part-way before; restore a backup"
                    )));
                }
                let legacy: Vec<i64> =
                    sqlx::query_scalar("SELECT version FROM legcramps_migrations ORDER BY version")
                        .fetch_all(&mut *conn)
                        .await?;
                let mut applied: Vec<(i64, Vec<u8>)> = conn
                    .list_applied_migrations()
                    .await
                    .map_err(failed)?
                    .into_iter()
                    .map(|m| (m.version, m.checksum.into_owned()))
                    .collect();
                for m in MIGRATOR.iter() {
                    if legacy.contains(&m.version) && !applied.iter().any(|(v, _)| *v == m.version) {
                        sqlx::query("INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES ($1, $2, TRUE, $3, -1)")
                            .bind(m.version)
                            .bind(&*m.description)
                            .bind(&*m.checksum)
                            .execute(&mut *conn)
                            .await?;
                        applied.push((m.version, m.checksum.to_vec()));
                    }
                }
                let mut moved = false;
                for m in MIGRATOR.iter() {
                    if m.version > profile::MOVE_CONTEXT_VERSION && !moved {
                        profile::move_context(self, lock).await?;
                        moved = true;
                    }
                    match applied.iter().find(|(v, _)| *v == m.version) {
                        Some((_, sum)) if *sum == *m.checksum => continue,
                        Some(_) => {
                            return Err(StoreError::Open(format!(
                                "migration {} ({}) was changed after it ran; migrations are never edited, only added",
                                m.version, m.description
                            )));
                        }
                        None => {}
                    }
                    if let Err(e) = conn.apply(m).await {
                        // Another process (SQLite has no migration lock) may have applied it.
                        let now = conn.list_applied_migrations().await.map_err(failed)?;
                        if !now.iter().any(|a| a.version == m.version) {
                            return Err(failed(e));
                        }
                    }
                }
                if !moved {
                    profile::move_context(self, lock).await?;
                }
                self.fill_look_alikes().await
            }
            .await;
            conn.unlock().await.map_err(failed)?;
            result
        })
    }

    /// SQLite's `PRAGMA integrity_check` ("ok" when sound); PostgreSQL reports "ok" after a
    /// trivial query (it has no equivalent check).
    pub async fn integrity_check(&self) -> Result<String, StoreError> {
        match self {
            Store::Sqlite(pool) => Ok(sqlx::query_scalar("PRAGMA integrity_check")
                .fetch_one(pool)
                .await?),
            Store::Postgres(pool) => {
                sqlx::query("SELECT 1").execute(pool).await?;
                Ok("ok".to_owned())
            }
        }
    }

    /// The SQLite journal mode and synchronous setting, to show the durability settings hold.
    pub async fn sqlite_settings(&self) -> Result<Option<(String, i64)>, StoreError> {
        match self {
            Store::Sqlite(pool) => {
                let mut conn = pool.acquire().await?;
                let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
                    .fetch_one(&mut *conn)
                    .await?;
                let sync: i64 = sqlx::query_scalar("PRAGMA synchronous")
                    .fetch_one(&mut *conn)
                    .await?;
                Ok(Some((mode, sync)))
            }
            Store::Postgres(_) => Ok(None),
        }
    }

    pub async fn close(&self) {
        on_pool!(self, |pool| pool.close().await);
    }
}
