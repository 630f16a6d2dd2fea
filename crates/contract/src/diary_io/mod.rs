//! The diary's own files: CSV (RFC 4180, UTF-8, a header row) and JSON, both exported and
//! imported. An import is parsed and checked completely before anything is stored, and every
//! problem names the row (or episode number) and the field.

use std::borrow::Cow;
use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDate, SecondsFormat, Utc};
use legcramps_core::diary::{
    Context, Duration, Eased, Episode, EpisodeId, Invalid, Medication, Note, Severity, Side, Site,
    parse_choices, parse_date, parse_start,
};
use legcramps_core::profile::{Condition, EntryId, FromDiary, Medicine, OnDay, Pregnancy, Profile};
use legcramps_core::triage::{RULES_VERSION, action_for};
use legcramps_core::{Assessment, CONTENT_VERSION, Level, Outcome};
use serde::{Deserialize, Serialize};

use crate::parse_assessment;

mod api_body;
mod csv_file;
mod json_file;

pub use api_body::*;
use csv_file::from_csv_text;
pub use csv_file::*;
pub use json_file::*;

/// A check the person chose to keep in their diary: the answers, and what they were shown.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedCheck {
    pub id: EpisodeId,
    pub at: DateTime<FixedOffset>,
    pub answers: Assessment,
    /// What the person was shown, as it was: exports carry this, never a re-evaluation with
    /// newer rules. `None` for checks saved before it was recorded.
    pub shown: Option<Shown>,
}

/// The outcome a person was shown when they saved a check, with the versions that made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    pub disposition: Level,
    pub phone_111: bool,
    pub phone_999: bool,
    pub content_version: String,
    pub rules_version: String,
}

impl Shown {
    /// What an outcome shows, now, with this build's versions.
    pub fn of(o: &Outcome) -> Shown {
        Shown {
            disposition: o.level,
            phone_111: o.phone_111,
            phone_999: o.phone_999,
            content_version: CONTENT_VERSION.to_owned(),
            rules_version: RULES_VERSION.to_owned(),
        }
    }

    /// The headline that was shown ("Phone 111 now").
    pub fn headline(&self) -> &'static str {
        action_for(self.disposition, self.phone_111).headline()
    }
}

/// Everything in a diary file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DiaryFile {
    pub episodes: Vec<Episode>,
    pub checks: Vec<SavedCheck>,
    /// The profile: a JSON file's own, with what the cramps of an older file (or a CSV file)
    /// said about medicines and pregnancy worked out into it ([`Profile::from_diary`]).
    pub profile: Profile,
    /// Nights the person checked in as having had no cramps, each named by the morning it
    /// ended on (issue 21; see `legcramps_core::patterns::Nights`). JSON files only.
    pub nights_without_cramps: Vec<NaiveDate>,
}

/// Ids for profile entries worked out from a file (the store gives every entry it adds a new
/// id, so these only tell entries apart within one file).
fn file_ids() -> impl FnMut() -> EntryId {
    let mut n = 0;
    move || {
        n += 1;
        EntryId::new(&format!("file-{n}")).unwrap_or_else(|_| unreachable!("a valid id"))
    }
}

/// Add what the cramps said to the file's own profile.
fn with_diary_profile(mut profile: Profile, said: &[FromDiary]) -> Profile {
    // Every cramp counts, those that say nothing too: a later cramp not logged as pregnant
    // ends a pregnancy's run.
    if !said.iter().any(FromDiary::says_something) {
        return profile;
    }
    let missing = profile.missing_from(&Profile::from_diary(said, file_ids()));
    profile.medicines.extend(missing.medicines);
    profile.pregnancies.extend(missing.pregnancies);
    profile.conditions.extend(missing.conditions);
    profile.sort();
    profile
}

/// Why a file could not be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    /// "row 3" (CSV, counting the header as row 1), "episode 2" (JSON), or empty for the file.
    pub place: String,
    pub field: Option<String>,
    pub message: String,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.place.is_empty() {
            write!(f, "{}: ", self.place)?;
        }
        if let Some(field) = &self.field {
            write!(f, "{field}: ")?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for ImportError {}

fn at(place: &str, e: Invalid) -> ImportError {
    ImportError {
        place: place.to_owned(),
        field: Some(e.field.to_owned()),
        message: e.message,
    }
}

/// A start time as written in every file: RFC 3339 with seconds and the original offset.
pub fn format_start(t: &DateTime<FixedOffset>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, false)
}

fn bool_text(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}

