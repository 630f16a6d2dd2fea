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

/// The CSV columns, in order. The last three show the profile as it stood on each cramp's day
/// (medicine names and conditions with `;` between). Imported, they go back into the profile
/// as [`Profile::from_diary`] says: each run of days a medicine is listed becomes one taken
/// from the first of those days to the last, so every cramp reads back as it was, though a
/// medicine's dates outside the cramps are not in the file; the JSON file is the complete copy.
pub const CSV_HEADER: [&str; 17] = [
    "id",
    "start",
    "duration_seconds",
    "site",
    "side",
    "asleep",
    "eased",
    "severity",
    "note",
    "exercise",
    "short_of_fluids",
    "last_night",
    "helped",
    "suspected",
    "medicines",
    "pregnant",
    "conditions",
];

/// Columns of files from before the profile: a new medicine logged with each cramp. Read into
/// the profile; never written.
const CSV_OLDER_COLUMNS: [&str; 2] = ["new_medication", "new_medication_started"];

/// Columns an older export lacks, read as empty.
const CSV_OPTIONAL_COLUMNS: [&str; 8] = [
    "last_night",
    "helped",
    "suspected",
    "medicines",
    "pregnant",
    "conditions",
    "new_medication",
    "new_medication_started",
];

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

/// Episodes as CSV.
/// Characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Free text as a CSV cell a spreadsheet will show as text: a leading formula character gets a
/// `'` in front (which spreadsheets hide), and so does a leading `'`, so that
/// [`from_csv_text`] can remove exactly one and every note comes back as typed.
fn to_csv_text(text: &str) -> Cow<'_, str> {
    if text.starts_with(FORMULA_STARTS) || text.starts_with('\'') {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// The inverse of [`to_csv_text`]: remove the one `'` it adds.
fn from_csv_text(cell: &str) -> &str {
    cell.strip_prefix('\'').unwrap_or(cell)
}

/// Episodes as CSV, each with the profile as it stood on its day.
pub fn to_csv(episodes: &[Episode], profile: &Profile) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    let _ = w.write_record(CSV_HEADER);
    for e in episodes {
        let on: OnDay<'_> = profile.on(e.start.date_naive());
        let medicines: Vec<&str> = on.medicines.iter().map(|m| m.name()).collect();
        let conditions: Vec<&str> = on.conditions.iter().map(|c| c.name()).collect();
        let _ = w.write_record([
            // An id may start with `-` (issue 20, finding 13): escaped like free text.
            to_csv_text(e.id.as_str()).as_ref(),
            &format_start(&e.start),
            &e.duration
                .map_or(String::new(), |d| d.seconds().to_string()),
            e.site.map_or("", Site::name),
            e.side.name(),
            optional_text(e.asleep),
            e.eased.map_or("", Eased::name),
            e.severity.name(),
            &to_csv_text(e.note.as_ref().map_or("", Note::as_str)),
            said_text(e.context.exercise),
            said_text(e.context.short_of_fluids),
            bool_text(e.last_night),
            &names(&e.context.helped),
            &names(&e.context.suspected),
            &to_csv_text(&medicines.join(";")),
            said_text(on.pregnant),
            &to_csv_text(&conditions.join(";")),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
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

/// Parse CSV as exported. The header must name exactly our columns (in any order).
pub fn from_csv(text: &str) -> Result<DiaryFile, ImportError> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = r
        .headers()
        .map_err(|e| ImportError {
            place: "row 1".into(),
            field: None,
            message: format!("the header row cannot be read ({e})"),
        })?
        .clone();
    let mut index = Vec::new();
    for name in CSV_HEADER.iter().chain(&CSV_OLDER_COLUMNS).copied() {
        let found = headers.iter().position(|h| h.trim() == name);
        if found.is_none() && CSV_OPTIONAL_COLUMNS.contains(&name) {
            index.push(usize::MAX);
            continue;
        }
        let i = found.ok_or_else(|| ImportError {
            place: "row 1".into(),
            field: Some(name.into()),
            message: "this column is missing from the header".into(),
        })?;
        index.push(i);
    }
    for (i, h) in headers.iter().enumerate() {
        if headers
            .iter()
            .skip(i + 1)
            .any(|other| other.trim() == h.trim())
        {
            return Err(ImportError {
                place: "row 1".into(),
                field: Some(h.trim().to_owned()),
                message: "this column appears more than once in the header".into(),
            });
        }
    }
    if let Some(extra) = headers
        .iter()
        .find(|h| !CSV_HEADER.contains(&h.trim()) && !CSV_OLDER_COLUMNS.contains(&h.trim()))
    {
        return Err(ImportError {
            place: "row 1".into(),
            field: Some(extra.to_owned()),
            message: "is not a column of a legcramps diary".into(),
        });
    }
    let mut out = DiaryFile::default();
    let mut said = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for (n, record) in r.records().enumerate() {
        let place = format!("row {}", n + 2);
        let record = record.map_err(|e| ImportError {
            place: place.clone(),
            field: None,
            message: match e.kind() {
                csv::ErrorKind::UnequalLengths {
                    expected_len, len, ..
                } => {
                    format!("has {len} fields; the header has {expected_len}")
                }
                csv::ErrorKind::Utf8 { .. } => "is not UTF-8 text".into(),
                _ => e.to_string(),
            },
        })?;
        let get = |name: &'static str| {
            let i = CSV_HEADER
                .iter()
                .chain(&CSV_OLDER_COLUMNS)
                .position(|h| *h == name)
                .map_or(usize::MAX, |c| index[c]);
            let cell = record.get(i).unwrap_or("");
            if matches!(name, "note" | "new_medication" | "medicines" | "conditions") {
                from_csv_text(cell).to_owned()
            } else {
                cell.to_owned()
            }
        };
        let (episode, from_cramp) = episode_from_fields(get).map_err(|e| at(&place, e))?;
        first_use(&mut seen, &episode.id, &place)?;
        out.episodes.push(episode);
        said.push(from_cramp);
    }
    out.profile = with_diary_profile(Profile::default(), &said);
    Ok(out)
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

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Diary))]
pub struct DiaryJson {
    format: String,
    version: u32,
    #[serde(default)]
    content_version: Option<String>,
    #[serde(default)]
    episodes: Vec<EpisodeJson>,
    #[serde(default)]
    checks: Vec<CheckJson>,
    /// Medicines, pregnancies and known conditions (absent in files from before the profile).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    profile: Option<ProfileJson>,
}

