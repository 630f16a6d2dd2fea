//! The storage behaviour, identical on SQLite and PostgreSQL.

use legcramps_contract::diary_io::{
    DiaryFile, SavedCheck, Shown, from_csv, from_json, to_csv, to_json,
};
use legcramps_contract::parse_assessment;
use legcramps_core::diary::EpisodeId;
use legcramps_store::Owner;

use crate::support::{Fresh, at, backends, episode, profile, sqlite};

#[tokio::test]
async fn insert_get_update_delete() {
    for b in backends().await {
        let me = Owner::local();
        let e = episode(3);
        b.store.insert(&me, &e).await.expect("insert");
        assert_eq!(
            b.store.get(&me, &e.id).await.expect("get"),
            Some(e.clone()),
            "{}",
            b.name
        );
        let mut changed = e.clone();
        changed.duration = Some(legcramps_core::diary::Duration::from_seconds(700).expect("d"));
        changed.note = None;
        assert!(
            b.store.update(&me, &changed).await.expect("update"),
            "{}",
            b.name
        );
        assert_eq!(
            b.store.get(&me, &e.id).await.expect("get"),
            Some(changed),
            "{}",
            b.name
        );
        assert!(b.store.delete(&me, &e.id).await.expect("delete"));
        assert!(
            !b.store.delete(&me, &e.id).await.expect("delete again"),
            "{}",
            b.name
        );
        assert_eq!(b.store.get(&me, &e.id).await.expect("get"), None);
        let missing = EpisodeId::new("nope").expect("id");
        assert!(
            !b.store
                .update(&me, &episode(99))
                .await
                .expect("update missing")
        );
        assert!(!b.store.delete(&me, &missing).await.expect("delete missing"));
        b.finish().await;
    }
}

#[tokio::test]
async fn a_duplicate_id_is_refused_and_nothing_changes() {
    for b in backends().await {
        let me = Owner::local();
        b.store.insert(&me, &episode(1)).await.expect("insert");
        let mut same_id = episode(2);
        same_id.id = episode(1).id;
        assert!(b.store.insert(&me, &same_id).await.is_err(), "{}", b.name);
        assert_eq!(
            b.store.get(&me, &episode(1).id).await.expect("get"),
            Some(episode(1))
        );
        b.finish().await;
    }
}

#[tokio::test]
async fn lists_by_local_date_oldest_first_and_only_the_owners() {
    for b in backends().await {
        let me = Owner::local();
        let other = Owner::named("someone-else");
        for n in (0..20).rev() {
            b.store.insert(&me, &episode(n)).await.expect("insert");
            b.store
                .insert(&other, &episode(n + 100))
                .await
                .expect("insert other");
        }
        let all = b.store.list(&me, None, None).await.expect("list");
        assert_eq!(all.len(), 20, "{}", b.name);
        assert!(
            all.windows(2).all(|w| w[0].start <= w[1].start),
            "oldest first on {}",
            b.name
        );
        let from = chrono::NaiveDate::from_ymd_opt(2026, 11, 4).expect("date");
        let to = chrono::NaiveDate::from_ymd_opt(2026, 11, 6).expect("date");
        let some = b
            .store
            .list(&me, Some(from), Some(to))
            .await
            .expect("list range");
        let expected: Vec<_> = all
            .iter()
            .filter(|e| (from..=to).contains(&e.start.date_naive()))
            .cloned()
            .collect();
        assert!(!expected.is_empty());
        assert_eq!(some, expected, "{}", b.name);
        // Deleting all of mine leaves theirs.
        assert_eq!(b.store.delete_all(&me).await.expect("delete all"), 20);
        assert!(
            b.store
                .list(&me, None, None)
                .await
                .expect("list")
                .is_empty()
        );
        assert_eq!(
            b.store
                .list(&other, None, None)
                .await
                .expect("list other")
                .len(),
            20
        );
        b.finish().await;
    }
}

#[tokio::test]
async fn import_round_trips_exactly_and_twice_adds_nothing() {
    for b in backends().await {
        let me = Owner::local();
        let check = SavedCheck {
            id: EpisodeId::new("check-1").expect("id"),
            at: at("2026-11-10T22:15:00+01:00"),
            answers: parse_assessment(
                r#"{"longest_cramp_minutes": 4, "frequent": true, "known_conditions": []}"#,
            )
            .expect("answers"),
            shown: None,
        };
        let file = DiaryFile {
            episodes: (0..30).map(episode).collect(),
            checks: vec![check],
            profile: profile(),
            nights_without_cramps: Vec::new(),
        };
        let report = b.store.import(&me, &file).await.expect("import");
        assert_eq!(report.added, 31, "{}", b.name);
        let again = b.store.import(&me, &file).await.expect("import again");
        assert_eq!((again.added, again.already_present), (0, 31), "{}", b.name);

        let stored = b
            .store
            .everything(&me, None, None)
            .await
            .expect("everything");
        let json = to_json(&stored);
        let csv = to_csv(&stored.episodes, &stored.profile);
        assert_eq!(from_json(&json).expect("json parses"), stored, "{}", b.name);
        assert_eq!(
            from_csv(&csv).expect("csv parses").episodes,
            stored.episodes,
            "{}",
            b.name
        );

        // Into an empty diary and out again: byte for byte.
        let empty = sqlite().await;
        empty
            .store
            .import(&me, &from_json(&json).expect("json"))
            .await
            .expect("import json");
        assert_eq!(
            to_json(&empty.store.everything(&me, None, None).await.expect("all")),
            json
        );
        let empty_csv = sqlite().await;
        empty_csv
            .store
            .import(&me, &from_csv(&csv).expect("csv"))
            .await
            .expect("import csv");
        assert_eq!(
            to_csv(
                &empty_csv.store.list(&me, None, None).await.expect("all"),
                &empty_csv.store.profile(&me).await.expect("profile")
            ),
            csv
        );
        empty.finish().await;
        empty_csv.finish().await;
        b.finish().await;
    }
}

#[tokio::test]
async fn saved_checks_come_back_with_what_was_shown() {
    for b in backends().await {
        let me = Owner::local();
        // What was shown is kept as it was, even where today's rules would say otherwise
        // (here: an older rule set that called this self-care).
        let c = SavedCheck {
            id: EpisodeId::new("c1").expect("id"),
            at: at("2026-11-10T22:15:00+01:00"),
            answers: parse_assessment(
                r#"{"longest_cramp_minutes": 10, "eases_when_moving": false}"#,
            )
            .expect("answers"),
            shown: Some(Shown {
                disposition: legcramps_core::Level::SelfCare,
                phone_111: false,
                phone_999: false,
                content_version: "2026.11.1".into(),
                rules_version: "2026.11.1".into(),
            }),
        };
        // One saved before what was shown was kept.
        let old = SavedCheck {
            id: EpisodeId::new("c0").expect("id"),
            at: at("2026-11-09T22:15:00+01:00"),
            answers: parse_assessment("{}").expect("answers"),
            shown: None,
        };
        b.store.save_check(&me, &c).await.expect("save");
        b.store.save_check(&me, &old).await.expect("save");
        let back = b.store.checks(&me).await.expect("checks");
        assert_eq!(back, vec![old.clone(), c.clone()], "{}", b.name);
        // Exports carry it too, and never a re-evaluation.
        let json = to_json(&DiaryFile {
            episodes: Vec::new(),
            checks: back,
            profile: Default::default(),
            nights_without_cramps: Vec::new(),
        });
        assert!(json.contains("\"disposition\": \"self-care\""), "{json}");
        assert!(json.contains("\"rules_version\": \"2026.11.1\""), "{json}");
        assert_eq!(json.matches("\"disposition\"").count(), 1, "{json}");
        assert_eq!(from_json(&json).expect("parses").checks, vec![old, c]);
        b.finish().await;
    }
}

#[tokio::test]
async fn sqlite_is_in_wal_mode_with_full_sync() {
    let b = sqlite().await;
    let (mode, sync) = b
        .store
        .sqlite_settings()
        .await
        .expect("pragma")
        .expect("sqlite");
    assert_eq!(mode, "wal");
    assert_eq!(sync, 2, "synchronous=FULL is 2");
    assert_eq!(b.store.integrity_check().await.expect("check"), "ok");
    b.finish().await;
}

