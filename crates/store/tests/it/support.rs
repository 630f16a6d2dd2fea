//! Both backends, each fresh for one test.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{DateTime, FixedOffset};
use legcramps_core::diary::{
    Context, Duration, Eased, Episode, EpisodeId, Note, Severity, Side, Site,
};
use legcramps_store::Store;
use sqlx::Connection;

static COUNTER: AtomicUsize = AtomicUsize::new(0);

fn unique(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "{prefix}_{}_{}_{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    )
}

/// A fresh store of one backend, removed when dropped (best effort).
pub(crate) struct Fresh {
    pub(crate) store: Store,
    pub(crate) name: &'static str,
    cleanup: Cleanup,
}

enum Cleanup {
    Dir(PathBuf),
    Database { admin: String, db: String },
}

impl Fresh {
    /// The SQLite store's directory (None on PostgreSQL).
    pub(crate) fn sqlite_dir(&self) -> Option<&std::path::Path> {
        match &self.cleanup {
            Cleanup::Dir(d) => Some(d),
            Cleanup::Database { .. } => None,
        }
    }

    /// Open the same database again, as a new process would (migrating it if need be).
    pub(crate) async fn reopen(&self) -> Store {
        match &self.cleanup {
            Cleanup::Dir(d) => Store::open_sqlite(d).await.expect("reopen"),
            Cleanup::Database { admin, db } => {
                let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
                Store::open_postgres(&format!("{base}/{db}"))
                    .await
                    .expect("reopen")
            }
        }
    }

    pub(crate) async fn finish(self) {
        self.store.close().await;
        match self.cleanup {
            Cleanup::Dir(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::Database { admin, db } => {
                if let Ok(mut conn) = sqlx::PgConnection::connect(&admin).await {
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))
                        .execute(&mut conn)
                        .await;
                }
            }
        }
    }
}

pub(crate) async fn sqlite() -> Fresh {
    let dir = std::env::temp_dir().join(unique("legcramps_store"));
    Fresh {
        store: Store::open_sqlite(&dir).await.expect("SQLite opens"),
        name: "sqlite",
        cleanup: Cleanup::Dir(dir),
    }
}

/// A fresh PostgreSQL store: on the machine's server, a throwaway cluster, or `None` (the
/// skip is reported by name; see `legcramps-test-pg`).
pub(crate) async fn postgres() -> Option<Fresh> {
    let admin = legcramps_test_pg::admin_url("the storage tests on PostgreSQL")?;
    let mut conn = sqlx::PgConnection::connect(&admin)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at {admin} cannot be reached: {e}"));
    let db = unique("legcramps_test");
    sqlx::query(&format!("CREATE DATABASE {db}"))
        .execute(&mut conn)
        .await
        .expect("create a test database");
    let base = admin
        .rsplit_once('/')
        .map_or(admin.as_str(), |(b, _)| b)
        .to_owned();
    let store = Store::open_postgres(&format!("{base}/{db}"))
        .await
        .expect("PostgreSQL opens");
    Some(Fresh {
        store,
        name: "postgres",
        cleanup: Cleanup::Database { admin, db },
    })
}

/// Every backend, fresh.
pub(crate) async fn backends() -> Vec<Fresh> {
    let mut out = vec![sqlite().await];
    out.extend(postgres().await);
    out
}

pub(crate) fn at(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).expect("a valid time")
}

/// An episode with every field set; `n` varies the id, time and values.
pub(crate) fn episode(n: u32) -> Episode {
    let start = at("2026-11-02T01:30:00+00:00") + chrono::Duration::hours(i64::from(n) * 13);
    Episode {
        id: EpisodeId::new(&format!("ep-{n:04}")).expect("id"),
        start,
        last_night: false,
        duration: Some(Duration::from_seconds(30 + n * 41 % 900).expect("duration")),
        site: Some(Site::ALL[n as usize % 4]),
        side: Side::ALL[n as usize % 3],
        asleep: Some(n.is_multiple_of(2)),
        eased: Some(Eased::ALL[n as usize % 3]),
        severity: Severity::ALL[n as usize % 3],
        note: if n.is_multiple_of(3) {
            Note::new(&format!(
                "note {n}, with \"quotes\", commas\nand a line break – ünïcode"
            ))
            .expect("note")
        } else {
            None
        },
        context: Context {
            exercise: n.is_multiple_of(4),
            short_of_fluids: n.is_multiple_of(6),
            helped: if n.is_multiple_of(3) {
                vec![
                    legcramps_core::diary::Helped::Stretched,
                    legcramps_core::diary::Helped::Warmth,
                ]
            } else {
                Vec::new()
            },
            suspected: if n % 4 == 1 {
                vec![legcramps_core::diary::Suspected::Alcohol]
            } else {
                Vec::new()
            },
        },
    }
}

/// A profile with a medicine started before the episodes and stopped part way through them, a
/// pregnancy, and a condition (the episodes of [`episode`] run from 2 November 2026).
pub(crate) fn profile() -> legcramps_core::profile::Profile {
    use legcramps_core::profile::{Condition, EntryId, Medicine, Pregnancy, Profile};
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("day");
    let id = |s: &str| EntryId::new(s).expect("id");
    let mut p = Profile {
        medicines: vec![
            Medicine::new(
                id("med-1"),
                "Example tablets",
                day("2026-10-30"),
                Some(day("2026-11-06")),
            )
            .expect("medicine"),
            Medicine::new(id("med-2"), "Other, with a comma", day("2026-11-04"), None)
                .expect("medicine"),
        ],
        pregnancies: vec![
            Pregnancy::new(id("preg-1"), day("2026-11-03"), None).expect("pregnancy"),
        ],
        conditions: vec![
            Condition::new(id("cond-1"), "diabetes", Some(day("2026-01-01"))).expect("condition"),
        ],
    };
    p.sort();
    p
}
