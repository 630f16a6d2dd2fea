//! Patterns in the diary, and the GP summary's figures. Pure: the caller passes the episodes
//! and the date range; nothing here reads a clock or a database.
//!
//! The guidance says to speak to a GP when cramps are *frequent* or *disturb sleep*, but gives
//! no numbers. The thresholds here are **product settings**, not clinical facts: documented,
//! configurable ([`Settings`]), and always shown with the counts behind them.

use chrono::{Datelike, Duration as Days, NaiveDate, Timelike};

use crate::diary::{Duration, Episode, Helped, Severity, Side, Site, Suspected};
use crate::profile::{Condition, Medicine, Pregnancy, Profile};

/// Product settings for patterns (not clinical facts; see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// Cramps in one week (Monday to Sunday) at or above which the diary suggests the GP
    /// trigger "frequent cramps". Default 3.
    pub frequent_per_week: u32,
    /// Nights in one week with a cramp during sleep at or above which the diary suggests the GP
    /// trigger "cramps disturb sleep". Default 2.
    pub disturbed_nights_per_week: u32,
    /// The hours counted as night for the "night share": from `night_starts` (inclusive) to
    /// `night_ends` (exclusive), in the local time the episode was logged in. Default 22 to 7.
    pub night_starts: u32,
    pub night_ends: u32,
    /// Weeks needed on each side of a medicine's start (before it, and while taken) before
    /// the summary compares the cramp rates, counted from the medicine's own dates, never from
    /// a cramp (issue 18, finding 8). Default 4. A product setting: the source gives none.
    pub medicine_compare_weeks: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            frequent_per_week: 3,
            disturbed_nights_per_week: 2,
            night_starts: 22,
            night_ends: 7,
            medicine_compare_weeks: 4,
        }
    }
}

impl Settings {
    fn is_night(&self, hour: u32) -> bool {
        if self.night_starts <= self.night_ends {
            (self.night_starts..self.night_ends).contains(&hour)
        } else {
            hour >= self.night_starts || hour < self.night_ends
        }
    }
}

/// A week (starting Monday) and what happened in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Week {
    pub starts: NaiveDate,
    pub cramps: u32,
    /// Distinct dates with a cramp during sleep.
    pub disturbed_nights: u32,
    /// Days of this week inside the range, 1 to 7: fewer than 7 for a week the range cuts
    /// (the week going on now, say), which is shown as partial rather than as a drop.
    pub days: u32,
}

/// One calendar month of the period, for charts of periods too long for a bar a week.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Month {
    /// The month's first day.
    pub starts: NaiveDate,
    pub cramps: u32,
    /// Days of this month inside the period (from the diary's start), fewer than the month has
    /// for a month the period cuts.
    pub days: u32,
    /// Days the month has.
    pub length: u32,
}

impl Month {
    pub fn is_partial(&self) -> bool {
        self.days < self.length
    }
}

/// The first day of `d`'s month, and of the month after.
fn month_bounds(d: NaiveDate) -> (NaiveDate, NaiveDate) {
    let first = d.with_day(1).unwrap_or(d);
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(first);
    (first, next)
}

impl Week {
    pub fn is_partial(&self) -> bool {
        self.days < 7
    }
}

/// A GP trigger the guidance names, with the counts behind it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trigger {
    /// The fact the trigger comes from (`help.gp.frequent`, `help.gp.sleep`).
    pub fact: &'static str,
    /// The latest week at or over the setting, and its count (issue 21, finding 8: the latest,
    /// not the first week over the line).
    pub week: NaiveDate,
    pub count: u32,
    /// The product setting it was compared with.
    pub threshold: u32,
    /// How many weeks of the period were at or over it.
    pub weeks: u32,
}

impl Trigger {
    /// ", the latest of 7 such weeks", or nothing when it is the only one.
    pub fn latest_of(&self) -> String {
        if self.weeks > 1 {
            format!(", the latest of {} such weeks", self.weeks)
        } else {
            String::new()
        }
    }
}

/// How many cramps in a summary lack an optional detail (the quick log leaves them out): the
/// charts of that detail count only the cramps that have it, and say how many do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NotLogged {
    /// Logged as "last night", with no time (left out of the time-of-day chart).
    pub time: usize,
    pub duration: usize,
    pub site: usize,
    /// Not said whether it woke them.
    pub asleep: usize,
}

