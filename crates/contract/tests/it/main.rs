//! The triage contract: what is accepted, what is refused and how the refusal reads, and the
//! shape of the outcome.

use legcramps_contract::{outcome_out, parse_assessment};
use legcramps_core::{Assessment, Condition, Conditions, Minutes, YesNo, evaluate};
use proptest::prelude::*;

/// `input` must be refused with exactly `expected` as the message.
fn refused(input: &str, expected: &str) {
    match parse_assessment(input) {
        Ok(a) => panic!("accepted {input:?} as {a:?}"),
        Err(e) => assert_eq!(e.to_string(), expected, "input: {input:?}"),
    }
}

#[test]
fn bad_input_is_refused_with_a_message_that_names_the_problem() {
    refused("", "the input is empty: expected one JSON object");
    refused("   \n ", "the input is empty: expected one JSON object");
    refused(
        "[]",
        "expected one JSON object, found an array (line 1, column 1)",
    );
    refused(
        "\"hello\"",
        "expected one JSON object, found a string (line 1, column 1)",
    );
    refused(
        "42",
        "expected one JSON object, found a number (line 1, column 1)",
    );
    refused(
        "null",
        "expected one JSON object, found null (line 1, column 1)",
    );
    refused(
        "\n  true",
        "expected one JSON object, found a boolean (line 2, column 3)",
    );
    refused(
        "hello",
        "expected one JSON object, found something that is not JSON (line 1, column 1)",
    );
    refused(
        "{",
        "the JSON ends too early (is something missing, such as a closing brace?) (line 1, column 1)",
    );
    refused(
        r#"{"frequent": tru}"#,
        "frequent: invalid JSON: expected true, false or null (line 1, column 17)",
    );
    refused(
        r#"{"often": true}"#,
        "often: unknown field `often`, expected one of `longest_cramp_minutes`, `eases_when_moving`, `toxin_or_wound_contact`, `gp_open`, `quality_of_life_affected`, `frequent`, `sleep_disturbed`, `numbness_or_swelling`, `muscle_shrinking_or_weaker`, `new_medication`, `pregnant`, `after_exercise`, `dehydrated`, `known_conditions`, `breathless_or_chest_pain`, `one_leg_swollen_warm_or_red`, `lead_or_mercury_contact`, `dirt_in_wound`, `long_cramp_recent` (line 1, column 8)",
    );
    refused(
        r#"{"frequent": "yes"}"#,
        "frequent: wrong type: string \"yes\", expected a boolean (line 1, column 18)",
    );
    refused(
        r#"{"frequent": 1}"#,
        "frequent: wrong type: integer `1`, expected a boolean (line 1, column 14)",
    );
    refused(
        r#"{"longest_cramp_minutes": -1}"#,
        "longest_cramp_minutes: must not be negative (line 1, column 29)",
    );
    refused(
        r#"{"longest_cramp_minutes": 1441}"#,
        "longest_cramp_minutes: must be at most 1440 minutes (one day) (line 1, column 31)",
    );
    refused(
        r#"{"longest_cramp_minutes": 1e999}"#,
        "longest_cramp_minutes: the number is far too large (line 1, column 31)",
    );
    refused(
        r#"{"longest_cramp_minutes": "NaN"}"#,
        "longest_cramp_minutes: wrong type: string \"NaN\", expected a number of minutes (line 1, column 31)",
    );
    refused(
        r#"{"longest_cramp_minutes": "5"}"#,
        "longest_cramp_minutes: wrong type: string \"5\", expected a number of minutes (line 1, column 29)",
    );
    refused(
        r#"{"known_conditions": ["gout"]}"#,
        "known_conditions[0]: unknown condition `gout`, expected `neurological` or `liver-disease` (line 1, column 29)",
    );
    refused(
        r#"{"known_conditions": "neurological"}"#,
        "known_conditions: wrong type: string \"neurological\", expected a sequence (line 1, column 35)",
    );
    refused(
        r#"{"frequent": true, "frequent": false}"#,
        "frequent: duplicate field `frequent` (line 1, column 29)",
    );
    refused(
        r#"{"frequent": true} {"frequent": false}"#,
        "unexpected data after the JSON object (send one object only) (line 1, column 20)",
    );
    refused(
        r#"{"frequent": true,}"#,
        "invalid JSON: trailing comma (line 1, column 19)",
    );
    refused(
        r#"{"frequent": true} x"#,
        "unexpected data after the JSON object (send one object only) (line 1, column 20)",
    );
    let deep = format!(
        "{}{}{}}}",
        r#"{"known_conditions": "#,
        "[".repeat(3_000),
        "]".repeat(3_000)
    );
    refused(
        &deep,
        "known_conditions[0]: wrong type: sequence, expected a string (line 1, column 22)",
    );
    let deep_top = "[".repeat(10_000);
    refused(
        &deep_top,
        "expected one JSON object, found an array (line 1, column 1)",
    );
    let deep_unknown = format!("{}{}", r#"{"x": "#, "{\"a\":".repeat(3_000));
    refused(
        &deep_unknown,
        "x: unknown field `x`, expected one of `longest_cramp_minutes`, `eases_when_moving`, `toxin_or_wound_contact`, `gp_open`, `quality_of_life_affected`, `frequent`, `sleep_disturbed`, `numbness_or_swelling`, `muscle_shrinking_or_weaker`, `new_medication`, `pregnant`, `after_exercise`, `dehydrated`, `known_conditions`, `breathless_or_chest_pain`, `one_leg_swollen_warm_or_red`, `lead_or_mercury_contact`, `dirt_in_wound`, `long_cramp_recent` (line 1, column 4)",
    );
    let huge = format!("{{\"frequent\": true{}}}", " ".repeat(20_000));
    refused(
        &huge,
        "the assessment is 20018 bytes; the most accepted is 16384",
    );
}

#[test]
fn good_input_is_read_as_sent() {
    let a = parse_assessment(
        r#"{"longest_cramp_minutes": 12.5, "eases_when_moving": false, "gp_open": null,
            "known_conditions": ["liver-disease"], "pregnant": true}"#,
    )
    .expect("valid");
    assert_eq!(a.longest_cramp_minutes.map(Minutes::get), Some(12.5));
    assert_eq!(a.get(YesNo::EasesWhenMoving), Some(false));
    assert_eq!(a.get(YesNo::GpOpen), None, "null means not answered");
    assert_eq!(a.get(YesNo::Pregnant), Some(true));
    assert_eq!(
        a.known_conditions,
        Some(Conditions::NONE.with(Condition::LiverDisease))
    );
    assert_eq!(
        parse_assessment("{}").expect("valid"),
        Assessment::default()
    );
    assert_eq!(
        parse_assessment("\u{feff} {} \n").expect("BOM and whitespace"),
        Assessment::default()
    );
    assert_eq!(
        parse_assessment(r#"{"longest_cramp_minutes": -0.0}"#)
            .expect("valid")
            .longest_cramp_minutes
            .map(Minutes::get),
        Some(0.0)
    );
}

#[test]
fn the_combined_toxin_field_and_its_parts_are_not_given_together() {
    refused(
        r#"{"toxin_or_wound_contact": false, "dirt_in_wound": true}"#,
        "toxin_or_wound_contact: give either `toxin_or_wound_contact` or its two parts (`lead_or_mercury_contact`, `dirt_in_wound`), not both",
    );
    let a = parse_assessment(r#"{"lead_or_mercury_contact": false, "dirt_in_wound": true}"#)
        .expect("the parts alone are fine");
    assert_eq!(a.get(YesNo::DirtInWound), Some(true));
}

#[test]
fn only_a_yes_to_breathlessness_gives_999() {
    let out = |json: &str| {
        serde_json::to_value(outcome_out(&evaluate(
            &parse_assessment(json).expect("valid"),
        )))
        .expect("serialises")
    };
    let yes = out(r#"{"breathless_or_chest_pain": true}"#);
    assert_eq!(yes["disposition"], "emergency");
    assert_eq!(yes["phone_999"], true);
    assert_eq!(yes["phone_111"], false);
    assert_eq!(yes["headline"], "Phone 999 now");
    let unsure = out(r#"{"breathless_or_chest_pain": null, "gp_open": false}"#);
    assert_eq!(unsure["disposition"], "urgent-gp");
    assert_eq!(
        (unsure["phone_999"].clone(), unsure["phone_111"].clone()),
        (false.into(), true.into())
    );
    let dvt = out(
        r#"{"breathless_or_chest_pain": false, "one_leg_swollen_warm_or_red": true, "gp_open": true}"#,
    );
    assert_eq!(dvt["disposition"], "urgent-gp");
    assert_eq!(dvt["headline"], "Phone your GP surgery now");
    assert_eq!(dvt["triggered"][0], "dvt.urgent");
    // Issue 18, finding 1: "not sure" plus one swollen leg keeps the doubt in the reasons,
    // is 111 whatever the surgery's hours, and the advice opens with the 999 line, now.
    let both = out(
        r#"{"breathless_or_chest_pain": null, "one_leg_swollen_warm_or_red": true, "gp_open": true}"#,
    );
    assert_eq!(both["disposition"], "urgent-gp");
    assert_eq!(both["phone_111"], true);
    assert_eq!(both["headline"], "Phone 111 now");
    assert_eq!(
        both["triggered"],
        serde_json::json!(["dvt.emergency", "dvt.urgent"])
    );
    assert_eq!(both["reasons"][0]["basis"], "assumed");
    assert_eq!(both["advice"][0]["id"], "breathless-now-999");
    assert_eq!(both["advice"][0]["section"], "now");
    assert!(both["advice"][0]["text"].as_str().is_some_and(|t| {
        t.starts_with("If you are short of breath or have chest pain now, phone 999")
    }));
    // A long cramp that did not ease, over and more than 24 hours ago: GP, with "phone that
    // day if it happens again" (finding 3).
    let past = out(
        r#"{"breathless_or_chest_pain": false, "one_leg_swollen_warm_or_red": false, "longest_cramp_minutes": 12,
            "eases_when_moving": false, "long_cramp_recent": false, "lead_or_mercury_contact": false, "dirt_in_wound": false}"#,
    );
    assert_eq!(past["disposition"], "gp");
    assert!(past["advice"].as_array().is_some_and(|a| {
        a.iter()
            .any(|x| x["id"] == "long-cramp-again" && x["section"] == "now")
    }));
}

#[test]
fn the_outcome_has_every_contract_field() {
    let a = parse_assessment(r#"{"breathless_or_chest_pain": false, "one_leg_swollen_warm_or_red": false,
            "longest_cramp_minutes": 15, "eases_when_moving": false, "long_cramp_recent": true, "gp_open": false,
            "new_medication": true, "toxin_or_wound_contact": false, "quality_of_life_affected": false,
            "frequent": false, "sleep_disturbed": false, "numbness_or_swelling": false,
            "muscle_shrinking_or_weaker": false}"#).expect("valid");
    let json = serde_json::to_value(outcome_out(&evaluate(&a))).expect("serialises");
    assert_eq!(json["disposition"], "urgent-gp");
    assert_eq!(json["phone_111"], true);
    assert_eq!(
        json["triggered"],
        serde_json::json!(["help.urgent.long-unrelieved", "medication.can-cause"])
    );
    assert_eq!(
        json["possible_causes"],
        serde_json::json!(["medication.can-cause"])
    );
    assert_eq!(json["content_version"], legcramps_core::CONTENT_VERSION);
    assert_eq!(json["phone_999"], false);
    assert_eq!(json["headline"], "Phone 111 now");
    assert!(
        json["safety_net"]
            .as_str()
            .is_some_and(|s| s.contains("999"))
    );
    assert!(
        json["safety_net_lines"]
            .as_array()
            .is_some_and(|l| !l.is_empty())
    );
    let advice = json["advice"].as_array().expect("array");
    assert!(
        advice
            .iter()
            .all(|a| a["text"].is_string() && !a["fact"].as_array().expect("facts").is_empty())
    );
    assert!(
        advice
            .iter()
            .any(|a| a["fact"][0] == "medication.do-not-stop")
    );
    assert_eq!(json["reasons"][0]["basis"], "answered");
}

fn arb_assessment() -> impl Strategy<Value = Assessment> {
    let tri = || prop_oneof![Just(None), Just(Some(false)), Just(Some(true))];
    (
        proptest::option::of(0.0f64..=1440.0),
        proptest::collection::vec(tri(), YesNo::ALL.len()),
        proptest::option::of((any::<bool>(), any::<bool>())),
    )
        .prop_map(|(m, bools, conds)| {
            let mut a = Assessment {
                longest_cramp_minutes: m.map(|m| Minutes::new(m).expect("in range")),
                known_conditions: conds.map(|(n, l)| {
                    let mut c = Conditions::NONE;
                    if n {
                        c = c.with(Condition::Neurological);
                    }
                    if l {
                        c = c.with(Condition::LiverDisease);
                    }
                    c
                }),
                ..Assessment::default()
            };
            for (q, v) in YesNo::ALL.into_iter().zip(bools) {
                a.set(q, v);
            }
            // The contract takes the combined toxin-or-wound answer or its two parts, not both.
            if a.get(YesNo::ToxinOrWoundContact).is_some() {
                a.set(YesNo::LeadOrMercury, None)
                    .set(YesNo::DirtInWound, None);
            }
            a
        })
}

fn to_json(a: &Assessment) -> String {
    legcramps_contract::diary_io::assessment_json(a).to_string()
}

proptest! {
    #[test]
    fn any_assessment_round_trips(a in arb_assessment()) {
        prop_assert_eq!(parse_assessment(&to_json(&a)).expect("valid"), a);
    }

    #[test]
    fn arbitrary_text_never_panics(s in ".{0,200}") {
        let _ = parse_assessment(&s);
    }

    #[test]
    fn mangled_json_never_panics(a in arb_assessment(), cut in 0usize..400, junk in "[{}\\[\\]\",:0-9a-z ]{0,8}") {
        let mut s = to_json(&a);
        let cut = cut.min(s.len());
        s.insert_str(cut, &junk);
        let _ = parse_assessment(&s);
    }
}

/// The fast JSONL writer gives exactly what serde gives, for every distinct outcome in a
/// large enumeration of the answer space.
#[test]
fn the_fast_writer_matches_serde_for_every_outcome() {
    use std::collections::HashSet;
    let mut outcomes = HashSet::new();
    for d in [Some(2.0), Some(12.0), None] {
        for b in 0..3usize.pow(13) {
            for conds in [
                None,
                Some(Conditions::NONE),
                Some(
                    Conditions::NONE
                        .with(Condition::LiverDisease)
                        .with(Condition::Neurological),
                ),
            ] {
                let mut a = Assessment {
                    longest_cramp_minutes: d.map(|m| Minutes::new(m).expect("valid")),
                    known_conditions: conds,
                    ..Assessment::default()
                };
                let mut rest = b;
                // Every question a rule reads (the combined toxin field is the same rule as
                // its two parts), plus pregnancy for the causes.
                for q in YesNo::ALL.into_iter().filter(|q| {
                    !matches!(
                        q,
                        YesNo::ToxinOrWoundContact | YesNo::AfterExercise | YesNo::Dehydrated
                    )
                }) {
                    a.set(q, [Some(false), Some(true), None][rest % 3]);
                    rest /= 3;
                }
                outcomes.insert(evaluate(&a));
            }
        }
    }
    assert!(
        outcomes.len() > 1_000,
        "only {} distinct outcomes",
        outcomes.len()
    );
    let writer = legcramps_contract::OutcomeWriter::default();
    let mut buf = Vec::new();
    for o in outcomes {
        buf.clear();
        writer.write(&o, &mut buf);
        assert_eq!(
            String::from_utf8(buf.clone()).expect("utf-8"),
            legcramps_contract::outcome_json(&o)
        );
    }
}

/// Hardening finding 3: notes and medicine names starting with `=`, `+`, `-` or `@` were
/// exported as typed, so a spreadsheet would run them as formulas. They now get a leading `'`
/// (as OWASP advises), and import removes exactly that, so a round trip is still exact. The
/// same for the `id` column (issue 20, finding 13).
#[test]
fn csv_cells_never_start_a_formula_and_round_trip_exactly() {
    use legcramps_contract::diary_io::{DiaryFile, from_csv, to_csv};
    use legcramps_core::diary::Episode;
    use legcramps_core::profile::{EntryId, Medicine, Profile};
    let texts = [
        "=HYPERLINK(\"http://evil.example\",\"click\")",
        "+1+1",
        "-2",
        "@SUM(A1:A9)",
        "'=already quoted",
        "'just an apostrophe",
        "plain note",
    ];
    let mut episodes: Vec<Episode> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| noted_episode(&format!("e{i}"), t))
        .collect();
    // Issue 20, finding 13: an id may start with `-` (an imported id `-a1-b2` became a formula).
    episodes.push(noted_episode("-a1-b2", "plain"));
    // Each medicine name on its own in the medicines cell of a cramp, so each starts a cell.
    let profile = Profile {
        medicines: texts
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 20).expect("day");
                let stop = (i > 0).then_some(day);
                Medicine::new(EntryId::new(&format!("m{i}")).expect("id"), t, day, stop)
                    .expect("medicine")
            })
            .collect(),
        ..Profile::default()
    };
    let csv = to_csv(&episodes, &profile);
    let mut reader = csv::ReaderBuilder::new().from_reader(csv.as_bytes());
    for record in reader.records() {
        for cell in record.expect("record").iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a cell a spreadsheet would run: {cell:?}"
            );
        }
    }
    assert!(csv.contains("'=HYPERLINK"));
    assert!(csv.contains("''=already quoted"));
    let back: DiaryFile = from_csv(&csv).expect("imports");
    assert_eq!(back.episodes, episodes, "the round trip is exact");
    let mut names: Vec<&str> = back.profile.medicines.iter().map(|m| m.name()).collect();
    let mut typed = texts.to_vec();
    names.sort_unstable();
    typed.sort_unstable();
    assert_eq!(names, typed, "every medicine name comes back as typed");
}

