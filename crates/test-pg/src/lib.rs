//! Where the tests find PostgreSQL, so that `cargo test --workspace` passes on a fresh machine.
//!
//! In order:
//! 1. `LEGCRAMPS_TEST_PG` names a server: that one is used (and must work).
//! 2. A server answers on 127.0.0.1:5432 (as on this project's machines and in CI): used, as
//!    `postgres://postgres@127.0.0.1:5432/test`.
//! 3. The machine has PostgreSQL's own programs (`initdb`, `pg_ctl`, on the `PATH` or under
//!    `/usr/lib/postgresql/*/bin`): a throwaway cluster is made in a temporary directory on a
//!    free port, for this test process only, and stopped and removed when the process ends.
//! 4. None of these: the PostgreSQL tests are skipped, and say so by name on standard error
//!    (which the test harness shows even for passing tests). With
//!    `LEGCRAMPS_REQUIRE_POSTGRES=1` (as `.ci/run` sets) a skip is a failure instead.
//!
//! `LEGCRAMPS_SKIP_POSTGRES=1` skips on purpose (still loudly).
//! `LEGCRAMPS_TEST_PG_NO_SERVER=1` ignores a server on port 5432, to exercise step 3.

use std::io::Write;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

/// The admin URL of a PostgreSQL server for `test` to make its databases on, or `None` when
/// the test must skip (after saying so).
pub fn admin_url(test: &str) -> Option<String> {
    let found = SERVER.get_or_init(find);
    match found {
        Ok(url) => Some(url.clone()),
        Err(why) => {
            let required = std::env::var_os("LEGCRAMPS_REQUIRE_POSTGRES").is_some_and(|v| v == "1");
            assert!(
                !required,
                "{test}: PostgreSQL is required here (LEGCRAMPS_REQUIRE_POSTGRES=1), but {why}"
            );
            // Written straight to stderr, not through eprintln!, so that it shows in the normal
            // output of `cargo test`, not only with --nocapture.
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED {test}: {why}. Install PostgreSQL, or set LEGCRAMPS_TEST_PG=postgres://..."
            );
            None
        }
    }
}

static SERVER: OnceLock<Result<String, String>> = OnceLock::new();

fn find() -> Result<String, String> {
    if std::env::var_os("LEGCRAMPS_SKIP_POSTGRES").is_some_and(|v| v == "1") {
        return Err("LEGCRAMPS_SKIP_POSTGRES=1 is set".to_owned());
    }
    if let Ok(url) = std::env::var("LEGCRAMPS_TEST_PG") {
        return Ok(url);
    }
    let ignore_local = std::env::var_os("LEGCRAMPS_TEST_PG_NO_SERVER").is_some_and(|v| v == "1");
    let local: SocketAddr = ([127, 0, 0, 1], 5432).into();
    if !ignore_local && TcpStream::connect_timeout(&local, Duration::from_secs(1)).is_ok() {
        return Ok("postgres://postgres@127.0.0.1:5432/test".to_owned());
    }
    let Some(bin) = binaries() else {
        return Err(
            "no PostgreSQL server is reachable on 127.0.0.1:5432 and no initdb/pg_ctl was found"
                .to_owned(),
        );
    };
    throwaway(&bin)
}

/// A directory holding `initdb` and `pg_ctl`.
fn binaries() -> Option<PathBuf> {
    let has = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default();
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.path().join("bin"))
                .collect()
        })
        .unwrap_or_default();
    versions.sort();
    on_path
        .into_iter()
        .chain(versions.into_iter().rev())
        .find(|d| has(d))
}

/// Make and start a cluster in a temporary directory; a watcher process stops it and removes
/// the directory once this test process has gone.
fn throwaway(bin: &Path) -> Result<String, String> {
    let dir = std::env::temp_dir().join(format!("legcramps-pg-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot make {}: {e}", dir.display()))?;
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| format!("no free port: {e}"))?
        .port();
    // PostgreSQL will not run as root; as root, run it as the machine's `postgres` user.
    let as_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    let run = |program: &str, args: &[String]| -> Result<(), String> {
        let exe = bin.join(program);
        let mut cmd = if as_root {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&exe);
            c
        } else {
            Command::new(&exe)
        };
        let out = cmd
            .args(args)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run {program}: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{program} failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ))
        }
    };
    if as_root {
        let _ = Command::new("chown")
            .args(["postgres:postgres", &dir.display().to_string()])
            .status();
    }
    let data = dir.join("data");
    let d = data.display().to_string();
    run(
        "initdb",
        &[
            "-D".into(),
            d.clone(),
            "-U".into(),
            "postgres".into(),
            "--auth=trust".into(),
            "--no-sync".into(),
        ],
    )?;
    run(
        "pg_ctl",
        &[
            "-D".into(),
            d.clone(),
            "-l".into(),
            dir.join("log").display().to_string(),
            "-o".into(),
            format!(
                "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
                dir.display()
            ),
            "-w".into(),
            "start".into(),
        ],
    )?;
    // Stop and remove the cluster when this process ends, whichever way it ends.
    let pg_ctl = bin.join("pg_ctl");
    let stop = if as_root {
        format!(
            "runuser -u postgres -- {} -D {d} stop -m immediate",
            pg_ctl.display()
        )
    } else {
        format!("{} -D {d} stop -m immediate", pg_ctl.display())
    };
    let _ = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; {stop} >/dev/null 2>&1; rm -rf {dir}",
            pid = std::process::id(),
            dir = dir.display()
        ))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    let _ = writeln!(
        std::io::stderr(),
        "note: started a throwaway PostgreSQL cluster on port {port} ({}) for these tests",
        dir.display()
    );
    Ok(format!("postgres://postgres@127.0.0.1:{port}/postgres"))
}