/// Cramps and disturbed nights over a run of days, for rates per week.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub cramps: u32,
    /// Distinct dates with a cramp during sleep.
    pub disturbed_nights: u32,
}

impl Rate {
    /// Days counted, `from` to `to` inclusive (at least 1).
    pub fn days(&self) -> u32 {
        u32::try_from((self.to - self.from).num_days() + 1)
            .unwrap_or(1)
            .max(1)
    }

    /// Cramps per week over these days (a partial week counts for its days).
    pub fn cramps_per_week(&self) -> f64 {
        f64::from(self.cramps) * 7.0 / f64::from(self.days())
    }

    pub fn nights_per_week(&self) -> f64 {
        f64::from(self.disturbed_nights) * 7.0 / f64::from(self.days())
    }
}

/// How many days "the first 4 weeks" and "the last 4 weeks" of the GP summary span.
pub const COMPARE_DAYS: i64 = 28;

/// Said with every comparison around a medicine (docs/product.md, "Diary content rules").
pub const MEDICINE_NOT_A_CAUSE: &str =
    "This does not show whether the medicine causes or eases cramps.";

/// Said once under the one-page GP summary's medicines, for all of them (issue 21, finding 5:
/// the page keeps to one A4 sheet); the full record says [`MEDICINE_NOT_A_CAUSE`] with each.
pub const MEDICINES_NOT_A_CAUSE: &str =
    "None of these figures shows whether a medicine causes or eases cramps.";

/// Said with every medicine in the summary (fact `medication.do-not-stop`).
pub const MEDICINE_DO_NOT_STOP: &str =
    "Never stop a prescribed medicine without speaking to a GP or pharmacist.";

impl MedicineRates {
    /// Why a medicine's rates are not set side by side, when they are not.
    pub fn not_compared(&self) -> String {
        let weeks = self.weeks;
        format!(
            "Not compared: that needs {weeks} weeks of this diary before it started and {weeks} weeks while taken (a setting)."
        )
    }
}

/// A medicine in the profile, with the cramp rate in equal windows of
/// [`Settings::medicine_compare_weeks`] weeks before it was started, from the day it was
/// started, and after it was stopped — each counted from the medicine's own dates, and each
/// only when the whole window is within the period and the diary (issue 18, finding 8: short
/// windows, or a "before" that starts on a logged cramp, read as a strong effect that is not
/// there).
#[derive(Debug, Clone, PartialEq)]
pub struct MedicineRates {
    pub medicine: Medicine,
    /// The weeks just before it started (`None`: not all of them are within the period and
    /// the diary).
    pub before: Option<Rate>,
    /// From the day it started (or the period's first day, if it started earlier) to the day
    /// it stopped, the period's end, or the end of the comparison window, whichever is first.
    pub taking: Rate,
    /// The weeks just after it stopped (`None`: not stopped, or not all of them are within the
    /// period).
    pub after_stop: Option<Rate>,
    /// Whether "before" and "while taken" are whole windows, so they may be set side by side.
    pub comparable: bool,
    /// The window's length in weeks (the setting), for saying what is needed.
    pub weeks: u32,
}

/// Nights needed with and without something before the patterns compare them (a product
/// setting: fewer say nothing; the page says how many there are instead).
pub const COMPARE_MIN_NIGHTS: usize = 3;

/// What helped, or what came before, compared: cramps on nights with it against nights
/// without it (a "night" is a date with a cramp logged).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    /// For people: "stretched", "alcohol".
    pub what: &'static str,
    /// True for something done for the cramp (what helped), false for something before it.
    pub helped: bool,
    pub nights_with: usize,
    pub nights_without: usize,
    /// The median length of the cramps with a logged length, on those nights.
    pub median_with: Option<Duration>,
    pub median_without: Option<Duration>,
}

impl Comparison {
    /// Whether there are [`COMPARE_MIN_NIGHTS`] nights each way, so the medians are shown.
    pub fn enough(&self) -> bool {
        self.nights_with >= COMPARE_MIN_NIGHTS && self.nights_without >= COMPARE_MIN_NIGHTS
    }
}

fn median(mut d: Vec<Duration>) -> Option<Duration> {
    d.sort_unstable();
    match d.len() {
        0 => None,
        n if n % 2 == 1 => Some(d[n / 2]),
        n => Some(d[n / 2 - 1]),
    }
}

/// Whether an episode has a thing compared.
type Has = Box<dyn Fn(&Episode) -> bool>;

