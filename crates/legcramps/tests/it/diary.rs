//! The diary commands, as a person or a script uses them, on a fresh data directory.

use crate::run;

struct Dir(std::path::PathBuf);

impl Dir {
    fn new(name: &str) -> Dir {
        let d = std::env::temp_dir().join(format!("legcramps-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        Dir(d)
    }

    fn arg(&self) -> String {
        format!("--data-dir={}", self.0.display())
    }

    fn run(&self, args: &[&str]) -> crate::Run {
        let data = self.arg();
        let mut all: Vec<&str> = args.to_vec();
        all.push(&data);
        run(&all, "")
    }

    fn file(&self, name: &str, text: &str) -> String {
        std::fs::create_dir_all(&self.0).expect("dir");
        let p = self.0.join(name);
        std::fs::write(&p, text).expect("write");
        p.display().to_string()
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const LOG: &[&str] = &[
    "log",
    "--at",
    "2026-11-20T02:10+00:00",
    "--minutes",
    "3",
    "--site",
    "calf",
    "--side",
    "left",
    "--asleep",
    "--eased",
    "yes",
    "--severity",
    "moderate",
];

#[test]
fn log_list_edit_delete() {
    let d = Dir::new("basic");
    let r = d.run(LOG);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("Logged "), "{}", r.stdout);
    let id = r
        .stdout
        .split_whitespace()
        .nth(1)
        .expect("an id")
        .to_owned();
    assert_eq!(id.len(), 8, "the short id: {id}");
    let list = d.run(&["diary"]);
    assert!(
        list.stdout.contains(&id) && list.stdout.contains("2026-11-20 02:10"),
        "{}",
        list.stdout
    );
    let edit = d.run(&[
        "edit",
        &id,
        "--minutes",
        "12",
        "--eased",
        "no",
        "--note",
        "woke me",
    ]);
    assert_eq!(edit.code, 0, "{}", edit.stderr);
    assert!(
        edit.stdout
            .contains("lasted 12 minutes, and moving did not ease it"),
        "a red flag after editing: {}",
        edit.stdout
    );
    let json = d.run(&["diary", "--json"]);
    assert!(json.stdout.contains("\"duration_seconds\": 720") && json.stdout.contains("woke me"));
    assert_eq!(d.run(&["delete", &id]).code, 0);
    assert_eq!(
        d.run(&["delete", &id]).code,
        2,
        "deleting twice names the missing id"
    );
    assert!(d.run(&["diary"]).stdout.contains("No cramps logged"));
}

#[test]
fn a_red_flag_shows_the_urgent_advice_at_once() {
    let d = Dir::new("red");
    let r = d.run(&[
        "log",
        "--at",
        "2026-11-20T02:10+00:00",
        "--minutes",
        "11",
        "--site",
        "thigh",
        "--side",
        "both",
        "--awake",
        "--eased",
        "unsure",
        "--severity",
        "severe",
    ]);
    assert_eq!(r.code, 0);
    // Days ago: something to tell the GP about, naming the date, not "phone 111 now".
    assert!(
        r.stdout.contains("Tell your GP about this cramp"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("The cramp on Fri 20 Nov at 02:10 lasted 11 minutes")
    );
    assert!(!r.stdout.contains("Phone 111 now"));
    // Just now: urgent, and it still names when.
    let r = d.run(&[
        "log",
        "--minutes",
        "10",
        "--site",
        "calf",
        "--side",
        "left",
        "--awake",
        "--eased",
        "no",
        "--severity",
        "severe",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("Phone your GP surgery now, or 111 if it is closed"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("lasted 10 minutes, and moving did not ease it")
    );
}

#[test]
fn bad_log_input_names_the_field_and_stores_nothing() {
    let d = Dir::new("bad");
    for (swap, expected) in [
        (("--minutes", "-1"), "--minutes: must not be negative"),
        (
            ("--minutes", "1:30"),
            "could be minutes and seconds or hours and minutes",
        ),
        (
            ("--minutes", "99999"),
            "--minutes: must be at most 1440 minutes",
        ),
        (
            ("--minutes", "abc"),
            "--minutes: `abc` is not a length of time: enter it like 3, 2 mins, 90s, 1 min 30 or 1 hour",
        ),
        (
            ("--site", "arm"),
            "site: `arm` is not one of: calf, foot, thigh, other",
        ),
        (
            ("--eased", "maybe"),
            "eased: `maybe` is not one of: yes, no, unsure",
        ),
        (
            ("--at", "2026-02-30T02:10+00:00"),
            "start: `2026-02-30T02:10+00:00` is not a date and time",
        ),
        (("--at", "2999-01-01T02:10+00:00"), "is in the future"),
    ] {
        let mut args: Vec<&str> = LOG.to_vec();
        let i = args.iter().position(|a| *a == swap.0).expect("flag");
        args[i + 1] = swap.1;
        let r = d.run(&args);
        assert_eq!(r.code, 2, "{swap:?}: {}", r.stderr);
        assert!(r.stderr.contains(expected), "{swap:?}: {}", r.stderr);
    }
    let note = "x".repeat(501);
    let mut args: Vec<&str> = LOG.to_vec();
    args.extend(["--note", &note]);
    let r = d.run(&args);
    assert!(
        r.stderr
            .contains("note: is 501 characters; the most is 500"),
        "{}",
        r.stderr
    );
    // Without a terminal, a missing field that is needed is an error, not a question.
    let r = d.run(&[
        "log",
        "--minutes",
        "3",
        "--site",
        "calf",
        "--asleep",
        "--eased",
        "yes",
        "--severity",
        "mild",
    ]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("--side is missing (there is no terminal to ask on)"),
        "{}",
        r.stderr
    );
    assert!(
        d.run(&["diary"]).stdout.contains("No cramps logged"),
        "nothing was stored"
    );
}

#[test]
fn a_quick_log_needs_only_the_leg_and_how_bad() {
    let d = Dir::new("quick");
    let r = d.run(&["log", "--side", "left", "--severity", "mild"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("(left leg, "), "{}", r.stdout);
    // After every log, the whole safety net (issue 18, finding 6).
    // (Lines are wrapped to the terminal: compare the words.)
    let words = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    for line in legcramps_core::diary::LOG_SAFETY_NET {
        assert!(words(&r.stdout).contains(&words(line.text)), "{}", r.stdout);
    }
    let r = d.run(&[
        "log",
        "--last-night",
        "--side",
        "both",
        "--severity",
        "severe",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Night of "), "{}", r.stdout);
    let list = d.run(&["diary"]).stdout;
    assert!(list.contains(" night "), "{list}");
    assert!(list.contains("both legs"), "{list}");
    // The details can be added later.
    let json = d.run(&["diary", "--json"]).stdout;
    let doc: serde_json::Value = serde_json::from_str(&json).expect("json");
    let eps = doc["episodes"].as_array().expect("episodes");
    assert_eq!(eps.len(), 2);
    assert!(eps.iter().all(|e| e["duration_seconds"].is_null()));
    assert_eq!(eps.iter().filter(|e| e["last_night"] == true).count(), 1);
    // "Last night" is a cramp that woke them (issue 18, finding 9); the other did not say.
    for e in eps {
        let expected = if e["last_night"] == true {
            serde_json::json!(true)
        } else {
            serde_json::Value::Null
        };
        assert_eq!(e["asleep"], expected, "{e}");
    }
    let id = eps[0]["id"].as_str().expect("id").to_owned();
    let r = d.run(&["edit", &id[..8], "--minutes", "12", "--eased", "no"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let json = d.run(&["diary", "--json"]).stdout;
    assert!(json.contains("\"duration_seconds\": 720"), "{json}");
    // `--last-night` with `--at` is a contradiction, refused before anything is stored.
    let r = d.run(&[
        "log",
        "--last-night",
        "--at",
        "2026-11-20T02:10+00:00",
        "--side",
        "left",
        "--severity",
        "mild",
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}

#[test]
fn export_import_round_trips_and_twice_adds_nothing() {
    let a = Dir::new("export");
    for (at, m, med) in [
        ("2026-11-18T23:10+00:00", "2", None),
        ("2026-11-19T03:05+01:00", "0.5", Some("Example tablets")),
        ("2026-11-20T02:10-05:00", "14", None),
    ] {
        let mut args: Vec<&str> = LOG.to_vec();
        args[2] = at;
        args[4] = m;
        if let Some(name) = med {
            args.extend([
                "--medication",
                name,
                "--medication-started",
                "2026-11-01",
                "--note",
                "\"quoted\", with commas\nand a new line",
            ]);
        }
        assert_eq!(a.run(&args).code, 0);
    }
    for format in ["csv", "json"] {
        let exported = a.run(&["export", "--format", format]);
        assert_eq!(exported.code, 0);
        let b = Dir::new(&format!("import-{format}"));
        let path = b.file(&format!("diary.{format}"), &exported.stdout);
        let first = b.run(&["import", &path]);
        assert!(
            first
                .stdout
                .contains("Imported 3 new record(s); 0 were already"),
            "{format}: {}",
            first.stdout
        );
        let second = b.run(&["import", &path]);
        assert!(
            second
                .stdout
                .contains("Imported 0 new record(s); 3 were already"),
            "{format}: {}",
            second.stdout
        );
        assert_eq!(
            b.run(&["export", "--format", format]).stdout,
            exported.stdout,
            "{format} round-trips exactly"
        );
    }
    let csv = a.run(&["export", "--format", "csv"]).stdout;
    assert!(
        csv.contains("\"\"\"quoted\"\", with commas\nand a new line\""),
        "RFC 4180 quoting: {csv}"
    );
    let fhir = a.run(&["export", "--format", "fhir", "--from", "2026-11-19"]);
    assert!(fhir.stdout.contains("\"55300003\""));
    assert_eq!(
        fhir.stdout
            .matches("\"resourceType\": \"Observation\"")
            .count(),
        2,
        "the range applies"
    );
}

#[test]
fn a_bad_import_names_row_and_field_and_stores_nothing() {
    let d = Dir::new("badimport");
    let header = "id,start,duration_seconds,site,side,asleep,eased,severity,note,exercise,new_medication,new_medication_started,pregnant,short_of_fluids";
    let good = "a1,2026-11-20T02:10:00+00:00,180,calf,left,true,yes,mild,,false,,,false,false";
    for (body, expected) in [
        (
            format!(
                "{header}\r\n{good}\r\na2,2026-11-21T02:10:00+00:00,-5,calf,left,true,yes,mild,,false,,,false,false\r\n"
            ),
            "row 3: duration_seconds: `-5` is not a whole number of seconds",
        ),
        (
            format!(
                "{header}\r\n{good}\r\na3,2026-13-01T02:10:00+00:00,60,calf,left,true,yes,mild,,false,,,false,false\r\n"
            ),
            "row 3: start:",
        ),
        (
            format!(
                "{header}\r\n{good}\r\na4,2026-11-21T02:10:00+00:00,60,knee,left,true,yes,mild,,false,,,false,false\r\n"
            ),
            "row 3: site: `knee` is not one of",
        ),
        (
            format!("{header}\r\n{good}\r\na5,2026-11-21T02:10:00+00:00,60\r\n"),
            "row 3: has 3 fields; the header has 14",
        ),
        (
            "id,start\r\nx,y\r\n".to_owned(),
            "row 1: duration_seconds: this column is missing",
        ),
        (
            "this is a letter, not a diary\n".to_owned(),
            "neither a legcramps CSV export",
        ),
        (
            "{\"format\": \"legcramps-diary\", \"version\": 1, \"episodes\": [{\"id\": \"x\"}]}"
                .to_owned(),
            "episodes[0]",
        ),
        (
            "{\"format\": \"something-else\", \"version\": 1}".to_owned(),
            "this is not a legcramps diary",
        ),
    ] {
        let path = d.file("bad.csv", &body);
        let r = d.run(&["import", &path]);
        assert_eq!(r.code, 2, "{expected}: {}", r.stderr);
        assert!(
            r.stderr.contains(expected),
            "expected {expected:?} in {}",
            r.stderr
        );
        assert!(r.stderr.contains("nothing was imported"));
    }
    assert!(
        d.run(&["diary"]).stdout.contains("No cramps logged"),
        "an import is all or nothing"
    );
}

#[test]
fn report_and_gp_summary() {
    let d = Dir::new("report");
    for day in ["16", "17", "18"] {
        let at = format!("2026-11-{day}T02:10+00:00");
        let mut args: Vec<&str> = LOG.to_vec();
        args[2] = &at;
        assert_eq!(d.run(&args).code, 0);
    }
    let r = d.run(&["report", "--from", "2026-11-01", "--to", "2026-11-30"]);
    assert!(r.stdout.contains("Cramps logged: 3"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("Speak to your GP: 3 cramps in the week of 2026-11-16"),
        "{}",
        r.stdout
    );
    let quiet = d.run(&[
        "report",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
        "--frequent-per-week",
        "5",
    ]);
    assert!(
        !quiet.stdout.contains("cramps in the week of"),
        "the threshold is a setting"
    );
    let html = d.0.join("gp.html");
    let r = d.run(&[
        "report",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
        "--html",
        html.to_str().expect("utf-8"),
    ]);
    assert_eq!(r.code, 0);
    let page = std::fs::read_to_string(&html).expect("written");
    assert!(page.contains("Leg cramps: summary for my GP") && page.contains("@page { size: A4"));
    assert_eq!(
        d.run(&["report", "--from", "2026-12-01", "--to", "2026-11-01"])
            .code,
        2
    );
}

#[test]
fn remind_writes_a_calendar() {
    let d = Dir::new("remind");
    std::fs::create_dir_all(&d.0).expect("dir");
    let out = d.0.join("r.ics");
    let r = run(
        &[
            "remind",
            "--at",
            "21:30",
            "--out",
            out.to_str().expect("utf-8"),
        ],
        "",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let ics = std::fs::read_to_string(&out).expect("written");
    assert!(
        ics.starts_with("BEGIN:VCALENDAR\r\n")
            && ics.contains("RRULE:FREQ=DAILY\r\n")
            && ics.contains("T213000\r\n")
    );
    assert!(
        ics.split("\r\n").all(|l| l.len() <= 75),
        "lines folded at 75 octets"
    );
    assert_eq!(run(&["remind", "--at", "9pm"], "").code, 2);
}

#[test]
fn delete_all_needs_confirming() {
    let d = Dir::new("deleteall");
    assert_eq!(d.run(LOG).code, 0);
    let r = d.run(&["delete", "--all"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--yes"));
    assert!(!d.run(&["diary"]).stdout.contains("No cramps logged"));
    assert_eq!(d.run(&["delete", "--all", "--yes"]).code, 0);
    assert!(d.run(&["diary"]).stdout.contains("No cramps logged"));
}

/// The same commands on PostgreSQL (DATABASE_URL), in a fresh database on the local server.
#[test]
fn the_diary_commands_work_on_postgresql() {
    let Some(admin) = legcramps_test_pg::admin_url("the_diary_commands_work_on_postgresql") else {
        return;
    };
    use sqlx::Connection;
    let db = format!("legcramps_cli_{}", std::process::id());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let mut conn = sqlx::PgConnection::connect(&admin)
            .await
            .unwrap_or_else(|e| panic!("PostgreSQL at {admin} cannot be reached: {e}"));
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
    let with_pg = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_legcramps"))
            .args(args)
            .env("DATABASE_URL", &url)
            .env("NO_COLOR", "1")
            .stdin(std::process::Stdio::null())
            .output()
            .expect("runs");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, out, err) = with_pg(LOG);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("Logged "));
    let (_, csv, _) = with_pg(&["export", "--format", "csv"]);
    assert_eq!(csv.lines().count(), 2);
    let dir = Dir::new("pg-import");
    let path = dir.file("d.csv", &csv);
    let (_, again, _) = with_pg(&["import", &path]);
    assert!(
        again.contains("Imported 0 new record(s); 1 were already"),
        "{again}"
    );
    let (_, report, _) = with_pg(&["report", "--from", "2026-11-01", "--to", "2026-11-30"]);
    assert!(report.contains("Cramps logged: 1"), "{report}");
    rt.block_on(async {
        if let Ok(mut conn) = sqlx::PgConnection::connect(&admin).await {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))
                .execute(&mut conn)
                .await;
        }
    });
}

/// Hardening finding 5, on the command line: the medicine's start date has the same limits.
#[test]
fn log_applies_the_date_limits_naming_the_flag() {
    let d = Dir::new("dates");
    for started in ["9999-12-31", "0001-01-01"] {
        let r = d.run(&[
            "log",
            "--at",
            "2026-11-20T02:10+00:00",
            "--minutes",
            "3",
            "--site",
            "calf",
            "--side",
            "left",
            "--asleep",
            "--eased",
            "yes",
            "--severity",
            "mild",
            "--medication",
            "Tablets",
            "--medication-started",
            started,
        ]);
        assert_eq!(r.code, 2, "{started}: {}", r.stdout);
        assert!(r.stderr.contains("--medication-started"), "{}", r.stderr);
    }
    assert!(d.run(&["diary"]).stdout.contains("No cramps logged"));
}

/// Hardening finding 12: import checks the size before reading (a 65 MB file is refused without
/// being loaded) and names the row that holds a byte that is not UTF-8.
#[test]
fn import_checks_the_size_first_and_names_the_row_of_a_bad_byte() {
    let d = Dir::new("import-limits");
    let dir = std::env::temp_dir().join(format!("legcramps-import-limits-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let huge = dir.join("huge.csv");
    std::fs::File::create(&huge)
        .expect("create")
        .set_len(65 * 1024 * 1024)
        .expect("sparse file");
    let r = d.run(&["import", huge.to_str().expect("utf-8")]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("larger than 64 MB"), "{}", r.stderr);
    let bad = dir.join("bad.csv");
    let mut bytes = b"id,start,duration_seconds,site,side,asleep,eased,severity,note,exercise,new_medication,new_medication_started,pregnant,short_of_fluids\r\n".to_vec();
    bytes.extend_from_slice(
        b"e1,2026-11-20T02:10:00+00:00,60,calf,left,yes,yes,mild,,no,,,no,no\r\n",
    );
    bytes.extend_from_slice(
        b"e2,2026-11-20T03:10:00+00:00,60,calf,left,yes,yes,mild,caf\xe9,no,,,no,no\r\n",
    );
    std::fs::write(&bad, bytes).expect("write");
    let r = d.run(&["import", bad.to_str().expect("utf-8")]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("row 3: not UTF-8"), "{}", r.stderr);
    assert!(d.run(&["diary"]).stdout.contains("No cramps logged"));
    let _ = std::fs::remove_dir_all(dir);
}

/// Hardening finding 12: a bad `--data-dir` gave exit 1 on some commands and 2 on others; it is
/// bad input, so 2 everywhere, with a message naming the directory.
#[test]
fn a_bad_data_dir_is_exit_2_on_every_command() {
    for args in [
        &["diary"][..],
        &["export", "--format", "csv"][..],
        &["report"][..],
        &["delete", "--all", "--yes"][..],
        &[
            "log",
            "--minutes",
            "3",
            "--site",
            "calf",
            "--side",
            "left",
            "--asleep",
            "--eased",
            "yes",
            "--severity",
            "mild",
        ][..],
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_legcramps"))
            .args(args)
            .args(["--data-dir", "/dev/null/not-a-directory"])
            .env_remove("DATABASE_URL")
            .stdin(std::process::Stdio::null())
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("/dev/null/not-a-directory"), "{args:?}: {err}");
    }
}

/// Issue 9: the diary fits 80 columns, shows notes and the red flag on lines of their own
/// (wrapped at words), and `edit` and `delete` take the short id it shows; a prefix that fits
/// two cramps, or is too short, is an error that says so.
#[test]
fn the_diary_fits_80_columns_and_short_ids_work() {
    let d = Dir::new("short");
    let json = r#"{"format": "legcramps-diary", "version": 1, "episodes": [
        {"id": "abcd1111-aaaa", "start": "2026-11-20T02:10:00+00:00", "duration_seconds": 720, "site": "calf", "side": "right", "asleep": true, "eased": "no", "severity": "severe", "note": "It woke me at two and again at four, and the second time I had to stand on the cold kitchen floor for a long while before it let go of my calf", "context": {"exercise": false, "pregnant": false, "short_of_fluids": false}},
        {"id": "abcd2222-bbbb", "start": "2026-11-21T03:00:00+00:00", "duration_seconds": 90, "site": "other", "side": "right", "asleep": false, "eased": "yes", "severity": "mild", "context": {"exercise": false, "pregnant": false, "short_of_fluids": false}}
    ], "checks": []}"#;
    let file = d.file("two.json", json);
    let imported = d.run(&["import", &file]);
    assert_eq!(imported.code, 0, "{}", imported.stderr);
    let list = d.run(&["diary"]).stdout;
    for line in list.lines() {
        assert!(
            line.chars().count() <= 80,
            "{} columns: {line}",
            line.chars().count()
        );
    }
    assert!(
        list.contains("abcd1111  2026-11-20 02:10      12m"),
        "{list}"
    );
    assert!(
        list.contains("1m 30s") && list.contains("right other"),
        "{list}"
    );
    assert!(
        list.contains("          RED FLAG: 10 minutes or more, not eased"),
        "{list}"
    );
    assert!(list.contains("          Note: It woke me at two"), "{list}");
    // Short ids, as shown.
    let edit = d.run(&["edit", "abcd2222", "--minutes", "2 mins"]);
    assert_eq!(edit.code, 0, "{}", edit.stderr);
    assert!(
        d.run(&["diary"])
            .stdout
            .contains("abcd2222  2026-11-21 03:00       2m")
    );
    let both = d.run(&["delete", "abcd"]);
    assert_eq!(both.code, 2);
    assert!(
        both.stderr.contains("more than one cramp") && both.stderr.contains("abcd1111-aaaa"),
        "{}",
        both.stderr
    );
    let short = d.run(&["delete", "abc"]);
    assert_eq!(short.code, 2);
    assert!(
        short.stderr.contains("at least 4 characters"),
        "{}",
        short.stderr
    );
    assert_eq!(d.run(&["delete", "abcd1111"]).code, 0);
    assert_eq!(d.run(&["delete", "abcd2"]).code, 0);
    assert!(d.run(&["diary"]).stdout.contains("No cramps logged"));
}

/// Issue 9: medicines, pregnancy and conditions are kept once in the profile, with dates; a
/// cramp shows them as they were on its day (in the export), and mistakes are named.
#[test]
fn the_profile_keeps_medicines_with_their_dates() {
    let d = Dir::new("profile");
    let empty = d.run(&["profile"]);
    assert_eq!(empty.code, 0, "{}", empty.stderr);
    assert!(
        empty.stdout.contains("Medicines\n  none added"),
        "{}",
        empty.stdout
    );
    let added = d.run(&[
        "profile",
        "add",
        "medicine",
        "amlodipine 5 mg",
        "--started",
        "2026-11-19",
    ]);
    assert_eq!(added.code, 0, "{}", added.stderr);
    assert!(
        added
            .stdout
            .contains("amlodipine 5 mg, from 19 Nov 2026, still taking it")
    );
    // The same again is refused, and so is a stop before the start.
    let twice = d.run(&[
        "profile",
        "add",
        "medicine",
        "amlodipine 5 mg",
        "--started",
        "2026-11-19",
    ]);
    assert_eq!(twice.code, 2);
    assert!(
        twice.stderr.contains("already has this"),
        "{}",
        twice.stderr
    );
    let id: String = added
        .stdout
        .lines()
        .find(|l| l.contains("amlodipine"))
        .and_then(|l| l.split_whitespace().next())
        .expect("an id")
        .to_owned();
    let early = d.run(&["profile", "end", &id, "--on", "2026-11-01"]);
    assert_eq!(early.code, 2);
    assert!(
        early
            .stderr
            .contains("--on: 1 November 2026 is before the start, 19 November 2026"),
        "{}",
        early.stderr
    );
    let future = d.run(&["profile", "add", "pregnancy", "--started", "2099-01-01"]);
    assert_eq!(future.code, 2);
    assert!(
        future
            .stderr
            .contains("--started: 2099-01-01 is in the future")
    );
    // Cramps before and after the start: only the later one shows the medicine.
    let mut before: Vec<&str> = LOG.to_vec();
    before[2] = "2026-11-18T02:10+00:00";
    assert_eq!(d.run(&before).code, 0);
    assert_eq!(d.run(LOG).code, 0);
    let ended = d.run(&["profile", "end", &id[..6], "--on", "2026-11-20"]);
    assert_eq!(ended.code, 0, "{}", ended.stderr);
    assert!(ended.stdout.contains("19 Nov 2026 to 20 Nov 2026"));
    let csv = d.run(&["export", "--format", "csv"]).stdout;
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert!(
        // No medicine, and "pregnant" empty: not said, never "false".
        rows[0].ends_with(",,,,"),
        "no medicine on the 18th: {csv}"
    );
    assert!(rows[1].contains(",amlodipine 5 mg,,"), "{csv}");
    let report = d.run(&["report", "--from", "2026-11-01", "--to", "2026-11-26"]);
    assert!(
        report
            .stdout
            .contains("Medicine: amlodipine 5 mg, 19 Nov 2026 to 20 Nov 2026")
    );
    let removed = d.run(&["profile", "remove", &id]);
    assert_eq!(removed.code, 0, "{}", removed.stderr);
    assert!(removed.stdout.contains("Medicines\n  none added"));
}

/// Issue 18, finding 28: logging a new medicine says, as the web profile does, that a
/// pharmacist can say if it may be the cause and that a prescribed medicine is never stopped
/// on one's own.
#[test]
fn logging_a_new_medicine_says_ask_a_pharmacist_and_do_not_stop_it() {
    let d = Dir::new("medicine-lines");
    let mut args: Vec<&str> = LOG.to_vec();
    args.extend(["--medication", "Example tablets"]);
    let r = d.run(&args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let words = r.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("Ask a pharmacist about your new medicine"),
        "{words}"
    );
    assert!(
        words.contains("Do not stop a medicine you were prescribed"),
        "{words}"
    );
    // Without a medicine, neither.
    let r = Dir::new("no-medicine-lines").run(LOG);
    assert!(!r.stdout.contains("pharmacist"), "{}", r.stdout);
}

/// Issue 21, finding 2: `legcramps checkin` says "no cramps last night"; the report counts the
/// night; `--undo` takes it back; a bad or future night is refused, naming it.
#[test]
fn checkin_records_a_night_without_cramps_and_the_report_counts_it() {
    let d = Dir::new("checkin");
    // A cramp in sleep on 20 November (LOG), then a night without on the 30th.
    assert_eq!(d.run(LOG).code, 0);
    let done = d.run(&["checkin", "--night", "2026-11-30"]);
    assert_eq!(done.code, 0, "{}", done.stderr);
    assert!(
        done.stdout
            .contains("Recorded: no cramps in the night of Sunday 29 to Monday 30 November."),
        "{}",
        done.stdout
    );
    let report = d.run(&["report", "--from", "2026-11-24", "--to", "2026-11-30"]);
    assert!(
        report.stdout.contains(
            "Nights: 0 with a cramp in my sleep, 1 with no cramps (checked in), 6 not recorded"
        ),
        "{}",
        report.stdout
    );
    let json = d.run(&["export", "--format", "json"]);
    assert!(json.stdout.contains("\"2026-11-30\""), "{}", json.stdout);
    let undo = d.run(&["checkin", "--night", "2026-11-30", "--undo"]);
    assert!(undo.stdout.contains("Taken back"), "{}", undo.stdout);
    let bad = d.run(&["checkin", "--night", "30/11/2026"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("night"), "{}", bad.stderr);
    let future = d.run(&["checkin", "--night", "2999-01-01"]);
    assert_eq!(future.code, 2);
    assert!(future.stderr.contains("future"), "{}", future.stderr);
}

/// Issue 21, finding 2 (outside review): once check-ins are used, a medicine's before and
/// while-taken rates are set side by side only when at least half the nights of each window
/// were recorded, and the GP summary says how many were.
#[test]
fn a_medicine_is_compared_only_on_recorded_nights() {
    let d = Dir::new("medicine-nights");
    let log = |at: &str| {
        let r = d.run(&[
            "log",
            "--at",
            at,
            "--side",
            "left",
            "--severity",
            "mild",
            "--asleep",
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
    };
    log("2026-10-02T03:00+00:00");
    log("2026-10-12T03:00+00:00");
    log("2026-11-12T03:00+00:00");
    let m = d.run(&[
        "profile",
        "add",
        "medicine",
        "--started",
        "2026-11-01",
        "Example tablets",
    ]);
    assert_eq!(m.code, 0, "{}", m.stderr);
    let check_in = |from: chrono::NaiveDate, days: u64| {
        for n in 0..days {
            let night = (from + chrono::Days::new(n)).to_string();
            assert_eq!(d.run(&["checkin", "--night", &night]).code, 0);
        }
    };
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("day");
    // Every night while taken is recorded; before it, only the cramps' nights.
    check_in(day("2026-11-01"), 28);
    let html = d.file("summary.html", "");
    let r = d.run(&[
        "report",
        "--from",
        "2026-10-01",
        "--to",
        "2026-11-30",
        "--html",
        &html,
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let page = std::fs::read_to_string(&html).expect("html");
    assert!(
        page.contains(
            "Not compared: too few nights recorded (1 of 28 before, 28 of 28 while taken"
        ),
        "{page}"
    );
    // With the nights before recorded too, the rates are set side by side, with the counts.
    check_in(day("2026-10-04"), 28);
    let r = d.run(&[
        "report",
        "--from",
        "2026-10-01",
        "--to",
        "2026-11-30",
        "--html",
        &html,
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let page = std::fs::read_to_string(&html).expect("html");
    assert!(
        page.contains("(Nights recorded: 28 of 28 before, 28 of 28 while taken.)"),
        "{page}"
    );
}