/// A person's profile: what lasts longer than one cramp, read for each cramp's day.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Profile))]
pub struct ProfileJson {
    #[serde(default)]
    pub medicines: Vec<MedicineJson>,
    #[serde(default)]
    pub pregnancies: Vec<PregnancyJson>,
    #[serde(default)]
    pub conditions: Vec<ConditionJson>,
}

/// A medicine: taken from `started` to `stopped` (both days included; no `stopped`: still
/// taken).
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Medicine))]
pub struct MedicineJson {
    pub id: String,
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = api_schema::required_day))]
    pub started: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = api_schema::day))]
    pub stopped: Option<String>,
    /// True when the start was worked out from the first cramp it was logged with, in a diary
    /// from before the profile: the medicine was started on or before that day.
    #[serde(default)]
    pub from_diary: bool,
}

/// A pregnancy (no `ended`: pregnant now).
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Pregnancy))]
pub struct PregnancyJson {
    pub id: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = api_schema::required_day))]
    pub started: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = api_schema::day))]
    pub ended: Option<String>,
    /// Worked out from the cramps logged as pregnant in a diary from before the profile.
    #[serde(default)]
    pub from_diary: bool,
}

/// A condition the person knows they have, in their words.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = KnownCondition))]
pub struct ConditionJson {
    pub id: String,
    pub name: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = api_schema::day))]
    pub since: Option<String>,
}