/// Every "what helped" and "what came before" logged at least once in `episodes`.
fn comparisons(episodes: &[&Episode]) -> Vec<Comparison> {
    let mut factors: Vec<(&'static str, bool, Has)> = Vec::new();
    for h in Helped::ALL {
        factors.push((
            h.label(),
            true,
            Box::new(move |e| e.context.helped.contains(h)),
        ));
    }
    factors.push(("exercise that day", false, Box::new(|e| e.context.exercise)));
    for b in Suspected::ALL {
        factors.push((
            b.label(),
            false,
            Box::new(move |e| e.context.suspected.contains(b)),
        ));
    }
    let mut out = Vec::new();
    for (what, helped, has) in factors {
        let mut with: Vec<NaiveDate> = episodes
            .iter()
            .filter(|e| has(e))
            .map(|e| e.start.date_naive())
            .collect();
        with.sort_unstable();
        with.dedup();
        if with.is_empty() {
            continue;
        }
        // Sorted, so each look-up is a binary search (ten years of daily cramps stay fast).
        let mut without: Vec<NaiveDate> = episodes
            .iter()
            .map(|e| e.start.date_naive())
            .filter(|d| with.binary_search(d).is_err())
            .collect();
        without.sort_unstable();
        without.dedup();
        let lengths = |nights: &[NaiveDate]| {
            median(
                episodes
                    .iter()
                    .filter(|e| nights.binary_search(&e.start.date_naive()).is_ok())
                    .filter_map(|e| e.duration)
                    .collect(),
            )
        };
        out.push(Comparison {
            what,
            helped,
            nights_with: with.len(),
            nights_without: without.len(),
            median_with: lengths(&with),
            median_without: lengths(&without),
        });
    }
    out
}

/// Everything the patterns page and the GP summary show.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The first day the diary covers within the period: `from`, or the day it was first used
    /// if that is later (issue 21, finding 8: "Everything" said "from 2006" for a diary begun
    /// in 2026). What a summary's "Period" names.
    pub start: NaiveDate,
    pub count: usize,
    pub not_logged: NotLogged,
    /// Episodes that started at night (see [`Settings`]), and those logged as "last night".
    pub at_night: usize,
    pub asleep: usize,
    pub longest: Option<Duration>,
    pub median: Option<Duration>,
    /// Every week in the range, oldest first, including weeks with no cramps, but none
    /// before the week of the first cramp ever logged (see [`summarise_since`]): weeks before
    /// the diary began are not zeros.
    pub weeks: Vec<Week>,
    /// Every calendar month from the diary's start in the period to its end, oldest first.
    pub months: Vec<Month>,
    /// Episodes by local hour of starting (0 to 23); not those logged as "last night".
    pub by_hour: [u32; 24],
    pub by_site: Vec<(Site, u32)>,
    pub by_side: Vec<(Side, u32)>,
    pub by_severity: Vec<(Severity, u32)>,
    /// Durations in bands: under 1 minute, 1 to 5, 5 to 10, 10 or more (the red-flag band).
    pub duration_bands: [u32; 4],
    /// Episodes that met the urgent red-flag rule, oldest first.
    pub red_flags: Vec<Episode>,
    /// Episodes of [`crate::triage::VERY_LONG_MINUTES`] or more that are not red flags (they
    /// eased): far longer than a cramp lasts, a reason to see a GP (the check's rule), oldest
    /// first.
    pub very_long: Vec<Episode>,
    pub exercise: usize,
    /// Cramps on a day the profile has a pregnancy.
    pub pregnant: usize,
    pub short_of_fluids: usize,
    pub triggers: Vec<Trigger>,
    /// The whole period, from its first day (or the first cramp logged, if later) to its end.
    pub overall: Rate,
    /// The first and the last [`COMPARE_DAYS`] of the period, when the period is long enough
    /// for the two not to overlap; `None` otherwise (then only `overall` is given).
    pub first_and_last: Option<(Rate, Rate)>,
    /// Each medicine in the profile taken at some time in the period, with the rates
    /// before, while and after it was taken.
    pub medicine_rates: Vec<MedicineRates>,
    /// Pregnancies that overlap the period, and the known conditions (those with a "since"
    /// after the period left out), from the profile.
    pub pregnancies: Vec<Pregnancy>,
    pub conditions: Vec<Condition>,
    /// What helped and what came before, each logged at least once in the period.
    pub comparisons: Vec<Comparison>,
}