#[tokio::test]
async fn reopening_keeps_everything_and_migrates_once() {
    let dir = std::env::temp_dir().join(format!("legcramps_reopen_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let me = Owner::local();
    {
        let s = legcramps_store::Store::open_sqlite(&dir)
            .await
            .expect("open");
        s.insert(&me, &episode(1)).await.expect("insert");
        s.close().await;
    }
    let s = legcramps_store::Store::open_sqlite(&dir)
        .await
        .expect("reopen");
    assert_eq!(
        s.list(&me, None, None).await.expect("list"),
        vec![episode(1)]
    );
    s.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// Hardening finding 8: a 444,169-row import held the write lock for its whole length and web
/// writes failed. Now each batch is its own short transaction: between batches another
/// connection that will not wait at all (`busy_timeout` 0) can write, while the import's rows
/// stay invisible until the import commits, and then all appear at once.
#[tokio::test]
async fn finding_8_an_import_in_batches_leaves_the_diary_writable_between_batches() {
    use sqlx::{ConnectOptions, Connection};
    let b = sqlite().await;
    let me = Owner::local();
    let dir = b.sqlite_dir().expect("sqlite").to_owned();
    let mut other = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(dir.join("diary.sqlite3"))
        .busy_timeout(std::time::Duration::ZERO)
        .connect()
        .await
        .expect("a second connection, as another process would have");

    let mut staged = b.store.begin_import(&me).await.expect("begin");
    let first: Vec<_> = (0..300).map(episode).collect();
    staged.add(&first, &[]).await.expect("batch 1");

    // Another writer, not waiting for any lock: it gets in at once.
    let mut tx = other.begin().await.expect("begin");
    sqlx::query("INSERT INTO checks (owner, id, at_text, at_utc, answers) VALUES ('someone', 'x', '2026-11-01T00:00:00+00:00', 0, '{}')")
        .execute(&mut *tx)
        .await
        .expect("another write goes ahead between batches");
    tx.commit().await.expect("and is committed");
    // And through the store: a new episode is stored and seen while the import is pending.
    b.store.insert(&me, &episode(900)).await.expect("insert");
    let seen = b.store.list(&me, None, None).await.expect("list");
    assert_eq!(seen, vec![episode(900)], "the import's rows stay invisible");
    assert_eq!(b.store.get(&me, &episode(0).id).await.expect("get"), None);
    assert!(!b.store.delete(&me, &episode(0).id).await.expect("delete"));
    assert!(!b.store.update(&me, &episode(0)).await.expect("update"));

    let second: Vec<_> = (300..700).map(episode).collect();
    staged.add(&second, &[]).await.expect("batch 2");
    let report = staged.commit().await.expect("commit");
    assert_eq!((report.added, report.already_present), (700, 0));
    assert_eq!(
        b.store.list(&me, None, None).await.expect("list").len(),
        701
    );
    other.close().await.expect("close");
    b.finish().await;
}

/// Finding 8: the whole import is still all or nothing: a file larger than one batch is stored
/// whole, one that is stopped part way leaves nothing, and one whose process died is removed
/// as abandoned (its rows never seen).
#[tokio::test]
async fn finding_8_an_import_is_all_or_nothing_across_batches() {
    for b in backends().await {
        let me = Owner::local();
        b.store.insert(&me, &episode(5)).await.expect("insert");
        let rows = legcramps_store::IMPORT_BATCH_ROWS * 2 + 17;
        let file = DiaryFile {
            episodes: (0..u32::try_from(rows).expect("small"))
                .map(episode)
                .collect(),
            checks: Vec::new(),
            profile: Default::default(),
            nights_without_cramps: Vec::new(),
        };
        let report = b.store.import(&me, &file).await.expect("import");
        assert_eq!(
            (report.added, report.already_present),
            (rows as u64 - 1, 1),
            "{}",
            b.name
        );
        assert_eq!(
            b.store.list(&me, None, None).await.expect("all").len(),
            rows
        );

        let other = Owner::named("other");
        let mut stopped = b.store.begin_import(&other).await.expect("begin");
        stopped
            .add(&file.episodes[..400], &[])
            .await
            .expect("batch");
        stopped.abort().await.expect("abort");
        let mut died = b.store.begin_import(&other).await.expect("begin");
        died.add(&file.episodes[..400], &[]).await.expect("batch");
        drop(died);
        assert!(
            b.store
                .list(&other, None, None)
                .await
                .expect("list")
                .is_empty()
        );
        assert_eq!(
            b.store
                .remove_abandoned_imports(std::time::Duration::ZERO)
                .await
                .expect("clean"),
            1,
            "{}",
            b.name
        );
        // Nothing of either is left, visible or not: a fresh import of the same rows adds all.
        let again = b
            .store
            .import(
                &other,
                &DiaryFile {
                    episodes: file.episodes[..400].to_vec(),
                    checks: Vec::new(),
                    profile: Default::default(),
                    nights_without_cramps: Vec::new(),
                },
            )
            .await
            .expect("import");
        assert_eq!((again.added, again.already_present), (400, 0), "{}", b.name);
        // The owner's own diary was never touched.
        assert_eq!(
            b.store.list(&me, None, None).await.expect("all").len(),
            rows
        );
        b.finish().await;
    }
}

/// Finding 8: an import removed as abandoned while it was still going says so at its commit
/// and stores nothing.
#[tokio::test]
async fn finding_8_an_import_removed_as_abandoned_cannot_commit() {
    for b in backends().await {
        let me = Owner::local();
        let mut staged = b.store.begin_import(&me).await.expect("begin");
        staged.add(&[episode(1)], &[]).await.expect("batch");
        b.store
            .remove_abandoned_imports(std::time::Duration::ZERO)
            .await
            .expect("clean");
        let err = staged.commit().await.expect_err("refused");
        assert!(err.to_string().contains("nothing was stored"), "{err}");
        assert!(
            b.store
                .list(&me, None, None)
                .await
                .expect("list")
                .is_empty()
        );
        b.finish().await;
    }
}

#[tokio::test]
async fn accounts_sessions_and_a_whole_account_deleted_in_one_go() {
    use legcramps_store::SessionLimits;
    for b in backends().await {
        let s = &b.store;
        let a = s
            .create_account("marion", "$argon2id$fake")
            .await
            .expect("create")
            .expect("new name");
        assert!(
            s.create_account("marion", "$argon2id$other")
                .await
                .expect("create")
                .is_none(),
            "a taken name is refused ({})",
            b.name
        );
        let other = s
            .create_account("someone", "$argon2id$fake")
            .await
            .expect("create")
            .expect("new");
        assert_eq!(
            s.account_by_username("marion").await.expect("get"),
            Some(a.clone())
        );

        s.create_session(&a.id, "hash-1", "Firefox on Android")
            .await
            .expect("session");
        s.create_session(&a.id, "hash-2", "Chrome")
            .await
            .expect("session");
        s.create_session(&other.id, "hash-3", "Safari")
            .await
            .expect("session");
        let live = s
            .live_session("hash-1", SessionLimits::default())
            .await
            .expect("live")
            .expect("found");
        assert_eq!(live.1, a);
        assert_eq!(s.sessions_of(&a.id).await.expect("list").len(), 2);
        // Idle or too old: gone, and the row removed.
        let expired = SessionLimits {
            idle_seconds: -1,
            absolute_seconds: 100,
        };
        assert!(
            s.live_session("hash-2", expired)
                .await
                .expect("live")
                .is_none()
        );
        assert_eq!(s.sessions_of(&a.id).await.expect("list").len(), 1);
        assert!(
            s.live_session("nope", SessionLimits::default())
                .await
                .expect("x")
                .is_none()
        );

        s.insert(&a.owner(), &episode(1)).await.expect("insert");
        s.insert(&other.owner(), &episode(1))
            .await
            .expect("same id, other person");
        s.record_event(Some(&a.id), legcramps_store::EventKind::SignIn, "iphash")
            .await
            .expect("event");
        let n = s.delete_account(&a.id, "iphash").await.expect("delete");
        assert!(n >= 4, "{n}");
        assert_eq!(s.account_by_username("marion").await.expect("get"), None);
        assert!(
            s.list(&a.owner(), None, None)
                .await
                .expect("list")
                .is_empty()
        );
        assert!(s.sessions_of(&a.id).await.expect("list").is_empty());
        assert!(s.events(Some(&a.id), 10).await.expect("events").is_empty());
        let kept = s.events(None, 10).await.expect("events");
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].kind, "account-deleted");
        assert_eq!(kept[0].account_id, None);
        // The other person lost nothing.
        assert_eq!(
            s.list(&other.owner(), None, None)
                .await
                .expect("list")
                .len(),
            1
        );
        assert!(
            s.live_session("hash-3", SessionLimits::default())
                .await
                .expect("x")
                .is_some()
        );
        b.finish().await;
    }
}

/// Issue 8, scale: several processes starting at once on one fresh PostgreSQL database all
/// open it (the migrations take turns under an advisory lock) and agree on the schema.
#[tokio::test]
async fn several_servers_starting_at_once_migrate_postgresql_once() {
    use sqlx::Connection;
    let Some(admin) = legcramps_test_pg::admin_url("several_servers_starting_at_once") else {
        return;
    };
    let db = format!("legcramps_race_{}", std::process::id());
    let mut conn = sqlx::PgConnection::connect(&admin).await.expect("pg");
    sqlx::query(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))
        .execute(&mut conn)
        .await
        .expect("drop");
    sqlx::query(&format!("CREATE DATABASE {db}"))
        .execute(&mut conn)
        .await
        .expect("create");
    let url = format!(
        "{}/{db}",
        admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b)
    );
    let opened = futures_join(
        (0..6)
            .map(|_| {
                let url = url.clone();
                tokio::spawn(async move { legcramps_store::Store::open_postgres(&url).await })
            })
            .collect(),
    )
    .await;
    for (i, store) in opened.into_iter().enumerate() {
        let store = store.unwrap_or_else(|e| panic!("process {i} failed to open: {e}"));
        store
            .insert(&Owner::named(&format!("p{i}")), &crate::support::episode(1))
            .await
            .expect("works");
        store.close().await;
    }
    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))
        .execute(&mut conn)
        .await;
}

