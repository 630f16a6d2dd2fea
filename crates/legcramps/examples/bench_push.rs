//! Reminders by Web Push at scale (issue 21): N reminders (default 10,000) fall due at once on
//! one PostgreSQL database served by two real `legcramps serve` processes, which send them to a
//! push-service stand-in on a local port; the stand-in checks each VAPID signature and decrypts
//! each message with its device's key, as a browser would. Part way through, one server is
//! stopped (SIGTERM, as an operator restarts it; or with `kill`, SIGKILL, the worst case) and
//! started again. Reported: the time from due to the last
//! one delivered, how many devices got one twice, how many got none, and `/healthz` latency on
//! the other server while idle and while sending (p50, p99, and the ratio in this run).
//!
//! `cargo build --release && cargo run --release --example bench_push -- [N] [term|kill]`
//! (PostgreSQL: `LEGCRAMPS_TEST_PG`, else 127.0.0.1:5432 as on this project's machines.)

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use legcramps_store::{Owner, PushDevice, Store};
use web_push_native::p256;

const CONTACT: &str = "mailto:bench@legcramps.example";

struct Received {
    per_device: HashMap<String, u32>,
    rejected: u32,
}

fn vapid_ok(headers: &HeaderMap, key: &str) -> bool {
    use web_push_native::jwt_simple::prelude::*;
    let Some(v) = headers.get("authorization").and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let Some(rest) = v.strip_prefix("vapid t=") else {
        return false;
    };
    let Some((t, k)) = rest.split_once(", k=") else {
        return false;
    };
    if k != key {
        return false;
    }
    use base64::Engine as _;
    let Ok(raw) = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(k) else {
        return false;
    };
    ES256PublicKey::from_bytes(&raw)
        .and_then(|p| p.verify_token::<NoCustomClaims>(t, None))
        .is_ok_and(|c| c.subject.as_deref() == Some(CONTACT))
}

/// A `legcramps serve` on a free port; returns it and its address once it says it serves.
/// (The caller kills and waits for it; a panic here ends the bench and the child with it.)
#[expect(
    clippy::zombie_processes,
    reason = "the caller waits; a panic ends the bench"
)]
fn serve(bin: &std::path::Path, db: &str, service: &str) -> (Child, String) {
    let mut child = Command::new(bin)
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--database-url",
            db,
            "--push-contact",
            CONTACT,
            "--push-service",
            service,
            "--push-every-seconds",
            "1",
        ])
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("legcramps serve starts (cargo build --release first)");
    let out = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    let forward = |r: Box<dyn Read + Send>, tx: std::sync::mpsc::Sender<String>| {
        std::thread::spawn(move || {
            for line in BufReader::new(r).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
    };
    forward(Box::new(out), tx.clone());
    forward(Box::new(child.stderr.take().expect("stderr")), tx);
    loop {
        let line = rx.recv().expect("the server said where it serves");
        if let Some(i) = line.find("serving on http://") {
            let addr = line[i + "serving on http://".len()..]
                .split_whitespace()
                .next()
                .expect("addr")
                .trim_end_matches(['"', ',']);
            return (child, addr.to_owned());
        }
    }
}

/// `/healthz` latencies on one kept-alive connection until `stop`.
fn healthz_until(addr: &str, stop: &dyn Fn() -> bool) -> Vec<Duration> {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_nodelay(true).expect("nodelay");
    let mut out = Vec::new();
    let mut buf = [0u8; 1024];
    while !stop() {
        let t = Instant::now();
        s.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .expect("write");
        let mut got = Vec::new();
        while !got.ends_with(b"ok") {
            let n = s.read(&mut buf).expect("read");
            assert!(n > 0, "closed");
            got.extend_from_slice(&buf[..n]);
        }
        out.push(t.elapsed());
        std::thread::sleep(Duration::from_millis(5));
    }
    out
}

fn pct(v: &mut [Duration], p: f64) -> Duration {
    v.sort_unstable();
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i.min(v.len() - 1)]
}

