//! Issue 9: patterns that tell the truth — no zero weeks before the diary began, the week the
//! range cuts marked partial, gaps kept as zeros.

use chrono::NaiveDate;
use legcramps_core::diary::{
    Context, Duration, Eased, Episode, EpisodeId, Severity, Side, Site, parse_start,
};
use legcramps_core::patterns::{NotLogged, Settings, summarise, summarise_since};
use legcramps_core::profile::{EntryId, Medicine, Profile};

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
        &Profile::default(),
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
        &Profile::default(),
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
        &Profile::default(),
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
        &Profile::default(),
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

/// Cramps on the given days of November 2026, at 02:00, asleep.
fn nights(days: &[u32]) -> Vec<Episode> {
    days.iter()
        .map(|d| {
            cramp(
                &format!("n{d}"),
                &format!(
                    "2026-{:02}-{:02}T02:00:00+00:00",
                    9 + (d - 1) / 30,
                    (d - 1) % 30 + 1
                ),
                true,
            )
        })
        .collect()
}

#[test]
fn the_gp_summary_compares_the_last_4_weeks_with_the_first_4() {
    // September 1 to November 29 (90 days), the diary starting on 1 September: 8 cramps in the
    // first 4 weeks (two of them the same night), 2 in the last 4 (10 and 25 November), and a
    // gap between.
    let mut episodes = nights(&[1, 2, 3, 8, 9, 15, 22, 28, 70, 85]);
    episodes.push(cramp("same-night", "2026-09-01T04:00:00+00:00", true));
    let s = summarise(
        &episodes,
        &Profile::default(),
        day("2026-09-01"),
        day("2026-11-29"),
        Settings::default(),
    );
    let (first, last) = s.first_and_last.expect("90 days: both");
    assert_eq!(
        (first.from, first.to),
        (day("2026-09-01"), day("2026-09-28"))
    );
    assert_eq!((last.from, last.to), (day("2026-11-02"), day("2026-11-29")));
    assert_eq!((first.cramps, first.disturbed_nights), (9, 8));
    assert_eq!((last.cramps, last.disturbed_nights), (2, 2));
    assert!((first.cramps_per_week() - 9.0 / 4.0).abs() < 1e-9);
    assert!((last.nights_per_week() - 0.5).abs() < 1e-9);
    assert_eq!(s.overall.cramps, 11);
    assert_eq!(s.overall.days(), 90);
}

#[test]
fn a_short_period_gives_one_rate_counting_the_days_of_a_partial_week() {
    // Ten days (one full week and three days): no first-and-last comparison; the rate counts
    // the days, so a partial week is not a drop.
    let episodes = nights(&[1, 2, 3, 4, 5]);
    let s = summarise(
        &episodes,
        &Profile::default(),
        day("2026-09-01"),
        day("2026-09-10"),
        Settings::default(),
    );
    assert!(s.first_and_last.is_none());
    assert_eq!(s.overall.days(), 10);
    assert!((s.overall.cramps_per_week() - 3.5).abs() < 1e-9);
    // Weeks before the first cramp are not counted: the period starts with the diary.
    let s = summarise_since(
        &episodes,
        &Profile::default(),
        day("2026-08-01"),
        day("2026-09-10"),
        Some(day("2026-09-01")),
        Settings::default(),
    );
    assert_eq!(s.overall.from, day("2026-09-01"));
}

fn medicine(name: &str, started: &str, stopped: Option<&str>) -> Medicine {
    Medicine::new(
        EntryId::new(&name.replace(" ", "-")).expect("id"),
        name,
        day(started),
        stopped.map(day),
    )
    .expect("medicine")
}

