//! The episode form: what it shows, what it reads, and the errors it names.

use std::str::FromStr;

use askama::Template;
use chrono::{NaiveTime, TimeZone, Utc};
use legcramps_core::diary::{
    Context, Duration, Eased, Episode, EpisodeId, Helped, MAX_NOTE_CHARS, Note, Severity, Side,
    Site, Suspected, parse_choices,
};

use crate::http::date_input::{self, DateBox};
use crate::http::render::Page;
use crate::http::views::{Layout, zone_label};

// ---------------------------------------------------------------------------------------------
// The episode form

/// A radio option.
#[derive(Debug)]
pub(crate) struct Opt {
    pub(crate) value: &'static str,
    pub(crate) label: &'static str,
    pub(crate) hint: &'static str,
    pub(crate) checked: bool,
}

/// What the form shows: the values typed (so nothing is lost when there is an error), and the
/// errors by field.
#[derive(Debug, Clone)]
pub(crate) struct FormValues {
    pub(crate) day: String,
    pub(crate) month: String,
    pub(crate) year: String,
    pub(crate) time: String,
    /// The time zone the date and time are in (the server's setting: UK time by default).
    pub(crate) zone: chrono_tz::Tz,
    pub(crate) minutes: String,
    pub(crate) site: String,
    pub(crate) side: String,
    pub(crate) asleep: String,
    pub(crate) eased: String,
    pub(crate) severity: String,
    pub(crate) note: String,
    pub(crate) exercise: bool,
    pub(crate) short_of_fluids: bool,
    /// The cramp was logged as "last night" (the quick log): an empty time keeps it so.
    pub(crate) last_night: bool,
    /// The boxes ticked for what helped and what came before, as sent.
    pub(crate) helped: Vec<String>,
    pub(crate) suspected: Vec<String>,
}

impl FormValues {
    pub(crate) fn empty(zone: chrono_tz::Tz) -> Self {
        FormValues {
            day: String::new(),
            month: String::new(),
            year: String::new(),
            time: String::new(),
            zone,
            minutes: String::new(),
            site: String::new(),
            side: String::new(),
            asleep: String::new(),
            eased: String::new(),
            severity: String::new(),
            note: String::new(),
            exercise: false,
            short_of_fluids: false,
            last_night: false,
            helped: Vec::new(),
            suspected: Vec::new(),
        }
    }

    pub(crate) fn for_now(zone: chrono_tz::Tz) -> Self {
        let now = Utc::now().with_timezone(&zone);
        FormValues {
            day: now.format("%-d").to_string(),
            month: now.format("%-m").to_string(),
            year: now.format("%Y").to_string(),
            time: now.format("%H:%M").to_string(),
            ..FormValues::empty(zone)
        }
    }

    pub(crate) fn zone_label(&self) -> String {
        zone_label(self.zone)
    }

    pub(crate) fn from_episode(e: &Episode, zone: chrono_tz::Tz) -> Self {
        // Shown in the server's zone, whatever offset it was logged with.
        let start = e.start.with_timezone(&zone);
        FormValues {
            day: start.format("%-d").to_string(),
            month: start.format("%-m").to_string(),
            year: start.format("%Y").to_string(),
            time: if e.last_night {
                String::new()
            } else {
                start.format("%H:%M").to_string()
            },
            zone,
            minutes: e.duration.map_or(String::new(), |d| {
                let m = d.minutes();
                if (m * 60.0).round() % 60.0 == 0.0 {
                    format!("{m:.0}")
                } else {
                    format!("{m:.2}")
                }
            }),
            site: e.site.map_or("", Site::name).into(),
            side: e.side.name().into(),
            asleep: match e.asleep {
                Some(true) => "asleep",
                Some(false) => "awake",
                None => "",
            }
            .into(),
            eased: e.eased.map_or("", Eased::name).into(),
            severity: e.severity.name().into(),
            note: e
                .note
                .as_ref()
                .map_or(String::new(), |n| n.as_str().to_owned()),
            exercise: e.context.exercise,
            short_of_fluids: e.context.short_of_fluids,
            last_night: e.last_night,
            helped: e
                .context
                .helped
                .iter()
                .map(|h| h.name().to_owned())
                .collect(),
            suspected: e
                .context
                .suspected
                .iter()
                .map(|b| b.name().to_owned())
                .collect(),
        }
    }

