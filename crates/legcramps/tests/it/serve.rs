//! `legcramps serve` as a process: it answers, logs requests without their content, and stops
//! gracefully on SIGTERM.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

fn request(port: u16, raw: &str) -> Option<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    s.write_all(raw.as_bytes()).ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    Some(out)
}

/// A request cut off by `--request-timeout` gets 503 and leaves a line in the log (the outside
/// test of uploads: requests ended by the timeout left no trace), without its path or body.
#[test]
fn a_request_that_times_out_is_logged() {
    let mut s = Server::start_logged("serve", &["--request-timeout", "1"]);
    let mut c = std::net::TcpStream::connect(("127.0.0.1", s.port)).expect("connect");
    c.set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    // A form that says 100 bytes and sends 10, then waits.
    c.write_all(b"POST /check?secret=yes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\na.longest_")
        .expect("send");
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    while !String::from_utf8_lossy(&answer).contains("\r\n\r\n") {
        let n = c.read(&mut buf).expect("an answer");
        assert!(n > 0, "closed without an answer");
        answer.extend_from_slice(&buf[..n]);
    }
    let answer = String::from_utf8_lossy(&answer).into_owned();
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    drop(c);
    let child = &mut s.child;
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    child.wait().expect("stops");
    let mut log = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut log)
        .expect("log");
    assert!(
        log.contains("request timed out") && log.contains("method=POST"),
        "{log}"
    );
    assert!(!log.contains("secret") && !log.contains("longest"), "{log}");
}

