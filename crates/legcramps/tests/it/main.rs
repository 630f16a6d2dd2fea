//! The `legcramps` binary, driven as a person or a script would: arguments, standard input,
//! exit codes, and what is printed.

mod admin;
mod crash;
mod diary;
mod serve;

use std::io::Write;
use std::process::{Command, Stdio};

pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

pub(crate) fn run(args: &[&str], stdin: &str) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_legcramps"))
        .args(args)
        .env("NO_COLOR", "1")
        .env("RUST_BACKTRACE", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut input = child.stdin.take().expect("stdin");
    let text = stdin.to_owned();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(text.as_bytes());
    });
    let out = child.wait_with_output().expect("the binary finishes");
    writer.join().expect("stdin written");
    let run = Run {
        code: out.status.code().expect("exited normally"),
        stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("utf-8 stderr"),
    };
    assert!(
        !run.stderr.contains("panicked") && !run.stderr.contains("stack backtrace"),
        "{args:?} panicked: {}",
        run.stderr
    );
    run
}

/// `input` to `triage --json` is refused with exit code 2 and a message containing `names`.
fn refused(input: &str, names: &str) {
    let r = run(&["triage", "--json"], input);
    assert_eq!(r.code, 2, "input {input:?}: {}", r.stderr);
    assert!(
        r.stderr.contains(names),
        "input {input:?}: stderr was {}",
        r.stderr
    );
    assert!(r.stdout.is_empty());
    assert_eq!(
        r.stderr.lines().count(),
        1,
        "one short message: {}",
        r.stderr
    );
}

#[test]
fn every_command_has_help_with_examples() {
    for cmd in [
        &[][..],
        &["triage"],
        &["check"],
        &["guide"],
        &["rules"],
        &["stretch"],
        &["serve"],
        &["log"],
        &["diary"],
        &["edit"],
        &["delete"],
        &["report"],
        &["export"],
        &["import"],
        &["remind"],
    ] {
        let mut args = cmd.to_vec();
        args.push("--help");
        let r = run(&args, "");
        assert_eq!(r.code, 0, "{args:?}");
        assert!(
            r.stdout.contains("Example"),
            "{args:?} help has no examples:\n{}",
            r.stdout
        );
    }
}