/// A tick box or the profile, which can only say yes: `true`, or empty for "not said" — never
/// `false`, which would say the person answered no (issue 18's review: an export must not say
/// what was not said). Read back by [`parse_bool`], where empty is not ticked.
fn said_text(b: bool) -> &'static str {
    if b { "true" } else { "" }
}

/// Empty is "not logged"; otherwise as [`parse_bool`].
fn parse_optional_bool(field: &'static str, text: &str) -> Result<Option<bool>, Invalid> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        parse_bool(field, text).map(Some)
    }
}

/// A list of choices in a cell: names with `;` between.
fn names<T: fmt::Display>(items: &[T]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(";")
}

fn optional_text(b: Option<bool>) -> &'static str {
    b.map_or("", bool_text)
}

fn parse_bool(field: &'static str, text: &str) -> Result<bool, Invalid> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" => Ok(true),
        "false" | "no" | "0" | "" => Ok(false),
        other => Err(Invalid {
            field,
            message: format!("`{other}` is not true or false"),
        }),
    }
}

/// An episode, and what it said about medicines and pregnancy (older files, the `pregnant` and
/// `medicines` columns).
fn episode_from_fields(
    get: impl Fn(&'static str) -> String,
) -> Result<(Episode, FromDiary), Invalid> {
    let med_name = get("new_medication");
    let med_started = get("new_medication_started");
    let new_medication = if med_name.trim().is_empty() {
        if !med_started.trim().is_empty() {
            return Err(Invalid {
                field: "new_medication_started",
                message: "is given without a medication name".into(),
            });
        }
        None
    } else {
        let started = if med_started.trim().is_empty() {
            None
        } else {
            Some(parse_date("new_medication_started", &med_started)?)
        };
        Some(Medication::new(&med_name, started)?)
    };
    let seconds = get("duration_seconds");
    let duration = match seconds.trim() {
        "" => None,
        text => Some(Duration::from_seconds(text.parse().map_err(|_| {
            Invalid {
                field: "duration_seconds",
                message: format!("`{text}` is not a whole number of seconds"),
            }
        })?)?),
    };
    let optional = |field: &'static str| {
        let text = get(field);
        (!text.trim().is_empty()).then_some(text)
    };
    // The names in a list cell, each checked as the profile checks names.
    let listed = |field: &'static str| -> Result<Vec<String>, Invalid> {
        let mut out: Vec<String> = Vec::new();
        for name in get(field)
            .split(';')
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            let name = legcramps_core::profile::clean_name(field, name)?;
            if !out.contains(&name) {
                out.push(name);
            }
        }
        Ok(out)
    };
    let start = parse_start(&get("start"))?;
    let said = FromDiary {
        day: start.date_naive(),
        pregnant: parse_bool("pregnant", &get("pregnant"))?,
        medicines: new_medication.into_iter().collect(),
        taking: listed("medicines")?,
        conditions: listed("conditions")?,
    };
    let episode = Episode {
        id: EpisodeId::new(from_csv_text(&get("id")))?,
        start,
        last_night: parse_bool("last_night", &get("last_night"))?,
        duration,
        site: optional("site").map(|t| t.parse::<Site>()).transpose()?,
        side: get("side").parse::<Side>()?,
        asleep: parse_optional_bool("asleep", &get("asleep"))?,
        eased: optional("eased").map(|t| t.parse::<Eased>()).transpose()?,
        severity: get("severity").parse::<Severity>()?,
        note: Note::new(&get("note"))?,
        context: Context {
            exercise: parse_bool("exercise", &get("exercise"))?,
            short_of_fluids: parse_bool("short_of_fluids", &get("short_of_fluids"))?,
            helped: parse_choices(&get("helped"))?,
            suspected: parse_choices(&get("suspected"))?,
        },
    };
    Ok((episode, said))
}

/// Record where an id was first used in a file; a second use is an error naming both places
/// (the store would otherwise keep the first and drop the second as "already there").
fn first_use(
    seen: &mut std::collections::HashMap<String, String>,
    id: &EpisodeId,
    place: &str,
) -> Result<(), ImportError> {
    match seen.entry(id.as_str().to_owned()) {
        std::collections::hash_map::Entry::Occupied(first) => Err(ImportError {
            place: place.to_owned(),
            field: Some("id".into()),
            message: format!(
                "repeats the id `{}` of {}; each cramp needs its own id, so nothing was imported",
                id.as_str(),
                first.get()
            ),
        }),
        std::collections::hash_map::Entry::Vacant(v) => {
            v.insert(place.to_owned());
            Ok(())
        }
    }
}