/// Hardening finding 4: a row whose id repeats an earlier row's in the same file (ids are
/// case-folded) was silently dropped as "already in your diary". It is an error naming both
/// rows, and nothing is imported.
#[test]
fn a_repeated_id_in_one_file_is_an_error_naming_both_rows() {
    use legcramps_contract::diary_io::{from_csv, from_json};
    let header = "id,start,duration_seconds,site,side,asleep,eased,severity,note,exercise,new_medication,new_medication_started,pregnant,short_of_fluids";
    let row =
        |id: &str| format!("{id},2026-11-20T02:10:00+00:00,60,calf,left,yes,yes,mild,,no,,,no,no");
    let csv = format!(
        "{header}\r\n{}\r\n{}\r\n{}\r\n",
        row("AbC-1"),
        row("other"),
        row("abc-1")
    );
    let e = from_csv(&csv).expect_err("refused");
    assert_eq!(e.place, "row 4");
    assert_eq!(e.field.as_deref(), Some("id"));
    assert!(e.message.contains("row 2"), "{}", e.message);
    let episode = |id: &str| {
        format!(
            r#"{{"id": "{id}", "start": "2026-11-20T02:10:00+00:00", "duration_seconds": 60, "site": "calf", "side": "left", "asleep": true, "eased": "yes", "severity": "mild", "context": {{"exercise": false, "pregnant": false, "short_of_fluids": false}}}}"#
        )
    };
    let json = format!(
        r#"{{"format": "legcramps-diary", "version": 1, "episodes": [{}, {}]}}"#,
        episode("x1"),
        episode("X1")
    );
    let e = from_json(&json).expect_err("refused");
    assert_eq!(e.place, "episode 2");
    assert!(e.message.contains("episode 1"), "{}", e.message);
}

