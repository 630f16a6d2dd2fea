//! What issue 20's limits add to one password sign-in, in the store: the backoff checked and
//! counted on three keys, one statement each, in one transaction (`take_attempts`: per
//! address, per name and address, per name from anywhere), forgotten again on success in one
//! transaction (`clear_attempts_of`), and the
//! look at the account's recent events for "something you may not know of" (`events`, 50).
//! Beside it, in the same run, the password check itself (argon2id, the site's parameters),
//! which every sign-in pays anyway. Target: the limits under 1 ms.
//!
//! `cargo bench -p legcramps-store --bench sign_in_limits`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use legcramps_store::Store;

fn limits(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let dir = std::env::temp_dir().join(format!("legcramps-bench-limits-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let store = rt.block_on(Store::open_sqlite(&dir)).expect("store");
    let account = rt
        .block_on(store.create_account("bench-person", "hash"))
        .expect("create")
        .expect("made");
    let policy = |n: u32| if n < 5 { 0 } else { 2u64 << (n - 5).min(9) };
    c.bench_function("the limits of one sign-in (SQLite)", |b| {
        b.iter(|| {
            rt.block_on(async {
                let keys: [(&str, &(dyn Fn(u32) -> u64 + Sync)); 3] = [
                    ("ip-key", &policy),
                    ("name-ip-key", &policy),
                    ("name-key", &policy),
                ];
                black_box(store.take_attempts(&keys).await.expect("take"));
                store
                    .clear_attempts_of(&["ip-key", "name-ip-key", "name-key"])
                    .await
                    .expect("clear");
                black_box(store.events(Some(&account.id), 50).await.expect("events"));
            });
        });
    });
    // Before issue 20 a sign-in read two counts and, on success, deleted them, each on its own
    // (the same statements, written out here, since the old functions are gone).
    let Store::Sqlite(pool) = &store else {
        unreachable!("opened as SQLite")
    };
    c.bench_function("the limits of one sign-in before issue 20 (SQLite)", |b| {
        b.iter(|| {
            rt.block_on(async {
                for key in ["ip-key", "name-ip-key"] {
                    let row: Option<(i64, i64)> =
                        sqlx::query_as("SELECT failures, last_utc FROM attempts WHERE key = $1")
                            .bind(key)
                            .fetch_optional(pool)
                            .await
                            .expect("read");
                    black_box(row);
                }
                for key in ["ip-key", "name-ip-key"] {
                    sqlx::query("DELETE FROM attempts WHERE key = $1")
                        .bind(key)
                        .execute(pool)
                        .await
                        .expect("delete");
                }
            });
        });
    });
    let hash = legcramps_accounts::hash_password("correct kettle ladder orbit");
    c.bench_function("the password check of one sign-in (argon2id)", |b| {
        b.iter(|| {
            black_box(legcramps_accounts::verify_password(
                "correct kettle ladder orbit",
                Some(&hash),
            ))
        });
    });
    rt.block_on(store.close());
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = limits
}
criterion_main!(benches);
