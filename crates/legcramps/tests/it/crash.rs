//! Crash safety: a stream of `legcramps log` writes, each process killed with SIGKILL at a
//! random moment (before, during or after its write), many times over. Afterwards every episode
//! whose id was printed (the acknowledgement, sent only after the commit) is in the diary, and
//! SQLite's integrity check passes.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use legcramps_store::{Owner, Store};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn writer(dir: &str, n: u32) -> Command {
    let at = format!(
        "2026-11-{:02}T{:02}:{:02}+00:00",
        1 + n % 28,
        n % 24,
        n % 60
    );
    let mut c = Command::new(env!("CARGO_BIN_EXE_legcramps"));
    c.args([
        "log",
        "--at",
        &at,
        "--minutes",
        "2",
        "--site",
        "calf",
        "--side",
        "left",
        "--awake",
        "--eased",
        "yes",
        "--severity",
        "mild",
        "--data-dir",
        dir,
    ])
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::null());
    c
}

#[test]
fn acknowledged_writes_survive_sigkill() {
    let dir = std::env::temp_dir().join(format!("legcramps-crash-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let d = dir.to_str().expect("utf-8").to_owned();

    // How long one write takes end to end, to spread the kills across it. The first run also
    // creates the database, so time the next ones and take the quickest.
    let mut acknowledged = vec![];
    let mut typical = u64::MAX;
    for n in 1000..1003 {
        let t = Instant::now();
        let out = writer(&d, n).output().expect("runs");
        assert!(out.status.success());
        typical = typical.min(t.elapsed().as_micros() as u64);
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        acknowledged.extend(
            stdout
                .strip_prefix("Logged ")
                .and_then(|s| s.split_whitespace().next())
                .map(str::to_owned),
        );
    }
    let (mut killed, mut completed) = (0, 3);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ u64::from(std::process::id()));
    for n in 1..=120 {
        let mut child = writer(&d, n).spawn().expect("spawn");
        // Every tenth writer is left to finish: the writes that complete between the crashes
        // do not depend on how busy the machine is (an earlier version counted on some
        // random kills coming too late, and two loaded cores sometimes gave only 4).
        if n % 10 != 0 {
            let delay = rng.next() % (typical * 5 / 4).max(1);
            std::thread::sleep(Duration::from_micros(delay));
            // SIGKILL on Unix: no chance to clean up.
            let _ = child.kill();
        }
        let out = child.wait_with_output().expect("wait");
        if out.status.success() {
            completed += 1;
        } else {
            killed += 1;
        }
        let stdout = String::from_utf8_lossy(&out.stdout);
        if let Some(id) = stdout
            .strip_prefix("Logged ")
            .and_then(|s| s.split_whitespace().next())
        {
            acknowledged.push(id.to_owned());
        }
    }
    assert!(
        killed > 10,
        "only {killed} writers were killed: the test did not test crashes"
    );
    assert!(completed >= 15, "only {completed} writers finished");

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let store = Store::open_sqlite(&dir)
            .await
            .expect("the diary opens after the crashes");
        assert_eq!(store.integrity_check().await.expect("check"), "ok");
        let stored: Vec<String> = store
            .list(&Owner::local(), None, None)
            .await
            .expect("list")
            .iter()
            .map(|e| e.id.to_string())
            .collect();
        let lost: Vec<&String> = acknowledged
            .iter()
            // `log` prints the short id (the first 8 characters), as `diary` shows it.
            .filter(|id| !stored.iter().any(|s| s.starts_with(id.as_str())))
            .collect();
        assert!(lost.is_empty(), "acknowledged but lost: {lost:?}");
        println!(
            "{} writers: {killed} killed, {completed} finished; {} acknowledged, {} stored",
            killed + completed,
            acknowledged.len(),
            stored.len()
        );
        store.close().await;
    });
    let _ = std::fs::remove_dir_all(&dir);
}
