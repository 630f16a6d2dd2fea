//! The one-page GP summary, as a web page and as a standalone file
//! (`legcramps report --html`). Both come from the same template.

use askama::Template;
use chrono::{DateTime, FixedOffset, NaiveDate};
use legcramps_contract::diary_io::{SavedCheck, Shown};
use legcramps_core::CONTENT_VERSION;
use legcramps_core::diary::{Duration, Episode};
use legcramps_core::patterns::{
    DURATION_BANDS, MEDICINE_DO_NOT_STOP, MEDICINE_NOT_A_CAUSE, Nights, Rate, Settings, Summary,
    Week,
};

use crate::diary::charts;

/// The figures the summary template needs, worked out once.
pub(crate) struct SummaryView<'a> {
    pub(crate) s: &'a Summary,
    pub(crate) period: String,
    pub(crate) generated: String,
    pub(crate) night_percent: String,
    pub(crate) night_starts: u32,
    pub(crate) night_ends: u32,
    pub(crate) longest: String,
    pub(crate) median: String,
    pub(crate) bands: Vec<(&'static str, u32)>,
    /// The GP triggers the guidance names, as (heading, what was counted).
    pub(crate) triggers: Vec<(String, String)>,
    pub(crate) per_week_chart: String,
    pub(crate) content_version: &'static str,
    /// Checks saved in the period: when, and what the person was shown then.
    pub(crate) checks: Vec<SavedCheckLine>,
    /// The GP summary's headline figures, as (what, figures), in the order a GP reads them.
    pub(crate) headline: Vec<(String, String)>,
    /// Each medicine: name, dates, and the cramp rates before, while and after; then
    /// pregnancies and known conditions (the profile, as it bears on the period).
    pub(crate) medicines: Vec<String>,
    /// The GP triggers, without the small print (said once, below them).
    pub(crate) gp_triggers: Vec<(String, String)>,
    pub(crate) small_print: String,
    pub(crate) hour_chart: String,
    /// The period's nights, in words ("3 with a cramp in my sleep, ..."), once known.
    pub(crate) nights: Option<String>,
    /// Which nights cannot be known (before the first check-in), if any.
    pub(crate) nights_note: Option<String>,
    /// "No cramps last night" never used: the GP summary says how many nights of the period
    /// are not known.
    pub(crate) nights_not_recorded: Option<u32>,
}

fn short(d: NaiveDate) -> String {
    d.format("%-d %b %Y").to_string()
}

/// "9 (2.3 a week), 14 Sep to 11 Oct 2026": the count beside the rate, so a rate from a few
/// days is read as what it is.
fn per_week(count: u32, rate: f64, r: &Rate) -> String {
    format!(
        "{count} ({rate:.1} a week), {} to {}",
        r.from.format("%-d %b"),
        short(r.to)
    )
}

