//! Issue 19: the schema's migrations became SQL files run by sqlx's migrator. A diary made by
//! the release before that change opens, is carried over without anything running twice, and
//! reads back exactly as that release exported it — on SQLite and on PostgreSQL.
//!
//! The fixtures in `tests/fixtures/before-migration-files/` were made by the `legcramps`
//! binary of commit `7e81d90` (the last with the migrations in a Rust constant) with
//! `make.sh` there: `sqlite/` is its SQLite diary, `postgres.sql` a `pg_dump --inserts` of
//! the same diary made on PostgreSQL (psql's `\restrict` lines removed), and
//! `export-sqlite.json` / `export-postgres.json` what that binary's
//! `legcramps export --format json` printed for each (the ids are random, so they differ).

use legcramps_contract::diary_io::to_json;
use legcramps_store::{Owner, Store};
use sqlx::Connection;

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/before-migration-files"
);

/// The export, without the line that names the content version of the binary exporting it.
fn exported(store_json: &str) -> serde_json::Value {
    let mut v: serde_json::Value = serde_json::from_str(store_json).expect("JSON");
    if let Some(o) = v.as_object_mut() {
        o.remove("content_version");
    }
    v
}

async fn reads_back_the_same(store: &Store, backend: &str) {
    let expected = exported(
        &std::fs::read_to_string(format!("{FIXTURES}/export-{backend}.json")).expect("export"),
    );
    let file = store
        .everything(&Owner::local(), None, None)
        .await
        .expect("read");
    assert_eq!(exported(&to_json(&file)), expected, "{backend}");
    // Every step ran once: the file migrations are recorded by sqlx, with their checksums,
    // and the Rust step where it always was.
    let (files, rust): (i64, i64) = legcramps_store::on_pool!(store, |pool| {
        let files: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success")
            .fetch_one(pool)
            .await
            .expect("sqlx's table");
        let rust: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM legcramps_migrations WHERE version = 11")
                .fetch_one(pool)
                .await
                .expect("the Rust step");
        (files, rust)
    });
    let on_disk = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations"))
        .expect("migrations")
        .count();
    assert_eq!(
        (usize::try_from(files).expect("count"), rust),
        (on_disk, 1),
        "{backend}"
    );
}

#[tokio::test]
async fn a_diary_made_before_the_migrations_were_files_reads_back_the_same() {
    // SQLite: a copy of the diary directory, opened twice (the second open finds it done).
    let dir = std::env::temp_dir().join(format!("legcramps_carried_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    for entry in std::fs::read_dir(format!("{FIXTURES}/sqlite")).expect("fixture") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, dir.join(path.file_name().expect("name"))).expect("copy");
    }
    for _ in 0..2 {
        let store = Store::open_sqlite(&dir).await.expect("opens");
        reads_back_the_same(&store, "sqlite").await;
        store.close().await;
    }
    let _ = std::fs::remove_dir_all(&dir);

    // PostgreSQL: a fresh database restored from the dump, then opened twice.
    let Some(admin) = legcramps_test_pg::admin_url("the carried-over diary on PostgreSQL") else {
        return;
    };
    let db = format!("legcramps_carried_{}", std::process::id());
    let mut conn = sqlx::PgConnection::connect(&admin).await.expect("admin");
    sqlx::query(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))
        .execute(&mut conn)
        .await
        .expect("drop");
    sqlx::query(&format!("CREATE DATABASE {db}"))
        .execute(&mut conn)
        .await
        .expect("create");
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
    let url = format!("{base}/{db}");
    {
        let mut restore = sqlx::PgConnection::connect(&url).await.expect("connect");
        let dump = std::fs::read_to_string(format!("{FIXTURES}/postgres.sql")).expect("dump");
        sqlx::raw_sql(&dump)
            .execute(&mut restore)
            .await
            .expect("restore the dump");
    }
    for _ in 0..2 {
        let store = Store::open_postgres(&url).await.expect("opens");
        reads_back_the_same(&store, "postgres").await;
        store.close().await;
    }
    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))
        .execute(&mut conn)
        .await;
}

/// A migration file is never edited once released: a database whose record of a step does not
/// match the file's checksum refuses to open, saying which, instead of running on a schema
/// nobody wrote down.
#[tokio::test]
async fn a_migration_changed_after_it_ran_refuses_to_open() {
    let dir = std::env::temp_dir().join(format!("legcramps_changed_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let store = Store::open_sqlite(&dir).await.expect("opens");
    legcramps_store::on_pool!(&store, |pool| {
        sqlx::query("UPDATE _sqlx_migrations SET checksum = X'00' WHERE version = 2")
            .execute(pool)
            .await
            .map(|_| ())
    })
    .expect("tamper");
    store.close().await;
    let err = Store::open_sqlite(&dir)
        .await
        .expect_err("a changed migration must not open")
        .to_string();
    assert!(err.contains("migration 2"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