#[test]
fn serves_logs_no_answers_and_stops_on_sigterm() {
    let mut s = Server::start_logged("serve", &[]);
    let port = s.port;
    let health = request(
        port,
        "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    )
    .expect("answers");
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    let body = r#"{"longest_cramp_minutes": 37.5, "eases_when_moving": false, "pregnant": true}"#;
    let triage = request(port, &format!("POST /api/v1/triage?secret=yes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len())).expect("answers");
    assert!(triage.contains("urgent-gp"));
    let form = "a.longest_cramp_minutes=37.5&current=eases_when_moving&eases_when_moving=no";
    request(port, &format!("POST /check HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{form}", form.len())).expect("answers");

    let child = &mut s.child;
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let started = Instant::now();
    let exit = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(exit.success(), "a graceful stop exits 0: {exit:?}");
    let mut log = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut log)
        .expect("log");
    assert!(
        log.contains("route=/api/v1/triage") && log.contains("status=200"),
        "{log}"
    );
    assert!(
        log.contains("shutting down") && log.contains("stopped"),
        "{log}"
    );
    for secret in [
        "37.5",
        "pregnant",
        "longest_cramp_minutes",
        "eases_when_moving",
        "secret=yes",
    ] {
        assert!(!log.contains(secret), "the log contains `{secret}`:\n{log}");
    }
}

/// A server started with these extra arguments on a loopback port, and stopped when dropped.
struct Server {
    child: std::process::Child,
    port: u16,
    dir: std::path::PathBuf,
}

impl Server {
    fn start(name: &str, extra: &[&str]) -> Server {
        Server::spawn(name, extra, Stdio::null())
    }

    /// A server whose log (stderr) the test reads.
    fn start_logged(name: &str, extra: &[&str]) -> Server {
        Server::spawn(name, extra, Stdio::piped())
    }

    fn spawn(name: &str, extra: &[&str], stderr: Stdio) -> Server {
        let port = free_port();
        let dir = std::env::temp_dir().join(format!("legcramps-{name}-{}", std::process::id()));
        let child = Command::new(env!("CARGO_BIN_EXE_legcramps"))
            .args([
                "serve",
                "--addr",
                &format!("127.0.0.1:{port}"),
                "--data-dir",
                dir.to_str().expect("utf-8"),
            ])
            .args(extra)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .expect("starts");
        let deadline = Instant::now() + Duration::from_secs(20);
        while request(
            port,
            "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
        )
        .is_none()
        {
            assert!(Instant::now() < deadline, "the server did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Server { child, port, dir }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Hardening finding 1: `--single-user` on a loopback address used to turn the DNS-rebinding
/// guard off, so a page on rebind.evil.example could read, add to and delete the diary.
#[test]
fn single_user_on_loopback_keeps_the_rebinding_guard() {
    let s = Server::start("rebind", &["--single-user"]);
    let evil = "Host: rebind.evil.example\r\nOrigin: http://rebind.evil.example";
    let read = request(
        s.port,
        &format!("GET /api/v1/episodes HTTP/1.1\r\n{evil}\r\nConnection: close\r\n\r\n"),
    )
    .expect("answers");
    assert!(read.starts_with("HTTP/1.1 403"), "{read}");
    let body = r#"{"start": "2026-11-20T02:10:00+00:00", "minutes": 3, "site": "calf", "side": "left", "asleep": true, "eased": "yes", "severity": "mild"}"#;
    let add = request(s.port, &format!("POST /api/v1/episodes HTTP/1.1\r\n{evil}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len())).expect("answers");
    assert!(add.starts_with("HTTP/1.1 403"), "{add}");
    let wipe = "confirm=yes";
    let delete = request(s.port, &format!("POST /diary/delete-all HTTP/1.1\r\n{evil}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{wipe}", wipe.len())).expect("answers");
    assert!(delete.starts_with("HTTP/1.1 403"), "{delete}");
    // The person's own browser still reaches it.
    let own = request(
        s.port,
        "GET /api/v1/episodes HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    )
    .expect("answers");
    assert!(own.starts_with("HTTP/1.1 200"), "{own}");
}

/// On an address others can reach, `--single-user` needs the host names people use.
#[test]
fn single_user_on_a_public_address_needs_its_host_names() {
    let out = Command::new(env!("CARGO_BIN_EXE_legcramps"))
        .args(["serve", "--addr", "0.0.0.0:0", "--single-user"])
        .env_remove("LEGCRAMPS_ALLOWED_HOSTS")
        .env_remove("LEGCRAMPS_PUBLIC_URL")
        .stdin(Stdio::null())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--allowed-host") && err.contains("--public-url"),
        "{err}"
    );
}

/// Hardening finding 2: slow-header and idle connections stayed open forever, and enough of
/// them stalled `/healthz`. Now the server closes a connection that does not send its headers
/// within the header-read timeout (idle kept-alive ones too), serves a bounded number at once,
/// and `/healthz` keeps answering while 200 slow clients hold connections.
#[test]
fn slow_and_idle_clients_are_closed_and_healthz_keeps_answering() {
    let s = Server::start(
        "slow",
        &[
            "--header-read-timeout",
            "2",
            "--idle-timeout",
            "3",
            "--max-connections",
            "256",
            // All from this computer: this test is about the timeouts, not the per-address cap.
            "--max-connections-per-address",
            "1000",
        ],
    );
    // 200 clients that start a request and never finish its headers, and 10 idle ones.
    let mut slow: Vec<TcpStream> = (0..210)
        .map(|i| {
            let mut c = TcpStream::connect(("127.0.0.1", s.port)).expect("connects");
            if i < 200 {
                c.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
                    .expect("writes");
            }
            c
        })
        .collect();
    // /healthz still answers while they hang on.
    let started = Instant::now();
    let health = request(
        s.port,
        "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    )
    .expect("answers");
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "healthz took {:?}",
        started.elapsed()
    );
    // The server closes every one of them (a read sees the end, or a reset) well within the
    // 10 s bound, though the clients never hang up.
    for (i, c) in slow.iter_mut().enumerate() {
        c.set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        let mut buf = [0u8; 512];
        let closed = loop {
            match c.read(&mut buf) {
                Ok(0) => break true,
                Ok(_) => continue, // a 408 or similar before closing is fine
                Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => break true,
                Err(_) => break false,
            }
        };
        assert!(
            closed,
            "connection {i} (slow if under 200, idle otherwise) was left open"
        );
    }
}

/// Hardening finding 2 (continued): request heads over 64 KiB get 431.
#[test]
fn headers_over_64_kib_get_431() {
    let s = Server::start("big-headers", &[]);
    let big = "a".repeat(70 * 1024);
    let r = request(
        s.port,
        &format!(
            "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: {big}\r\nConnection: close\r\n\r\n"
        ),
    )
    .unwrap_or_default();
    assert!(r.starts_with("HTTP/1.1 431"), "{}", &r[..r.len().min(200)]);
    let ok = request(
        s.port,
        "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    )
    .expect("answers");
    assert!(ok.starts_with("HTTP/1.1 200"));
}

/// Issue 8: `--accounts` on an address others can reach needs `--public-url`, and that must be
/// https (sign-in cookies are `Secure`); http is allowed only for localhost. Each refusal is
/// exit 2 and names the flag; nothing is served.
#[test]
fn accounts_need_an_https_public_url_off_loopback() {
    let data =
        std::env::temp_dir().join(format!("legcramps_accounts_flags_{}", std::process::id()));
    for (args, says) in [
        (vec!["--addr", "0.0.0.0:0", "--accounts"], "--public-url"),
        (
            vec![
                "--addr",
                "0.0.0.0:0",
                "--accounts",
                "--public-url",
                "http://cramps.example.org",
            ],
            "https",
        ),
        (
            vec!["--addr", "127.0.0.1:0", "--accounts", "--single-user"],
            "--single-user",
        ),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_legcramps"))
            .arg("serve")
            .args(&args)
            .arg("--data-dir")
            .arg(&data)
            .env_remove("LEGCRAMPS_PUBLIC_URL")
            .env_remove("LEGCRAMPS_ACCOUNTS")
            .stdin(Stdio::null())
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{args:?}: {err}");
    }
    let _ = std::fs::remove_dir_all(&data);
}

/// Issue 8, scale: two `serve --accounts` processes on one PostgreSQL database behave as one
/// service. A session made on one is valid on the other; signing out on the other ends it on
/// both. (The public origin is the proxy's; each process is reached directly with its Host.)
#[test]
fn two_processes_on_one_postgresql_share_sessions_and_backoff() {
    let Some(admin) =
        legcramps_test_pg::admin_url("two_processes_on_one_postgresql_share_sessions")
    else {
        return;
    };
    use sqlx::Connection;
    let db = format!("legcramps_two_{}", std::process::id());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let mut conn = sqlx::PgConnection::connect(&admin).await.expect("pg");
        sqlx::query(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))
            .execute(&mut conn)
            .await
            .expect("drop");
        sqlx::query(&format!("CREATE DATABASE {db}"))
            .execute(&mut conn)
            .await
            .expect("create");
    });
    let url = format!(
        "{}/{db}",
        admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b)
    );
    let origin = "http://localhost:9";
    let flags = ["--accounts", "--public-url", origin, "--database-url", &url];
    let one = Server::start("two-a", &flags);
    let two = Server::start("two-b", &flags);
    let send = |port: u16, method: &str, path: &str, cookie: Option<&str>, form: &str| {
        let cookie = cookie.map_or(String::new(), |c| {
            format!("Cookie: __Host-legcramps={c}\r\n")
        });
        request(
            port,
            &format!(
                "{method} {path} HTTP/1.1\r\nHost: localhost:9\r\nSec-Fetch-Site: same-origin\r\n{cookie}Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{form}",
                form.len()
            ),
        )
        .expect("answers")
    };
    let signed_up = send(
        one.port,
        "POST",
        "/account/sign-up",
        None,
        "username=two-processes&password=correct+kettle+ladder+orbit",
    );
    // Signed up: the recovery codes page, with the session cookie.
    assert!(signed_up.starts_with("HTTP/1.1 200"), "{signed_up}");
    let cookie = signed_up
        .split("__Host-legcramps=")
        .nth(1)
        .and_then(|v| v.split(';').next())
        .expect("a session cookie")
        .to_owned();
    let on_two = send(two.port, "GET", "/account", Some(&cookie), "");
    assert!(
        on_two.starts_with("HTTP/1.1 200"),
        "valid on the other process: {on_two}"
    );
    let csrf = on_two
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|v| v.split('"').next())
        .expect("token")
        .to_owned();
    let out = send(
        two.port,
        "POST",
        "/account/sign-out",
        Some(&cookie),
        &format!("csrf={csrf}"),
    );
    assert!(out.starts_with("HTTP/1.1 303"), "{out}");
    for port in [one.port, two.port] {
        let after = send(port, "GET", "/diary", Some(&cookie), "");
        assert!(after.starts_with("HTTP/1.1 303"), "ended on both: {after}");
        assert!(after.contains("/account/sign-in"));
    }
    // Backoff is shared too: failures on one process make the other wait.
    let wrong = "username=two-processes&password=not+the+password";
    let waited_on_one = (0..8).any(|_| {
        send(one.port, "POST", "/account/sign-in", None, wrong).starts_with("HTTP/1.1 429")
    });
    assert!(waited_on_one, "failed sign-ins on one process are slowed");
    let on_two = send(two.port, "POST", "/account/sign-in", None, wrong);
    assert!(
        on_two.starts_with("HTTP/1.1 429") && on_two.contains("retry-after:"),
        "and the other process counts them: {on_two}"
    );
    drop(one);
    drop(two);
    rt.block_on(async {
        if let Ok(mut conn) = sqlx::PgConnection::connect(&admin).await {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))
                .execute(&mut conn)
                .await;
        }
    });
}

/// Issue 8: `--server URL` with a personal access token: `log`, `diary`, `export` and `report`
/// work on a hosted diary; a read-only token cannot log; a bad token is exit 2 naming
/// LEGCRAMPS_TOKEN; commands that do not work remotely say so.
#[test]
fn the_cli_uses_a_hosted_diary_with_a_token() {
    let s = Server::start("remote", &["--accounts"]);
    let host = format!("127.0.0.1:{}", s.port);
    let send = |method: &str, path: &str, cookie: Option<&str>, form: &str| {
        let cookie = cookie.map_or(String::new(), |c| {
            format!("Cookie: __Host-legcramps={c}\r\n")
        });
        request(
            s.port,
            &format!(
                "{method} {path} HTTP/1.1\r\nHost: {host}\r\nSec-Fetch-Site: same-origin\r\n{cookie}Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{form}",
                form.len()
            ),
        )
        .expect("answers")
    };
    let up = send(
        "POST",
        "/account/sign-up",
        None,
        "username=cli-user&password=correct+kettle+ladder+orbit",
    );
    let cookie = up
        .split("__Host-legcramps=")
        .nth(1)
        .and_then(|v| v.split(';').next())
        .expect("cookie")
        .to_owned();
    let account = send("GET", "/account", Some(&cookie), "");
    let csrf = account
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|v| v.split('"').next())
        .expect("token")
        .to_owned();
    let token = |scope: &str| {
        let page = send(
            "POST",
            "/account/tokens",
            Some(&cookie),
            &format!("csrf={csrf}&name=cli&scope={scope}"),
        );
        page.split("<code id=\"new-token\">")
            .nth(1)
            .and_then(|v| v.split('<').next())
            .expect("a token")
            .to_owned()
    };
    let (read, write) = (token("read"), token("read-write"));
    let server = format!("http://{host}");
    let cli = |token: &str, args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_legcramps"))
            .args(args)
            .args(["--server", &server])
            .env("LEGCRAMPS_TOKEN", token)
            .env("NO_COLOR", "1")
            .env_remove("DATABASE_URL")
            .stdin(Stdio::null())
            .output()
            .expect("runs");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let log = [
        "log",
        "--at",
        "2026-11-20T02:10+00:00",
        "--minutes",
        "12",
        "--site",
        "calf",
        "--side",
        "left",
        "--asleep",
        "--eased",
        "no",
        "--severity",
        "severe",
        "--note",
        "FROM-THE-CLI",
    ];
    let (code, _, err) = cli(&read, &log);
    assert_eq!(code, Some(2), "a read-only token cannot log: {err}");
    assert!(
        err.contains("can only read") || err.contains("refused"),
        "{err}"
    );
    let (code, out, err) = cli(&write, &log);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.starts_with("Logged "), "{out}");
    let (code, out, err) = cli(&read, &["diary"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.contains("2026-11-20 02:10") && out.contains("RED FLAG"),
        "{out}"
    );
    let (code, out, _) = cli(&read, &["export", "--format", "csv"]);
    assert_eq!(code, Some(0));
    assert!(out.contains("FROM-THE-CLI"), "{out}");
    let (code, out, err) = cli(
        &read,
        &["report", "--from", "2026-11-01", "--to", "2026-11-30"],
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(!out.is_empty());
    // No cramps last night, from the command line (issue 21): a read-only token cannot.
    let (code, _, err) = cli(&read, &["checkin", "--night", "2026-11-29"]);
    assert_eq!(code, Some(2), "{err}");
    let (code, out, err) = cli(&write, &["checkin", "--night", "2026-11-29"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("Recorded: no cramps"), "{out}");
    let (_, out, _) = cli(
        &read,
        &["report", "--from", "2026-11-01", "--to", "2026-11-30"],
    );
    assert!(out.contains("1 with no cramps (checked in)"), "{out}");
    let (code, _, err) = cli("lc_pat_not-a-real-token", &["diary"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("LEGCRAMPS_TOKEN"), "{err}");
    let (code, _, err) = cli(&write, &["delete", "--all", "--yes"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("with --server use log, checkin, diary, export and report"),
        "{err}"
    );
}

/// Issue 20, finding 10 (ASVS 13.x / 15.x, resource exhaustion): 520 connections that sent
/// nothing took the server off the air for about 60 s. Now (1) one address holds at most
/// `--max-connections-per-address` and the rest are closed at once, so `/healthz` answers
/// another client although the flood outnumbers every slot; and (2) a connection that sends
/// nothing is closed after `--first-request-timeout`. (The flood comes from 127.0.0.2, the
/// other client from 127.0.0.1: without accounts, loopback is not a trusted proxy and is
/// limited like any address.)
#[test]
fn connections_that_send_nothing_cannot_take_the_server_off_the_air() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let flood_of = |port: u16, n: usize| async move {
        let mut flood = Vec::new();
        for _ in 0..n {
            let socket = tokio::net::TcpSocket::new_v4().expect("socket");
            socket
                .bind("127.0.0.2:0".parse().expect("addr"))
                .expect("bind to 127.0.0.2");
            flood.push(
                socket
                    .connect(([127, 0, 0, 1], port).into())
                    .await
                    .expect("the kernel accepts the connection"),
            );
        }
        flood
    };
    // Whether the server ended the connection within `bound` (a read sees the end or a reset).
    let ended = |mut c: tokio::net::TcpStream, bound: u64| async move {
        use tokio::io::AsyncReadExt;
        let mut buf = [0u8; 64];
        let r = tokio::time::timeout(Duration::from_secs(bound), c.read(&mut buf)).await;
        matches!(r, Ok(Ok(0) | Err(_)))
    };
    // (1) 520 silent connections against 256 slots, the first-request timeout far away.
    let s = Server::start(
        "idle-flood",
        &[
            "--first-request-timeout",
            "600",
            "--max-connections",
            "256",
            "--max-connections-per-address",
            "20",
        ],
    );
    let port = s.port;
    rt.block_on(async move {
        let flood = flood_of(port, 520).await;
        let health = tokio::task::spawn_blocking(move || {
            request(
                port,
                "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
            )
        })
        .await
        .expect("joined")
        .expect("the server answers another client");
        assert!(health.starts_with("HTTP/1.1 200"), "{health}");
        // All read at once, so the 20 held ones cost one bound, not twenty.
        let mut reads = tokio::task::JoinSet::new();
        for c in flood {
            reads.spawn(ended(c, 5));
        }
        let mut closed = 0;
        while let Some(r) = reads.join_next().await {
            if r.expect("joined") {
                closed += 1;
            }
        }
        assert_eq!(
            closed, 500,
            "the server holds 20 from one address and closes the rest"
        );
    });
    drop(s);
    // (2) Silent connections are closed after the first-request timeout.
    let s = Server::start("idle-first", &["--first-request-timeout", "1"]);
    let port = s.port;
    rt.block_on(async move {
        let flood = flood_of(port, 10).await;
        let mut reads = tokio::task::JoinSet::new();
        for c in flood {
            reads.spawn(ended(c, 30));
        }
        while let Some(r) = reads.join_next().await {
            assert!(r.expect("joined"), "a silent connection was left open");
        }
    });
}
