//! The GP summary for ten years of daily cramps (3,650 episodes) and a "no cramps last night"
//! check-in every night (3,650, issue 21): reading them from SQLite and working out the summary
//! and the nights (target: under 20 ms), first alone, then with 1,000,000 episodes of other
//! owners in the same table (target: no slower).
//!
//! `cargo bench -p legcramps-store --bench gp_summary`

use std::hint::black_box;

use chrono::{DateTime, NaiveDate};
use criterion::{Criterion, criterion_group, criterion_main};
use legcramps_contract::diary_io::DiaryFile;
use legcramps_core::diary::{Context, Duration, Eased, Episode, EpisodeId, Severity, Side, Site};
use legcramps_core::patterns::{Nights, Settings, summarise};
use legcramps_store::{Owner, Store};

fn episodes(prefix: &str, count: usize) -> Vec<Episode> {
    let first = DateTime::parse_from_rfc3339("2016-11-26T02:10:00+00:00").expect("time");
    (0..count)
        .map(|i| Episode {
            id: EpisodeId::new(&format!("{prefix}-{i}")).expect("id"),
            start: first
                + chrono::Duration::minutes((i as i64 % 3650) * 1440 + (i as i64 * 37) % 600),
            last_night: false,
            duration: Some(Duration::from_seconds(30 + (i as u32 * 53) % 900).expect("duration")),
            site: Some(Site::ALL[i % 4]),
            side: Side::ALL[i % 3],
            asleep: Some(i % 3 != 0),
            eased: Some(Eased::ALL[i % 3]),
            severity: Severity::ALL[i % 3],
            note: None,
            context: Context::default(),
        })
        .collect()
}

/// Measure the summary on `store`, alone and then beside 1,000,000 other owners' episodes.
fn measure(c: &mut Criterion, rt: &tokio::runtime::Runtime, store: &Store, backend: &str) {
    let me = Owner::local();
    let from = NaiveDate::from_ymd_opt(2016, 11, 26).expect("date");
    let to = NaiveDate::from_ymd_opt(2026, 11, 25).expect("date");
    rt.block_on(store.import(
        &me,
        &DiaryFile {
            episodes: episodes("me", 3650),
            profile: profile(),
            nights_without_cramps: (0..3650).map(|d| from + chrono::Days::new(d)).collect(),
            ..DiaryFile::default()
        },
    ))
    .expect("import");
    let summary = || async {
        let list = store.list(&me, Some(from), Some(to)).await.expect("list");
        let profile = store.profile(&me).await.expect("profile");
        let (nights, first) = store
            .check_ins(&me, Some(from), Some(to))
            .await
            .expect("check-ins");
        assert_eq!((list.len(), nights.len()), (3650, 3650));
        let s = summarise(&list, &profile, from, to, Settings::default());
        black_box(Nights::count(&list, &nights, s.start, s.to, first));
        black_box(s)
    };
    let mut group = c.benchmark_group(format!("gp_summary_{backend}"));
    group.bench_function("3650 episodes, alone", |b| {
        b.iter(|| rt.block_on(summary()))
    });
    // The two halves apart: reading the rows, and working out the figures from them.
    let list = rt
        .block_on(store.list(&me, Some(from), Some(to)))
        .expect("list");
    let profile = rt.block_on(store.profile(&me)).expect("profile");
    group.bench_function("3650 episodes, reading only", |b| {
        b.iter(|| {
            rt.block_on(store.list(&me, Some(from), Some(to)))
                .expect("list")
        })
    });
    group.bench_function("3650 episodes, figures only", |b| {
        b.iter(|| black_box(summarise(&list, &profile, from, to, Settings::default())))
    });
    // 1,000,000 episodes of 20 other people.
    for batch in 0..20 {
        let file = DiaryFile {
            episodes: episodes(&format!("other{batch}"), 50_000),
            ..DiaryFile::default()
        };
        let owner = Owner::named(&format!("someone-{batch}"));
        rt.block_on(store.import(&owner, &file))
            .expect("import others");
    }
    group.bench_function("3650 episodes, with 1,000,000 of other owners", |b| {
        b.iter(|| rt.block_on(summary()))
    });
    group.finish();
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let dir = std::env::temp_dir().join(format!("legcramps-bench-summary-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let store = rt.block_on(Store::open_sqlite(&dir)).expect("open");
    measure(c, &rt, &store, "sqlite");
    rt.block_on(store.close());
    let _ = std::fs::remove_dir_all(&dir);

    // PostgreSQL too, when LEGCRAMPS_BENCH_PG names a server (a fresh database is made and
    // dropped), e.g. LEGCRAMPS_BENCH_PG=postgres://postgres@127.0.0.1:5432/test.
    if let Ok(admin) = std::env::var("LEGCRAMPS_BENCH_PG") {
        use sqlx::Connection;
        let db = format!("legcramps_bench_{}", std::process::id());
        let base = admin
            .rsplit_once('/')
            .map_or(admin.as_str(), |(b, _)| b)
            .to_owned();
        rt.block_on(async {
            let mut conn = sqlx::PgConnection::connect(&admin)
                .await
                .expect("PostgreSQL");
            sqlx::query(&format!("CREATE DATABASE {db}"))
                .execute(&mut conn)
                .await
                .expect("create");
        });
        let store = rt
            .block_on(Store::open_postgres(&format!("{base}/{db}")))
            .expect("open");
        measure(c, &rt, &store, "postgres");
        rt.block_on(async {
            store.close().await;
            let mut conn = sqlx::PgConnection::connect(&admin)
                .await
                .expect("PostgreSQL");
            let _ = sqlx::query(&format!("DROP DATABASE {db} WITH (FORCE)"))
                .execute(&mut conn)
                .await;
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);

/// Ten years of medicines: one started every year, each stopped a year later, and a condition.
fn profile() -> legcramps_core::profile::Profile {
    use legcramps_core::profile::{Condition, EntryId, Medicine, Profile};
    let mut p = Profile::default();
    for year in 2016..2026 {
        let start = NaiveDate::from_ymd_opt(year, 3, 1).expect("date");
        let stop = NaiveDate::from_ymd_opt(year + 1, 2, 1).expect("date");
        p.medicines.push(
            Medicine::new(
                EntryId::new(&format!("m{year}")).expect("id"),
                &format!("Medicine {year}"),
                start,
                Some(stop),
            )
            .expect("medicine"),
        );
    }
    p.conditions.push(
        Condition::new(EntryId::new("c1").expect("id"), "diabetes", None).expect("condition"),
    );
    p
}