    pub(crate) fn from_form(body: &[u8], zone: chrono_tz::Tz) -> Self {
        let mut v = FormValues::empty(zone);
        for (k, val) in form_urlencoded::parse(body) {
            let val = val.into_owned();
            match k.as_ref() {
                "start-day" => v.day = val,
                "start-month" => v.month = val,
                "start-year" => v.year = val,
                "start-time" => v.time = val,
                "minutes" => v.minutes = val,
                "site" => v.site = val,
                "side" => v.side = val,
                "asleep" => v.asleep = val,
                "eased" => v.eased = val,
                "severity" => v.severity = val,
                "note" => v.note = val,
                "exercise" => v.exercise = true,
                "short_of_fluids" => v.short_of_fluids = true,
                "last-night" => v.last_night = val == "yes",
                "helped" => v.helped.push(val),
                "suspected" => v.suspected.push(val),
                _ => {}
            }
        }
        v
    }

    /// Check every field; all problems at once, each with the id of the input it is about.
    pub(crate) fn episode(&self, id: EpisodeId) -> Result<Episode, Vec<(&'static str, String)>> {
        let mut errors: Vec<(&'static str, String)> = Vec::new();
        let mut check = |id: &'static str, r: Result<(), String>| {
            if let Err(m) = r {
                errors.push((id, m));
            }
        };
        let date = date_input::read(&self.day, &self.month, &self.year);
        // A cramp logged as "last night" keeps its stand-in time while the time is left empty.
        let last_night = self.last_night && self.time.trim().is_empty();
        let time = if last_night {
            Some(legcramps_core::diary::LAST_NIGHT_AT)
        } else {
            NaiveTime::parse_from_str(self.time.trim(), "%H:%M").ok()
        };
        let mut start = None;
        match (date, time) {
            (Err(at_fault), _) => check(
                match at_fault {
                    DateBox::Day => "start-day",
                    DateBox::Month => "start-month",
                    DateBox::Year => "start-year",
                },
                Err("Enter a real date, for example 20 11 2026".into()),
            ),
            (_, None) => check(
                "start-time",
                Err("Enter the time on the 24-hour clock, for example 02:10".into()),
            ),
            (Ok(d), Some(t)) => {
                // In the server's zone. The hour the clocks go back happens twice: the first is
                // taken. The hour they go forward never happens: that is an error, said so.
                // A "last night" stand-in is never later than now (the same rule as logging).
                let local = if last_night {
                    legcramps_core::diary::last_night_start(
                        d.and_time(t)
                            .min(Utc::now().with_timezone(&self.zone).naive_local()),
                    )
                } else {
                    d.and_time(t)
                };
                match self.zone.from_local_datetime(&local).earliest() {
                    Some(local) => {
                        let dt = local.fixed_offset();
                        if dt > Utc::now().fixed_offset() + chrono::Duration::minutes(5) {
                            check(
                                "start-day",
                                Err("The date and time must not be in the future".into()),
                            );
                        } else {
                            match Episode::check_start(dt) {
                                Ok(dt) => start = Some(dt),
                                Err(e) => {
                                    check("start-year", Err(format!("The date {}", e.message)));
                                }
                            }
                        }
                    }
                    None => check(
                        "start-time",
                        Err(format!(
                            "{} did not happen on that day in {} (the clocks went forward): check the time",
                            t.format("%H:%M"),
                            zone_label(self.zone)
                        )),
                    ),
                }
            }
        }
        // How long, which muscle, asleep and eased are optional (the quick log leaves them for
        // later): empty is "not logged"; anything else must be a real answer.
        let duration = if self.minutes.trim().is_empty() {
            Ok(None)
        } else {
            Duration::parse_typed(&self.minutes).map(Some).map_err(|e| {
                if e.message.starts_with('`') {
                    format!("Enter how long the cramp lasted: {}", e.message)
                } else {
                    format!("The length of the cramp {}", e.message)
                }
            })
        };
        let duration = duration
            .map_err(|m| errors.push(("minutes", m)))
            .ok()
            .flatten();
        // A choice that is missing (where one is needed), or is not one of the options
        // offered, gets the same message.
        let mut choose = |field: &'static str, v: &str, what: &str, ok: bool, needed: bool| {
            if (v.is_empty() && needed) || (!v.is_empty() && !ok) {
                errors.push((field, format!("Select {what}")));
            }
        };
        let site = Site::from_str(&self.site).ok();
        choose(
            "site",
            &self.site,
            "which muscle cramped",
            site.is_some(),
            false,
        );
        let side = Side::from_str(&self.side).ok();
        choose("side", &self.side, "which leg", side.is_some(), true);
        let asleep = match self.asleep.as_str() {
            "asleep" => Some(true),
            "awake" => Some(false),
            _ => None,
        };
        choose(
            "asleep",
            &self.asleep,
            "whether you were asleep",
            asleep.is_some(),
            false,
        );
        let eased = Eased::from_str(&self.eased).ok();
        choose(
            "eased",
            &self.eased,
            "whether moving eased it",
            eased.is_some(),
            false,
        );
        let severity = Severity::from_str(&self.severity).ok();
        choose(
            "severity",
            &self.severity,
            "how bad it was",
            severity.is_some(),
            true,
        );
        let note = Note::new(&self.note)
            .map_err(|e| errors.push(("note", format!("The note {}", e.message))))
            .ok()
            .flatten();
        let helped = parse_choices::<Helped>(&self.helped.join(";"))
            .map_err(|_| errors.push(("helped", "Select only the choices shown".to_owned())))
            .unwrap_or_default();
        let suspected = parse_choices::<Suspected>(&self.suspected.join(";"))
            .map_err(|_| errors.push(("suspected", "Select only the choices shown".to_owned())))
            .unwrap_or_default();
        // The error summary lists the problems in the order of the boxes on the page.
        errors.sort_by_key(|(field, _)| FORM_ORDER.iter().position(|f| f == field));
        match (start, side, severity) {
            (Some(start), Some(side), Some(severity)) if errors.is_empty() => Ok(Episode {
                id,
                start,
                last_night,
                duration,
                site,
                side,
                asleep,
                eased,
                severity,
                note,
                context: Context {
                    exercise: self.exercise,
                    short_of_fluids: self.short_of_fluids,
                    helped,
                    suspected,
                },
            }),
            _ => Err(errors),
        }
    }
}