#[test]
fn a_medicine_is_compared_only_with_enough_weeks_each_side_from_its_own_dates() {
    // Issue 18, finding 8: 4 weeks (a setting) before it started and 4 weeks from its start,
    // counted from the medicine's dates, never from a logged cramp.
    let episodes = nights(&[1, 3, 5, 7, 9, 11, 13, 29, 40, 59]);
    let profile = Profile {
        medicines: vec![medicine("Example", "2026-09-29", None)],
        ..Profile::default()
    };
    // Started after the period: nothing to say about it there.
    let s = summarise(
        &episodes,
        &profile,
        day("2026-09-01"),
        day("2026-09-14"),
        Settings::default(),
    );
    assert!(s.medicine_rates.is_empty());
    let s = summarise(
        &episodes,
        &profile,
        day("2026-09-01"),
        day("2026-10-31"),
        Settings::default(),
    );
    let m = &s.medicine_rates[0];
    assert_eq!(m.medicine.name(), "Example");
    assert!(m.comparable);
    assert_eq!(m.weeks, 4);
    let before = m.before.expect("before");
    assert_eq!(
        (before.from, before.to, before.cramps),
        (day("2026-09-01"), day("2026-09-28"), 7)
    );
    assert_eq!(
        (m.taking.from, m.taking.to, m.taking.cramps),
        (day("2026-09-29"), day("2026-10-26"), 2)
    );
    assert!(m.after_stop.is_none());
    assert!((before.cramps_per_week() - 1.75).abs() < 1e-9);
}

#[test]
fn a_short_window_or_one_that_would_start_on_a_cramp_is_not_compared() {
    // The old finding: started on the 15th of a 30-day period whose first cramp was on the
    // 1st. The 2 weeks before and the 2 weeks after are too few; and a "before" counted from
    // the first logged cramp would start on a cramp, biased upwards.
    let episodes = nights(&[1, 3, 5, 7, 9, 11, 13, 29]);
    let profile = Profile {
        medicines: vec![medicine("Example", "2026-09-15", None)],
        ..Profile::default()
    };
    let s = summarise(
        &episodes,
        &profile,
        day("2026-09-01"),
        day("2026-09-30"),
        Settings::default(),
    );
    let m = &s.medicine_rates[0];
    assert!(!m.comparable);
    assert!(m.before.is_none());
    // With a 2-week setting, the same diary is compared, from the medicine's dates.
    let s = summarise(
        &episodes,
        &profile,
        day("2026-09-01"),
        day("2026-09-30"),
        Settings {
            medicine_compare_weeks: 2,
            ..Settings::default()
        },
    );
    let m = &s.medicine_rates[0];
    assert!(m.comparable);
    let before = m.before.expect("before");
    assert_eq!(
        (before.from, before.to),
        (day("2026-09-01"), day("2026-09-14"))
    );
    assert_eq!(
        (m.taking.from, m.taking.to),
        (day("2026-09-15"), day("2026-09-28"))
    );
    // A diary whose first cramp comes after the window would begin is not compared: the
    // window is never moved to start on a cramp.
    let later = nights(&[5, 7, 9, 11, 13, 29]);
    let s = summarise(
        &later,
        &profile,
        day("2026-09-01"),
        day("2026-09-30"),
        Settings {
            medicine_compare_weeks: 2,
            ..Settings::default()
        },
    );
    assert!(!s.medicine_rates[0].comparable);
}

#[test]
fn a_medicine_stopped_mid_period_has_the_weeks_after_it_stopped() {
    let episodes = nights(&[2, 4, 20, 22, 24, 26, 36]);
    let profile = Profile {
        medicines: vec![
            // Started before the period (no "before"), stopped on the 10th.
            medicine("Stopped", "2026-08-01", Some("2026-09-10")),
            // Stopped before the period: not in it at all.
            medicine("Long ago", "2025-01-01", Some("2025-02-01")),
        ],
        ..Profile::default()
    };
    let s = summarise(
        &episodes,
        &profile,
        day("2026-09-01"),
        day("2026-09-30"),
        Settings::default(),
    );
    assert_eq!(s.medicine_rates.len(), 1);
    let m = &s.medicine_rates[0];
    assert!(m.before.is_none());
    assert!(!m.comparable);
    // The period's rates start at the first cramp logged (the 2nd).
    assert_eq!(
        (m.taking.from, m.taking.to, m.taking.cramps),
        (day("2026-09-02"), day("2026-09-10"), 2)
    );
    // 4 weeks after it stopped run past the period's end: not given.
    assert!(m.after_stop.is_none());
    let s = summarise(
        &episodes,
        &profile,
        day("2026-09-01"),
        day("2026-10-08"),
        Settings::default(),
    );
    let after = s.medicine_rates[0].after_stop.expect("after");
    assert_eq!(
        (after.from, after.to, after.cramps),
        (day("2026-09-11"), day("2026-10-08"), 5)
    );
}