/// The headline figures: cramps and disturbed nights per week (the last 4 weeks against the
/// first 4 when the period holds both), longest, night share, and the rest in brief.
fn headline(s: &Summary, settings: &Settings, busiest: Option<&Week>) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    let compare = |count: fn(&Rate) -> u32, rate: fn(&Rate) -> f64| match &s.first_and_last {
        Some((first, last)) => format!(
            "last 4 weeks: {}; first 4 weeks: {}",
            per_week(count(last), rate(last), last),
            per_week(count(first), rate(first), first)
        ),
        None => per_week(count(&s.overall), rate(&s.overall), &s.overall),
    };
    rows.push((
        "Cramps".to_owned(),
        compare(|r| r.cramps, Rate::cramps_per_week),
    ));
    let mut nights = compare(|r| r.disturbed_nights, Rate::nights_per_week);
    // Cramps that do not say whether they woke the person are not counted, and said apart
    // (issue 18, finding 9).
    if s.not_logged.asleep > 0 {
        nights.push_str(&format!(
            " ({} cramp{} not saying asleep or awake)",
            s.not_logged.asleep,
            if s.not_logged.asleep == 1 { "" } else { "s" }
        ));
    }
    rows.push(("Nights with a cramp in sleep".to_owned(), nights));
    let mut longest = s.longest.map_or("none logged".into(), Duration::human);
    if s.not_logged.duration > 0 {
        longest.push_str(&format!(
            " ({} cramp{} with no length logged)",
            s.not_logged.duration,
            if s.not_logged.duration == 1 { "" } else { "s" }
        ));
    }
    rows.push(("Longest".to_owned(), longest));
    rows.push((
        "At night".to_owned(),
        format!(
            "{} of {} ({:.0}%) between {:02}:00 and {:02}:00{}",
            s.at_night,
            s.count,
            s.night_share() * 100.0,
            settings.night_starts,
            settings.night_ends,
            if s.not_logged.time > 0 {
                " or logged as \u{201c}last night\u{201d}"
            } else {
                ""
            }
        ),
    ));
    rows.push((
        "In all".to_owned(),
        match busiest {
            Some(b) => format!(
                "{} cramps over {} weeks; the most in one week: {} (week of {})",
                s.count,
                s.weeks.len(),
                b.cramps,
                short(b.starts)
            ),
            None => format!("{} cramps", s.count),
        },
    ));
    let list = |items: Vec<String>| {
        if items.is_empty() {
            "none logged".to_owned()
        } else {
            items.join(", ")
        }
    };
    rows.push((
        "Where".to_owned(),
        format!(
            "{}; {}",
            list(s.by_site.iter().map(|(k, n)| format!("{k} {n}")).collect()),
            list(s.by_side.iter().map(|(k, n)| format!("{k} {n}")).collect())
        ),
    ));
    rows.push((
        "How bad".to_owned(),
        list(
            s.by_severity
                .iter()
                .map(|(k, n)| format!("{k} {n}"))
                .collect(),
        ),
    ));
    let also: Vec<String> = [
        ("exercise that day", s.exercise),
        ("pregnant", s.pregnant),
        ("short of fluids", s.short_of_fluids),
    ]
    .into_iter()
    .filter(|(_, n)| *n > 0)
    .map(|(w, n)| format!("{w} {n}"))
    .collect();
    if !also.is_empty() {
        rows.push(("Also logged".to_owned(), also.join(", ")));
    }
    rows
}

/// Each medicine, with its dates and — only when there are enough weeks on each side of its
/// start (a setting) — the cramp rates in the weeks before it, the first weeks while taken and
/// the weeks after it stopped, always saying that this does not show a cause and that a
/// prescribed medicine is never stopped without a GP or pharmacist (issue 18, finding 8; facts
/// `medication.can-cause`, `medication.do-not-stop`); then pregnancies and known conditions.
/// With `recorded` (once "No cramps last night" is used): a comparison is made only when at
/// least half the nights of each window were recorded, and says how many were (issue 21:
/// comparisons use recorded nights only).
fn medicines(
    s: &Summary,
    recorded: Option<&dyn Fn(NaiveDate, NaiveDate) -> Nights>,
) -> Vec<String> {
    let rate = |r: &Rate| per_week(r.cramps, r.cramps_per_week(), r);
    let mut lines: Vec<String> = s
        .medicine_rates
        .iter()
        .map(|m| {
            let weeks = m.weeks;
            let compared = if m.comparable {
                let mut parts = Vec::new();
                if let Some(r) = m.before {
                    parts.push(format!("in the {weeks} weeks before: {}", rate(&r)));
                }
                parts.push(format!(
                    "in the first {weeks} weeks while taken: {}",
                    rate(&m.taking)
                ));
                if let Some(r) = m.after_stop {
                    parts.push(format!(
                        "in the {weeks} weeks after it stopped: {}",
                        rate(&r)
                    ));
                }
                let mut compared =
                    format!("Cramps {}. {}", parts.join("; "), MEDICINE_NOT_A_CAUSE);
                if let (Some(count), Some(before)) = (recorded, m.before) {
                    let (b, t) = (count(before.from, before.to), count(m.taking.from, m.taking.to));
                    let counts = format!(
                        "{} of {} nights recorded before it started, {} of {} while taken",
                        b.recorded(),
                        before.days(),
                        t.recorded(),
                        m.taking.days()
                    );
                    compared = if b.recorded() * 2 >= before.days()
                        && t.recorded() * 2 >= m.taking.days()
                    {
                        format!("{compared} ({counts}.)")
                    } else {
                        format!(
                            "Not compared: too few nights recorded ({counts}; at least half of each is needed, a setting)."
                        )
                    };
                }
                compared
            } else {
                m.not_compared()
            };
            format!(
                "{}, {}. {} {}",
                m.medicine.name(),
                m.medicine.dates(),
                compared,
                MEDICINE_DO_NOT_STOP
            )
        })
        .collect();
    lines.extend(
        s.pregnancies
            .iter()
            .map(|p| format!("Pregnant, {}.", p.dates())),
    );
    lines.extend(s.conditions.iter().map(|c| match c.since {
        Some(d) => format!("Known condition: {}, since {}.", c.name(), short(d)),
        None => format!("Known condition: {}.", c.name()),
    }));
    lines
}

