//! `legcramps admin` (issue 8): what the operator of a hosted diary can do, and that none of
//! it shows a diary.

use legcramps_store::{Owner, Store};

use crate::run;

#[test]
fn the_operator_counts_disables_and_deletes_accounts_and_reads_events_without_health_data() {
    let dir = std::env::temp_dir().join(format!("legcramps-admin-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let data = format!("--data-dir={}", dir.display());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let (marion, other) = rt.block_on(async {
        let store = Store::open_sqlite(&dir).await.expect("store");
        let a = store
            .create_account("marion", "$argon2id$x")
            .await
            .expect("create")
            .expect("new");
        let b = store
            .create_account("someone", "$argon2id$x")
            .await
            .expect("create")
            .expect("new");
        store
            .create_session(&a.id, "h1", "Chrome on Android")
            .await
            .expect("s");
        store
            .record_event(Some(&a.id), legcramps_store::EventKind::SignIn, "abc123")
            .await
            .expect("e");
        store
            .record_event(None, legcramps_store::EventKind::SignInFailed, "def456")
            .await
            .expect("e");
        store.close().await;
        (a, b)
    });
    // Put a cramp with a private note in marion's diary (as the web app would).
    rt.block_on(async {
        let store = Store::open_sqlite(&dir).await.expect("store");
        let file = legcramps_contract::diary_io::from_csv(
            "id,start,duration_seconds,site,side,asleep,eased,severity,note,exercise,new_medication,new_medication_started,pregnant,short_of_fluids\nc1,2026-11-20T02:10:00+00:00,180,calf,left,true,yes,mild,PRIVATE-NOTE,false,,,false,false\n",
        )
        .expect("csv");
        store.import(&marion.owner(), &file).await.expect("import");
        store.close().await;
    });

    let count = run(&["admin", "accounts", "count", &data], "");
    assert_eq!(count.code, 0, "{}", count.stderr);
    assert_eq!(count.stdout.trim(), "2 account(s), 0 disabled");

    let events = run(&["admin", "events", &data], "");
    assert_eq!(events.code, 0, "{}", events.stderr);
    assert!(events.stdout.contains("sign-in-failed") && events.stdout.contains("marion"));
    assert!(events.stdout.contains("abc123"));
    assert!(!events.stdout.contains("PRIVATE-NOTE"));
    let mine = run(&["admin", "events", "--account", "MARION", &data], "");
    assert!(
        mine.stdout.contains("sign-in") && !mine.stdout.contains("sign-in-failed"),
        "{}",
        mine.stdout
    );

    let disabled = run(&["admin", "accounts", "disable", "marion", &data], "");
    assert_eq!(disabled.code, 0, "{}", disabled.stderr);
    assert!(disabled.stdout.contains("every session of it has ended"));
    assert_eq!(
        run(&["admin", "accounts", "count", &data], "")
            .stdout
            .trim(),
        "2 account(s), 1 disabled"
    );
    let missing = run(&["admin", "accounts", "delete", "nobody", &data], "");
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains("there is no account called nobody"),
        "{}",
        missing.stderr
    );

    let deleted = run(&["admin", "accounts", "delete", "marion", &data], "");
    assert_eq!(deleted.code, 0, "{}", deleted.stderr);
    rt.block_on(async {
        let store = Store::open_sqlite(&dir).await.expect("store");
        assert!(
            store
                .list(&marion.owner(), None, None)
                .await
                .expect("l")
                .is_empty()
        );
        assert!(store.sessions_of(&marion.id).await.expect("s").is_empty());
        assert!(store.account_by_id(&other.id).await.expect("a").is_some());
        assert!(
            store
                .list(&Owner::local(), None, None)
                .await
                .expect("l")
                .is_empty()
        );
        store.close().await;
    });
    let _ = std::fs::remove_dir_all(&dir);
}