impl ProfileJson {
    pub fn of(p: &Profile) -> ProfileJson {
        ProfileJson {
            medicines: p
                .medicines
                .iter()
                .map(|m| MedicineJson {
                    id: m.id.to_string(),
                    name: m.name().to_owned(),
                    started: m.started.to_string(),
                    stopped: m.stopped.map(|d| d.to_string()),
                    from_diary: m.from_diary,
                })
                .collect(),
            pregnancies: p
                .pregnancies
                .iter()
                .map(|r| PregnancyJson {
                    id: r.id.to_string(),
                    started: r.started.to_string(),
                    ended: r.ended.map(|d| d.to_string()),
                    from_diary: r.from_diary,
                })
                .collect(),
            conditions: p
                .conditions
                .iter()
                .map(|c| ConditionJson {
                    id: c.id.to_string(),
                    name: c.name().to_owned(),
                    since: c.since.map(|d| d.to_string()),
                })
                .collect(),
        }
    }

    /// Check every entry, naming the one at fault ("medicine 2").
    pub fn parse(self) -> Result<Profile, ImportError> {
        let day = |place: &str, field: &'static str, text: &str| {
            parse_date(field, text).map_err(|e| at(place, e))
        };
        let maybe = |place: &str, field: &'static str, text: Option<&String>| {
            text.map(|t| day(place, field, t)).transpose()
        };
        let mut p = Profile::default();
        for (n, m) in self.medicines.into_iter().enumerate() {
            let place = format!("medicine {}", n + 1);
            let mut medicine = Medicine::new(
                EntryId::new(&m.id).map_err(|e| at(&place, e))?,
                &m.name,
                day(&place, "medicine_started", &m.started)?,
                maybe(&place, "medicine_stopped", m.stopped.as_ref())?,
            )
            .map_err(|e| at(&place, e))?;
            medicine.from_diary = m.from_diary;
            p.medicines.push(medicine);
        }
        for (n, r) in self.pregnancies.into_iter().enumerate() {
            let place = format!("pregnancy {}", n + 1);
            let mut pregnancy = Pregnancy::new(
                EntryId::new(&r.id).map_err(|e| at(&place, e))?,
                day(&place, "pregnancy_started", &r.started)?,
                maybe(&place, "pregnancy_ended", r.ended.as_ref())?,
            )
            .map_err(|e| at(&place, e))?;
            pregnancy.from_diary = r.from_diary;
            p.pregnancies.push(pregnancy);
        }
        for (n, c) in self.conditions.into_iter().enumerate() {
            let place = format!("condition {}", n + 1);
            p.conditions.push(
                Condition::new(
                    EntryId::new(&c.id).map_err(|e| at(&place, e))?,
                    &c.name,
                    maybe(&place, "condition_since", c.since.as_ref())?,
                )
                .map_err(|e| at(&place, e))?,
            );
        }
        // Each id once per list (the store keys entries by id).
        let repeated = |ids: Vec<&EntryId>| {
            ids.iter()
                .enumerate()
                .find(|(i, id)| ids[..*i].contains(id))
                .map(|(_, id)| id.to_string())
        };
        if let Some(id) = repeated(p.medicines.iter().map(|m| &m.id).collect())
            .or_else(|| repeated(p.pregnancies.iter().map(|r| &r.id).collect()))
            .or_else(|| repeated(p.conditions.iter().map(|c| &c.id).collect()))
        {
            return Err(ImportError {
                place: "profile".into(),
                field: Some("id".into()),
                message: format!("the id `{id}` is used twice; each entry needs its own"),
            });
        }
        p.sort();
        Ok(p)
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Episode))]
pub struct EpisodeJson {
    id: String,
    start: String,
    /// True when the person logged "last night" rather than a time: `start` is then 03:00 that
    /// night, a stand-in, not a time they gave.
    #[serde(default)]
    last_night: bool,
    /// How long, which muscle, whether it woke them and whether moving eased it: `null` when
    /// not logged (the quick log asks only when, which leg and how bad).
    #[serde(default)]
    duration_seconds: Option<u32>,
    #[serde(default)]
    site: Option<String>,
    side: String,
    #[serde(default)]
    asleep: Option<bool>,
    #[serde(default)]
    eased: Option<String>,
    severity: String,
    #[serde(default)]
    note: Option<String>,
    context: ContextJson,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = EpisodeContext))]