impl Summary {
    /// The red-flag cramps the person said moving did not ease (what a GP summary may call
    /// "did not ease"; issue 18, finding 7).
    pub fn red_flags_not_eased(&self) -> Vec<&Episode> {
        self.red_flags
            .iter()
            .filter(|e| e.said_not_eased())
            .collect()
    }

    /// The red-flag cramps (on the safe reading) whose easing was "not sure" or not logged:
    /// listed apart, never as "did not ease".
    pub fn red_flags_easing_unknown(&self) -> Vec<&Episode> {
        self.red_flags
            .iter()
            .filter(|e| !e.said_not_eased())
            .collect()
    }
}

impl Summary {
    /// The share of episodes that started at night, 0 to 1 (0 when there are none).
    pub fn night_share(&self) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            self.at_night as f64 / self.count as f64
        }
    }
}

/// The labels of the duration bands, in order.
pub const DURATION_BANDS: [&str; 4] = [
    "under 1 minute",
    "1 to 5 minutes",
    "5 to 10 minutes",
    "10 minutes or more",
];

fn band(d: Duration) -> usize {
    match d.seconds() {
        0..60 => 0,
        60..300 => 1,
        300..600 => 2,
        _ => 3,
    }
}

fn count<K: PartialEq>(items: &mut Vec<(K, u32)>, key: K) {
    match items.iter_mut().find(|(k, _)| *k == key) {
        Some((_, n)) => *n += 1,
        None => items.push((key, 1)),
    }
}

fn monday(d: NaiveDate) -> NaiveDate {
    d - Days::days(i64::from(d.weekday().num_days_from_monday()))
}

/// Summarise the episodes whose local start date is within `from..=to`. Episodes outside the
/// range are ignored, so callers may pass more than they need. The weeks start at the week of
/// the earliest episode passed, if that is later than `from`; [`summarise_since`] takes the
/// date of the diary's first cramp when the caller passes only the range.
pub fn summarise(
    episodes: &[Episode],
    profile: &Profile,
    from: NaiveDate,
    to: NaiveDate,
    settings: Settings,
) -> Summary {
    let first = episodes.iter().map(|e| e.start.date_naive()).min();
    summarise_since(episodes, profile, from, to, first, settings)
}

