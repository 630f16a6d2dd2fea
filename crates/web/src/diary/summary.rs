//! The one-page GP summary, as a web page and as a standalone file
//! (`legcramps report --html`). Both come from the same template.

use askama::Template;
use chrono::{DateTime, FixedOffset, NaiveDate};
use legcramps_contract::diary_io::{SavedCheck, Shown};
use legcramps_core::CONTENT_VERSION;
use legcramps_core::diary::{Duration, Episode};
use legcramps_core::patterns::{
    DURATION_BANDS, MEDICINE_DO_NOT_STOP, MEDICINE_NOT_A_CAUSE, MEDICINES_NOT_A_CAUSE, Nights,
    Rate, Settings, Summary, Week,
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
    /// The heading of that chart: "Cramps per week", or per month or year for long periods.
    pub(crate) per_week_title: &'static str,
    pub(crate) content_version: &'static str,
    /// Checks saved in the period: when, and what the person was shown then.
    pub(crate) checks: Vec<SavedCheckLine>,
    /// The GP summary's headline figures, as (what, figures), in the order a GP reads them.
    pub(crate) headline: Vec<(String, String)>,
    /// Each medicine: name, dates, and the cramp rates before, while and after, each with what
    /// it does not show; then pregnancies and known conditions (the profile, as it bears on the
    /// period). All of them: the full record.
    pub(crate) medicines: Vec<String>,
    /// The one-page summary's part of the profile (see [`OnePage`]).
    pub(crate) health: OnePage<String>,
    /// The one-page summary's red flags: the ones said not to ease, then those whose easing is
    /// not known, the most recent of all (see [`OnePage`]).
    pub(crate) red_lines: Vec<String>,
    /// Their heading: what they have in common (did not ease; not sure or not logged; or both).
    pub(crate) red_heading: &'static str,
    /// What the one page leaves out of the red flags, in words, if anything.
    pub(crate) red_more: Option<String>,
    /// Said once under the one page's medicines.
    pub(crate) medicine_caveats: String,
    /// The GP triggers, without the small print (said once, below them).
    pub(crate) gp_triggers: Vec<(String, String)>,
    pub(crate) small_print: String,
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

/// The one-page GP summary keeps to one A4 page for any diary (issue 21, finding 5) by showing
/// at most this many of each list — the most recent — and saying how many more the full record
/// holds. Layout limits, not clinical ones; the browser suite prints the fullest diaries the
/// diary accepts (`e2e/tests/gp-summary-pages.spec.js`) to hold the page to them.
pub(crate) const ONE_PAGE_RED_FLAGS: usize = 3;
/// Medicines (the most recently started), beside one line for pregnancies and one for known
/// conditions.
pub(crate) const ONE_PAGE_MEDICINES: usize = 2;
pub(crate) const ONE_PAGE_PREGNANCIES: usize = 1;
pub(crate) const ONE_PAGE_CONDITIONS: usize = 2;
/// A note on the one page is cut to this many characters, ending in "…" (the full record
/// gives it whole); so is the name of a medicine or a condition.
pub(crate) const ONE_PAGE_NOTE_CHARS: usize = 50;
pub(crate) const ONE_PAGE_NAME_CHARS: usize = 50;
/// A medicine's name in the key under the one page's chart (a narrow column).
pub(crate) const ONE_PAGE_KEY_CHARS: usize = 20;

/// What the one-page summary shows of a list, and how many it leaves to the full record.
pub(crate) struct OnePage<T> {
    pub(crate) shown: Vec<T>,
    pub(crate) more: usize,
}

impl<T> OnePage<T> {
    pub(crate) fn is_empty(&self) -> bool {
        self.shown.is_empty() && self.more == 0
    }
}

/// Words as the one page gives them: whole when short, otherwise the first `chars` characters
/// (to the last whole word, where there is one) and "…".
fn brief(words: &str, chars: usize) -> String {
    if words.chars().count() <= chars {
        return words.to_owned();
    }
    let cut: String = words.chars().take(chars).collect();
    let cut = match cut.rfind(char::is_whitespace) {
        Some(i) if i > chars / 2 => cut[..i].to_owned(),
        _ => cut,
    };
    format!("{}\u{2026}", cut.trim_end())
}

/// A red-flag cramp as a line: when, what was logged, and its note (cut on the one page, where
/// the heading of the list of those that did not ease says so for each).
/// `say_not_eased`: on the one page, a cramp said not to ease says so itself when it is listed
/// beside others that are not (otherwise the heading says it for all).
fn red_line(e: &Episode, whole_note: bool, say_not_eased: bool) -> String {
    let mut line = if whole_note || !e.said_not_eased() {
        format!("{}: {}", e.when_listed(), e.details())
    } else {
        format!(
            "{}: {}, {}{}",
            e.when_listed(),
            e.duration
                .map_or_else(|| "length not logged".to_owned(), |d| d.human()),
            e.place(),
            if say_not_eased {
                ", did not ease when I moved"
            } else {
                ""
            }
        )
    };
    if e.eased.is_none() {
        line.push_str(", eased by moving: not logged");
    }
    if let Some(n) = &e.note {
        let n = n.as_str();
        line.push_str(". Note: ");
        line.push_str(&if whole_note {
            n.to_owned()
        } else {
            brief(n, ONE_PAGE_NOTE_CHARS)
        });
    }
    line
}

/// Every red flag, whole, for the full record: those said not to ease, and the rest.
pub(crate) fn red_lines_whole(s: &Summary) -> (Vec<String>, Vec<String>) {
    (
        s.red_flags_not_eased()
            .into_iter()
            .map(|e| red_line(e, true, false))
            .collect(),
        s.red_flags_easing_unknown()
            .into_iter()
            .map(|e| red_line(e, true, false))
            .collect(),
    )
}

/// The red flags the one page shows: the most recent [`ONE_PAGE_RED_FLAGS`] of all, whether
/// said not to ease or not (the outside GP review: the newest long cramp, with easing not
/// logged, must not hide behind older ones), each in its list; then the line that says what is
/// left out, split by kind, and that cut notes are whole in the full record.
fn red_on_one_page(s: &Summary) -> (&'static str, Vec<String>, Option<String>) {
    // `red_flags` is oldest first.
    let keep_from = s.red_flags.len().saturating_sub(ONE_PAGE_RED_FLAGS);
    let (older, shown) = s.red_flags.split_at(keep_from);
    let cut = shown.iter().any(|e| {
        e.note
            .as_ref()
            .is_some_and(|n| n.as_str().chars().count() > ONE_PAGE_NOTE_CHARS)
    });
    // One list in date order, each saying what was logged about easing; the heading says what
    // they share, so "did not ease" is said only of those the person said so of.
    let not_eased = shown.iter().filter(|e| e.said_not_eased()).count();
    let heading = if not_eased == shown.len() {
        "Cramps of 10 minutes or more that did not ease when I moved"
    } else if not_eased == 0 {
        "Cramps of 10 minutes or more where I was not sure, or did not log, whether moving eased them"
    } else {
        "Cramps of 10 minutes or more: not eased by moving, or not sure or not logged"
    };
    let lines: Vec<String> = shown
        .iter()
        .map(|e| red_line(e, false, not_eased > 0 && not_eased < shown.len()))
        .collect();
    let mut more = Vec::new();
    if !older.is_empty() {
        let n = older.len();
        let not_eased = older.iter().filter(|e| e.said_not_eased()).count();
        let kinds: Vec<String> = [
            (not_eased, "did not ease"),
            (n - not_eased, "not sure or not logged"),
        ]
        .into_iter()
        .filter(|(k, _)| *k > 0)
        .map(|(k, what)| format!("{k} {what}"))
        .collect();
        more.push(format!(
            "And {n} more cramp{} of 10 minutes or more, earlier in the period ({}).",
            if n == 1 { "" } else { "s" },
            kinds.join(", ")
        ));
    }
    match (cut, older.is_empty()) {
        (true, false) => {
            more.push(
                "They, and notes cut short here (\u{2026}), are in the full record.".to_owned(),
            );
        }
        (true, true) => {
            more.push("Notes cut short here (\u{2026}) are whole in the full record.".to_owned());
        }
        (false, false) => more.push("All are in the full record.".to_owned()),
        (false, true) => {}
    }
    (heading, lines, (!more.is_empty()).then(|| more.join(" ")))
}

/// The one page's profile: the [`ONE_PAGE_MEDICINES`] most recently started medicines (in
/// brief, the caveats said once under them), a line of pregnancies and one of known
/// conditions.
fn health_on_one_page(
    s: &Summary,
    recorded: Option<&dyn Fn(NaiveDate, NaiveDate) -> Nights>,
) -> OnePage<String> {
    let all = medicine_lines(s, recorded, false);
    let mut more = 0;
    // `medicine_rates` is in the profile's order. Kept: those still taken at the period's end
    // first (the outside GP review), then the latest started.
    let mut order: Vec<usize> = (0..all.len()).collect();
    order.sort_by_key(|&i| {
        let m = &s.medicine_rates[i].medicine;
        (
            m.stopped.is_some_and(|d| d < s.to),
            std::cmp::Reverse(m.started),
        )
    });
    let mut keep: Vec<usize> = order.into_iter().take(ONE_PAGE_MEDICINES).collect();
    keep.sort_unstable();
    more += all.len() - keep.len();
    let mut shown: Vec<String> = keep.into_iter().map(|i| all[i].clone()).collect();
    if !s.pregnancies.is_empty() {
        let mut latest: Vec<_> = s.pregnancies.iter().collect();
        latest.sort_by_key(|p| std::cmp::Reverse(p.started));
        let dates: Vec<String> = latest
            .iter()
            .take(ONE_PAGE_PREGNANCIES)
            .map(|p| p.dates())
            .collect();
        more += latest.len() - dates.len();
        shown.push(format!("Pregnant, {}.", dates.join("; ")));
    }
    if !s.conditions.is_empty() {
        let names: Vec<String> = s
            .conditions
            .iter()
            .take(ONE_PAGE_CONDITIONS)
            .map(|c| {
                let name = brief(c.name(), ONE_PAGE_NAME_CHARS);
                match c.since {
                    Some(d) => format!("{name}, since {}", short(d)),
                    None => name,
                }
            })
            .collect();
        more += s.conditions.len() - names.len();
        shown.push(format!(
            "Known condition{}: {}.",
            if names.len() == 1 { "" } else { "s" },
            names.join("; ")
        ));
    }
    OnePage { shown, more }
}

/// A saved check in brief, for the one page: what was shown and the questions answered "not
/// sure" (named when few, counted when many); the reasons are in the full record.
pub(crate) struct CheckBrief {
    pub(crate) when: String,
    pub(crate) shown: &'static str,
    pub(crate) unsure: Option<String>,
}

/// Questions answered "not sure" are named on the one page up to this many; more are counted.
const ONE_PAGE_UNSURE_NAMED: usize = 2;

impl CheckBrief {
    fn of(c: &SavedCheckLine) -> Self {
        let unsure = match c.unsure.len() {
            0 => None,
            n if n <= ONE_PAGE_UNSURE_NAMED => Some(
                c.unsure
                    .iter()
                    .map(|u| format!("\u{201c}{u}\u{201d}"))
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            n => Some(format!("{n} questions")),
        };
        CheckBrief {
            when: c.when.clone(),
            shown: c.shown,
            unsure,
        }
    }
}

/// "9 (2.3 a week), 14 Sep to 11 Oct 2026": the count beside the rate, so a rate from a few
/// days is read as what it is.
fn per_week(count: u32, rate: f64, r: &Rate) -> String {
    use chrono::Datelike;
    // The first date's year too when the two differ ("8 Dec 2025 to 4 Jan 2026").
    let from = if r.from.year() == r.to.year() {
        r.from.format("%-d %b").to_string()
    } else {
        short(r.from)
    };
    format!("{count} ({rate:.1} a week), {from} to {}", short(r.to))
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
    // Cramps of an hour or more that eased: not red flags, but the check's rule says see a GP
    // (the outside GP review: only "Longest" said so before).
    if let Some(latest) = s.very_long.last() {
        let n = s.very_long.len();
        rows.push((
            "An hour or more, eased".to_owned(),
            format!(
                "{n} cramp{} of an hour or more that eased when I moved; the latest {}",
                if n == 1 { "" } else { "s" },
                latest.when_listed()
            ),
        ));
    }
    rows.push((
        "At night".to_owned(),
        if s.count == 0 {
            "none logged".to_owned()
        } else {
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
            )
        },
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
    let mut sites: Vec<String> = s.by_site.iter().map(|(k, n)| format!("{k} {n}")).collect();
    if s.not_logged.site > 0 {
        sites.push(format!("muscle not logged {}", s.not_logged.site));
    }
    rows.push((
        "Where".to_owned(),
        format!(
            "{}; {}",
            list(sites),
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
    let mut lines = medicine_lines(s, recorded, true);
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

/// Each medicine's line, in the profile's order. `whole` (the full record): each window's dates,
/// and each line ends with what the figures do not show and never to stop a prescribed
/// medicine. Otherwise (the one page) the windows are named by their weeks only, as they run
/// from the medicine's own dates, and the caveats are said once, under the medicines.
fn medicine_lines(
    s: &Summary,
    recorded: Option<&dyn Fn(NaiveDate, NaiveDate) -> Nights>,
    whole: bool,
) -> Vec<String> {
    let rate = |r: &Rate| {
        if whole {
            per_week(r.cramps, r.cramps_per_week(), r)
        } else {
            format!("{} ({:.1} a week)", r.cramps, r.cramps_per_week())
        }
    };
    s
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
                let mut compared = format!("Cramps {}.", parts.join("; "));
                if whole {
                    compared.push(' ');
                    compared.push_str(MEDICINE_NOT_A_CAUSE);
                }
                if let (Some(count), Some(before)) = (recorded, m.before) {
                    let (b, t) = (count(before.from, before.to), count(m.taking.from, m.taking.to));
                    let counts = if whole {
                        format!(
                            "{} of {} nights recorded before it started, {} of {} while taken",
                            b.recorded(),
                            before.days(),
                            t.recorded(),
                            m.taking.days()
                        )
                    } else {
                        format!(
                            "{} of {} before, {} of {} while taken",
                            b.recorded(),
                            before.days(),
                            t.recorded(),
                            m.taking.days()
                        )
                    };
                    compared = if b.recorded() * 2 >= before.days()
                        && t.recorded() * 2 >= m.taking.days()
                    {
                        if whole {
                            format!("{compared} ({counts}.)")
                        } else {
                            format!("{compared} (Nights recorded: {counts}.)")
                        }
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
            let name = if whole {
                m.medicine.name().to_owned()
            } else {
                brief(m.medicine.name(), ONE_PAGE_NAME_CHARS)
            };
            let line = format!("{name}, {}. {compared}", m.medicine.dates());
            if whole {
                format!("{line} {MEDICINE_DO_NOT_STOP}")
            } else {
                line
            }
        })
        .collect()
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
        let (red_heading, red_lines, red_more) = red_on_one_page(s);
        SummaryView {
            headline: headline(s, settings, busiest),
            medicines: medicines(s, None),
            health: health_on_one_page(s, None),
            red_lines,
            red_heading,
            red_more,
            medicine_caveats: format!("{MEDICINES_NOT_A_CAUSE} {MEDICINE_DO_NOT_STOP}"),
            gp_triggers: gp_triggers(s),
            small_print: format!(
                "Pointed out from {} cramps in a week, or cramps in sleep on {} nights in a week: settings of the app, not clinical thresholds.",
                settings.frequent_per_week, settings.disturbed_nights_per_week
            ),
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
            per_week_chart: charts::per_week(s, settings, (5, 100)),
            per_week_title: charts::Span::of(s).title(),
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
                format!(
                    "{counted} in the week of {}{}",
                    short(t.week),
                    t.latest_of()
                ),
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
                        "{} cramps in the week of {}{} (the diary points this out from {} a week, a setting of the app, not a clinical threshold)",
                        t.count,
                        t.week.format("%-d %b %Y"),
                        t.latest_of(),
                        t.threshold
                    ),
                )
            } else {
                (
                    "Cramps disturbing sleep".to_owned(),
                    format!(
                        "cramps during sleep on {} nights in the week of {}{} (pointed out from {} nights a week, a setting of the app, not a clinical threshold)",
                        t.count,
                        t.week.format("%-d %b %Y"),
                        t.latest_of(),
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
                self.health = health_on_one_page(self.s, Some(&count));
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

    /// The chart as the one-page summary draws it: the medicines it lists marked, their names
    /// cut as it cuts them.
    pub(crate) fn for_one_page(mut self, settings: &Settings) -> Self {
        self.per_week_chart =
            charts::per_week(self.s, settings, (ONE_PAGE_MEDICINES, ONE_PAGE_KEY_CHARS));
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
        // The one page: the latest, in brief, as a row of the figures (issue 21, finding 5); and,
        // when an earlier check was more urgent, that one too (the outside GP review: an
        // earlier "Phone 999 now" must not hide behind a later "Look after yourself").
        if let Some(latest) = self.checks.last() {
            let brief = |c: &SavedCheckLine| {
                let b = CheckBrief::of(c);
                let mut row = format!("{}: {}.", b.when, b.shown);
                if let Some(u) = b.unsure {
                    row.push_str(&format!(" Not sure about: {u}."));
                }
                row
            };
            let mut row = brief(latest);
            let level = |c: &SavedCheck| c.shown.as_ref().map(|s| s.disposition);
            let in_period: Vec<&SavedCheck> = checks
                .iter()
                .filter(|c| {
                    let d = c.at.date_naive();
                    d >= self.s.from && d <= self.s.to
                })
                .collect();
            let latest_level = in_period.last().and_then(|c| level(c));
            // The latest of the most urgent (max_by_key keeps the last of equals).
            if let Some((i, most)) = in_period.iter().enumerate().max_by_key(|(_, c)| level(c))
                && level(most) > latest_level
            {
                row.push_str(&format!(
                    " The most urgent earlier: {}",
                    brief(&self.checks[i])
                ));
            }
            let earlier = self.checks.len() - 1;
            if earlier > 0 {
                row.push_str(&format!(
                    " {earlier} earlier check{} in all.",
                    if earlier == 1 { "" } else { "s" }
                ));
            }
            row.push_str(" Why each said what it did: in the full record.");
            self.headline
                .push(("Latest check with this tool".to_owned(), row));
        }
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
            .for_one_page(settings)
            .with_checks(checks)
            .with_nights(nights, episodes, check_ins),
    }
    .render()
    .unwrap_or_else(|_| "<!DOCTYPE html><p>The summary could not be made.</p>".to_owned())
}