pub struct ContextJson {
    /// Ticked "exercise that day". Only `true` is written: left out, it was not said (never
    /// `false`, which would read as an answer of no).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    exercise: bool,
    /// From diaries before the profile: a new medicine logged with this cramp. Read into the
    /// profile (`/api/v1/profile`); never sent back.
    #[serde(default, skip_serializing)]
    #[cfg_attr(feature = "openapi", schema(deprecated))]
    new_medication: Option<MedicationJson>,
    /// From diaries before the profile: pregnant when this cramp happened. Read into the
    /// profile; never sent back.
    #[serde(default, skip_serializing)]
    #[cfg_attr(feature = "openapi", schema(deprecated))]
    pregnant: bool,
    /// Ticked "may have been short of fluids". Only `true` is written, as for `exercise`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    short_of_fluids: bool,
    /// What may have helped: any of stretched, walked, massaged, warmth.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = api_schema::helped))]
    helped: Vec<String>,
    /// What the person suspects came before it: any of long-standing, alcohol, caffeine.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = api_schema::suspected))]
    suspected: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = NewMedication))]
pub struct MedicationJson {
    #[cfg_attr(feature = "openapi", schema(schema_with = api_schema::medication_name))]
    name: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = api_schema::day))]
    started: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = SavedCheck))]
pub struct CheckJson {
    id: String,
    at: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    answers: serde_json::Value,
    /// What was shown when the check was saved (absent for checks saved before it was kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    disposition: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    phone_111: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    phone_999: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    content_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    rules_version: Option<String>,
}

const FORMAT: &str = "legcramps-diary";

/// One episode of the JSON format, checked field by field (the same checks as CSV), with
/// what it said about medicines and pregnancy (files and programs from before the profile).
fn episode_from_json(e: EpisodeJson) -> Result<(Episode, FromDiary), Invalid> {
    let med = e.context.new_medication;
    let get = |name: &'static str| -> String {
        match name {
            "id" => e.id.clone(),
            "start" => e.start.clone(),
            "duration_seconds" => e.duration_seconds.map_or(String::new(), |d| d.to_string()),
            "site" => e.site.clone().unwrap_or_default(),
            "side" => e.side.clone(),
            "asleep" => optional_text(e.asleep).into(),
            "eased" => e.eased.clone().unwrap_or_default(),
            "last_night" => bool_text(e.last_night).into(),
            "severity" => e.severity.clone(),
            "note" => e.note.clone().unwrap_or_default(),
            "exercise" => bool_text(e.context.exercise).into(),
            "new_medication" => med.as_ref().map_or(String::new(), |m| m.name.clone()),
            "new_medication_started" => med
                .as_ref()
                .and_then(|m| m.started.clone())
                .unwrap_or_default(),
            "pregnant" => bool_text(e.context.pregnant).into(),
            "short_of_fluids" => bool_text(e.context.short_of_fluids).into(),
            "helped" => e.context.helped.join(";"),
            "suspected" => e.context.suspected.join(";"),
            _ => String::new(),
        }
    };
    episode_from_fields(get)
}

/// The answers of an assessment as contract JSON (missing answers left out).
pub fn assessment_json(a: &Assessment) -> serde_json::Value {
    let mut map = serde_json::Map::new();
    if let Some(m) = a.longest_cramp_minutes {
        map.insert("longest_cramp_minutes".into(), m.get().into());
    }
    for q in legcramps_core::YesNo::ALL {
        if let Some(v) = a.get(q) {
            map.insert(legcramps_core::Field::YesNo(q).name().into(), v.into());
        }
    }
    if let Some(cs) = a.known_conditions {
        map.insert(
            "known_conditions".into(),
            cs.iter().map(|c| c.name()).collect::<Vec<_>>().into(),
        );
    }
    serde_json::Value::Object(map)
}

