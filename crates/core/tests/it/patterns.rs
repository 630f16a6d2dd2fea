//! Issue 9: patterns that tell the truth — no zero weeks before the diary began, the week the
//! range cuts marked partial, gaps kept as zeros.

use chrono::NaiveDate;
use legcramps_core::diary::{
    Context, Duration, Eased, Episode, EpisodeId, Severity, Side, Site, parse_start,
};
use legcramps_core::patterns::{NotLogged, Settings, summarise, summarise_since};

fn cramp(id: &str, start: &str, asleep: bool) -> Episode {
    Episode {
        id: EpisodeId::new(id).expect("id"),
        start: parse_start(start).expect("start"),
        last_night: false,
        duration: Some(Duration::from_minutes(3.0).expect("duration")),
        site: Some(Site::Calf),
        side: Side::Left,
        asleep: Some(asleep),
        eased: Some(Eased::Yes),
        severity: Severity::Mild,
        note: None,
        context: Context::default(),
    }
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("date")
}

#[test]
fn weeks_begin_with_the_first_cramp_and_gaps_stay_zero() {
    // The range is the last 12 weeks, but the diary began on Wednesday 4 November.
    let episodes = [
        cramp("a", "2026-11-04T02:00:00+00:00", true),
        cramp("b", "2026-11-05T03:00:00+00:00", true),
        // Nothing in the week of 9 November: a true zero, kept.
        cramp("c", "2026-11-17T23:30:00+00:00", false),
    ];
    let s = summarise(
        &episodes,
        day("2026-09-03"),
        day("2026-11-25"),
        Settings::default(),
    );
    let starts: Vec<String> = s.weeks.iter().map(|w| w.starts.to_string()).collect();
    assert_eq!(
        starts,
        ["2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23"]
    );
    let cramps: Vec<u32> = s.weeks.iter().map(|w| w.cramps).collect();
    assert_eq!(cramps, [2, 0, 1, 0]);
    // The first week counts from the first cramp's day (Wednesday to Sunday: 5 days), the last
    // is cut by the range's end (Monday 23 to Wednesday 25: 3 days): both partial.
    let days: Vec<u32> = s.weeks.iter().map(|w| w.days).collect();
    assert_eq!(days, [5, 7, 7, 3]);
    assert!(s.weeks[3].is_partial() && !s.weeks[1].is_partial());
    assert_eq!(s.weeks[0].disturbed_nights, 2);
}

#[test]
fn a_range_that_starts_after_the_first_cramp_keeps_its_empty_weeks() {
    // The caller passes only the range's cramps and says when the diary began.
    let episodes = [cramp("c", "2026-11-18T01:00:00+00:00", true)];
    let s = summarise_since(
        &episodes,
        day("2026-11-02"),
        day("2026-11-22"),
        Some(day("2026-09-01")),
        Settings::default(),
    );
    let cramps: Vec<u32> = s.weeks.iter().map(|w| w.cramps).collect();
    assert_eq!(
        cramps,
        [0, 0, 1],
        "weeks after the diary began are real zeros"
    );
    assert!(s.weeks.iter().all(|w| !w.is_partial()));
    // An empty diary: the range as asked, all zeros, nothing hidden or invented.
    let none = summarise_since(
        &[],
        day("2026-11-02"),
        day("2026-11-15"),
        None,
        Settings::default(),
    );
    assert_eq!(none.weeks.len(), 2);
    assert_eq!(none.count, 0);
}

#[test]
fn details_not_logged_are_counted_apart_and_last_night_has_no_hour() {
    let mut quick = cramp("q", "2026-11-10T03:00:00+00:00", true);
    quick.last_night = true;
    quick.duration = None;
    quick.site = None;
    quick.asleep = None;
    quick.eased = None;
    let episodes = [
        cramp("a", "2026-11-09T14:00:00+00:00", false),
        quick.clone(),
    ];
    let s = summarise(
        &episodes,
        day("2026-11-09"),
        day("2026-11-15"),
        Settings::default(),
    );
    assert_eq!(s.count, 2);
    assert_eq!(
        s.not_logged,
        NotLogged {
            time: 1,
            duration: 1,
            site: 1,
            asleep: 1
        }
    );
    // "Last night" is at night by what the person said, but has no hour on the chart.
    assert_eq!(s.at_night, 1);
    assert_eq!(s.by_hour.iter().sum::<u32>(), 1);
    assert_eq!(s.by_hour[3], 0);
    // Only logged durations and muscles are charted; not-asleep is not counted as a night.
    assert_eq!(s.duration_bands.iter().sum::<u32>(), 1);
    assert_eq!(s.by_site, vec![(Site::Calf, 1)]);
    assert_eq!(s.weeks[0].disturbed_nights, 0);
    assert_eq!(s.longest, Some(Duration::from_minutes(3.0).expect("d")));
    // No length: the red-flag rule cannot fire. A long one with "eased" not logged is read the
    // safe way.
    assert!(!quick.is_red_flag());
    let mut long = quick;
    long.duration = Some(Duration::from_minutes(12.0).expect("d"));
    assert!(long.is_red_flag());
    assert_eq!(long.place(), "left leg");
    assert!(long.when_text().starts_with("on the night of Mon 9 Nov"));
}
