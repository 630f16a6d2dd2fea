//! Issue 9: durations as people type them.

use legcramps_core::diary::Duration;

#[test]
fn durations_are_read_as_people_type_them() {
    for (typed, seconds) in [
        ("2", 120),
        (" 2 ", 120),
        ("0.5", 30),
        ("2 mins", 120),
        ("2 min", 120),
        ("2mins", 120),
        ("2 Minutes", 120),
        ("1 minute", 60),
        ("2m", 120),
        ("90s", 90),
        ("90 sec", 90),
        ("90 seconds", 90),
        ("1 min 30", 90),
        ("1 min 30 s", 90),
        ("1m30s", 90),
        ("1 minute 30 seconds", 90),
        ("1 hour", 3600),
        ("1h 5m", 3900),
        ("1.5 mins", 90),
        // The check's reader, shared (issue 18, finding 18): words, and ranges at their upper end.
        ("two", 120),
        ("about 10 minutes", 600),
        ("10-15", 900),
        ("10 to 15 minutes", 900),
    ] {
        let d = Duration::parse_typed(typed).unwrap_or_else(|e| panic!("{typed:?}: {e}"));
        assert_eq!(d.seconds(), seconds, "{typed:?}");
    }
}

#[test]
fn what_is_not_a_length_of_time_is_named_with_the_forms_that_work() {
    for typed in [
        "2 weeks",
        "30 s 2 min",
        "2 min 3 min",
        "1.2.3",
        "2 30",
        "1 s 30",
        "ten-ish",
    ] {
        let e = Duration::parse_typed(typed).expect_err(typed);
        assert!(
            e.message.contains(&format!("`{}`", typed.trim())) && e.message.contains("1 min 30"),
            "{typed:?}: {}",
            e.message
        );
    }
    // "1:30" could be a minute and a half or an hour and a half: never guessed (a 90-minute
    // cramp that did not ease saved as 90 seconds would hide a red flag).
    for typed in ["1:30", "0:45", "12:05", "1:3", ":30"] {
        let e = Duration::parse_typed(typed).expect_err(typed);
        assert!(
            e.message
                .contains("could be minutes and seconds or hours and minutes"),
            "{typed:?}: {}",
            e.message
        );
    }
    assert!(Duration::parse_typed("-2").is_err());
    let empty = Duration::parse_typed("  ").expect_err("empty");
    assert!(
        empty.message.contains("enter how long"),
        "{}",
        empty.message
    );
    // The limits still hold, whatever the form.
    assert!(Duration::parse_typed("0").is_err());
    assert!(Duration::parse_typed("0:00").is_err());
    assert!(Duration::parse_typed("25 hours").is_err());
    assert!(Duration::parse_typed("1441").is_err());
    assert_eq!(
        Duration::parse_typed("1440").map(Duration::seconds).ok(),
        Some(86_400)
    );
}

/// Issue 18, finding 18: the check reads what the diary reads ("1 hour", "90 seconds"), and a
/// range at its upper end (a longer cramp is never less urgent).
#[test]
fn the_check_reads_durations_as_the_diary_does_and_ranges_at_their_upper_end() {
    use legcramps_core::questions::read_minutes;
    let minutes = |typed: &str| {
        read_minutes(typed)
            .unwrap_or_else(|| panic!("{typed:?} not read"))
            .unwrap_or_else(|e| panic!("{typed:?}: {e}"))
            .get()
    };
    for (typed, expected) in [
        ("12", 12.0),
        ("about 10", 10.0),
        ("ten", 10.0),
        ("12 minutes", 12.0),
        ("1 hour", 60.0),
        ("an hour", 60.0),
        ("90 seconds", 1.5),
        ("1h 5m", 65.0),
        ("10-15", 15.0),
        ("10 - 15 minutes", 15.0),
        ("10 to 15 minutes", 15.0),
        ("15-10", 15.0),
        ("5\u{2013}12", 12.0),
        ("less than a minute", 0.0),
        ("0", 0.0),
    ] {
        assert_eq!(minutes(typed), expected, "{typed:?}");
    }
    // "1:30" could be an hour and a half or a minute and a half: asked again, never guessed.
    for typed in ["soon", "2 weeks", "10-", "-", "ten-ish", "x-5", "1:30"] {
        assert!(read_minutes(typed).is_none(), "{typed:?} was read");
    }
    // A number outside the range is named as such, not as unreadable.
    assert!(read_minutes("-5").is_some_and(|r| r.is_err()));
    assert!(read_minutes("25 hours").is_some_and(|r| r.is_err()));
    assert!(read_minutes("2000").is_some_and(|r| r.is_err()));
}

/// The check's "when" question names the window the rule and the diary use.
#[test]
fn the_recent_question_names_the_recent_window() {
    use legcramps_core::{Field, YesNo, questions::question_for, triage::RECENT_HOURS};
    let q = question_for(Field::YesNo(YesNo::LongCrampRecent)).expect("asked");
    let window = format!("{RECENT_HOURS} hours");
    assert!(
        q.text.contains(&window) && q.hint.contains(&window),
        "{q:?}"
    );
    assert_eq!(legcramps_core::diary::RED_FLAG_RECENT_HOURS, RECENT_HOURS);
}