/// The diary as JSON: the complete copy, profile included.
pub fn to_json(file: &DiaryFile) -> String {
    let doc = DiaryJson {
        format: FORMAT.into(),
        version: 1,
        content_version: Some(CONTENT_VERSION.into()),
        profile: Some(ProfileJson::of(&file.profile)),
        episodes: file
            .episodes
            .iter()
            .map(|e| EpisodeJson {
                id: e.id.to_string(),
                start: format_start(&e.start),
                last_night: e.last_night,
                duration_seconds: e.duration.map(Duration::seconds),
                site: e.site.map(|s| s.name().into()),
                side: e.side.name().into(),
                asleep: e.asleep,
                eased: e.eased.map(|v| v.name().into()),
                severity: e.severity.name().into(),
                note: e.note.as_ref().map(|n| n.as_str().to_owned()),
                context: ContextJson {
                    exercise: e.context.exercise,
                    new_medication: None,
                    pregnant: false,
                    short_of_fluids: e.context.short_of_fluids,
                    helped: e.context.helped.iter().map(|h| h.name().into()).collect(),
                    suspected: e
                        .context
                        .suspected
                        .iter()
                        .map(|b| b.name().into())
                        .collect(),
                },
            })
            .collect(),
        checks: file
            .checks
            .iter()
            .map(|c| CheckJson {
                id: c.id.to_string(),
                at: format_start(&c.at),
                answers: assessment_json(&c.answers),
                disposition: c.shown.as_ref().map(|s| s.disposition.code().into()),
                phone_111: c.shown.as_ref().map(|s| s.phone_111),
                phone_999: c.shown.as_ref().map(|s| s.phone_999),
                content_version: c.shown.as_ref().map(|s| s.content_version.clone()),
                rules_version: c.shown.as_ref().map(|s| s.rules_version.clone()),
            })
            .collect(),
    };
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// Parse JSON as exported.
pub fn from_json(text: &str) -> Result<DiaryFile, ImportError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let doc: DiaryJson = serde_path_to_error::deserialize(&mut de).map_err(|e| ImportError {
        place: String::new(),
        field: Some(e.path().to_string()).filter(|p| p != "." && p != "?"),
        message: e.inner().to_string(),
    })?;
    de.end().map_err(|e| ImportError {
        place: String::new(),
        field: None,
        message: format!("unexpected data after the JSON ({e})"),
    })?;
    if doc.format != FORMAT || doc.version != 1 {
        return Err(ImportError {
            place: String::new(),
            field: Some("format".into()),
            message: format!(
                "this is not a legcramps diary (format `{}`, version {})",
                doc.format, doc.version
            ),
        });
    }
    let mut out = DiaryFile::default();
    let mut said = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for (n, e) in doc.episodes.into_iter().enumerate() {
        let place = format!("episode {}", n + 1);
        let (episode, from_cramp) = episode_from_json(e).map_err(|err| at(&place, err))?;
        first_use(&mut seen, &episode.id, &place)?;
        out.episodes.push(episode);
        said.push(from_cramp);
    }
    let own = doc.profile.map(ProfileJson::parse).transpose()?;
    out.profile = with_diary_profile(own.unwrap_or_default(), &said);
    let mut seen_checks = std::collections::HashMap::new();
    for (n, c) in doc.checks.into_iter().enumerate() {
        let place = format!("check {}", n + 1);
        let answers = parse_assessment(&c.answers.to_string()).map_err(|e| ImportError {
            place: place.clone(),
            field: e.field.map(|f| format!("answers.{f}")),
            message: e.message,
        })?;
        let shown = shown_from_parts(
            c.disposition.as_deref(),
            c.phone_111,
            c.phone_999,
            c.content_version,
            c.rules_version,
        )
        .map_err(|message| ImportError {
            place: place.clone(),
            field: Some("disposition".into()),
            message,
        })?;
        let id = EpisodeId::new(&c.id).map_err(|e| at(&place, e))?;
        first_use(&mut seen_checks, &id, &place)?;
        out.checks.push(SavedCheck {
            id,
            at: parse_start(&c.at).map_err(|e| at(&place, Invalid { field: "at", ..e }))?,
            answers,
            shown,
        });
    }
    Ok(out)
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

/// A new episode sent to the JSON API (`POST /api/v1/episodes`): the episode's fields without
/// an id (the server makes one).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = NewEpisode))]
pub struct NewEpisodeJson {
    #[cfg_attr(feature = "openapi", schema(schema_with = api_schema::start))]
    start: String,
    /// True when the person said "last night" rather than a time (`start` is then a stand-in).
    #[serde(default)]
    last_night: bool,
    /// Optional, like `site`, `asleep` and `eased`: leave out or null when not known yet.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = api_schema::minutes))]
    minutes: Option<f64>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = api_schema::site))]
    site: Option<String>,
    #[cfg_attr(feature = "openapi", schema(schema_with = api_schema::side))]
    side: String,
    #[serde(default)]
    asleep: Option<bool>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = api_schema::eased))]
    eased: Option<String>,
    #[cfg_attr(feature = "openapi", schema(schema_with = api_schema::severity))]
    severity: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = api_schema::note))]
    note: Option<String>,
    #[serde(default)]
    context: Option<ContextJson>,
}