/// A saved check, as the diary pages and the GP summary list it: the headline shown, its
/// leading reasons, and which answers were "not sure" (issue 18, finding 26).
pub(crate) struct SavedCheckLine {
    pub(crate) when: String,
    /// The headline shown at the time ("Phone 111 now"), as it was.
    pub(crate) shown: &'static str,
    /// The reasons for that headline, when the check was saved with this build's rules (the
    /// same rules give the same reasons; reasons are never worked out again with newer rules:
    /// for an older check this says so instead).
    pub(crate) reasons: Vec<&'static str>,
    /// Why no reasons are given, if none are.
    pub(crate) reasons_note: Option<&'static str>,
    /// The questions answered "not sure", in the words of the question.
    pub(crate) unsure: Vec<&'static str>,
}

impl SavedCheckLine {
    pub(crate) fn of(c: &SavedCheck) -> Self {
        use legcramps_core::questions::{all_answered, as_asked, walk};
        // The questions the check asked, re-walked from its answers (a question it reached
        // with no answer was "not sure").
        let walked = walk(&c.answers, all_answered());
        let unsure = walked
            .order
            .iter()
            .filter(|q| !walked.answers.is_answered(q.field))
            .map(|q| q.text)
            .collect();
        let same_rules = c
            .shown
            .as_ref()
            .is_some_and(|s| s.rules_version == legcramps_core::triage::RULES_VERSION);
        let (reasons, reasons_note) = if same_rules {
            let o = legcramps_core::evaluate(&as_asked(&walked.answers, walked.asked));
            let reasons: Vec<&'static str> =
                o.leading_reasons().map(|(r, b)| r.reason(b)).collect();
            (reasons, None)
        } else {
            (
                Vec::new(),
                Some(
                    "saved with an earlier version of the rules: its reasons are not worked out again",
                ),
            )
        };
        SavedCheckLine {
            when: c.at.format("%-d %b %Y %H:%M").to_string(),
            shown: c
                .shown
                .as_ref()
                .map_or("what was shown was not recorded", Shown::headline),
            reasons,
            reasons_note,
            unsure,
        }
    }
}

impl<'a> SummaryView<'a> {
    /// `generated`: when it was made, in the person's words ("27 November 2026 at 09:10, UK
    /// time").
    pub(crate) fn new(s: &'a Summary, settings: &Settings, generated: String) -> Self {
        let busiest = s
            .weeks
            .iter()
            .filter(|w| w.cramps > 0)
            .max_by_key(|w| w.cramps);
        SummaryView {
            headline: headline(s, settings, busiest),
            medicines: medicines(s, None),
            gp_triggers: gp_triggers(s),
            small_print: format!(
                "Pointed out from {} cramps in a week, or cramps in sleep on {} nights in a week: settings of the app, not clinical thresholds.",
                settings.frequent_per_week, settings.disturbed_nights_per_week
            ),
            hour_chart: charts::by_hour(s),
            nights: None,
            nights_note: None,
            nights_not_recorded: None,
            s,
            period: format!(
                "{} to {}",
                s.start.format("%-d %B %Y"),
                s.to.format("%-d %B %Y")
            ),
            generated,
            night_percent: format!("{:.0}", s.night_share() * 100.0),
            night_starts: settings.night_starts,
            night_ends: settings.night_ends,
            longest: s.longest.map_or("none".into(), Duration::human),
            median: s.median.map_or("none".into(), Duration::human),
            bands: DURATION_BANDS
                .iter()
                .copied()
                .zip(s.duration_bands)
                .collect(),
            triggers: triggers(s),
            per_week_chart: charts::per_week(s, settings),
            checks: Vec::new(),
            content_version: CONTENT_VERSION,
        }
    }
}