/// [`summarise`], with the date of the first cramp ever logged (`None`: none yet): the weeks
/// before its week are left out, not shown as zeros.
pub fn summarise_since(
    episodes: &[Episode],
    profile: &Profile,
    from: NaiveDate,
    to: NaiveDate,
    first_logged: Option<NaiveDate>,
    settings: Settings,
) -> Summary {
    let mut selected: Vec<&Episode> = episodes
        .iter()
        .filter(|e| (from..=to).contains(&e.start.date_naive()))
        .collect();
    selected.sort_by_key(|e| (e.start, e.id.clone()));

    // The range's first day, moved on to the first logged cramp's day if that is later.
    let start = match first_logged {
        Some(first) if first > from => first.min(to),
        _ => from,
    };
    let mut weeks = Vec::new();
    let mut w = monday(start);
    while w <= to {
        let first_day = w.max(start);
        let last_day = (w + Days::days(6)).min(to);
        weeks.push(Week {
            starts: w,
            cramps: 0,
            disturbed_nights: 0,
            days: u32::try_from((last_day - first_day).num_days() + 1).unwrap_or(7),
        });
        w += Days::days(7);
    }
    let mut months = Vec::new();
    let mut m = month_bounds(start).0;
    while m <= to {
        let (first, next) = month_bounds(m);
        let last = next.pred_opt().unwrap_or(next).min(to);
        months.push(Month {
            starts: first,
            cramps: 0,
            days: u32::try_from((last - first.max(start)).num_days() + 1).unwrap_or(0),
            length: u32::try_from((next - first).num_days()).unwrap_or(31),
        });
        if next <= m {
            break;
        }
        m = next;
    }
    let mut nights: Vec<Vec<NaiveDate>> = vec![Vec::new(); weeks.len()];
    let mut by_hour = [0u32; 24];
    let mut duration_bands = [0u32; 4];
    let mut durations: Vec<Duration> = Vec::with_capacity(selected.len());
    let (mut at_night, mut asleep, mut exercise, mut pregnant, mut fluids) = (0, 0, 0, 0, 0);
    let (mut no_time, mut no_site) = (0, 0);
    let mut red_flags = Vec::new();
    let mut very_long = Vec::new();
    let (mut by_site, mut by_side, mut by_severity) = (Vec::new(), Vec::new(), Vec::new());

    for e in &selected {
        let date = e.start.date_naive();
        let week =
            usize::try_from((monday(date) - monday(start)).num_days() / 7).unwrap_or(usize::MAX);
        if let Some(wk) = weeks.get_mut(week) {
            wk.cramps += 1;
            if e.asleep == Some(true) && !nights[week].contains(&date) {
                nights[week].push(date);
                wk.disturbed_nights += 1;
            }
        }
        let month =
            (date.year() - start.year()) * 12 + date.month0() as i32 - start.month0() as i32;
        if let Some(mo) = usize::try_from(month).ok().and_then(|i| months.get_mut(i)) {
            mo.cramps += 1;
        }
        if e.last_night {
            // Logged as "last night": at night by what the person said, but no hour to chart.
            at_night += 1;
            no_time += 1;
        } else {
            let hour = e.start.time().hour();
            by_hour[hour as usize] += 1;
            if settings.is_night(hour) {
                at_night += 1;
            }
        }
        asleep += usize::from(e.asleep == Some(true));
        exercise += usize::from(e.context.exercise);
        pregnant += usize::from(profile.pregnancies.iter().any(|p| p.on(date)));
        fluids += usize::from(e.context.short_of_fluids);
        if let Some(d) = e.duration {
            durations.push(d);
            duration_bands[band(d)] += 1;
        }
        match e.site {
            Some(site) => count(&mut by_site, site),
            None => no_site += 1,
        }
        count(&mut by_side, e.side);
        count(&mut by_severity, e.severity);
        if e.is_red_flag() {
            red_flags.push((*e).clone());
        } else if e.very_long_advice().is_some() {
            very_long.push((*e).clone());
        }
    }
    by_site.sort();
    by_side.sort();
    by_severity.sort();
    durations.sort_unstable();
    let median = match durations.len() {
        0 => None,
        n if n % 2 == 1 => Some(durations[n / 2]),
        // An even count: the lower middle value, so the median is always a logged duration.
        n => Some(durations[n / 2 - 1]),
    };

    // Each of the guidance's two GP pointers, from the latest week at or over its setting, with
    // how many weeks were.
    let mut triggers = Vec::new();
    for (fact, threshold, of) in [
        (
            "help.gp.frequent",
            settings.frequent_per_week,
            (|w: &Week| w.cramps) as fn(&Week) -> u32,
        ),
        (
            "help.gp.sleep",
            settings.disturbed_nights_per_week,
            |w: &Week| w.disturbed_nights,
        ),
    ] {
        let over: Vec<&Week> = weeks
            .iter()
            .filter(|w| of(w) > 0 && of(w) >= threshold)
            .collect();
        if let Some(latest) = over.last() {
            triggers.push(Trigger {
                fact,
                week: latest.starts,
                count: of(latest),
                threshold,
                weeks: u32::try_from(over.len()).unwrap_or(u32::MAX),
            });
        }
    }

    let rate = |a: NaiveDate, b: NaiveDate| {
        let mut nights: Vec<NaiveDate> = Vec::new();
        let mut cramps = 0;
        for e in &selected {
            let d = e.start.date_naive();
            if (a..=b).contains(&d) {
                cramps += 1;
                if e.asleep == Some(true) {
                    nights.push(d);
                }
            }
        }
        nights.sort_unstable();
        nights.dedup();
        Rate {
            from: a,
            to: b,
            cramps,
            disturbed_nights: u32::try_from(nights.len()).unwrap_or(u32::MAX),
        }
    };
    let overall = rate(start, to);
    let first_and_last = ((to - start).num_days() + 1 >= 2 * COMPARE_DAYS).then(|| {
        (
            rate(start, start + Days::days(COMPARE_DAYS - 1)),
            rate(to - Days::days(COMPARE_DAYS - 1), to),
        )
    });
    let compare_weeks = settings.medicine_compare_weeks.max(1);
    let span = Days::days(7 * i64::from(compare_weeks));
    let medicine_rates = profile
        .medicines
        .iter()
        .filter(|m| m.started <= to && m.stopped.is_none_or(|s| s >= start))
        .map(|m| {
            let last = m.stopped.unwrap_or(to).min(to);
            // The window before: the weeks up to the day before it started, all within the
            // period and the diary (the diary is known from its first logged cramp on).
            let before = m
                .started
                .checked_sub_signed(span)
                .filter(|w| *w >= start)
                .map(|w| rate(w, m.started - Days::days(1)));
            // While taken: from its start, at most the same number of weeks.
            let taking_from = m.started.max(start);
            let window_end = if m.started >= start {
                m.started
                    .checked_add_signed(span)
                    .map_or(last, |e| (e - Days::days(1)).min(last))
            } else {
                // Started before the period: there is no window from its start here, only
                // the time it was taken within the period (never compared).
                last
            };
            let taking = rate(taking_from, window_end.max(taking_from));
            let whole_taking = taking_from == m.started && taking.days() >= 7 * compare_weeks;
            let after_stop = m.stopped.and_then(|s| {
                let first = s + Days::days(1);
                let end = s.checked_add_signed(span)?;
                (first >= start && end <= to).then(|| rate(first, end))
            });
            MedicineRates {
                medicine: m.clone(),
                comparable: before.is_some() && whole_taking,
                before,
                taking,
                after_stop,
                weeks: compare_weeks,
            }
        })
        .collect();

    Summary {
        pregnancies: profile
            .pregnancies
            .iter()
            .filter(|p| p.started <= to && p.ended.is_none_or(|e| e >= from))
            .cloned()
            .collect(),
        conditions: profile
            .conditions
            .iter()
            .filter(|c| c.since.is_none_or(|d| d <= to))
            .cloned()
            .collect(),
        comparisons: comparisons(&selected),
        overall,
        first_and_last,
        medicine_rates,
        from,
        to,
        start,
        count: selected.len(),
        not_logged: NotLogged {
            time: no_time,
            duration: selected.len() - durations.len(),
            site: no_site,
            asleep: selected.iter().filter(|e| e.asleep.is_none()).count(),
        },
        at_night,
        asleep,
        longest: durations.last().copied(),
        median,
        weeks,
        months,
        by_hour,
        by_site,
        by_side,
        by_severity,
        duration_bands,
        red_flags,
        very_long,
        exercise,
        pregnant,
        short_of_fluids: fluids,
        triggers,
    }
}