#[test]
fn cramps_in_a_pregnancy_are_counted_from_the_profile() {
    use legcramps_core::profile::Pregnancy;
    let episodes = nights(&[2, 4, 20, 22]);
    let profile = Profile {
        pregnancies: vec![
            Pregnancy::new(
                EntryId::new("p").expect("id"),
                day("2026-08-01"),
                Some(day("2026-09-04")),
            )
            .expect("pregnancy"),
        ],
        ..Profile::default()
    };
    let s = summarise(
        &episodes,
        &profile,
        day("2026-09-01"),
        day("2026-09-30"),
        Settings::default(),
    );
    assert_eq!(s.pregnant, 2);
}

#[test]
fn what_helped_is_compared_only_with_3_nights_each_way() {
    use legcramps_core::diary::{Helped, Suspected};
    use legcramps_core::patterns::COMPARE_MIN_NIGHTS;
    let mut episodes = nights(&[1, 2, 3, 4, 5, 6]);
    // Stretched on the first three nights; those cramps lasted 1 minute, the others 3.
    for e in episodes.iter_mut().take(3) {
        e.context.helped = vec![Helped::Stretched];
        e.duration = Some(Duration::from_minutes(1.0).expect("d"));
    }
    // Alcohol on two nights only.
    episodes[0].context.suspected = vec![Suspected::Alcohol];
    episodes[4].context.suspected = vec![Suspected::Alcohol];
    let s = summarise(
        &episodes,
        &Profile::default(),
        day("2026-09-01"),
        day("2026-09-30"),
        Settings::default(),
    );
    let stretched = s
        .comparisons
        .iter()
        .find(|c| c.what == "stretched")
        .expect("stretched");
    assert!(stretched.helped);
    assert_eq!((stretched.nights_with, stretched.nights_without), (3, 3));
    assert!(stretched.enough());
    assert_eq!(
        stretched.median_with,
        Some(Duration::from_minutes(1.0).expect("d"))
    );
    assert_eq!(
        stretched.median_without,
        Some(Duration::from_minutes(3.0).expect("d"))
    );
    let alcohol = s
        .comparisons
        .iter()
        .find(|c| c.what == "alcohol")
        .expect("alcohol");
    assert!(!alcohol.helped);
    assert_eq!((alcohol.nights_with, alcohol.nights_without), (2, 4));
    assert!(
        !alcohol.enough(),
        "2 nights with is fewer than {COMPARE_MIN_NIGHTS}"
    );
    // Nothing else was ticked, so nothing else is listed; "exercise that day" comes from the
    // context flag.
    assert_eq!(s.comparisons.len(), 2);
    // Two cramps on one night count as one night.
    let mut twice = episodes.clone();
    let mut again = twice[0].clone();
    again.id = legcramps_core::diary::EpisodeId::new("again").expect("id");
    again.start += chrono::Duration::hours(1);
    twice.push(again);
    let s = summarise(
        &twice,
        &Profile::default(),
        day("2026-09-01"),
        day("2026-09-30"),
        Settings::default(),
    );
    let stretched = s
        .comparisons
        .iter()
        .find(|c| c.what == "stretched")
        .expect("stretched");
    assert_eq!(stretched.nights_with, 3);
}

#[test]
fn last_night_is_the_night_just_gone_and_never_in_the_future() {
    use legcramps_core::diary::last_night_start;
    let at = |t: &str| chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M").expect("t");
    // In the morning: 03:00 today, which belongs to yesterday evening.
    assert_eq!(
        last_night_start(at("2026-11-27 08:15")),
        at("2026-11-27 03:00")
    );
    // At 02:29 the night is still going on: it is that night, stored at the time now (03:00
    // would be in the future), still yesterday evening's night.
    assert_eq!(
        last_night_start(at("2026-11-27 02:29")),
        at("2026-11-27 02:29")
    );
}