/// What was shown, from its stored or exported parts. It counts as recorded only when the
/// content version it was shown with is there: older exports carried a disposition worked out
/// again at export time, which is not what the person saw.
pub fn shown_from_parts(
    disposition: Option<&str>,
    phone_111: Option<bool>,
    phone_999: Option<bool>,
    content_version: Option<String>,
    rules_version: Option<String>,
) -> Result<Option<Shown>, String> {
    let Some(content_version) = content_version else {
        return Ok(None);
    };
    let code = disposition.ok_or("a check with a content version needs its disposition")?;
    let disposition = Level::from_code(code).ok_or_else(|| {
        format!("unknown disposition `{code}`, expected one of emergency, urgent-gp, gp, pharmacist, self-care")
    })?;
    Ok(Some(Shown {
        disposition,
        phone_111: phone_111.unwrap_or(false),
        phone_999: phone_999.unwrap_or(false),
        content_version,
        rules_version: rules_version.unwrap_or_default(),
    }))
}

/// Apply the date limits (`diary::check_when`, `check_day`) to everything in a parsed file,
/// naming the row (CSV) or the episode or check (JSON), as parsing does.
pub fn check_dates(file: &DiaryFile, now: DateTime<Utc>, csv: bool) -> Result<(), ImportError> {
    for (n, e) in file.episodes.iter().enumerate() {
        let place = if csv {
            format!("row {}", n + 2)
        } else {
            format!("episode {}", n + 1)
        };
        e.check_dates(now).map_err(|err| at(&place, err))?;
    }
    for (n, c) in file.checks.iter().enumerate() {
        legcramps_core::diary::check_when("at", c.at, now)
            .map_err(|err| at(&format!("check {}", n + 1), err))?;
    }
    for (n, d) in file.nights_without_cramps.iter().enumerate() {
        legcramps_core::diary::check_day("night", *d, now)
            .map_err(|err| at(&format!("night without cramps {}", n + 1), err))?;
    }
    let p = &file.profile;
    // Named by name: a medicine may come from a CSV row's older columns, with no number.
    for m in &p.medicines {
        m.check_dates(now)
            .map_err(|err| at(&format!("the medicine \"{}\"", m.name()), err))?;
    }
    for (n, r) in p.pregnancies.iter().enumerate() {
        r.check_dates(now)
            .map_err(|err| at(&format!("pregnancy {}", n + 1), err))?;
    }
    for (n, c) in p.conditions.iter().enumerate() {
        c.check_dates(now)
            .map_err(|err| at(&format!("condition {}", n + 1), err))?;
    }
    let limit = legcramps_core::profile::MAX_ENTRIES;
    if p.medicines.len() > limit || p.pregnancies.len() > limit || p.conditions.len() > limit {
        return Err(ImportError {
            place: "profile".into(),
            field: None,
            message: format!("has more than {limit} entries of one kind"),
        });
    }
    Ok(())
}

/// Parse an exported file, CSV or JSON, and apply the date limits: what `import` stores.
pub fn import_checked(text: &str, now: DateTime<Utc>) -> Result<DiaryFile, ImportError> {
    let file = import(text)?;
    let json = text
        .strip_prefix('\u{feff}')
        .unwrap_or(text)
        .trim_start()
        .starts_with('{');
    check_dates(&file, now, !json)?;
    Ok(file)
}

/// [`import_checked`] for a file's bytes, as read from disk or uploaded: text that is not
/// UTF-8 is refused naming the row (CSV; the header is row 1) or the line (JSON) that holds
/// the first bad byte.
pub fn import_checked_bytes(bytes: &[u8], now: DateTime<Utc>) -> Result<DiaryFile, ImportError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        let line = bytes[..at].iter().filter(|b| **b == b'\n').count() + 1;
        let json = bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
        ImportError {
            place: format!("{} {line}", if json { "line" } else { "row" }),
            field: None,
            message: format!("not UTF-8 text (byte {at}): save the file as UTF-8"),
        }
    })?;
    import_checked(text, now)
}

/// Parse an exported file, CSV or JSON, telling them apart by their content.
pub fn import(text: &str) -> Result<DiaryFile, ImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') {
        from_json(text)
    } else if trimmed
        .lines()
        .next()
        .is_some_and(|l| l.split(',').map(str::trim).any(|h| h == "id") && l.contains("start"))
    {
        from_csv(text)
    } else {
        Err(ImportError {
            place: String::new(),
            field: None,
            message: "this file is neither a legcramps CSV export (with its header row) nor a legcramps JSON export".into(),
        })
    }
}

/// A date range's bounds, for messages.
pub fn describe_range(from: NaiveDate, to: NaiveDate) -> String {
    format!("{} to {}", from.format("%-d %B %Y"), to.format("%-d %B %Y"))
}