/// The hour a night begins, for naming nights: a cramp in sleep from 18:00 on belongs to the
/// night that ends the next morning (the hour chart's day also turns at 18:00, so that each
/// night is in one piece). A product setting, not a clinical figure.
pub const NIGHT_BEGINS_AT: u32 = 18;

/// Before this hour, "no cramps last night" is about the night that ended yesterday morning:
/// the night going on is not over (issue 21's outside review: a check-in at 2am recorded the
/// night still going on). A product setting, not a clinical figure.
pub const CHECK_IN_NIGHT_OVER_AT: u32 = 5;

/// The night a moment belongs to, named by the date of the morning it ends on: from
/// [`NIGHT_BEGINS_AT`] on, the next day's; before, the same day's.
pub fn night_of(local: chrono::NaiveDateTime) -> NaiveDate {
    if local.hour() >= NIGHT_BEGINS_AT {
        local.date() + Days::days(1)
    } else {
        local.date()
    }
}

/// The night "no cramps last night" means when said at local time `now`: the one that ended
/// this morning, or before [`CHECK_IN_NIGHT_OVER_AT`] the one that ended yesterday morning.
pub fn check_in_night(now: chrono::NaiveDateTime) -> NaiveDate {
    if now.hour() < CHECK_IN_NIGHT_OVER_AT {
        now.date() - Days::days(1)
    } else {
        now.date()
    }
}

/// A night for people, named by its evening and its morning: "the night of Wednesday 2 to
/// Thursday 3 December".
pub fn night_name(night: NaiveDate) -> String {
    let evening = night - Days::days(1);
    if evening.month() == night.month() {
        format!(
            "the night of {} to {}",
            evening.format("%A %-d"),
            night.format("%A %-d %B")
        )
    } else {
        format!(
            "the night of {} to {}",
            evening.format("%A %-d %B"),
            night.format("%A %-d %B")
        )
    }
}