async fn futures_join<T>(handles: Vec<tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.expect("task"));
    }
    out
}

#[tokio::test]
async fn factors_ceremonies_and_shared_backoff() {
    for b in backends().await {
        let s = &b.store;
        let a = s
            .create_account("ines", "$argon2id$fake")
            .await
            .expect("create")
            .expect("new");
        let other = s
            .create_account("olu", "$argon2id$fake")
            .await
            .expect("create")
            .expect("new");
        // A credential is kept once, whoever tries to add it again.
        assert!(
            s.add_passkey(&a.id, "cred-1", "Phone", "{}")
                .await
                .expect("add")
        );
        assert!(
            !s.add_passkey(&other.id, "cred-1", "Mine", "{}")
                .await
                .expect("add"),
            "{}",
            b.name
        );
        assert_eq!(s.passkeys_of(&a.id).await.expect("list").len(), 1);
        assert!(s.passkeys_of(&other.id).await.expect("list").is_empty());
        s.passkey_used("cred-1", "{\"n\":2}").await.expect("used");
        let p = s.passkey("cred-1").await.expect("get").expect("found");
        assert_eq!(
            (p.passkey.as_str(), p.last_used_utc.is_some()),
            ("{\"n\":2}", true)
        );
        assert!(
            !s.remove_passkey(&other.id, "cred-1").await.expect("rm"),
            "not theirs"
        );
        assert!(s.remove_passkey(&a.id, "cred-1").await.expect("rm"));

        // A TOTP step works once, and no earlier step after it.
        s.set_totp(&a.id, "SECRET", 0).await.expect("totp");
        assert_eq!(
            s.totp_secret(&a.id).await.expect("get").as_deref(),
            Some("SECRET")
        );
        assert!(s.use_totp_step(&a.id, 100).await.expect("use"));
        assert!(!s.use_totp_step(&a.id, 100).await.expect("use"), "replayed");
        assert!(!s.use_totp_step(&a.id, 99).await.expect("use"), "older");
        assert!(s.use_totp_step(&a.id, 101).await.expect("use"));
        assert!(s.remove_totp(&a.id).await.expect("rm"));
        assert_eq!(s.totp_secret(&a.id).await.expect("get"), None);

        // A ceremony is taken once; the wrong kind or an expired one is nothing.
        s.put_ceremony("c1", "sign-in", None, "state", 60)
            .await
            .expect("put");
        assert!(
            s.take_ceremony("c1", "other-kind")
                .await
                .expect("take")
                .is_none()
        );
        let c = s.take_ceremony("c1", "sign-in").await.expect("take");
        assert_eq!(c.map(|c| c.state).as_deref(), Some("state"));
        assert!(
            s.take_ceremony("c1", "sign-in")
                .await
                .expect("take")
                .is_none(),
            "replayed"
        );
        s.put_ceremony("c2", "sign-in", None, "old", -1)
            .await
            .expect("put");
        assert!(
            s.take_ceremony("c2", "sign-in")
                .await
                .expect("take")
                .is_none(),
            "expired"
        );
        // Tries are counted, and the step is gone after the last.
        s.put_ceremony("c3", "step", Some(&a.id), "", 60)
            .await
            .expect("put");
        for n in 1..=3 {
            let c = s
                .try_ceremony("c3", "step", 3)
                .await
                .expect("try")
                .expect("live");
            assert_eq!((c.tries, c.account_id.as_ref()), (n, Some(&a.id)));
        }
        assert!(
            s.try_ceremony("c3", "step", 3)
                .await
                .expect("try")
                .is_none()
        );
        assert!(
            s.try_ceremony("c3", "step", 3)
                .await
                .expect("try")
                .is_none()
        );

        // Backoff counts are shared through the database: two free tries, then a wait.
        let two_free = |n: u32| if n < 2 { 0 } else { 600 };
        assert_eq!(s.take_attempt("ip:x", &two_free).await.expect("take"), None);
        assert_eq!(s.take_attempt("ip:x", &two_free).await.expect("take"), None);
        let wait = s.take_attempt("ip:x", &two_free).await.expect("take");
        assert!(wait.is_some_and(|w| (590..=600).contains(&w)), "{wait:?}");
        s.clear_attempts("ip:x").await.expect("clear");
        assert_eq!(s.take_attempt("ip:x", &two_free).await.expect("take"), None);

        // Deleting the account takes its factors and ceremonies with it.
        s.add_passkey(&a.id, "cred-2", "Key", "{}")
            .await
            .expect("add");
        s.set_totp(&a.id, "SECRET", 0).await.expect("totp");
        s.put_ceremony("c4", "step", Some(&a.id), "", 60)
            .await
            .expect("put");
        s.delete_account(&a.id, "iphash").await.expect("delete");
        assert!(s.passkey("cred-2").await.expect("get").is_none());
        assert_eq!(s.totp_secret(&a.id).await.expect("get"), None);
        assert!(s.take_ceremony("c4", "step").await.expect("take").is_none());
    }
}

/// Issue 9: diaries from before the profile kept a new medicine and "pregnant" with each
/// cramp. Opening such a diary moves them into the profile, once, without losing any: every
/// cramp, read against the profile on its day, says what it said; the old columns are empty.
#[tokio::test]
async fn an_older_diarys_context_moves_into_the_profile_without_loss() {
    for b in backends().await {
        let me = Owner::local();
        let someone = Owner::named("someone-else");
        let episodes: Vec<_> = (0..40).map(episode).collect();
        for e in &episodes {
            b.store.insert(&me, e).await.expect("insert");
        }
        b.store.insert(&someone, &episode(0)).await.expect("insert");
        let pregnant = |n: u32| (10..25).contains(&n) || n == 33;
        // As an older version wrote them, and its migrations table without this step.
        let legacy = |n: u32| {
            format!(
                "UPDATE episodes SET pregnant = {}, medication_name = {}, medication_started = {} WHERE owner = 'local' AND id = 'ep-{n:04}'",
                i32::from(pregnant(n)),
                match n {
                    5 | 15 => "'Example tablets'",
                    30 => "'Undated'",
                    _ => "NULL",
                },
                if n == 5 { "'2026-10-30'" } else { "NULL" },
            )
        };
        for n in 0..40 {
            legcramps_store::on_pool!(&b.store, |pool| {
                sqlx::query(&legacy(n)).execute(pool).await.map(|_| ())
            })
            .expect("legacy");
        }
        legcramps_store::on_pool!(&b.store, |pool| {
            sqlx::query("DELETE FROM legcramps_migrations WHERE version = 11")
                .execute(pool)
                .await
                .map(|_| ())
        })
        .expect("as before the step");
        b.store.close().await;

        let store = b.reopen().await;
        let profile = store.profile(&me).await.expect("profile");
        let names: Vec<(&str, String, bool)> = profile
            .medicines
            .iter()
            .map(|m| (m.name(), m.started.to_string(), m.from_diary))
            .collect();
        assert_eq!(
            names,
            vec![
                ("Example tablets", "2026-10-30".to_owned(), false),
                ("Undated", episodes[30].start.date_naive().to_string(), true),
            ],
            "{}",
            b.name
        );
        for (n, e) in (0..40).zip(&episodes) {
            let day = e.start.date_naive();
            let same_day_pregnant = (0..40)
                .zip(&episodes)
                .any(|(m, o)| pregnant(m) && o.start.date_naive() == day);
            assert_eq!(
                profile.on(day).pregnant,
                same_day_pregnant,
                "{} ep-{n}",
                b.name
            );
        }
        assert!(
            store.profile(&someone).await.expect("profile").is_empty(),
            "another owner's profile is untouched"
        );
        let left: i64 = legcramps_store::on_pool!(&store, |pool| {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM episodes WHERE pregnant = 1 OR medication_name IS NOT NULL",
            )
            .fetch_one(pool)
            .await
        })
        .expect("count");
        assert_eq!(left, 0, "{}: the old columns are empty", b.name);
        // The cramps themselves are as they were.
        assert_eq!(store.list(&me, None, None).await.expect("list"), episodes);
        store.close().await;
        // Opened again, nothing moves twice.
        let again = b.reopen().await;
        assert_eq!(again.profile(&me).await.expect("profile"), profile);
        again.close().await;
        b.finish().await;
    }
}