/// The exact constraints of a new episode, stated in the OpenAPI document so that a client
/// (and schemathesis) knows what is accepted. The one rule a schema cannot state is relative
/// to the clock: a start or a medicine's start date may not be in the future.
#[cfg(feature = "openapi")]
mod api_schema {
    use legcramps_core::diary::{
        EARLIEST_YEAR, Eased, MAX_MEDICATION_CHARS, MAX_NOTE_CHARS, Severity, Side, Site,
    };
    use utoipa::openapi::schema::{
        KnownFormat, Object, ObjectBuilder, SchemaFormat, SchemaType, Type,
    };

    /// Any character but a control character (tab and line breaks allowed where `breaks`).
    fn no_controls(breaks: bool) -> &'static str {
        if breaks {
            "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$"
        } else {
            "^[^\\u0000-\\u001F\\u007F-\\u009F]*[^\\s\\u0000-\\u001F\\u007F-\\u009F\\u202A-\\u202E\\u2066-\\u2069][^\\u0000-\\u001F\\u007F-\\u009F]*$"
        }
    }

    fn one_of(names: Vec<&'static str>, what: &str) -> Object {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(names))
            .description(Some(what))
            .build()
    }

    /// One of `names`, or null (not logged).
    fn optional_one_of(names: Vec<&'static str>, what: &str) -> Object {
        let mut values: Vec<serde_json::Value> = names.into_iter().map(Into::into).collect();
        values.push(serde_json::Value::Null);
        ObjectBuilder::new()
            .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
            .enum_values(Some(values))
            .description(Some(what))
            .build()
    }

    pub(super) fn site() -> Object {
        optional_one_of(
            Site::ALL.iter().map(|v| v.name()).collect(),
            "Where the cramp was",
        )
    }
    pub(super) fn side() -> Object {
        one_of(Side::ALL.iter().map(|v| v.name()).collect(), "Which leg")
    }
    pub(super) fn eased() -> Object {
        optional_one_of(
            Eased::ALL.iter().map(|v| v.name()).collect(),
            "Whether it eased once the person moved",
        )
    }
    fn any_of(names: Vec<&'static str>, what: &str) -> utoipa::openapi::schema::Array {
        utoipa::openapi::schema::ArrayBuilder::new()
            .items(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .enum_values(Some(names)),
            )
            .description(Some(what))
            .build()
    }
    pub(super) fn helped() -> utoipa::openapi::schema::Array {
        any_of(
            legcramps_core::diary::Helped::ALL
                .iter()
                .map(|v| v.name())
                .collect(),
            "What may have helped (any number)",
        )
    }
    pub(super) fn suspected() -> utoipa::openapi::schema::Array {
        any_of(
            legcramps_core::diary::Suspected::ALL
                .iter()
                .map(|v| v.name())
                .collect(),
            "What the person suspects came before it (any number)",
        )
    }
    pub(super) fn severity() -> Object {
        one_of(
            Severity::ALL.iter().map(|v| v.name()).collect(),
            "How bad it was",
        )
    }
    pub(super) fn start() -> Object {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
            .description(Some(format!(
                "When it started: an RFC 3339 date and time with its UTC offset, from {EARLIEST_YEAR}, not in the future"
            )))
            .examples(["2026-11-20T02:10:00+00:00"])
            .build()
    }
    pub(super) fn minutes() -> Object {
        ObjectBuilder::new()
            .schema_type(SchemaType::from_iter([Type::Number, Type::Null]))
            .minimum(Some(0.01))
            .maximum(Some(1440.0))
            .description(Some(
                "How long it lasted, in minutes (stored to the second: at least 1 second, at most one day)",
            ))
            .build()
    }
    pub(super) fn note() -> Object {
        ObjectBuilder::new()
            .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
            .max_length(Some(MAX_NOTE_CHARS))
            .pattern(Some(no_controls(true)))
            .description(Some(
                "A note in the person's words: no control characters but tabs and line breaks",
            ))
            .build()
    }
    pub(super) fn medication_name() -> Object {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .max_length(Some(MAX_MEDICATION_CHARS))
            .pattern(Some(no_controls(false)))
            .description(Some(
                "The medicine's name: not blank, no control characters",
            ))
            .build()
    }
    pub(super) fn required_day() -> Object {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
            .pattern(Some("^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))
            .description(Some(format!(
                "A date, YYYY-MM-DD, from {EARLIEST_YEAR}, not in the future"
            )))
            .build()
    }
    pub(super) fn day() -> Object {
        ObjectBuilder::new()
            .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
            .pattern(Some("^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))
            .description(Some(format!(
                "A date, YYYY-MM-DD, from {EARLIEST_YEAR}, not in the future"
            )))
            .build()
    }
}

/// Whether `text` is written exactly as YYYY-MM-DD (the API's date form, as its OpenAPI
/// document says; files and forms are more forgiving).
pub fn is_iso_day(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
}

fn names_of(names: impl Iterator<Item = &'static str>) -> Vec<&'static str> {
    names.collect()
}

/// Parse a new episode from the API's JSON, giving it `id`, with what an older program said
/// about medicines and pregnancy (for the profile).
pub fn new_episode_from_json(
    text: &str,
    id: EpisodeId,
) -> Result<(Episode, FromDiary), ImportError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let e: NewEpisodeJson = serde_path_to_error::deserialize(&mut de).map_err(|e| ImportError {
        place: String::new(),
        field: Some(e.path().to_string()).filter(|p| p != "." && p != "?"),
        message: {
            let m = e.inner().to_string();
            m.rsplit_once(" at line ")
                .map_or(m.clone(), |(a, _)| a.to_owned())
        },
    })?;
    de.end().map_err(|_| ImportError {
        place: String::new(),
        field: None,
        message: "unexpected data after the JSON object".into(),
    })?;
    // The API's contract is exact (the OpenAPI document lists each name): " Calf" or "CALF"
    // are refused here, naming the field, though a hand-made import file may use them.
    for (field, value, names) in [
        (
            "site",
            e.site.as_ref(),
            names_of(Site::ALL.iter().map(|v| v.name())),
        ),
        (
            "side",
            Some(&e.side),
            names_of(Side::ALL.iter().map(|v| v.name())),
        ),
        (
            "eased",
            e.eased.as_ref(),
            names_of(Eased::ALL.iter().map(|v| v.name())),
        ),
        (
            "severity",
            Some(&e.severity),
            names_of(Severity::ALL.iter().map(|v| v.name())),
        ),
    ] {
        let Some(value) = value else { continue };
        if !names.iter().any(|n| n == value) {
            return Err(ImportError {
                place: String::new(),
                field: Some(field.to_owned()),
                message: format!("`{value}` is not one of: {}", names.join(", ")),
            });
        }
    }
    let exact = |field: &str, message: String| ImportError {
        place: String::new(),
        field: Some(field.to_owned()),
        message,
    };
    // The lists too, each item exactly one of its names.
    if let Some(c) = e.context.as_ref() {
        for (field, items, names) in [
            (
                "context.helped",
                &c.helped,
                names_of(legcramps_core::diary::Helped::ALL.iter().map(|v| v.name())),
            ),
            (
                "context.suspected",
                &c.suspected,
                names_of(
                    legcramps_core::diary::Suspected::ALL
                        .iter()
                        .map(|v| v.name()),
                ),
            ),
        ] {
            if let Some(bad) = items.iter().find(|i| !names.contains(&i.as_str())) {
                return Err(exact(
                    field,
                    format!("`{bad}` is not one of: {}", names.join(", ")),
                ));
            }
        }
    }
    if e.start.trim() != e.start {
        return Err(exact(
            "start",
            "has spaces around it; send the date and time alone".into(),
        ));
    }
    // RFC 3339 exactly, as the document's `date-time` says (files and the command line also
    // take "2026-11-20 02:10+00:00" and times without seconds).
    if !(chrono::DateTime::parse_from_rfc3339(&e.start).is_ok()
        && e.start
            .get(10..11)
            .is_some_and(|t| t.eq_ignore_ascii_case("t")))
    {
        return Err(exact(
            "start",
            format!(
                "`{}` is not an RFC 3339 date and time like 2026-11-20T02:10:00+00:00",
                e.start
            ),
        ));
    }
    // The limits count what was sent (files trim spaces and drop direction marks first).
    if e.note
        .as_deref()
        .is_some_and(|n| n.chars().count() > legcramps_core::diary::MAX_NOTE_CHARS)
    {
        return Err(exact(
            "note",
            format!(
                "is longer than {} characters",
                legcramps_core::diary::MAX_NOTE_CHARS
            ),
        ));
    }
    if e.context
        .as_ref()
        .and_then(|c| c.new_medication.as_ref())
        .is_some_and(|m| m.name.chars().count() > legcramps_core::diary::MAX_MEDICATION_CHARS)
    {
        return Err(exact(
            "context.new_medication.name",
            format!(
                "is longer than {} characters",
                legcramps_core::diary::MAX_MEDICATION_CHARS
            ),
        ));
    }
    // Control characters are refused as sent, as the document's patterns say (a file's
    // cells are trimmed first, so a stray tab at the edge of a cell is forgiven there).
    if e.note.as_deref().is_some_and(|n| {
        n.chars()
            .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    }) {
        return Err(exact(
            "note",
            "contains a control character (only tabs and line breaks are allowed)".into(),
        ));
    }
    if e.context
        .as_ref()
        .and_then(|c| c.new_medication.as_ref())
        .is_some_and(|m| m.name.chars().any(char::is_control))
    {
        return Err(exact(
            "context.new_medication.name",
            "contains a control character".into(),
        ));
    }
    // Files may leave a medicine's name empty for "none"; the API says "none" by leaving the
    // medicine out, so an empty name there is a mistake to name (found by schemathesis).
    if e.context
        .as_ref()
        .and_then(|c| c.new_medication.as_ref())
        .is_some_and(|m| m.name.trim().is_empty())
    {
        return Err(exact(
            "context.new_medication.name",
            "needs a name (leave new_medication out, or null, when there is none)".into(),
        ));
    }
    if let Some(day) = e
        .context
        .as_ref()
        .and_then(|c| c.new_medication.as_ref())
        .and_then(|m| m.started.as_deref())
        && !is_iso_day(day)
    {
        return Err(exact(
            "context.new_medication.started",
            format!("`{day}` is not a date written as YYYY-MM-DD"),
        ));
    }
    let duration = e
        .minutes
        .map(Duration::from_minutes)
        .transpose()
        .map_err(|err| {
            at(
                "",
                Invalid {
                    field: "minutes",
                    ..err
                },
            )
        })?;
    episode_from_json(EpisodeJson {
        id: id.to_string(),
        start: e.start,
        last_night: e.last_night,
        duration_seconds: duration.map(Duration::seconds),
        site: e.site,
        side: e.side,
        asleep: e.asleep,
        eased: e.eased,
        severity: e.severity,
        note: e.note,
        context: e.context.unwrap_or(ContextJson {
            exercise: false,
            new_medication: None,
            pregnant: false,
            short_of_fluids: false,
            helped: Vec::new(),
            suspected: Vec::new(),
        }),
    })
    .map_err(|err| at("", err))
}