/// What the diary knows about the nights of a period (issue 21): a night is named by the
/// morning it ends on (the date a "last night" cramp is kept under), and it is *recorded*
/// when the person said something about it — a cramp in their sleep that day, or a check-in
/// saying "no cramps last night". Every other night is *not recorded*: it may have been a good
/// night, or a night nobody wrote down, and nothing here pretends to know which.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Nights {
    /// Nights with a cramp logged as in their sleep.
    pub with_cramp: u32,
    /// Nights the person checked in as having no cramps (and logged none in their sleep: a
    /// cramp logged for the same night counts, whatever the check-in said).
    pub without_cramp: u32,
    /// Nights in the period with neither.
    pub not_recorded: u32,
    /// The first check-in ever (not only in the period): nights before it can only be known by
    /// their cramps.
    pub first_check_in: Option<NaiveDate>,
}

impl Nights {
    /// The nights of `from..=to`, from the cramps and the check-ins (the nights said to have
    /// had no cramps, in any order; `first_check_in` is the person's first ever).
    pub fn count(
        episodes: &[Episode],
        check_ins: &[NaiveDate],
        from: NaiveDate,
        to: NaiveDate,
        first_check_in: Option<NaiveDate>,
    ) -> Nights {
        if to < from {
            return Nights {
                first_check_in,
                ..Nights::default()
            };
        }
        let mut with: Vec<NaiveDate> = episodes
            .iter()
            .filter(|e| e.asleep == Some(true))
            .map(|e| night_of(e.start.naive_local()))
            .filter(|d| (from..=to).contains(d))
            .collect();
        with.sort_unstable();
        with.dedup();
        let mut without: Vec<NaiveDate> = check_ins
            .iter()
            .copied()
            .filter(|d| (from..=to).contains(d) && with.binary_search(d).is_err())
            .collect();
        without.sort_unstable();
        without.dedup();
        let days = u32::try_from((to - from).num_days() + 1).unwrap_or(u32::MAX);
        let with_cramp = u32::try_from(with.len()).unwrap_or(u32::MAX);
        let without_cramp = u32::try_from(without.len()).unwrap_or(u32::MAX);
        Nights {
            with_cramp,
            without_cramp,
            not_recorded: days.saturating_sub(with_cramp + without_cramp),
            first_check_in,
        }
    }

    /// Nights said something about, with or without a cramp.
    pub fn recorded(&self) -> u32 {
        self.with_cramp + self.without_cramp
    }

    /// In words, for the patterns and the GP summary: "3 with a cramp in my sleep, 20 with no
    /// cramps (checked in), 5 not recorded".
    pub fn describe(&self) -> String {
        format!(
            "{} with a cramp in my sleep, {} with no cramps (checked in), {} not recorded",
            self.with_cramp, self.without_cramp, self.not_recorded
        )
    }
}

#[cfg(test)]
mod nights_tests {
    use super::*;
    use crate::diary::{EpisodeId, Severity, Side};