/// Issue 9: the profile's entries are the owner's alone, are exported and imported (adding only
/// what is missing), and deleting everything removes them.
#[tokio::test]
async fn the_profile_is_the_owners_and_goes_with_the_diary() {
    for b in backends().await {
        let me = Owner::local();
        let other = Owner::named("other");
        let file = DiaryFile {
            episodes: (0..10).map(episode).collect(),
            profile: profile(),
            ..DiaryFile::default()
        };
        let report = b.store.import(&me, &file).await.expect("import");
        assert_eq!(report.profile_added, 4, "{}", b.name);
        let again = b.store.import(&me, &file).await.expect("again");
        assert_eq!(again.profile_added, 0, "{}: nothing twice", b.name);
        assert_eq!(b.store.profile(&me).await.expect("p"), profile());
        assert!(b.store.profile(&other).await.expect("p").is_empty());
        // Another owner cannot change or remove mine by its id.
        let mine = &profile().medicines[0];
        assert!(!b.store.update_medicine(&other, mine).await.expect("update"));
        assert!(
            !b.store
                .delete_profile_entry(&other, legcramps_store::ProfileKind::Medicine, &mine.id)
                .await
                .expect("delete")
        );
        assert_eq!(b.store.profile(&me).await.expect("p"), profile());
        // Deleting everything takes the profile too.
        b.store.delete_all(&me).await.expect("delete all");
        assert!(b.store.profile(&me).await.expect("p").is_empty());
        b.finish().await;
    }
}

/// Change an SQLite diary as a person with a database tool could, past its CHECK constraints.
async fn edit_by_hand(b: &Fresh, sql: &str) {
    use sqlx::{ConnectOptions, Connection};
    let dir = b.sqlite_dir().expect("sqlite").to_owned();
    let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(dir.join("diary.sqlite3"))
        .connect()
        .await
        .expect("a second connection");
    sqlx::query("PRAGMA ignore_check_constraints = ON")
        .execute(&mut conn)
        .await
        .expect("pragma");
    sqlx::query(sql)
        .execute(&mut conn)
        .await
        .expect("edit by hand");
    conn.close().await.expect("close");
}

/// A row edited by hand to a value no choice has is reported as corrupt, never read as "not
/// logged" (the choices are read as their place in each type's list: see `EPISODE_EXPRESSIONS`).
#[tokio::test]
async fn a_choice_edited_by_hand_is_reported_not_guessed() {
    let b = sqlite().await;
    let me = Owner::local();
    b.store.insert(&me, &episode(1)).await.expect("insert");
    edit_by_hand(&b, "UPDATE episodes SET site = 'arm'").await;
    let err = b.store.list(&me, None, None).await.expect_err("corrupt");
    assert!(
        matches!(err, legcramps_store::StoreError::Corrupt(ref m) if m.contains("site")),
        "{err}"
    );
    b.finish().await;
}

