//! Durable episode writes per second: through the HTTP API (`POST /api/v1/episodes`, a real
//! server on a loopback port, answered only after the commit) against raw single-row inserts
//! into SQLite with the same settings (WAL, synchronous=FULL, one transaction per row), in the
//! same run, on the same disk.
//!
//! `cargo run --release --example bench_writes -- [N]` (default 1000 writes each).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Instant;

use legcramps_core::diary::{Context, Duration, Eased, Episode, EpisodeId, Severity, Side, Site};
use legcramps_core::patterns::Settings;
use legcramps_store::{Owner, Store};
use legcramps_web::{AppConfig, DiaryAccess};

fn episode(n: usize) -> Episode {
    Episode {
        id: EpisodeId::new(&format!("raw-{n}")).expect("id"),
        start: chrono::DateTime::parse_from_rfc3339("2026-11-20T02:10:00+00:00").expect("time")
            + chrono::Duration::minutes(n as i64),
        last_night: false,
        duration: Some(Duration::from_seconds(180).expect("duration")),
        site: Some(Site::Calf),
        side: Side::Left,
        asleep: Some(true),
        eased: Some(Eased::Yes),
        severity: Severity::Mild,
        note: None,
        context: Context::default(),
    }
}

/// One request on a kept-alive connection; returns the status code.
fn post(stream: &mut TcpStream, body: &str) -> u16 {
    let req = format!(
        "POST /api/v1/episodes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(req.as_bytes()).expect("write");
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    loop {
        let n = stream.read(&mut chunk).expect("read");
        assert!(n > 0, "connection closed");
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_string();
            let len: usize = head
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse().unwrap_or(0))
                })
                .unwrap_or(0);
            while buf.len() < end + 4 + len {
                let n = stream.read(&mut chunk).expect("read body");
                assert!(n > 0, "connection closed");
                buf.extend_from_slice(&chunk[..n]);
            }
            return head
                .split_whitespace()
                .nth(1)
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
        }
    }
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1000);
    let base = std::env::temp_dir().join(format!("legcramps-bench-writes-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");

    // 1. Raw: one INSERT per transaction, WAL + synchronous=FULL, through sqlx.
    let raw = rt.block_on(async {
        let store = Store::open_sqlite(&base.join("raw")).await.expect("open");
        let Store::Sqlite(pool) = &store else { unreachable!("SQLite") };
        let (mode, sync) = store.sqlite_settings().await.expect("pragmas").expect("sqlite");
        assert_eq!((mode.as_str(), sync), ("wal", 2));
        let started = Instant::now();
        for i in 0..n {
            let e = episode(i);
            sqlx::query("INSERT INTO episodes (owner, id, start_text, start_utc, local_date, duration_seconds, site, side, asleep, eased, severity, note, exercise, pregnant, short_of_fluids, medication_name, medication_started) VALUES ('local', $1, $2, $3, $4, 180, 'calf', 'left', 1, 'yes', 'mild', NULL, 0, 0, 0, NULL, NULL)")
                .bind(e.id.as_str())
                .bind(e.start.to_rfc3339())
                .bind(e.start.timestamp())
                .bind(e.start.date_naive().to_string())
                .execute(pool)
                .await
                .expect("insert");
        }
        let rate = n as f64 / started.elapsed().as_secs_f64();
        store.close().await;
        rate
    });

    // 2. Through the HTTP API of a real server, one client, one write at a time.
    let (addr, store) = rt.block_on(async {
        let store = Store::open_sqlite(&base.join("api")).await.expect("open");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let config = AppConfig {
            diary: DiaryAccess::On {
                store: store.clone(),
                hosts: legcramps_web::HostCheck::Loopback,
            },
            settings: Settings::default(),
            time_zone: legcramps_web::UK_TIME,
            nhs_111_online: None,
            push: None,
        };
        tokio::spawn(legcramps_web::serve(
            listener,
            config,
            std::future::pending(),
        ));
        (addr, store)
    });
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_nodelay(true).expect("nodelay");
    let started = Instant::now();
    for i in 0..n {
        let body = format!(
            r#"{{"start": "2026-11-20T{:02}:{:02}:00+00:00", "minutes": 3, "site": "calf", "side": "left", "asleep": true, "eased": "yes", "severity": "mild"}}"#,
            (i / 60) % 24,
            i % 60
        );
        assert_eq!(post(&mut stream, &body), 201, "write {i}");
    }
    let api = n as f64 / started.elapsed().as_secs_f64();
    let stored = rt.block_on(async {
        store
            .list(&Owner::local(), None, None)
            .await
            .expect("list")
            .len()
    });
    assert_eq!(stored, n, "every acknowledged write is stored");

    println!("writes: {n} each, SQLite WAL + synchronous=FULL, one transaction per write");
    println!("raw single-row inserts:      {raw:>8.0} writes/s");
    println!("HTTP API (POST, 1 client):   {api:>8.0} writes/s");
    println!("API as a share of raw:       {:>8.0}%", api / raw * 100.0);
    let _ = std::fs::remove_dir_all(&base);
}
