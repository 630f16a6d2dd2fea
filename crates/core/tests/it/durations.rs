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
        ("1:30", 90),
        ("0:45", 45),
        ("12:05", 725),
        ("1 min 30", 90),
        ("1 min 30 s", 90),
        ("1m30s", 90),
        ("1 minute 30 seconds", 90),
        ("1 hour", 3600),
        ("1h 5m", 3900),
        ("1.5 mins", 90),
    ] {
        let d = Duration::parse_typed(typed).unwrap_or_else(|e| panic!("{typed:?}: {e}"));
        assert_eq!(d.seconds(), seconds, "{typed:?}");
    }
}

#[test]
fn what_is_not_a_length_of_time_is_named_with_the_forms_that_work() {
    for typed in [
        "two",
        "2 weeks",
        "1:3",
        "1:75",
        ":30",
        "30 s 2 min",
        "2 min 3 min",
        "1.2.3",
        "-2",
        "2 30",
        "1 s 30",
    ] {
        let e = Duration::parse_typed(typed).expect_err(typed);
        assert!(
            e.message.contains(&format!("`{}`", typed.trim())) && e.message.contains("1:30"),
            "{typed:?}: {}",
            e.message
        );
    }
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