/// Whether a form's errors name the box `id` (the full form and the quick log share these, and
/// `diary_radios.html` calls them through each page).
pub(crate) fn has_error(errors: &[(&'static str, String)], id: &str) -> bool {
    errors.iter().any(|(f, _)| *f == id)
}

/// The message for the box `id`, or nothing.
pub(crate) fn error_for<'a>(errors: &'a [(&'static str, String)], id: &str) -> &'a str {
    errors
        .iter()
        .find(|(f, _)| *f == id)
        .map_or("", |(_, m)| m.as_str())
}

/// The form's boxes in page order (the error summary follows it).
pub(crate) const FORM_ORDER: [&str; 14] = [
    "start-day",
    "start-month",
    "start-year",
    "start-time",
    "minutes",
    "site",
    "side",
    "asleep",
    "eased",
    "severity",
    "note",
    "helped",
    "suspected",
    "when",
];

pub(crate) fn options(
    all: &[&'static str],
    labels: &[&'static str],
    hints: &[&'static str],
    chosen: &str,
) -> Vec<Opt> {
    all.iter()
        .zip(labels)
        .enumerate()
        .map(|(i, (v, l))| Opt {
            value: v,
            label: l,
            hint: hints.get(i).copied().unwrap_or(""),
            checked: *v == chosen,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "diary_form.html")]
pub(crate) struct FormPage {
    pub(crate) layout: Layout,
    pub(crate) action: String,
    pub(crate) heading: &'static str,
    pub(crate) button: &'static str,
    pub(crate) v: FormValues,
    pub(crate) errors: Vec<(&'static str, String)>,
    pub(crate) sites: Vec<Opt>,
    pub(crate) sides: Vec<Opt>,
    pub(crate) asleep: Vec<Opt>,
    pub(crate) eased: Vec<Opt>,
    pub(crate) severities: Vec<Opt>,
    pub(crate) max_note: usize,
    /// What helped, what came before: checkboxes.
    pub(crate) tick_groups: Vec<TickGroup>,
}

/// A group of checkboxes on the form.
pub(crate) struct TickGroup {
    pub(crate) name: &'static str,
    pub(crate) legend: &'static str,
    pub(crate) hint: &'static str,
    pub(crate) opts: Vec<Opt>,
}

/// Which leg, for the full form and the quick log.
pub(crate) fn side_options(chosen: &str) -> Vec<Opt> {
    options(
        &["left", "right", "both"],
        &["Left", "Right", "Both legs"],
        &[],
        chosen,
    )
}

/// How bad, with what each grade means, for the full form and the quick log.
pub(crate) fn severity_options(chosen: &str) -> Vec<Opt> {
    let meanings: Vec<&'static str> = Severity::ALL.iter().map(|s| s.meaning()).collect();
    options(
        &["mild", "moderate", "severe"],
        &["Mild", "Moderate", "Severe"],
        &meanings,
        chosen,
    )
}

/// Checkboxes for a list of choices, ticked as sent.
/// The boxes of a tick list: the choices offered for new entries, and any other choice this
/// entry already holds (an older entry keeps its ticks when it is edited; nothing is lost).
pub(crate) fn ticks(
    all: &[(&'static str, &'static str)],
    offered: &[&str],
    chosen: &[String],
) -> Vec<Opt> {
    all.iter()
        .filter(|(value, _)| offered.contains(value) || chosen.iter().any(|c| c == value))
        .map(|(value, label)| Opt {
            value,
            label,
            hint: "",
            checked: chosen.iter().any(|c| c == value),
        })
        .collect()
}

impl FormPage {
    pub(crate) fn new(
        page: &Page,
        action: String,
        heading: &'static str,
        button: &'static str,
        v: FormValues,
        errors: Vec<(&'static str, String)>,
    ) -> Self {
        FormPage {
            layout: page.layout(
                if errors.is_empty() {
                    heading.to_owned()
                } else {
                    format!("Error: {heading}")
                },
                "diary",
            ),
            action,
            heading,
            button,
            sites: options(
                &["calf", "foot", "thigh", "other"],
                &["Calf", "Foot", "Thigh", "Somewhere else in the leg"],
                &[],
                &v.site,
            ),
            sides: side_options(&v.side),
            asleep: options(&["asleep", "awake"], &["Asleep", "Awake"], &[], &v.asleep),
            eased: options(
                &["yes", "no", "unsure"],
                &["Yes", "No", "I\u{2019}m not sure"],
                &[],
                &v.eased,
            ),
            severities: severity_options(&v.severity),
            max_note: MAX_NOTE_CHARS,
            tick_groups: [
                TickGroup {
                    name: "helped",
                    legend: "What did you do that may have helped? (optional)",
                    hint: "Tick any you did.",
                    opts: ticks(
                        &[
                            ("stretched", "I stretched the muscle"),
                            ("walked", "I walked about"),
                            ("massaged", "I massaged it"),
                            (
                                "warmth",
                                "I used warmth, like a hot water bottle or a warm bath",
                            ),
                        ],
                        &Helped::OFFERED.iter().map(|h| h.name()).collect::<Vec<_>>(),
                        &v.helped,
                    ),
                },
                TickGroup {
                    name: "suspected",
                    legend: "Was there anything before it that you think may matter? (optional)",
                    hint: "Tick any. Your patterns compare nights with and without each once there are 3 of each.",
                    opts: ticks(
                        &[
                            ("long-standing", "Standing for a long time"),
                            ("alcohol", "Alcohol"),
                            ("caffeine", "Caffeine, like coffee, tea or cola"),
                        ],
                        &Suspected::OFFERED
                            .iter()
                            .map(|s| s.name())
                            .collect::<Vec<_>>(),
                        &v.suspected,
                    ),
                },
            ]
            .into_iter()
            // A list with nothing to offer is not shown.
            .filter(|g| !g.opts.is_empty())
            .collect(),
            v,
            errors,
        }
    }

    pub(crate) fn has_error(&self, id: &str) -> bool {
        has_error(&self.errors, id)
    }

    pub(crate) fn error_for(&self, id: &str) -> &str {
        error_for(&self.errors, id)
    }

    /// The date's one message, whichever of its boxes is at fault.
    pub(crate) fn date_error(&self) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| f.starts_with("start-") && *f != "start-time")
            .map(|(_, m)| m.as_str())
    }
}