    fn cramp(day: &str, asleep: Option<bool>) -> Episode {
        let start =
            chrono::DateTime::parse_from_rfc3339(&format!("{day}T03:00:00+00:00")).expect("time");
        Episode {
            id: EpisodeId::new(day).expect("id"),
            start,
            last_night: false,
            duration: None,
            site: None,
            side: Side::Left,
            asleep,
            eased: None,
            severity: Severity::Mild,
            note: None,
            context: crate::diary::Context::default(),
        }
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    /// Issue 21, finding 8: "frequent" names the latest week at or over the setting and how
    /// many weeks were, not the first week over the line.
    #[test]
    fn frequent_names_the_latest_week_over_the_line_and_how_many_were() {
        let mut cramps = Vec::new();
        for day in [
            "2026-11-02",
            "2026-11-03",
            "2026-11-04",
            "2026-11-05", // 4 in the week of 2 Nov
            "2026-11-10", // 1 in the week of 9 Nov
            "2026-11-16",
            "2026-11-17",
            "2026-11-18", // 3 in the week of 16 Nov
        ] {
            let mut c = cramp(day, Some(false));
            c.id = EpisodeId::new(&format!("{day}-{}", cramps.len())).expect("id");
            cramps.push(c);
        }
        let s = summarise(
            &cramps,
            &Profile::default(),
            d("2026-11-02"),
            d("2026-11-22"),
            Settings::default(),
        );
        let t = &s.triggers[0];
        assert_eq!(
            (t.fact, t.week, t.count, t.weeks),
            ("help.gp.frequent", d("2026-11-16"), 3, 2)
        );
        assert_eq!(t.latest_of(), ", the latest of 2 such weeks");
    }

    /// The months of a period (for charts of long periods): from the diary's start, each
    /// counting its cramps, the first and last cut by the period and so partial.
    #[test]
    fn months_count_cramps_from_the_diarys_start_and_say_which_are_partial() {
        let cramps = [
            cramp("2026-01-20", None),
            cramp("2026-01-31", None),
            cramp("2026-02-01", None),
            cramp("2026-03-10", None),
        ];
        let s = summarise_since(
            &cramps,
            &Profile::default(),
            d("2025-06-01"),
            d("2026-03-15"),
            Some(d("2026-01-20")),
            Settings::default(),
        );
        let got: Vec<(NaiveDate, u32, u32, u32)> = s
            .months
            .iter()
            .map(|m| (m.starts, m.cramps, m.days, m.length))
            .collect();
        assert_eq!(
            got,
            vec![
                (d("2026-01-01"), 2, 12, 31),
                (d("2026-02-01"), 1, 28, 28),
                (d("2026-03-01"), 1, 15, 31),
            ]
        );
        assert!(s.months[0].is_partial() && !s.months[1].is_partial() && s.months[2].is_partial());
    }

    #[test]
    fn a_night_is_recorded_by_a_cramp_in_sleep_or_a_check_in_and_the_rest_are_not_known() {
        let cramps = [
            cramp("2026-11-02", Some(true)),
            cramp("2026-11-02", Some(true)),
            // Awake, or not said: says nothing about the night.
            cramp("2026-11-03", Some(false)),
            cramp("2026-11-04", None),
            // A check-in for the same night as a cramp in sleep: the cramp counts.
            cramp("2026-11-05", Some(true)),
        ];
        let check_ins = [
            d("2026-11-03"),
            d("2026-11-05"),
            d("2026-11-06"),
            d("2026-10-30"),
        ];
        let n = Nights::count(
            &cramps,
            &check_ins,
            d("2026-11-01"),
            d("2026-11-07"),
            Some(d("2026-10-30")),
        );
        assert_eq!(
            n,
            Nights {
                with_cramp: 2,
                without_cramp: 2,
                not_recorded: 3,
                first_check_in: Some(d("2026-10-30")),
            }
        );
        assert_eq!(n.recorded(), 4);
        assert_eq!(
            n.describe(),
            "2 with a cramp in my sleep, 2 with no cramps (checked in), 3 not recorded"
        );
        // An existing diary with no check-ins: only nights with a cramp are known.
        let old = Nights::count(&cramps, &[], d("2026-11-01"), d("2026-11-07"), None);
        assert_eq!(
            (old.with_cramp, old.without_cramp, old.not_recorded),
            (2, 0, 5)
        );
    }

    #[test]
    fn a_cramp_in_sleep_before_midnight_belongs_to_the_night_that_ends_next_morning() {
        let t = |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("time");
        assert_eq!(night_of(t("2026-12-02 23:30")), d("2026-12-03"));
        assert_eq!(night_of(t("2026-12-03 03:00")), d("2026-12-03"));
        assert_eq!(night_of(t("2026-12-02 17:59")), d("2026-12-02"));
        // "Last night" said at 7am or 11pm is the night that ended this morning; at 2am the
        // night going on is not over, so it is the one before.
        assert_eq!(check_in_night(t("2026-12-03 07:00")), d("2026-12-03"));
        assert_eq!(check_in_night(t("2026-12-02 23:38")), d("2026-12-02"));
        assert_eq!(check_in_night(t("2026-12-03 01:38")), d("2026-12-02"));
        assert_eq!(
            night_name(d("2026-12-03")),
            "the night of Wednesday 2 to Thursday 3 December"
        );
        assert_eq!(
            night_name(d("2026-12-01")),
            "the night of Monday 30 November to Tuesday 1 December"
        );
        // Counted on that night: a check-in for the night it happened in does not win.
        let mut late = cramp("2026-11-02", Some(true));
        late.start =
            chrono::DateTime::parse_from_rfc3339("2026-11-02T23:30:00+00:00").expect("time");
        let n = Nights::count(
            &[late],
            &[d("2026-11-03")],
            d("2026-11-01"),
            d("2026-11-03"),
            None,
        );
        assert_eq!((n.with_cramp, n.without_cramp, n.not_recorded), (1, 0, 2));
    }
}