/// A period's cramps are read as one value on SQLite (a JSON array built by the database), one
/// cramp by its own row: both read every field the same, not-logged answers stay not logged, a note
/// holding JSON's own characters comes back whole, and the order is by start, then id (two
/// cramps at the same moment), on both backends.
#[tokio::test]
async fn a_period_read_at_once_is_the_same_as_each_cramp_read_alone() {
    for b in backends().await {
        let me = Owner::local();
        let mut written: Vec<_> = (0..24).map(episode).collect();
        // Nothing but what a quick log asks.
        written[5].duration = None;
        written[5].site = None;
        written[5].asleep = None;
        written[5].eased = None;
        written[6].note = Some(
            legcramps_core::diary::Note::new(r#"["]}\\u0000 {"a": 1}, \n 'quote' ✓ 🦵"#)
                .expect("note")
                .expect("not empty"),
        );
        // Two at the same moment: read back by id.
        let mut twin = episode(7);
        twin.id = EpisodeId::new("ep-0007-a").expect("id");
        written.push(twin);
        for e in written.iter().rev() {
            b.store.insert(&me, e).await.expect("insert");
        }
        b.store
            .insert(&Owner::named("other"), &episode(30))
            .await
            .expect("insert");
        let all = b.store.list(&me, None, None).await.expect("list");
        let mut expected = written.clone();
        expected.sort_by(|x, y| (x.start, x.id.as_str()).cmp(&(y.start, y.id.as_str())));
        assert_eq!(all, expected, "{}", b.name);
        for e in &all {
            assert_eq!(
                b.store.get(&me, &e.id).await.expect("get").as_ref(),
                Some(e),
                "{}",
                b.name
            );
        }
        // A period with nothing in it is empty, not an error.
        let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("day");
        assert!(
            b.store
                .list(&me, Some(day("2020-01-01")), Some(day("2020-12-31")))
                .await
                .expect("list")
                .is_empty(),
            "{}",
            b.name
        );
        b.finish().await;
    }
}

/// The diary list's paging reads the days with cramps, each with how many: the owner's alone.
#[tokio::test]
async fn the_days_logged_are_counted_for_their_owner_only() {
    for b in backends().await {
        let me = Owner::local();
        let other = Owner::named("other");
        for n in 0..7 {
            b.store.insert(&me, &episode(n)).await.expect("insert");
        }
        b.store.insert(&other, &episode(20)).await.expect("insert");
        let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("day");
        assert_eq!(
            b.store.days_logged(&me).await.expect("days"),
            vec![
                (day("2026-11-02"), 2),
                (day("2026-11-03"), 2),
                (day("2026-11-04"), 2),
                (day("2026-11-05"), 1),
            ],
            "{}",
            b.name
        );
        assert!(
            b.store
                .days_logged(&Owner::named("nobody"))
                .await
                .expect("days")
                .is_empty()
        );
        b.finish().await;
    }
}

/// A profile entry edited by hand to something the app never writes (a date that is not one)
/// is reported as corrupt, never shown as some other date.
#[tokio::test]
async fn a_profile_entry_edited_by_hand_is_reported_not_guessed() {
    let b = sqlite().await;
    let me = Owner::local();
    let file = DiaryFile {
        profile: profile(),
        ..DiaryFile::default()
    };
    b.store.import(&me, &file).await.expect("import");
    edit_by_hand(&b, "UPDATE profile_pregnancies SET ended = 'last spring'").await;
    let err = b.store.profile(&me).await.expect_err("corrupt");
    assert!(
        matches!(err, legcramps_store::StoreError::Corrupt(ref m) if m.contains("last spring")),
        "{err}"
    );
    b.finish().await;
}

/// What older programs send with each cramp goes into the profile only while there is room
/// (`profile::MAX_ENTRIES`): a program sending a new medicine name with every cramp cannot grow
/// it without end.
#[tokio::test]
async fn older_programs_cannot_grow_the_profile_without_end() {
    use legcramps_core::diary::Medication;
    use legcramps_core::profile::{FromDiary, MAX_ENTRIES};
    let b = sqlite().await;
    let me = Owner::local();
    for n in 0..MAX_ENTRIES + 5 {
        let said = FromDiary {
            day: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("day"),
            medicines: vec![Medication::new(&format!("medicine {n}"), None).expect("m")],
            ..FromDiary::default()
        };
        b.store.add_from_diary(&me, &said).await.expect("add");
    }
    assert_eq!(
        b.store.profile(&me).await.expect("p").medicines.len(),
        MAX_ENTRIES
    );
    b.finish().await;
}

/// Issue 20, finding 1: an account with a personal access token could not be deleted (the
/// token's foreign key rolled the deletion back). This test is generated from the schema: it
/// gives two accounts a row of every kind an account can own, then checks that *every* table
/// the database says names an account holds a row for the one being deleted — so a table added
/// later without a row here fails this test until it has one — and that afterwards none does,
/// while the other account keeps all of its rows.
#[tokio::test]
async fn an_account_with_a_row_in_every_table_that_names_it_is_deleted() {
    use legcramps_store::{AccountColumn, AccountId, Store};

    async fn rows_of(s: &Store, table: &str, column: AccountColumn, id: &AccountId) -> i64 {
        let (sql, key) = match column {
            AccountColumn::Owner => (
                format!("SELECT COUNT(*) FROM {table} WHERE owner = $1"),
                Owner::account(id).as_str().to_owned(),
            ),
            AccountColumn::AccountId => (
                format!("SELECT COUNT(*) FROM {table} WHERE account_id = $1"),
                id.as_str().to_owned(),
            ),
        };
        legcramps_store::on_pool!(s, |pool| sqlx::query_scalar::<_, i64>(&sql)
            .bind(&key)
            .fetch_one(pool)
            .await)
        .expect("count")
    }

    for b in backends().await {
        let s = &b.store;
        let mut people = Vec::new();
        for name in ["marion", "someone"] {
            let a = s
                .create_account(name, "$argon2id$fake")
                .await
                .expect("create")
                .expect("new");
            let me = a.owner();
            let tag = &a.id.as_str()[..8];
            s.insert(&me, &episode(1)).await.expect("episode");
            let check = SavedCheck {
                id: EpisodeId::new("c1").expect("id"),
                at: at("2026-11-10T22:15:00+01:00"),
                answers: parse_assessment("{}").expect("answers"),
                shown: None,
            };
            s.save_check(&me, &check).await.expect("check");
            assert_eq!(
                s.add_to_profile(&me, &profile()).await.expect("profile"),
                legcramps_store::AddedToProfile::Added
            );
            // An import left part way (its pending row stays until it commits).
            let staged = s.begin_import(&me).await.expect("import");
            drop(staged);
            s.create_session(&a.id, &format!("session-{tag}"), "Firefox")
                .await
                .expect("session");
            s.create_token(&a.id, "laptop", &format!("token-{tag}"), "read-write", 3600)
                .await
                .expect("token");
            s.add_passkey(&a.id, &format!("cred-{tag}"), "Phone", "{}")
                .await
                .expect("passkey");
            s.set_totp(&a.id, "SECRET", 0).await.expect("totp");
            s.set_recovery_codes(&a.id, &[format!("code-{tag}")])
                .await
                .expect("codes");
            s.put_ceremony(&format!("cer-{tag}"), "step", Some(&a.id), "", 60)
                .await
                .expect("ceremony");
            s.record_event(Some(&a.id), legcramps_store::EventKind::SignIn, "iphash")
                .await
                .expect("event");
            s.keep_unsaved(
                &format!("unsaved-{tag}"),
                &a.id,
                "/diary",
                "note=typed",
                3600,
            )
            .await
            .expect("unsaved form");
            s.check_in(
                &me,
                chrono::NaiveDate::from_ymd_opt(2026, 11, 10).expect("day"),
            )
            .await
            .expect("check-in");
            // A phone with reminders on, and a "No cramps" code a notification carried.
            s.set_push_reminders(
                &me,
                &legcramps_store::PushDevice {
                    endpoint: format!("https://push.example/{tag}"),
                    p256dh: "key".to_owned(),
                    auth: "auth".to_owned(),
                    zone: "Europe/London".to_owned(),
                },
                &[("morning", 450, 0)],
            )
            .await
            .expect("push reminder");
            s.add_push_action(
                &format!("action-{tag}"),
                &me,
                chrono::NaiveDate::from_ymd_opt(2026, 11, 10).expect("day"),
                i64::MAX,
            )
            .await
            .expect("push action");
            assert!(s.may_try_push(&me, 1_000, 60).await.expect("push try"));
            // A session that ended by time is remembered (for forms sent after it).
            s.create_session(&a.id, &format!("ended-{tag}"), "Firefox")
                .await
                .expect("session");
            legcramps_store::on_pool!(s, |pool| sqlx::query(
                "UPDATE sessions SET last_seen_utc = last_seen_utc - 100000 WHERE id_hash = $1"
            )
            .bind(format!("ended-{tag}"))
            .execute(pool)
            .await
            .map(|_| ()))
            .expect("aged");
            assert_eq!(
                s.check_session(
                    &format!("ended-{tag}"),
                    legcramps_store::SessionLimits::default()
                )
                .await
                .expect("check"),
                legcramps_store::SessionCheck::Ended(a.id.clone())
            );
            people.push(a);
        }
        let (a, other) = (&people[0], &people[1]);

        let tables = s.account_tables().await.expect("schema");
        // The schema today: a sanity check that the reading found them, not the list itself.
        for known in ["api_tokens", "episodes", "passkeys", "sessions"] {
            assert!(
                tables.iter().any(|(t, _)| t == known),
                "{known} not found in {tables:?} ({})",
                b.name
            );
        }
        for (table, column) in &tables {
            assert!(
                rows_of(s, table, *column, &a.id).await > 0,
                "{table} names accounts but this test gave it no row: add one above ({})",
                b.name
            );
        }

        s.delete_account(&a.id, "iphash")
            .await
            .expect("an account with a row in every table is deleted");
        assert_eq!(s.account_by_username("marion").await.expect("get"), None);
        for (table, column) in &tables {
            assert_eq!(
                rows_of(s, table, *column, &a.id).await,
                0,
                "{table} kept a row of the deleted account ({})",
                b.name
            );
            assert!(
                rows_of(s, table, *column, &other.id).await > 0,
                "{table} lost the other account's row ({})",
                b.name
            );
        }
        // The token no longer opens anything.
        assert!(
            s.token_account(&format!("token-{}", &a.id.as_str()[..8]))
                .await
                .expect("token")
                .is_none(),
            "{}",
            b.name
        );
        b.finish().await;
    }
}

/// An outside test of issue 20's fix: a write let in before an account was deleted can land
/// after the deletion commits (the request's body came late). Such rows are swept: by the
/// next deletion's sweep and whenever the diary is opened; nobody else's rows are touched.
#[tokio::test]
async fn a_write_that_lands_after_an_account_is_deleted_is_swept() {
    for b in backends().await {
        let s = &b.store;
        let gone = s
            .create_account("gone", "$argon2id$fake")
            .await
            .expect("create")
            .expect("new");
        let kept = s
            .create_account("kept", "$argon2id$fake")
            .await
            .expect("create")
            .expect("new");
        s.delete_account(&gone.id, "iphash").await.expect("delete");
        // The late writes, as the handlers make them (the store does not know the account
        // is gone).
        s.insert(&gone.owner(), &episode(1))
            .await
            .expect("late write");
        assert_eq!(
            s.add_to_profile(&gone.owner(), &profile())
                .await
                .expect("late"),
            legcramps_store::AddedToProfile::Added
        );
        s.insert(&kept.owner(), &episode(2)).await.expect("insert");
        s.insert(&Owner::local(), &episode(3))
            .await
            .expect("insert");
        s.record_event(None, legcramps_store::EventKind::SignInFailed, "iphash")
            .await
            .expect("event");
        assert_eq!(s.list(&gone.owner(), None, None).await.expect("l").len(), 1);
        let swept = s.remove_orphaned_rows().await.expect("sweep");
        assert!(swept >= 2, "{swept} ({})", b.name);
        assert!(
            s.list(&gone.owner(), None, None)
                .await
                .expect("l")
                .is_empty()
        );
        assert!(s.profile(&gone.owner()).await.expect("p").is_empty());
        assert_eq!(s.list(&kept.owner(), None, None).await.expect("l").len(), 1);
        assert_eq!(
            s.list(&Owner::local(), None, None).await.expect("l").len(),
            1
        );
        assert!(!s.events(None, 10).await.expect("events").is_empty());
        // And on opening the diary.
        s.insert(&gone.owner(), &episode(4))
            .await
            .expect("late write");
        s.close().await;
        let reopened = b.reopen().await;
        assert!(
            reopened
                .list(&gone.owner(), None, None)
                .await
                .expect("l")
                .is_empty(),
            "{}",
            b.name
        );
        reopened.close().await;
        b.finish().await;
    }
}

/// Issue 20, finding 5 (ASVS 6.3.1, 2.4.1): the backoff check and count are one statement.
/// 300 tries at once on one key where 5 are free, from two processes' worth of connections
/// (two stores opened on the same database, as two servers would): exactly 5 go ahead, on
/// both backends (before, a read then a write let 40 of 40 through).
#[tokio::test]
async fn finding_5_concurrent_tries_cannot_pass_the_backoff_together() {
    for b in backends().await {
        let first = b.store.clone();
        let second = b.reopen().await;
        let five_free = |n: u32| if n < 5 { 0 } else { 900 };
        let tries = (0..300).map(|i| {
            let s = if i % 2 == 0 {
                first.clone()
            } else {
                second.clone()
            };
            tokio::spawn(async move { s.take_attempt("burst", &five_free).await })
        });
        let mut passed = 0;
        for t in tries {
            if t.await.expect("joined").expect("take").is_none() {
                passed += 1;
            }
        }
        assert_eq!(passed, 5, "{}", b.name);
        second.close().await;
        b.finish().await;
    }
}

/// Issue 20, finding 8 (ASVS 14.2.x, data removed for good): after an account is deleted its
/// notes are not in the SQLite files (`secure_delete` on, the write-ahead log checkpointed and
/// emptied); a new diary directory and file are for their owner only.
#[tokio::test]
async fn finding_8_a_deleted_accounts_notes_are_not_left_in_the_sqlite_files() {
    let b = sqlite().await;
    let dir = b.sqlite_dir().expect("SQLite").to_path_buf();
    let s = &b.store;
    let a = s
        .create_account("forgetful", "hash")
        .await
        .expect("create")
        .expect("made");
    const SECRET: &str = "zq-private-note-7f3a9c";
    let mut e = episode(1);
    e.note = legcramps_core::diary::Note::new(SECRET).expect("a valid note");
    s.insert(&a.owner(), &e).await.expect("insert");
    let on_disk = |dir: &std::path::Path| {
        std::fs::read_dir(dir)
            .expect("dir")
            .filter_map(Result::ok)
            .filter_map(|f| std::fs::read(f.path()).ok())
            .any(|bytes| bytes.windows(SECRET.len()).any(|w| w == SECRET.as_bytes()))
    };
    assert!(on_disk(&dir), "the note is written (the check can fail)");
    // One cramp deleted, and then the whole diary: neither leaves its note in the files
    // (outside review: both stayed in the write-ahead log).
    s.delete(&a.owner(), &e.id).await.expect("delete one");
    assert!(
        !on_disk(&dir),
        "a deleted cramp's note is still in the files"
    );
    s.insert(&a.owner(), &e).await.expect("insert again");
    assert!(on_disk(&dir));
    s.delete_all(&a.owner()).await.expect("delete all");
    assert!(
        !on_disk(&dir),
        "a deleted diary's note is still in the files"
    );
    s.insert(&a.owner(), &e).await.expect("insert again");
    assert!(on_disk(&dir));
    s.delete_account(&a.id, "iphash").await.expect("delete");
    assert!(!on_disk(&dir), "the deleted note is still in the files");
    // A second deletion (another tab, a retry) finds nothing and records no second event.
    s.delete_account(&a.id, "iphash")
        .await
        .expect("delete again");
    let deletions = s
        .events(None, 100)
        .await
        .expect("events")
        .into_iter()
        .filter(|e| e.kind == "account-deleted")
        .count();
    assert_eq!(deletions, 1);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode =
            |p: &std::path::Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&dir.join("diary.sqlite3")), 0o600);
    }
    b.finish().await;
}

