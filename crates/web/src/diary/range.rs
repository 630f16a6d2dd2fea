//! The dates a page of the diary covers (patterns, the GP summary, the full record): a preset, or
//! two dates typed in the NHS.UK date input, read with every problem said at once in the
//! pattern's error summary (issue 21, finding 10). Links may still carry `from` and `to` as
//! dates written 2026-11-01; no message a person reads shows one.

use chrono::{NaiveDate, Utc};
use serde::Deserialize;

use crate::http::date_input::{self, DateBox};

#[derive(Deserialize, Default, Debug)]
pub(crate) struct RangeQuery {
    /// Dates in links (the full record from the summary, say), written 2026-11-01.
    pub(crate) from: Option<String>,
    pub(crate) to: Option<String>,
    /// A preset: "4" or "12" (the last so many weeks, to today) or "all" (from the first cramp).
    pub(crate) weeks: Option<String>,
    /// The dates as typed, in the three boxes of each.
    #[serde(rename = "from-day")]
    from_day: Option<String>,
    #[serde(rename = "from-month")]
    from_month: Option<String>,
    #[serde(rename = "from-year")]
    from_year: Option<String>,
    #[serde(rename = "to-day")]
    to_day: Option<String>,
    #[serde(rename = "to-month")]
    to_month: Option<String>,
    #[serde(rename = "to-year")]
    to_year: Option<String>,
}

impl RangeQuery {
    /// Read from a query string leniently: a name given twice keeps its last value, unknown
    /// names are ignored (the outside security review: `weeks=4&weeks=all` got the framework's
    /// own plain-text error, backticks and all).
    pub(crate) fn parse(query: Option<&str>) -> RangeQuery {
        let mut q = RangeQuery::default();
        for (k, v) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
            let v = Some(v.into_owned());
            match k.as_ref() {
                "from" => q.from = v,
                "to" => q.to = v,
                "weeks" => q.weeks = v,
                "from-day" => q.from_day = v,
                "from-month" => q.from_month = v,
                "from-year" => q.from_year = v,
                "to-day" => q.to_day = v,
                "to-month" => q.to_month = v,
                "to-year" => q.to_year = v,
                _ => {}
            }
        }
        q
    }
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for RangeQuery {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(RangeQuery::parse(parts.uri.query()))
    }
}

/// The date-range presets, as (value of `weeks`, label).
pub(crate) const RANGE_PRESETS: [(&str, &str); 3] = [
    ("4", "Last 4 weeks"),
    ("12", "Last 12 weeks"),
    ("all", "Everything"),
];

/// The longest range a page covers.
const MAX_YEARS: i64 = 20;

fn given(v: &Option<String>) -> bool {
    v.as_deref().is_some_and(|s| !s.trim().is_empty())
}

impl RangeQuery {
    /// The preset in use ("12" when no dates are given), or "" for dates of the person's own.
    pub(crate) fn preset(&self) -> &'static str {
        match self.weeks.as_deref() {
            Some(w) => RANGE_PRESETS
                .iter()
                .find(|(v, _)| *v == w)
                .map_or("", |(v, _)| v),
            None if !self.typed() && !given(&self.from) && !given(&self.to) => "12",
            None => "",
        }
    }

    /// Whether any box of the two dates was filled in.
    fn typed(&self) -> bool {
        [
            &self.from_day,
            &self.from_month,
            &self.from_year,
            &self.to_day,
            &self.to_month,
            &self.to_year,
        ]
        .into_iter()
        .any(given)
    }
}

/// One of the two dates in the form: what is in its boxes, and its problem if any.
pub(crate) struct RangeDate {
    pub(crate) id: &'static str,
    pub(crate) legend: &'static str,
    pub(crate) day: String,
    pub(crate) month: String,
    pub(crate) year: String,
    pub(crate) error: Option<String>,
    /// The box at fault ("day", "month" or "year"), or all three ("all").
    pub(crate) bad: &'static str,
}

impl RangeDate {
    fn of(id: &'static str, legend: &'static str, d: Option<NaiveDate>) -> RangeDate {
        let part = |f: &str| d.map(|d| d.format(f).to_string()).unwrap_or_default();
        RangeDate {
            id,
            legend,
            day: part("%-d"),
            month: part("%-m"),
            year: part("%Y"),
            error: None,
            bad: "",
        }
    }

    pub(crate) fn box_bad(&self, which: &str) -> bool {
        self.bad == "all" || self.bad == which
    }
}

/// The range form, as every page with dates shows it.
pub(crate) struct RangeForm {
    pub(crate) action: &'static str,
    pub(crate) preset: &'static str,
    pub(crate) presets: &'static [(&'static str, &'static str)],
    pub(crate) dates: [RangeDate; 2],
    /// Every problem, in the order of the form: (the field's id, the message).
    pub(crate) errors: Vec<(String, String)>,
}

impl RangeForm {
    /// The form for a range that was read, showing its dates.
    pub(crate) fn shown(
        action: &'static str,
        q: &RangeQuery,
        (from, to): (NaiveDate, NaiveDate),
    ) -> RangeForm {
        RangeForm {
            action,
            preset: q.preset(),
            presets: &RANGE_PRESETS,
            dates: [
                RangeDate::of("from", "From", Some(from)),
                RangeDate::of("to", "To", Some(to)),
            ],
            errors: Vec::new(),
        }
    }
}

