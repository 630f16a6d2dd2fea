//! The diary as CSV: one row a cramp, the profile of its day in the last columns.

use super::*;

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
pub(super) fn from_csv_text(cell: &str) -> &str {
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