/// The GP triggers for the summary: the counts, the setting said once below them.
fn gp_triggers(s: &Summary) -> Vec<(String, String)> {
    s.triggers
        .iter()
        .map(|t| {
            let (what, counted) = if t.fact == "help.gp.frequent" {
                ("Frequent cramps", format!("{} cramps", t.count))
            } else {
                (
                    "Cramps disturbing sleep",
                    format!("cramps in sleep on {} nights", t.count),
                )
            };
            (
                format!("{what}*"),
                format!("{counted} in the week of {}", short(t.week)),
            )
        })
        .collect()
}

/// When a summary was made, for people: "27 November 2026 at 09:10, UK time".
pub(crate) fn generated_text(at: DateTime<FixedOffset>, zone_label: &str) -> String {
    format!("{}, {zone_label}", at.format("%-d %B %Y at %H:%M"))
}

/// The GP triggers with the counts behind them, in words.
pub(crate) fn triggers(s: &Summary) -> Vec<(String, String)> {
    s.triggers
        .iter()
        .map(|t| {
            if t.fact == "help.gp.frequent" {
                (
                    "Frequent cramps".to_owned(),
                    format!(
                        "{} cramps in the week of {} (the diary points this out from {} a week, a setting of the app, not a clinical threshold)",
                        t.count,
                        t.week.format("%-d %b %Y"),
                        t.threshold
                    ),
                )
            } else {
                (
                    "Cramps disturbing sleep".to_owned(),
                    format!(
                        "cramps during sleep on {} nights in the week of {} (pointed out from {} nights a week, a setting of the app, not a clinical threshold)",
                        t.count,
                        t.week.format("%-d %b %Y"),
                        t.threshold
                    ),
                )
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "gp_summary_file.html")]
struct SummaryFile<'a> {
    css: &'static str,
    v: SummaryView<'a>,
}

impl SummaryView<'_> {
    /// Add the checks saved within the summary's dates.
    /// What the diary knows of the period's nights (issue 21): a headline row, and, while
    /// check-ins are new, which nights can only be known by their cramps.
    pub(crate) fn with_nights(
        mut self,
        nights: &Nights,
        episodes: &[Episode],
        check_ins: &[NaiveDate],
    ) -> Self {
        self.nights = Some(nights.describe());
        match nights.first_check_in {
            None => {
                self.nights_note = Some(
                    "\"No cramps last night\" has not been used yet, so nights without a cramp logged are not recorded."
                        .to_owned(),
                );
                // The GP summary keeps to one page: a clause in its last line, no new row.
                self.nights_not_recorded = Some(nights.not_recorded);
            }
            Some(first) => {
                let count = |from: NaiveDate, to: NaiveDate| {
                    Nights::count(episodes, check_ins, from, to, Some(first))
                };
                self.medicines = medicines(self.s, Some(&count));
                let mut row = nights.describe();
                if first > self.s.start {
                    self.nights_note = Some(format!(
                        "\"No cramps last night\" was first used on {}: nights before that are known only by the cramps logged.",
                        first.format("%-d %B %Y")
                    ));
                    row.push_str(&format!(" (check-ins from {})", short(first)));
                }
                self.headline.push(("Nights".to_owned(), row));
            }
        }
        self
    }

    pub(crate) fn with_checks(mut self, checks: &[SavedCheck]) -> Self {
        self.checks = checks
            .iter()
            .filter(|c| {
                let d = c.at.date_naive();
                d >= self.s.from && d <= self.s.to
            })
            .map(SavedCheckLine::of)
            .collect();
        self
    }
}

/// The standalone GP summary (a complete HTML file with its own print styles).
pub fn gp_summary_file(
    s: &Summary,
    checks: &[SavedCheck],
    (nights, episodes, check_ins): (&Nights, &[Episode], &[NaiveDate]),
    settings: &Settings,
    generated: DateTime<FixedOffset>,
) -> String {
    SummaryFile {
        css: include_str!("../../static/gp-summary.css"),
        v: SummaryView::new(s, settings, generated_text(generated, "local time"))
            .with_checks(checks)
            .with_nights(nights, episodes, check_ins),
    }
    .render()
    .unwrap_or_else(|_| "<!DOCTYPE html><p>The summary could not be made.</p>".to_owned())
}
