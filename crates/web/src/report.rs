//! The one-page GP summary, as a web page and as a standalone file
//! (`legcramps report --html`). Both come from the same template.

use askama::Template;
use chrono::{DateTime, FixedOffset};
use legcramps_contract::diary_io::{SavedCheck, Shown};
use legcramps_core::CONTENT_VERSION;
use legcramps_core::diary::Duration;
use legcramps_core::patterns::{DURATION_BANDS, Settings, Summary, Week};

use crate::charts;

/// The figures the summary template needs, worked out once.
pub(crate) struct SummaryView<'a> {
    pub(crate) s: &'a Summary,
    pub(crate) period: String,
    pub(crate) generated: String,
    pub(crate) busiest: Option<&'a Week>,
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
}

/// A saved check, as the diary pages and the GP summary list it.
pub(crate) struct SavedCheckLine {
    pub(crate) when: String,
    /// The headline shown at the time ("Phone 111 now"), as it was.
    pub(crate) shown: &'static str,
}

impl SavedCheckLine {
    pub(crate) fn of(c: &SavedCheck) -> Self {
        SavedCheckLine {
            when: c.at.format("%-d %b %Y %H:%M").to_string(),
            shown: c
                .shown
                .as_ref()
                .map_or("what was shown was not recorded", Shown::headline),
        }
    }
}

impl<'a> SummaryView<'a> {
    pub(crate) fn new(
        s: &'a Summary,
        settings: &Settings,
        generated: DateTime<FixedOffset>,
    ) -> Self {
        SummaryView {
            s,
            period: format!(
                "{} to {}",
                s.from.format("%-d %B %Y"),
                s.to.format("%-d %B %Y")
            ),
            generated: generated.format("%-d %B %Y at %H:%M (UTC%:z)").to_string(),
            busiest: s
                .weeks
                .iter()
                .filter(|w| w.cramps > 0)
                .max_by_key(|w| w.cramps),
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
    settings: &Settings,
    generated: DateTime<FixedOffset>,
) -> String {
    SummaryFile {
        css: include_str!("../static/gp-summary.css"),
        v: SummaryView::new(s, settings, generated).with_checks(checks),
    }
    .render()
    .unwrap_or_else(|_| "<!DOCTYPE html><p>The summary could not be made.</p>".to_owned())
}