/// Issue 20, finding 7 after the outside review: the cap on an account's cramps is counted and
/// stored in one step (400 writes at once stored 111 of a cap of 100): 60 at once with room
/// for 10 store exactly 10, on both backends.
#[tokio::test]
async fn finding_7_the_cap_holds_under_concurrent_writes() {
    for b in backends().await {
        let first = b.store.clone();
        let second = b.reopen().await;
        let owner = Owner::named("capped");
        let writes = (0..60u32).map(|i| {
            let s = if i % 2 == 0 {
                first.clone()
            } else {
                second.clone()
            };
            let owner = owner.clone();
            tokio::spawn(async move {
                let mut e = episode(i);
                e.id = EpisodeId::new(&format!("capped-{i}")).expect("id");
                s.insert_within(&owner, &e, 10).await
            })
        });
        let mut stored = 0;
        for w in writes {
            if w.await.expect("joined").expect("insert") {
                stored += 1;
            }
        }
        assert_eq!(stored, 10, "{}", b.name);
        assert_eq!(
            first.count_episodes(&owner).await.expect("count"),
            10,
            "{}",
            b.name
        );
        second.close().await;
        b.finish().await;
    }
}

/// Issue 20, finding 7, saved checks (they had no cap of their own, only the write rate): 40
/// saved at once by two stores with room for 10 keep exactly 10, on both backends, and
/// another owner's room is their own.
#[tokio::test]
async fn finding_7_saved_checks_have_a_cap_that_holds_under_concurrent_writes() {
    for b in backends().await {
        let first = b.store.clone();
        let second = b.reopen().await;
        let owner = Owner::named("capped-checks");
        let check = |i: u32| SavedCheck {
            id: EpisodeId::new(&format!("capped-check-{i}")).expect("id"),
            at: at("2026-11-10T22:15:00+01:00"),
            answers: parse_assessment(r#"{"longest_cramp_minutes": 4}"#).expect("answers"),
            shown: None,
        };
        let writes = (0..40u32).map(|i| {
            let s = if i % 2 == 0 {
                first.clone()
            } else {
                second.clone()
            };
            let (owner, c) = (owner.clone(), check(i));
            tokio::spawn(async move { s.save_check_within(&owner, &c, 10).await })
        });
        let mut kept = 0;
        for w in writes {
            if w.await.expect("joined").expect("save") {
                kept += 1;
            }
        }
        assert_eq!(kept, 10, "{}", b.name);
        assert_eq!(
            first.checks(&owner).await.expect("checks").len(),
            10,
            "{}",
            b.name
        );
        // Another owner is not counted against this one.
        assert!(
            first
                .save_check_within(&Owner::named("someone-else"), &check(0), 10)
                .await
                .expect("save"),
            "{}",
            b.name
        );
        second.close().await;
        b.finish().await;
    }
}

/// Issue 21, finding 12, after its outside test: two imports at once could each pass the cap
/// (each was counted before the other was stored). The cap is now counted again as an import
/// is made visible, and an owner has one import at a time: of two files of 6 cramps into a
/// diary with room for 10, sent at once by two stores, exactly one is added and the other is
/// refused whole (past the cap, or before it wrote anything), on both backends.
#[tokio::test]
async fn two_imports_at_once_cannot_pass_the_cap_together() {
    for b in backends().await {
        let first = b.store.clone();
        let second = b.reopen().await;
        let owner = Owner::named("two-files");
        let file = |prefix: &str| DiaryFile {
            episodes: (0..6)
                .map(|n| {
                    let mut e = episode(n);
                    e.id = EpisodeId::new(&format!("{prefix}-{n}")).expect("id");
                    e
                })
                .collect(),
            ..DiaryFile::default()
        };
        let (a, b2) = (file("a"), file("b"));
        let (s1, s2, o1, o2) = (first.clone(), second.clone(), owner.clone(), owner.clone());
        let one = tokio::spawn(async move { s1.import_within(&o1, &a, Some(10)).await });
        let two = tokio::spawn(async move { s2.import_within(&o2, &b2, Some(10)).await });
        let results = [one.await.expect("joined"), two.await.expect("joined")];
        let added = results.iter().filter(|r| r.is_ok()).count();
        assert_eq!(added, 1, "{}: {results:?}", b.name);
        assert!(
            results.iter().any(|r| matches!(
                r,
                Err(legcramps_store::StoreError::Full {
                    what: "cramps",
                    cap: 10,
                    would_hold: 12
                } | legcramps_store::StoreError::ImportRunning)
            )),
            "{}: {results:?}",
            b.name
        );
        assert_eq!(
            first.count_episodes(&owner).await.expect("count"),
            6,
            "{}",
            b.name
        );
        assert_eq!(
            first.list(&owner, None, None).await.expect("list").len(),
            6,
            "{}",
            b.name
        );
        // Within the cap, an import goes in; past it by one, nothing of it does.
        let small = DiaryFile {
            episodes: vec![{
                let mut e = episode(40);
                e.id = EpisodeId::new("c-0").expect("id");
                e
            }],
            ..DiaryFile::default()
        };
        let within = first.import_within(&owner, &small, Some(7)).await;
        assert!(within.is_ok(), "{}: {within:?} after {results:?}", b.name);
        let mut one_more = small.clone();
        one_more.episodes[0].id = EpisodeId::new("c-1").expect("id");
        assert!(
            first
                .import_within(&owner, &one_more, Some(7))
                .await
                .is_err(),
            "{}",
            b.name
        );
        assert_eq!(
            first.count_episodes(&owner).await.expect("count"),
            7,
            "{}",
            b.name
        );
        second.close().await;
        b.finish().await;
    }
}

/// The outside test of the caps (2026-12-03): three files sent at once into one diary, A and B
/// of 90 new cramps each and C with A's ids, room for 100. C was refused and removed, and A,
/// which had found C's hidden rows, answered "all 90 already in your diary" with none of them
/// there. Now an owner has one import at a time, and whatever an import reports as added or
/// already there is in the diary afterwards (checked on every run, whichever imports win, on
/// both backends).
#[tokio::test]
async fn an_import_never_reports_cramps_that_another_import_removed() {
    for b in backends().await {
        let second = b.reopen().await;
        let file = |prefix: &str, from: u32| DiaryFile {
            episodes: (from..from + 90)
                .map(|n| {
                    let mut e = episode(n);
                    e.id = EpisodeId::new(&format!("{prefix}-{n}")).expect("id");
                    e
                })
                .collect(),
            ..DiaryFile::default()
        };
        for round in 0..5 {
            let owner = Owner::named(&format!("three-files-{round}"));
            let files = [file("a", 0), file("b", 100), file("a", 0)];
            let runs: Vec<_> = files
                .iter()
                .cloned()
                .enumerate()
                .map(|(i, f)| {
                    let s = if i == 1 {
                        second.clone()
                    } else {
                        b.store.clone()
                    };
                    let o = owner.clone();
                    tokio::spawn(async move { s.import_within(&o, &f, Some(100)).await })
                })
                .collect();
            let mut results = Vec::new();
            for r in runs {
                results.push(r.await.expect("joined"));
            }
            let held: std::collections::HashSet<String> = b
                .store
                .list(&owner, None, None)
                .await
                .expect("list")
                .into_iter()
                .map(|e| e.id.as_str().to_owned())
                .collect();
            for (f, r) in files.iter().zip(&results) {
                match r {
                    Ok(report) => {
                        assert_eq!(report.added + report.already_present, 90, "{}", b.name);
                        for e in &f.episodes {
                            assert!(
                                held.contains(e.id.as_str()),
                                "{}: reported as stored but not in the diary: {} ({results:?})",
                                b.name,
                                e.id.as_str()
                            );
                        }
                    }
                    Err(
                        legcramps_store::StoreError::Full { .. }
                        | legcramps_store::StoreError::ImportRunning,
                    ) => {}
                    Err(other) => panic!("{}: {other}", b.name),
                }
            }
            assert!(held.len() <= 100, "{}", b.name);
        }
        second.close().await;
        b.finish().await;
    }
}

/// Issue 20, finding 15: the same profile entry sent many times at once (two servers) is
/// stored once, and a burst of different entries never takes a list past its limit: the
/// check and the write are one step for each owner.
#[tokio::test]
async fn finding_15_profile_adds_at_the_same_moment_are_checked_together() {
    use legcramps_core::profile::{Condition, MAX_ENTRIES, Profile};
    use legcramps_store::AddedToProfile;
    use tokio::task::JoinSet;
    for b in backends().await {
        let first = b.store.clone();
        let second = b.reopen().await;
        let store_for = |i: usize| {
            if i.is_multiple_of(2) {
                first.clone()
            } else {
                second.clone()
            }
        };
        let condition = |name: &str| Profile {
            conditions: vec![
                Condition::new(legcramps_store::new_entry_id(), name, None).expect("condition"),
            ],
            ..Profile::default()
        };
        // Twenty taps of one entry.
        let owner = Owner::named("twice");
        let mut taps = JoinSet::new();
        for i in 0..20 {
            let (s, owner, p) = (store_for(i), owner.clone(), condition("Diabetes"));
            taps.spawn(async move { s.add_to_profile(&owner, &p).await });
        }
        let mut added = 0;
        while let Some(r) = taps.join_next().await {
            match r.expect("joined").expect("add") {
                AddedToProfile::Added => added += 1,
                AddedToProfile::AlreadyThere(_) => {}
                AddedToProfile::Full => panic!("{}: not full", b.name),
            }
        }
        assert_eq!(added, 1, "{}", b.name);
        assert_eq!(
            first.profile(&owner).await.expect("read").conditions.len(),
            1,
            "{}",
            b.name
        );
        // A burst of different entries against the limit.
        let owner = Owner::named("burst");
        let mut burst = JoinSet::new();
        for i in 0..MAX_ENTRIES + 40 {
            let (s, owner, p) = (
                store_for(i),
                owner.clone(),
                condition(&format!("Condition {i}")),
            );
            burst.spawn(async move { s.add_to_profile(&owner, &p).await });
        }
        let (mut added, mut full) = (0, 0);
        while let Some(r) = burst.join_next().await {
            match r.expect("joined").expect("add") {
                AddedToProfile::Added => added += 1,
                AddedToProfile::Full => full += 1,
                AddedToProfile::AlreadyThere(_) => panic!("{}: all different", b.name),
            }
        }
        assert_eq!((added, full), (MAX_ENTRIES, 40), "{}", b.name);
        assert_eq!(
            first.profile(&owner).await.expect("read").conditions.len(),
            MAX_ENTRIES,
            "{}",
            b.name
        );
        second.close().await;
        b.finish().await;
    }
}

/// Issue 20, finding 15: a username that reads the same as one already there (a Cyrillic
/// "о" for a Latin "o", "1" for "l") cannot be taken, by a password sign-up or a passkey one;
/// accounts from before the look-alike key get theirs when the store opens, and two older
/// accounts that already looked alike both go on working.
#[tokio::test]
async fn finding_15_a_look_alike_username_cannot_be_taken() {
    for b in backends().await {
        let s = &b.store;
        assert!(s.create_account("bob", "h").await.expect("bob").is_some());
        for look_alike in ["b\u{43e}b", "b\u{3bf}b"] {
            assert!(
                s.create_account(look_alike, "h")
                    .await
                    .expect("same")
                    .is_none(),
                "{}: {look_alike:?}",
                b.name
            );
        }
        assert!(
            s.create_account("paypal", "h")
                .await
                .expect("paypal")
                .is_some()
        );
        assert!(
            s.create_account("paypa1", "h")
                .await
                .expect("paypa1")
                .is_none(),
            "{}",
            b.name
        );
        let passkey_id = legcramps_store::AccountId::fresh();
        assert!(
            s.create_passkey_account(&passkey_id, "b\u{43e}b", "cred-1", "Phone", "{}")
                .await
                .expect("passkey sign-up")
                .is_none(),
            "{}",
            b.name
        );
        assert!(
            s.create_account("bobby", "h")
                .await
                .expect("bobby")
                .is_some()
        );
        // Two accounts from before the key, which look alike, and one that does not.
        for (id, name) in [("old-1", "ann"), ("old-2", "\u{430}nn"), ("old-3", "cy")] {
            legcramps_store::on_pool!(s, |pool| {
                sqlx::query("INSERT INTO accounts (id, username, password_hash, created_utc, disabled) VALUES ($1, $2, 'h', 1, 0)")
                    .bind(id)
                    .bind(name)
                    .execute(pool)
                    .await
                    .map(|_| ())
            })
            .expect("older account");
        }
        let again = b.reopen().await;
        let keys: Vec<(String, Option<String>)> = legcramps_store::on_pool!(&again, |pool| {
            sqlx::query_as("SELECT id, look_alike FROM accounts WHERE id LIKE 'old-%' ORDER BY id")
                .fetch_all(pool)
                .await
        })
        .expect("keys");
        assert_eq!(
            keys,
            vec![
                ("old-1".to_owned(), Some("ann".to_owned())),
                ("old-2".to_owned(), None),
                ("old-3".to_owned(), Some("cy".to_owned())),
            ],
            "{}",
            b.name
        );
        assert!(
            again
                .account_by_username("\u{430}nn")
                .await
                .expect("read")
                .is_some()
        );
        assert!(
            again
                .create_account("c\u{443}", "h")
                .await
                .expect("cy")
                .is_none(),
            "{}",
            b.name
        );
        again.close().await;
        b.finish().await;
    }
}

/// Issue 21, finding 2: "No cramps last night" is kept once a night, can be taken back, goes
/// with "delete everything", and travels in the JSON export and back.
#[tokio::test]
async fn nights_without_cramps_are_kept_exported_and_deleted() {
    use chrono::NaiveDate;
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("day");
    for b in backends().await {
        let s = &b.store;
        let me = Owner::named("checker");
        let other = Owner::named("someone else");
        assert!(s.check_in(&me, day("2026-11-03")).await.expect("in"));
        assert!(
            !s.check_in(&me, day("2026-11-03")).await.expect("twice"),
            "{}",
            b.name
        );
        assert!(s.check_in(&me, day("2026-11-01")).await.expect("in"));
        assert!(s.check_in(&me, day("2026-11-05")).await.expect("in"));
        assert!(s.check_in(&other, day("2026-11-04")).await.expect("in"));
        let (nights, first) = s
            .check_ins(&me, Some(day("2026-11-02")), Some(day("2026-11-05")))
            .await
            .expect("read");
        assert_eq!(
            nights,
            vec![day("2026-11-03"), day("2026-11-05")],
            "{}",
            b.name
        );
        assert_eq!(first, Some(day("2026-11-01")));
        assert!(s.undo_check_in(&me, day("2026-11-05")).await.expect("undo"));
        assert!(
            !s.undo_check_in(&me, day("2026-11-05"))
                .await
                .expect("undo twice")
        );

        let file = s.everything(&me, None, None).await.expect("export");
        assert_eq!(
            file.nights_without_cramps,
            vec![day("2026-11-01"), day("2026-11-03")]
        );
        let json = to_json(&file);
        let doc: serde_json::Value = serde_json::from_str(&json).expect("json");
        assert_eq!(
            doc["nights_without_cramps"],
            serde_json::json!(["2026-11-01", "2026-11-03"])
        );

        s.delete_all(&me).await.expect("delete all");
        assert_eq!(
            s.check_ins(&me, None, None).await.expect("read").0,
            Vec::<NaiveDate>::new()
        );
        assert_eq!(
            s.check_ins(&other, None, None).await.expect("read").0.len(),
            1,
            "{}",
            b.name
        );

        let back = legcramps_contract::diary_io::import(&json).expect("parse");
        s.import(&me, &back).await.expect("import");
        assert_eq!(
            s.check_ins(&me, None, None).await.expect("read").0,
            vec![day("2026-11-01"), day("2026-11-03")],
            "{}",
            b.name
        );
        b.finish().await;
    }
}

#[tokio::test]
async fn push_reminders_are_sent_once_by_one_server_and_not_lost_if_it_stops() {
    use legcramps_store::PushDevice;
    let device = |n: &str| PushDevice {
        endpoint: format!("https://push.example/{n}"),
        p256dh: "key".to_owned(),
        auth: "auth".to_owned(),
        zone: "Europe/London".to_owned(),
    };
    for b in backends().await {
        let s = &b.store;
        let me = Owner::named("reminded");
        let other = Owner::named("someone else");
        s.set_push_reminders(
            &me,
            &device("phone"),
            &[("stretch", 1290, 100), ("morning", 450, 200)],
        )
        .await
        .expect("set");
        s.set_push_reminders(&other, &device("theirs"), &[("morning", 420, 150)])
            .await
            .expect("set");
        assert_eq!(
            s.push_reminders_of(&me).await.expect("mine").len(),
            2,
            "{}",
            b.name
        );
        // Due at 160: two, the earliest first; the morning one (200) is not due yet.
        let due = s.due_push_reminders(160, 10).await.expect("due");
        assert_eq!(
            due.iter().map(|r| r.next_utc).collect::<Vec<_>>(),
            vec![100, 150],
            "{}",
            b.name
        );
        // Two servers read the same due reminder: exactly one takes it.
        let r = &due[0];
        assert!(
            s.lease_push(r, 160, 220).await.expect("lease"),
            "{}",
            b.name
        );
        assert!(
            !s.lease_push(r, 161, 221).await.expect("second server"),
            "{}",
            b.name
        );
        assert_eq!(
            s.due_push_reminders(161, 10).await.expect("due").len(),
            1,
            "{}",
            b.name
        );
        // The server stopped before sending: when the lease ends, another takes it.
        let again = s.due_push_reminders(220, 10).await.expect("due");
        assert!(again.iter().any(|x| x == r), "{}", b.name);
        assert!(
            s.lease_push(r, 220, 280).await.expect("re-lease"),
            "{}",
            b.name
        );
        s.push_sent(r, 86_500).await.expect("sent");
        assert!(
            !s.due_push_reminders(300, 10)
                .await
                .expect("due")
                .iter()
                .any(|x| x.device.endpoint == r.device.endpoint && x.kind == "stretch"),
            "{}",
            b.name
        );
        // Turning reminders on again on the same device replaces its rows (for whoever).
        s.set_push_reminders(&other, &device("phone"), &[("morning", 480, 500)])
            .await
            .expect("moved");
        assert!(
            s.push_reminders_of(&me).await.expect("mine").is_empty(),
            "{}",
            b.name
        );
        assert_eq!(
            s.forget_push_device("https://push.example/phone")
                .await
                .expect("gone"),
            1
        );
        assert_eq!(
            s.stop_push_reminders(&other, None).await.expect("off"),
            1,
            "{}",
            b.name
        );
        // A "No cramps" code works once, for its night and owner, until it expires.
        let now = legcramps_store::unix_seconds();
        let night = chrono::NaiveDate::from_ymd_opt(2026, 12, 3).expect("day");
        s.add_push_action("hash-1", &me, night, now + 1_000)
            .await
            .expect("add");
        s.add_push_action("hash-2", &me, night, now + 1_000)
            .await
            .expect("add");
        assert_eq!(
            s.take_push_action("hash-1", now + 999).await.expect("take"),
            Some((me.clone(), night)),
            "{}",
            b.name
        );
        assert_eq!(
            s.take_push_action("hash-1", now + 999)
                .await
                .expect("twice"),
            None
        );
        assert_eq!(
            s.take_push_action("hash-2", now + 1_001)
                .await
                .expect("late"),
            None
        );
        assert_eq!(
            s.take_push_action("nothing", 0).await.expect("unknown"),
            None
        );
        // Expired codes are forgotten when a server says so; a live one stays.
        s.add_push_action("hash-3", &me, night, now - 1)
            .await
            .expect("add");
        s.add_push_action("hash-4", &me, night, now + 1_000)
            .await
            .expect("add");
        assert_eq!(
            s.forget_expired_push_actions(now).await.expect("forget"),
            1,
            "{}",
            b.name
        );
        assert!(
            s.take_push_action("hash-4", now)
                .await
                .expect("take")
                .is_some()
        );
        s.add_push_action("hash-5", &me, night, now + 1_000)
            .await
            .expect("add");
        assert_eq!(
            s.forget_push_actions_of(&me).await.expect("forget"),
            1,
            "{}",
            b.name
        );
        // "Send now": once a minute per account, whatever the servers.
        assert!(
            s.may_try_push(&me, 1_000, 60).await.expect("try"),
            "{}",
            b.name
        );
        assert!(
            !s.may_try_push(&me, 1_030, 60).await.expect("again"),
            "{}",
            b.name
        );
        assert!(
            s.may_try_push(&other, 1_030, 60).await.expect("another"),
            "{}",
            b.name
        );
        assert!(
            s.may_try_push(&me, 1_061, 60).await.expect("a minute on"),
            "{}",
            b.name
        );
        assert_eq!(s.push_devices_of(&me).await.expect("devices"), 0);
    }
}