/// What "the dates start" and "the dates end" are called in messages.
fn noun(id: &str) -> &'static str {
    if id == "from" {
        "the first date"
    } else {
        "the last date"
    }
}

/// One typed date: `None` when all three boxes are empty; its problem otherwise.
fn typed_date(
    id: &'static str,
    legend: &'static str,
    (day, month, year): (&Option<String>, &Option<String>, &Option<String>),
) -> (RangeDate, Option<NaiveDate>) {
    let text = |v: &Option<String>| v.as_deref().unwrap_or_default().trim().to_owned();
    let mut shown = RangeDate {
        id,
        legend,
        day: text(day),
        month: text(month),
        year: text(year),
        error: None,
        bad: "",
    };
    if !given(day) && !given(month) && !given(year) {
        return (shown, None);
    }
    match date_input::read(&shown.day, &shown.month, &shown.year) {
        Ok(d) => (shown, Some(d)),
        Err(at) => {
            let what = noun(id);
            let (bad, message) = match at {
                DateBox::Day if shown.day.is_empty() => {
                    ("day", format!("Enter the day of {what}, for example 1"))
                }
                DateBox::Day => (
                    "day",
                    format!(
                        "Enter a real day for {what}: that month has no day {}",
                        shown.day
                    ),
                ),
                DateBox::Month => (
                    "month",
                    format!("Enter the month of {what} as a number from 1 to 12"),
                ),
                DateBox::Year => (
                    "year",
                    format!("Enter the year of {what} with 4 numbers, for example 2026"),
                ),
            };
            // A day that is a number but not in any month (32) is the day's fault as well.
            let message = if matches!(at, DateBox::Day)
                && shown
                    .day
                    .parse::<u32>()
                    .map_or(true, |d| !(1..=31).contains(&d))
                && !shown.day.is_empty()
            {
                format!("Enter the day of {what} as a number from 1 to 31")
            } else {
                message
            };
            shown.bad = bad;
            shown.error = Some(message);
            (shown, None)
        }
    }
}

/// The range asked for: a preset, typed dates, dates from a link, or the last 12 weeks. "Today"
/// is the date in the server's zone. Every problem is found in one reading and given back in
/// the form, with what was typed.
pub(crate) fn read(
    action: &'static str,
    q: &RangeQuery,
    zone: chrono_tz::Tz,
) -> Result<(NaiveDate, NaiveDate), Box<RangeForm>> {
    let today = Utc::now().with_timezone(&zone).date_naive();
    let weeks_back = |n: i64| today - chrono::Duration::weeks(n) + chrono::Duration::days(1);
    let problem = |message: &str| {
        Box::new(RangeForm {
            action,
            preset: "",
            presets: &RANGE_PRESETS,
            dates: [
                RangeDate::of("from", "From", None),
                RangeDate::of("to", "To", None),
            ],
            errors: vec![("from-day".to_owned(), message.to_owned())],
        })
    };
    if let Some(w) = q.weeks.as_deref() {
        return match w {
            "4" => Ok((weeks_back(4), today)),
            "12" => Ok((weeks_back(12), today)),
            // Everything: the summary's weeks begin at the first cramp logged.
            "all" => Ok((today - chrono::Duration::days(366 * MAX_YEARS), today)),
            _ => Err(problem(
                "Choose the last 4 weeks, the last 12 weeks or everything, or enter your own dates",
            )),
        };
    }
    let (from_shown, from, to_shown, to) = if q.typed() {
        let (fs, f) = typed_date("from", "From", (&q.from_day, &q.from_month, &q.from_year));
        let (ts, t) = typed_date("to", "To", (&q.to_day, &q.to_month, &q.to_year));
        (fs, f, ts, t)
    } else {
        // Dates from a link: written 2026-11-01, or not read at all.
        let link = |v: &Option<String>| -> Result<Option<NaiveDate>, ()> {
            match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                None => Ok(None),
                Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                    .map(Some)
                    .map_err(|_| ()),
            }
        };
        let (Ok(f), Ok(t)) = (link(&q.from), link(&q.to)) else {
            return Err(problem(
                "The dates in the link you followed could not be read: enter the dates you want",
            ));
        };
        (
            RangeDate::of("from", "From", f),
            f,
            RangeDate::of("to", "To", t),
            t,
        )
    };
    let mut form = RangeForm {
        action,
        preset: "",
        presets: &RANGE_PRESETS,
        dates: [from_shown, to_shown],
        errors: Vec::new(),
    };
    for d in &form.dates {
        if let Some(m) = &d.error {
            form.errors.push((format!("{}-{}", d.id, d.bad), m.clone()));
        }
    }
    let to_or_today = to.unwrap_or(today);
    if form.errors.is_empty() {
        let from =
            from.unwrap_or(to_or_today - chrono::Duration::weeks(12) + chrono::Duration::days(1));
        let to = to_or_today;
        let message = if from > to {
            Some("The first date must be on or before the last date")
        } else if from > today {
            Some("The first date must be today or before: the diary has nothing after today")
        } else if (to - from).num_days() > 366 * MAX_YEARS {
            Some("The dates must be no more than 20 years apart")
        } else {
            None
        };
        match message {
            None => return Ok((from, to)),
            Some(m) => {
                form.dates[0].error = Some(m.to_owned());
                form.dates[0].bad = "all";
                form.errors.push(("from-day".to_owned(), m.to_owned()));
            }
        }
    }
    Err(Box::new(form))
}