#[tokio::main]
async fn main() {
    use sqlx::Connection;
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    // "term" (default): one server is stopped as an operator restarts it (SIGTERM); "kill":
    // it is killed (SIGKILL), the worst case.
    let graceful = std::env::args().nth(2).as_deref() != Some("kill");
    let admin = std::env::var("LEGCRAMPS_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    let mut conn = sqlx::PgConnection::connect(&admin)
        .await
        .expect("PostgreSQL");
    let name = format!("legcramps_bench_push_{}", uuid::Uuid::new_v4().simple());
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .expect("create");
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
    let db = format!("{base}/{name}");
    let store = Store::open_postgres(&db).await.expect("open");
    let key = store
        .server_secret("web-push-key", &legcramps_web::Push::fresh_key())
        .await
        .expect("key");
    let public = legcramps_web::Push::new(CONTACT, vec![], &key)
        .expect("key")
        .public_key;

    // The stand-in push service.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("port");
    let service = format!("http://{}", listener.local_addr().expect("addr"));
    let keys: Arc<HashMap<String, (p256::SecretKey, [u8; 16])>> = {
        let mut m = HashMap::new();
        for i in 0..n {
            let mut b = [0u8; 32];
            b[..16].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
            b[16..].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
            m.insert(
                format!("d{i}"),
                (
                    p256::SecretKey::from_slice(&b).expect("key"),
                    *uuid::Uuid::new_v4().as_bytes(),
                ),
            );
        }
        Arc::new(m)
    };
    let received = Arc::new(Mutex::new(Received {
        per_device: HashMap::new(),
        rejected: 0,
    }));
    let last = Arc::new(Mutex::new(None::<Instant>));
    {
        let (keys, received, last, public) =
            (keys.clone(), received.clone(), last.clone(), public.clone());
        let handler = move |axum::extract::Path(device): axum::extract::Path<String>,
                            headers: HeaderMap,
                            body: Bytes| {
            let (keys, received, last, public) =
                (keys.clone(), received.clone(), last.clone(), public.clone());
            async move {
                let ok = vapid_ok(&headers, &public)
                    && keys.get(&device).is_some_and(|(secret, auth)| {
                        web_push_native::decrypt(body.to_vec(), secret, &(*auth).into()).is_ok()
                    });
                let mut r = received.lock().expect("lock");
                if !ok {
                    r.rejected += 1;
                    return StatusCode::UNAUTHORIZED;
                }
                *r.per_device.entry(device).or_insert(0) += 1;
                *last.lock().expect("lock") = Some(Instant::now());
                StatusCode::CREATED
            }
        };
        let router = axum::Router::new().route("/{device}", axum::routing::post(handler));
        // The stand-in stands for push services on other machines: its work runs after the
        // servers' (nice 10), on its own runtime, so it is not what slows them here.
        let listener = listener.into_std().expect("std listener");
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .on_thread_start(|| {
                    let _ =
                        rustix::process::setpriority_process(Some(rustix::thread::gettid()), 10);
                })
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
                let _ = axum::serve(listener, router).await;
            });
        });
    }

    // N reminders, one per device, due far ahead while they are written.
    use base64::Engine as _;
    use p256::elliptic_curve::sec1::ToEncodedPoint;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let far = legcramps_store::unix_seconds() + 10 * 86_400;
    for i in 0..n {
        let (secret, auth) = &keys[&format!("d{i}")];
        let device = PushDevice {
            endpoint: format!("{service}/d{i}"),
            p256dh: b64.encode(secret.public_key().to_encoded_point(false).as_bytes()),
            auth: b64.encode(auth),
            zone: "Europe/London".to_owned(),
        };
        store
            .set_push_reminders(
                &Owner::named(&format!("person {i}")),
                &device,
                &[("morning", 450, far)],
            )
            .await
            .expect("set");
    }

    let bin = std::env::current_exe()
        .expect("exe")
        .parent()
        .and_then(|p| p.parent())
        .expect("target dir")
        .join("legcramps");
    let (a, a_addr) = serve(&bin, &db, &service);
    let (mut b, _) = serve(&bin, &db, &service);

    // Idle /healthz on server A for 3 s.
    let t = Instant::now();
    let mut idle = tokio::task::spawn_blocking({
        let a_addr = a_addr.clone();
        move || healthz_until(&a_addr, &|| t.elapsed() > Duration::from_secs(3))
    })
    .await
    .expect("idle");

    // All due now.
    let due_at = Instant::now();
    legcramps_store::on_pool!(&store, |pool| sqlx::query(
        "UPDATE push_reminders SET next_utc = $1"
    )
    .bind(legcramps_store::unix_seconds())
    .execute(pool)
    .await
    .map(|_| ()))
    .expect("due");
    let done = {
        let received = received.clone();
        move || received.lock().expect("lock").per_device.len() >= n
    };
    let busy = tokio::task::spawn_blocking({
        let a_addr = a_addr.clone();
        let done = done.clone();
        move || {
            healthz_until(&a_addr, &move || {
                done() || due_at.elapsed() > Duration::from_secs(300)
            })
        }
    });
    // Kill server B once a fifth are delivered, and start it again.
    loop {
        if received.lock().expect("lock").per_device.len() >= n / 5 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    if graceful {
        let _ = Command::new("kill")
            .args(["-TERM", &b.id().to_string()])
            .status();
    } else {
        b.kill().expect("kill");
    }
    let _ = b.wait();
    let killed_at = due_at.elapsed();
    let (b2, _) = serve(&bin, &db, &service);
    let mut during = busy.await.expect("busy");
    let took = last
        .lock()
        .expect("lock")
        .map(|l| l.duration_since(due_at))
        .unwrap_or_default();
    let (delivered, twice, rejected) = {
        let r = received.lock().expect("lock");
        (
            r.per_device.len(),
            r.per_device.values().filter(|c| **c > 1).count(),
            r.rejected,
        )
    };
    let missed = n - delivered;
    let (idle50, idle99) = (pct(&mut idle, 0.5), pct(&mut idle, 0.99));
    let (busy50, busy99) = (pct(&mut during, 0.5), pct(&mut during, 0.99));
    println!(
        "reminders: {n} due at once, two servers on one PostgreSQL database, one {} at {killed_at:.1?} and restarted",
        if graceful {
            "stopped (SIGTERM)"
        } else {
            "killed (SIGKILL)"
        }
    );
    println!(
        "delivered: {} devices in {took:.1?} from due; twice: {twice}; missed: {missed}; rejected by the stand-in: {}",
        delivered, rejected
    );
    println!(
        "/healthz on the other server: idle p50 {idle50:.2?} p99 {idle99:.2?} ({} requests); while sending p50 {busy50:.2?} p99 {busy99:.2?} ({} requests); p99 ratio {:.2}",
        idle.len(),
        during.len(),
        busy99.as_secs_f64() / idle99.as_secs_f64()
    );
    for mut c in [a, b2] {
        let _ = c.kill();
        let _ = c.wait();
    }
    drop(store);
    let _ = sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .execute(&mut conn)
        .await;
}