#[test]
fn triage_json_answers_the_contract() {
    let r = run(
        &["triage", "--json", "-"],
        r#"{"breathless_or_chest_pain": false, "one_leg_swollen_warm_or_red": false, "longest_cramp_minutes": 12, "eases_when_moving": false, "long_cramp_recent": true, "gp_open": false}"#,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("JSON out");
    assert_eq!(v["disposition"], "urgent-gp");
    assert_eq!(v["phone_111"], true);
    assert_eq!(
        v["triggered"],
        serde_json::json!(["help.urgent.long-unrelieved"])
    );
    // Advice comes in sections, what to do now first (issue 18, finding 10).
    let sections: Vec<&str> = v["advice"]
        .as_array()
        .expect("advice")
        .iter()
        .map(|a| a["section"].as_str().expect("section"))
        .collect();
    assert_eq!(sections.first(), Some(&"now"), "{sections:?}");
    assert!(
        sections.windows(2).all(|w| w != ["later", "now"]),
        "{sections:?}"
    );
}

#[test]
fn triage_reads_a_file() {
    let dir = std::env::temp_dir().join(format!("legcramps-it-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("a.json");
    std::fs::write(
        &file,
        r#"{"breathless_or_chest_pain": false, "one_leg_swollen_warm_or_red": false,
            "longest_cramp_minutes": 2, "toxin_or_wound_contact": false, "frequent": true}"#,
    )
    .expect("write");
    let r = run(
        &["triage", "--json", file.to_str().expect("utf-8 path")],
        "",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("\"disposition\": \"gp\""), "{}", r.stdout);
    let missing = run(&["triage", "--json", "/no/such/file.json"], "");
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("cannot open /no/such/file.json"));
}

#[test]
fn triage_refuses_bad_input_naming_the_problem() {
    refused("", "empty");
    refused("{", "ends too early");
    refused("[1, 2]", "found an array");
    refused("\"text\"", "found a string");
    refused(r#"{"often": true}"#, "often: unknown field");
    refused(r#"{"frequent": "yes"}"#, "frequent: wrong type");
    refused(
        r#"{"longest_cramp_minutes": -3}"#,
        "longest_cramp_minutes: must not be negative",
    );
    refused(
        r#"{"longest_cramp_minutes": 99999}"#,
        "longest_cramp_minutes: must be at most 1440",
    );
    refused(
        r#"{"longest_cramp_minutes": 1e400}"#,
        "longest_cramp_minutes: the number is far too large",
    );
    refused(
        r#"{"known_conditions": ["gout"]}"#,
        "known_conditions[0]: unknown condition `gout`",
    );
    refused(
        r#"{"frequent": true, "frequent": true}"#,
        "frequent: duplicate field",
    );
    refused(
        r#"{"frequent": true} {}"#,
        "unexpected data after the JSON object",
    );
    refused(&"[".repeat(10_000), "found an array");
    refused(
        &format!("{{\"known_conditions\": {}", "[".repeat(5_000)),
        "known_conditions[0]: wrong type",
    );
    refused(&" ".repeat(20_000), "larger than 16384 bytes");
    let r = run(&["triage", "--json"], "\u{0}\u{ff}");
    assert_eq!(r.code, 2);
}

#[test]
fn jsonl_answers_every_good_line_and_reports_bad_ones_by_number() {
    let input = "{\"frequent\": true}\nnot json\n{}\n\n{\"longest_cramp_minutes\": -1}\n";
    let r = run(&["triage", "--jsonl"], input);
    assert_eq!(r.code, 2);
    let lines: Vec<serde_json::Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("each output line is JSON"))
        .collect();
    assert_eq!(lines.len(), 5, "one output line per input line");
    assert_eq!(
        lines[0]["disposition"], "urgent-gp",
        "unanswered red flags are read the safe way"
    );
    assert_eq!(lines[1]["line"], 2);
    assert_eq!(lines[2]["disposition"], "urgent-gp");
    assert_eq!(lines[3]["line"], 4);
    assert_eq!(lines[4]["error"]["field"], "longest_cramp_minutes");
    assert!(r.stderr.contains("line 2: "), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("line 5: longest_cramp_minutes: must not be negative"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("3 of 5 lines refused"), "{}", r.stderr);

    let ok = run(&["triage", "--jsonl"], "{}\r\n{\"frequent\": false}");
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    assert_eq!(ok.stdout.lines().count(), 2);
}

#[test]
fn triage_needs_a_mode() {
    let r = run(&["triage"], "{}");
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--json"), "{}", r.stderr);
}

#[test]
fn check_without_a_terminal_explains_answers_instead_of_hanging() {
    let r = run(&["check"], "");
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--answers"), "{}", r.stderr);
}

#[test]
fn check_with_answers_prints_the_questions_the_outcome_and_the_safety_net() {
    let dir = std::env::temp_dir().join(format!("legcramps-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("answers.json");
    std::fs::write(
        &file,
        r#"{"breathless_or_chest_pain": false, "one_leg_swollen_warm_or_red": false,
            "longest_cramp_minutes": 2, "toxin_or_wound_contact": false, "quality_of_life_affected": false,
            "frequent": false, "sleep_disturbed": false, "numbness_or_swelling": false,
            "muscle_shrinking_or_weaker": false, "new_medication": true, "pregnant": false,
            "after_exercise": false, "dehydrated": false, "known_conditions": []}"#,
    )
    .expect("write");
    let r = run(&["check", "--answers", file.to_str().expect("utf-8")], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    for expected in [
        "Since your leg pain began, have you had chest pain, or new or worse shortness of breath? No",
        "How long did your longest cramp last? 2 minutes",
        "Did your cramps start after you began a new medicine? Yes",
        "Speak to a pharmacist",
        "Why",
        "Do not stop a medicine you were prescribed",
        "When to get help again",
        "NHS 24",
    ] {
        // Lines are wrapped to the terminal: compare the words.
        let words = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            words(&r.stdout).contains(&words(expected)),
            "missing {expected:?} in:\n{}",
            r.stdout
        );
    }
    assert!(
        !r.stdout.contains("ease once you started to move"),
        "the 'eases' question is skipped for a short cramp"
    );
    assert!(
        !r.stdout.contains("[medication.can-cause]") && !r.stdout.contains("2026.11"),
        "fact ids and the content version are for clinicians, not the terminal outcome"
    );
    assert!(!r.stdout.contains('\u{1b}'), "NO_COLOR is honoured");

    let bad = dir.join("bad.json");
    std::fs::write(&bad, r#"{"frequent": "often"}"#).expect("write");
    let r = run(&["check", "--answers", bad.to_str().expect("utf-8")], "");
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("frequent: wrong type"), "{}", r.stderr);
}

#[test]
fn guide_lists_and_prints_topics() {
    let list = run(&["guide", "--list"], "");
    assert_eq!(list.code, 0);
    for slug in [
        "overview",
        "symptoms",
        "when-to-get-help",
        "causes",
        "treatment",
        "stretches",
        "prevention",
    ] {
        assert!(list.stdout.contains(slug), "{slug} not listed");
    }
    let help = run(&["guide", "when-to-get-help"], "");
    assert_eq!(help.code, 0);
    assert!(help.stdout.contains("phone 111"));
    assert!(
        help.stdout.lines().all(|l| l.chars().count() <= 80),
        "wrapped to 80 columns off a terminal"
    );
    let unknown = run(&["guide", "gout"], "");
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("there is no topic `gout`"));
}

#[test]
fn rules_prints_every_rule_for_review() {
    let r = run(&["rules"], "");
    assert_eq!(r.code, 0);
    for rule in legcramps_core::triage::RULES {
        assert!(r.stdout.contains(rule.fact), "{} missing", rule.fact);
        assert!(r.stdout.contains(rule.because) && r.stdout.contains(rule.assumed));
    }
    // What a clinician signs off is what people read: every question, hint and option.
    for q in legcramps_core::questions::QUESTIONS {
        assert!(r.stdout.contains(q.text), "{} missing", q.text);
        assert!(r.stdout.contains(q.hint), "hint of {} missing", q.text);
    }
    for (label, _) in legcramps_core::questions::YES_NO_OPTIONS {
        assert!(r.stdout.contains(label), "option {label} missing");
    }
    for a in legcramps_core::triage::Action::ALL {
        assert!(r.stdout.contains(a.headline()));
    }
    assert!(r.stdout.starts_with("# Leg cramps triage rules"));
}

#[test]
fn stretch_without_a_terminal_prints_the_steps_without_waiting() {
    let r = run(&["stretch", "--reps", "3", "--hold", "4"], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("1. Hold on to a wall or a banister. Stand on a step"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("3 repetitions, holding each stretch for 4 seconds")
    );
    let bad = run(&["stretch", "--reps", "0"], "");
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("--reps"));
}

#[test]
fn unknown_commands_are_usage_errors() {
    let r = run(&["diagnose"], "");
    assert_eq!(r.code, 2);
}

/// Issue 18, findings 11 and 24: "Get help now" comes first in "When to get help" (as the
/// README and hazard H12 say), and the stretch says not to stretch a leg with the signs of a
/// clot, with where to get help.
#[test]
fn get_help_now_comes_first_in_the_guide_and_the_stretch() {
    let r = run(&["guide", "when-to-get-help"], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let help = r.stdout.find("GET HELP NOW").expect("Get help now");
    let topic = r.stdout.find("WHEN TO GET HELP").expect("the topic");
    assert!(help < topic, "{}", r.stdout);
    assert!(r.stdout[..topic].contains("Phone 999"));
    let r = run(&["stretch", "--reps", "1", "--hold", "1"], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let words = r.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    let caution = words
        .find("Do not stretch a leg that is swollen, warm, or red or darker")
        .expect("the caution");
    let steps = words.find("Calf stretch").expect("the stretch");
    assert!(caution < steps, "{words}");
    assert!(words.contains("GET HELP NOW"));
}

/// Issue 18, finding 23: with the README's example file, the 12-minute cramp that did not
/// ease is in "Why" and "Your answers" (the check goes on after a missing breathlessness
/// answer), and a field missing from the file is "not answered in the file", not "not sure".
#[test]
fn check_answers_says_what_the_file_left_out_and_keeps_the_long_cramp() {
    let dir = std::env::temp_dir().join(format!("legcramps-check23-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("answers.json");
    std::fs::write(
        &file,
        r#"{"longest_cramp_minutes": 12, "eases_when_moving": false, "gp_open": false}"#,
    )
    .expect("write");
    let r = run(&["check", "--answers", file.to_str().expect("utf-8")], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let words = r.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    let why = words.find("Why").expect("why");
    let answers = words.find("Your answers").expect("answers");
    assert!(
        words[why..answers].contains("how long your cramp lasted"),
        "{words}"
    );
    assert!(
        words[answers..].contains("How long did your longest cramp last? 12 minutes"),
        "{words}"
    );
    assert!(
        words[answers..].contains("shortness of breath? Not answered in the file"),
        "{words}"
    );
    assert!(!words[answers..].contains("I\u{2019}m not sure"), "{words}");
    let _ = std::fs::remove_dir_all(dir);
}

/// Issue 19 (what a newcomer hit): `legcramps diary | head` panicked with exit 101 on the closed
/// pipe, and other commands exited 1. A closed pipe is a quiet success, for every command.
#[test]
fn a_closed_pipe_is_a_quiet_success() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let dir = std::env::temp_dir().join(format!("legcramps-pipe-{}", std::process::id()));
    let data = dir.to_str().expect("utf-8").to_owned();
    // Enough cramps that every command's output is far more than a pipe holds (64 KiB), so
    // the pipe is closed while the program is still writing.
    std::fs::create_dir_all(&dir).expect("dir");
    let mut csv = String::from(
        "id,start,duration_seconds,site,side,asleep,eased,severity,note,exercise,short_of_fluids,last_night,helped,suspected,medicines,pregnant,conditions\n",
    );
    for n in 0..3000 {
        csv.push_str(&format!(
            "p{n},2026-{:02}-{:02}T02:10:00+00:00,120,calf,left,true,yes,mild,a note long enough to fill the pipe quickly,false,false,false,,,,false,\n",
            1 + n % 11,
            1 + n % 28
        ));
    }
    let file = dir.join("many.csv");
    std::fs::write(&file, csv).expect("write");
    let r = run(
        &["import", file.to_str().expect("utf-8"), "--data-dir", &data],
        "",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    for args in [
        vec!["diary", "--data-dir", data.as_str()],
        vec!["diary", "--json", "--data-dir", data.as_str()],
        vec!["export", "--format", "json", "--data-dir", data.as_str()],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_legcramps"))
            .args(&args)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        // Read one byte, as `head -c 1` would, then close the pipe.
        let mut stdout = child.stdout.take().expect("stdout");
        let mut first = [0u8; 1];
        stdout.read_exact(&mut first).expect("some output");
        drop(stdout);
        let out = child.wait_with_output().expect("wait");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.stderr.is_empty(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}