/// Serde reads a struct from a JSON array by position; a diary file is objects only, so an
/// array where an object belongs is refused, naming where (found by schemathesis in CI for the
/// API's `context`).
#[test]
fn an_array_where_an_object_belongs_is_refused() {
    use legcramps_contract::diary_io::from_json;
    let ok = r#"{"id": "x1", "start": "2026-11-20T02:10:00+00:00", "side": "left", "severity": "mild", "context": {}}"#;
    for (json, path) in [
        (r#"["legcramps-diary", 1]"#.to_owned(), None),
        (
            r#"{"format": "legcramps-diary", "version": 1, "episodes": [["x1"]]}"#.to_owned(),
            Some("episodes[0]"),
        ),
        (
            format!(r#"{{"format": "legcramps-diary", "version": 1, "episodes": [{}]}}"#, ok.replace("{}", "[]")),
            Some("episodes[0].context"),
        ),
        (
            r#"{"format": "legcramps-diary", "version": 1, "profile": []}"#.to_owned(),
            Some("profile"),
        ),
        (
            r#"{"format": "legcramps-diary", "version": 1, "profile": {"medicines": [["m", "Example", "2026-01-01"]]}}"#.to_owned(),
            Some("profile.medicines[0]"),
        ),
    ] {
        let e = from_json(&json).expect_err(&json);
        assert_eq!(e.field.as_deref(), path, "{json}");
        assert!(e.message.contains("expected a JSON object"), "{json}: {}", e.message);
    }
    let fine = format!(r#"{{"format": "legcramps-diary", "version": 1, "episodes": [{ok}]}}"#);
    assert_eq!(
        from_json(&fine).expect("an object is read").episodes.len(),
        1
    );
}

/// Hardening finding 5: date limits were not applied everywhere — a medicine start of
/// 9999-12-31 or 0001-01-01, an episode 20 hours in the future by import, a saved check dated
/// 2099 were all accepted. One check (`diary::check_when`, `check_day`) now serves every way in;
/// here, import, naming the place and the field.
#[test]
fn import_applies_the_date_limits() {
    use chrono::{TimeZone, Utc};
    use legcramps_contract::diary_io::import_checked;
    let now = Utc
        .with_ymd_and_hms(2026, 11, 26, 12, 0, 0)
        .single()
        .expect("now");
    let header = "id,start,duration_seconds,site,side,asleep,eased,severity,note,exercise,new_medication,new_medication_started,pregnant,short_of_fluids";
    let csv = |start: &str, med: &str, started: &str| {
        format!("{header}\r\ne1,{start},60,calf,left,yes,yes,mild,,no,{med},{started},no,no\r\n")
    };
    for (text, place, field) in [
        (
            csv("2026-11-20T02:10:00+00:00", "Tablets", "9999-12-31"),
            "the medicine \"Tablets\"",
            "medicine_started",
        ),
        (
            csv("2026-11-20T02:10:00+00:00", "Tablets", "0001-01-01"),
            "the medicine \"Tablets\"",
            "medicine_started",
        ),
        (csv("2026-11-27T08:00:00+00:00", "", ""), "row 2", "start"),
        (csv("1899-12-31T23:00:00+00:00", "", ""), "row 2", "start"),
    ] {
        let e = import_checked(&text, now).expect_err("refused");
        assert_eq!(
            (e.place.as_str(), e.field.as_deref()),
            (place, Some(field)),
            "{e}"
        );
    }
    let check = r#"{"format": "legcramps-diary", "version": 1, "checks": [{"id": "c1", "at": "2099-01-01T00:00:00+00:00", "answers": {}}]}"#;
    let e = import_checked(check, now).expect_err("refused");
    assert_eq!(
        (e.place.as_str(), e.field.as_deref()),
        ("check 1", Some("at"))
    );
    // Inside the limits is fine, including the few minutes' grace for clocks.
    assert!(
        import_checked(
            &csv("2026-11-26T12:03:00+00:00", "Tablets", "2026-11-26"),
            now
        )
        .is_ok()
    );
}

/// Hardening finding 12: a CSV header with a repeated column is refused, naming it; notes lose
/// bidirectional controls (which can make a note read differently from what it holds).
#[test]
fn a_repeated_csv_column_is_refused_and_bidi_controls_are_removed() {
    let header = "id,start,duration_seconds,site,side,asleep,eased,severity,note,exercise,new_medication,new_medication_started,pregnant,short_of_fluids,note";
    let e = legcramps_contract::diary_io::from_csv(&format!("{header}\r\n")).expect_err("refused");
    assert_eq!(
        (e.place.as_str(), e.field.as_deref()),
        ("row 1", Some("note"))
    );
    let note = legcramps_core::diary::Note::new("\u{202E}gnp.exe \u{2066}woke me\u{2069}")
        .expect("valid")
        .expect("a note");
    assert_eq!(note.as_str(), "gnp.exe woke me");
}

/// Hardening finding 12: notes in the FHIR export are FHIR `markdown`; a note that looks like
/// HTML or a link must show as typed, never be rendered.
#[test]
fn fhir_notes_are_plain_text_that_no_markdown_viewer_renders() {
    use chrono::{TimeZone, Utc};
    use legcramps_contract::diary_io::DiaryFile;
    let typed = "<img src=x onerror=alert(1)> *bold* [click](javascript:x) # not a heading";
    let file = DiaryFile {
        episodes: vec![noted_episode("e1", typed)],
        checks: Vec::new(),
        profile: Default::default(),
        nights_without_cramps: Vec::new(),
    };
    let generated = Utc
        .with_ymd_and_hms(2026, 11, 26, 12, 0, 0)
        .single()
        .expect("time");
    let bundle: serde_json::Value =
        serde_json::from_str(&legcramps_contract::fhir::to_fhir(&file, generated)).expect("json");
    let text = bundle["entry"][0]["resource"]["note"][0]["text"]
        .as_str()
        .expect("a note");
    assert_eq!(
        text,
        r"\<img src\=x onerror\=alert\(1\)\> \*bold\* \[click\]\(javascript\:x\) \# not a heading"
    );
    // Removing the escapes gives back exactly what was typed.
    let mut back = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        back.push(if c == '\\' {
            chars.next().expect("escaped")
        } else {
            c
        });
    }
    assert_eq!(back, typed);
}

/// A one-minute calf cramp on 20 Nov 2026 with this id and note, for the file-format tests.
fn noted_episode(id: &str, note: &str) -> legcramps_core::diary::Episode {
    use legcramps_core::diary::{
        Context, Duration, Eased, Episode, EpisodeId, Note, Severity, Side, Site, parse_start,
    };
    Episode {
        id: EpisodeId::new(id).expect("id"),
        start: parse_start("2026-11-20T02:10+00:00").expect("start"),
        last_night: false,
        duration: Some(Duration::from_seconds(60).expect("duration")),
        site: Some(Site::Calf),
        side: Side::Left,
        asleep: Some(true),
        eased: Some(Eased::Yes),
        severity: Severity::Mild,
        note: Note::new(note).expect("note"),
        context: Context::default(),
    }
}

#[test]
fn details_not_logged_round_trip_and_older_csv_files_still_import() {
    use legcramps_contract::diary_io::{DiaryFile, from_csv, from_json, to_csv, to_json};
    let mut quick = noted_episode("quick", "");
    quick.last_night = true;
    quick.context.helped = vec![
        legcramps_core::diary::Helped::Stretched,
        legcramps_core::diary::Helped::Warmth,
    ];
    quick.context.suspected = vec![legcramps_core::diary::Suspected::LongStanding];
    quick.duration = None;
    quick.site = None;
    quick.asleep = None;
    quick.eased = None;
    let file = DiaryFile {
        episodes: vec![quick.clone(), noted_episode("full", "a note")],
        checks: Vec::new(),
        profile: Default::default(),
        nights_without_cramps: Vec::new(),
    };
    let csv = to_csv(&file.episodes, &file.profile);
    assert_eq!(from_csv(&csv).expect("csv").episodes, file.episodes);
    assert_eq!(
        from_json(&to_json(&file)).expect("json").episodes,
        file.episodes
    );
    // A file exported before the quick log has no last_night column: read as "false".
    let old = "id,start,duration_seconds,site,side,asleep,eased,severity,note,exercise,new_medication,new_medication_started,pregnant,short_of_fluids\r\nold,2026-11-20T02:10:00+00:00,60,calf,left,true,yes,mild,,false,,,false,false\r\n";
    let read = from_csv(old).expect("old csv").episodes;
    assert!(!read[0].last_night);
    assert!(read[0].context.helped.is_empty());
    assert!(
        // Pregnancy not said: empty, never "false" (issue 18's review).
        csv.contains(",stretched;warmth,long-standing,,,\r\n"),
        "{csv}"
    );
    let wrong = csv.replace(",stretched;warmth,", ",stretched;yoga,");
    assert_eq!(
        from_csv(&wrong).expect_err("yoga").field.as_deref(),
        Some("helped")
    );
    assert_eq!(read[0].asleep, Some(true));
    // Empty cells are "not logged"; a cell that is there must still be right.
    let bad = old.replace(",60,calf,", ",sixty,calf,");
    let err = from_csv(&bad).expect_err("bad duration");
    assert_eq!(err.field.as_deref(), Some("duration_seconds"));
}

/// Issue 9, found by the fuzzer: a file's cramps become the profile's entries, and a later cramp
/// that says nothing of pregnancy ends a pregnancy's run (it was left out, and the pregnancy
/// ran on for ever). Exported and read back, every cramp says what it said.
#[test]
fn a_files_cramps_become_the_profile_and_read_back_the_same() {
    use legcramps_contract::diary_io::{from_csv, to_csv};
    let old = "id,start,duration_seconds,site,side,asleep,eased,severity,note,exercise,new_medication,new_medication_started,pregnant,short_of_fluids\r\n\
        a,2026-11-21T23:40:00+01:00,840,thigh,both,false,unsure,severe,,true,,,true,true\r\n\
        b,2026-12-20T02:10:00+00:00,180,calf,left,true,yes,moderate,,false,,,false,false\r\n\
        c,2026-11-01T02:10:00+00:00,180,calf,left,true,yes,moderate,,false,Tablets,,false,false\r\n";
    let file = from_csv(old).expect("an older file");
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("day");
    assert!(file.profile.on(day("2026-11-21")).pregnant);
    assert!(
        !file.profile.on(day("2026-12-20")).pregnant,
        "the later cramp ends it"
    );
    assert!(!file.profile.on(day("2026-11-01")).pregnant);
    let m = &file.profile.medicines[0];
    assert_eq!(
        (m.name(), m.started, m.from_diary),
        ("Tablets", day("2026-11-01"), true)
    );
    let csv = to_csv(&file.episodes, &file.profile);
    let again = from_csv(&csv).expect("reads back");
    for e in &file.episodes {
        let d = e.start.date_naive();
        assert_eq!(
            again.profile.on(d).summary(),
            file.profile.on(d).summary(),
            "{d}"
        );
    }
}

/// Issue 18, finding 29: the FHIR export says only what was said (no `false` for an unticked
/// box or an empty profile), dates a "last night" cramp by its night, has no empty arrays,
/// carries the Questionnaire its responses answer (so the canonical resolves in the bundle),
/// and names every entry with a `urn:uuid:` full URL.
#[test]
fn the_fhir_export_says_only_what_was_said_and_resolves_its_questionnaire() {
    use chrono::{TimeZone, Utc};
    use legcramps_contract::diary_io::{DiaryFile, SavedCheck};
    let generated = Utc
        .with_ymd_and_hms(2026, 11, 26, 12, 0, 0)
        .single()
        .expect("time");
    let export = |file: &DiaryFile| -> serde_json::Value {
        serde_json::from_str(&legcramps_contract::fhir::to_fhir(file, generated)).expect("json")
    };
    let empty = export(&DiaryFile {
        episodes: Vec::new(),
        checks: Vec::new(),
        profile: Default::default(),
        nights_without_cramps: Vec::new(),
    });
    assert!(empty.get("entry").is_none(), "{empty}");

    let mut night = noted_episode("ep-0001", "x");
    night.last_night = true;
    night.start = legcramps_core::diary::parse_start("2026-11-21T03:00+00:00").expect("start");
    let check = SavedCheck {
        id: legcramps_core::diary::EpisodeId::new("c1").expect("id"),
        at: legcramps_core::diary::parse_start("2026-11-21T09:00+00:00").expect("at"),
        answers: parse_assessment(r#"{"breathless_or_chest_pain": false}"#).expect("answers"),
        shown: None,
    };
    let bundle = export(&DiaryFile {
        episodes: vec![night],
        checks: vec![check],
        profile: Default::default(),
        nights_without_cramps: Vec::new(),
    });
    let text = bundle.to_string();
    for unsaid in ["Exercise that day", "Pregnant", "Short of fluids"] {
        assert!(
            !text.contains(unsaid),
            "{unsaid} exported though never said"
        );
    }
    let entries = bundle["entry"].as_array().expect("entries");
    for e in entries {
        assert!(
            e["fullUrl"]
                .as_str()
                .is_some_and(|u| u.starts_with("urn:uuid:") && u.len() == 45),
            "{}",
            e["fullUrl"]
        );
    }
    let obs = &entries[0]["resource"];
    assert_eq!(
        obs["effectiveDateTime"], "2026-11-20",
        "the night's evening"
    );
    let qr = &entries[1]["resource"];
    let q = entries
        .iter()
        .find(|e| e["resource"]["resourceType"] == "Questionnaire")
        .expect("the Questionnaire in the bundle");
    assert_eq!(qr["questionnaire"], q["fullUrl"]);
    assert_eq!(q["resource"]["url"], q["fullUrl"]);
    // Every answered item is an item of the Questionnaire.
    let link_ids: Vec<&str> = q["resource"]["item"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["linkId"].as_str())
        .collect();
    for i in qr["item"].as_array().expect("items") {
        assert!(link_ids.contains(&i["linkId"].as_str().expect("linkId")));
    }
    // No empty array anywhere (FHIR JSON allows none).
    assert!(!text.contains("[]"), "{text}");
}

/// Issue 18's review: the CSV and JSON exports never say `false` for a tick box or the profile
/// (exercise, short of fluids, pregnant) when nothing was said; they read back the same.
#[test]
fn csv_and_json_leave_unsaid_context_empty_not_false() {
    use legcramps_contract::diary_io::{DiaryFile, from_csv, from_json, to_csv, to_json};
    let mut ticked = noted_episode("ticked", "x");
    ticked.context.exercise = true;
    let file = DiaryFile {
        episodes: vec![noted_episode("plain", "y"), ticked],
        checks: Vec::new(),
        profile: Default::default(),
        nights_without_cramps: Vec::new(),
    };
    let csv = to_csv(&file.episodes, &file.profile);
    let plain = csv.lines().find(|l| l.starts_with("plain,")).expect("row");
    assert!(
        !plain.contains("false,false") && plain.ends_with(",,,"),
        "{plain}"
    );
    let ticked_row = csv.lines().find(|l| l.starts_with("ticked,")).expect("row");
    assert!(ticked_row.contains(",true,"), "{ticked_row}");
    let json = to_json(&file);
    assert!(!json.contains("\"exercise\": false"), "{json}");
    assert!(!json.contains("\"short_of_fluids\": false"), "{json}");
    assert!(json.contains("\"exercise\": true"), "{json}");
    assert_eq!(from_csv(&csv).expect("csv").episodes, file.episodes);
    assert_eq!(from_json(&json).expect("json").episodes, file.episodes);
}
