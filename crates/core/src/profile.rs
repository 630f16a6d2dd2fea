//! The things that last, kept once rather than asked with every cramp: medicines (the day each
//! was started and, if it has been, stopped), pregnancies (with an end) and known conditions.
//! A cramp picks the profile up as it stood on its day ([`Profile::on`]): nothing is copied
//! into the cramp, so correcting a date corrects every cramp it touches.
//!
//! Diaries from before the profile asked, with each cramp, about a new medicine and pregnancy.
//! [`Profile::from_diary`] turns those answers into profile entries without losing any: every
//! such cramp, read against the new profile, has what it had (tested).

use chrono::NaiveDate;

use crate::diary::{Invalid, Medication, check_day};

fn invalid(field: &'static str, message: impl Into<String>) -> Invalid {
    Invalid {
        field,
        message: message.into(),
    }
}

/// The most characters a medicine's or a condition's name may have.
pub const MAX_NAME_CHARS: usize = 100;

/// The most entries of each kind a profile holds (a limit on what one person can store, far
/// above any real list).
pub const MAX_ENTRIES: usize = 100;

/// An entry's id: 1 to 64 letters, digits or dashes (the store makes UUIDs).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntryId(String);

impl EntryId {
    pub fn new(id: &str) -> Result<EntryId, Invalid> {
        let id = id.trim();
        if id.is_empty()
            || id.len() > 64
            || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return Err(invalid("id", format!("`{id}` is not a profile entry id")));
        }
        Ok(EntryId(id.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for EntryId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A name a person typed (a medicine, a condition): trimmed, 1 to [`MAX_NAME_CHARS`]
/// characters, no control characters, bidirectional controls removed (they could make a name
/// read differently in an export).
pub fn clean_name(field: &'static str, text: &str) -> Result<String, Invalid> {
    let bidi = |c: char| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    let text: String = text.chars().filter(|c| !bidi(*c)).collect();
    let text = text.trim();
    if text.is_empty() {
        return Err(invalid(field, "needs a name"));
    }
    if text.chars().count() > MAX_NAME_CHARS {
        return Err(invalid(
            field,
            format!("the name is longer than {MAX_NAME_CHARS} characters"),
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(invalid(field, "contains a control character"));
    }
    if text.contains(';') {
        return Err(invalid(
            field,
            "has a `;` in it: add each one on its own (a `;` separates names in the spreadsheet file)",
        ));
    }
    Ok(text.to_owned())
}

/// A name from an older diary, which allowed `;`: the same name with `,` for each `;` (the
/// one change the move into the profile makes; see [`clean_name`]).
fn older_name(name: &str) -> String {
    name.replace(';', ",")
}

fn check_order(field: &'static str, from: NaiveDate, to: Option<NaiveDate>) -> Result<(), Invalid> {
    match to {
        Some(to) if to < from => Err(invalid(
            field,
            format!(
                "{} is before the start, {}",
                to.format("%-d %B %Y"),
                from.format("%-d %B %Y")
            ),
        )),
        _ => Ok(()),
    }
}

/// A medicine a person takes or took.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Medicine {
    pub id: EntryId,
    name: String,
    /// The day it was started.
    pub started: NaiveDate,
    /// The last day it was taken (`None`: still taking it).
    pub stopped: Option<NaiveDate>,
    /// Worked out from the diary's cramps when the profile began ([`Profile::from_diary`]):
    /// the start is the first cramp it was logged with, not a date the person gave. Cleared
    /// when the person saves the entry.
    pub from_diary: bool,
}

impl Medicine {
    pub fn new(
        id: EntryId,
        name: &str,
        started: NaiveDate,
        stopped: Option<NaiveDate>,
    ) -> Result<Medicine, Invalid> {
        check_order("medicine_stopped", started, stopped)?;
        Ok(Medicine {
            id,
            name: clean_name("medicine", name)?,
            started,
            stopped,
            from_diary: false,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether it was being taken on this day (the day it stopped counts).
    pub fn taken_on(&self, day: NaiveDate) -> bool {
        self.started <= day && self.stopped.is_none_or(|s| day <= s)
    }

    /// The dates for people: "from 3 Oct 2026", "3 Oct 2026 to 12 Nov 2026"; dates worked
    /// out from the diary are bounds ("from 1 Nov 2026 or earlier").
    pub fn dates(&self) -> String {
        dates(self.started, self.stopped, self.from_diary)
    }

    /// The limits every way in applies: neither date in the future.
    pub fn check_dates(&self, now: chrono::DateTime<chrono::Utc>) -> Result<(), Invalid> {
        check_day("medicine_started", self.started, now)?;
        if let Some(s) = self.stopped {
            check_day("medicine_stopped", s, now)?;
        }
        Ok(())
    }
}

fn dates(from: NaiveDate, to: Option<NaiveDate>, from_diary: bool) -> String {
    // Worked out from the cramps: it began by the first of them and lasted at least to the
    // last, so each date is said as a bound.
    let (early, late) = if from_diary {
        (" or earlier", " or later")
    } else {
        ("", "")
    };
    let day = |d: NaiveDate| d.format("%-d %b %Y").to_string();
    match to {
        Some(to) => format!("{}{early} to {}{late}", day(from), day(to)),
        None => format!("from {}{early}", day(from)),
    }
}

/// A pregnancy.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Pregnancy {
    pub id: EntryId,
    pub started: NaiveDate,
    /// The day it ended (`None`: pregnant now).
    pub ended: Option<NaiveDate>,
    /// Worked out from the diary's cramps (see [`Medicine::from_diary`]): from the first cramp
    /// logged as pregnant to the last, open if no cramp after it said otherwise.
    pub from_diary: bool,
}

impl Pregnancy {
    pub fn new(
        id: EntryId,
        started: NaiveDate,
        ended: Option<NaiveDate>,
    ) -> Result<Pregnancy, Invalid> {
        check_order("pregnancy_ended", started, ended)?;
        Ok(Pregnancy {
            id,
            started,
            ended,
            from_diary: false,
        })
    }

    pub fn on(&self, day: NaiveDate) -> bool {
        self.started <= day && self.ended.is_none_or(|e| day <= e)
    }

    pub fn dates(&self) -> String {
        dates(self.started, self.ended, self.from_diary)
    }

    pub fn check_dates(&self, now: chrono::DateTime<chrono::Utc>) -> Result<(), Invalid> {
        check_day("pregnancy_started", self.started, now)?;
        if let Some(e) = self.ended {
            check_day("pregnancy_ended", e, now)?;
        }
        Ok(())
    }
}

/// A condition a person knows they have, in their words ("diabetes", "peripheral
/// neuropathy"): the app draws no conclusion from it, it only shows it to the person and their
/// GP beside the cramps.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Condition {
    pub id: EntryId,
    name: String,
    /// Since when, if the person says (`None`: not given; it then applies to every cramp).
    pub since: Option<NaiveDate>,
}

impl Condition {
    pub fn new(id: EntryId, name: &str, since: Option<NaiveDate>) -> Result<Condition, Invalid> {
        Ok(Condition {
            id,
            name: clean_name("condition", name)?,
            since,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn on(&self, day: NaiveDate) -> bool {
        self.since.is_none_or(|s| s <= day)
    }

    pub fn check_dates(&self, now: chrono::DateTime<chrono::Utc>) -> Result<(), Invalid> {
        match self.since {
            Some(s) => check_day("condition_since", s, now),
            None => Ok(()),
        }
    }
}

/// What one cramp of a file or an older program said that belongs in the profile: an older
/// diary's "new medicine" and "pregnant", or a CSV export's columns of the profile on the
/// cramp's day.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FromDiary {
    pub day: NaiveDate,
    pub pregnant: bool,
    /// A new medicine logged with the cramp (older diaries): started by that day at the
    /// latest; nothing says it stopped.
    pub medicines: Vec<Medication>,
    /// The medicines taken that day (a CSV export's `medicines` column).
    pub taking: Vec<String>,
    /// The known conditions that day (a CSV export's `conditions` column).
    pub conditions: Vec<String>,
}

impl FromDiary {
    /// Whether it says anything (most cramps say nothing of this).
    pub fn says_something(&self) -> bool {
        self.pregnant
            || !self.medicines.is_empty()
            || !self.taking.is_empty()
            || !self.conditions.is_empty()
    }
}

/// Runs of days on which something was said (`true`), given every day a cramp was logged:
/// from the first such day to the last, ended by a later day that did not say it; the last
/// run is open (`None`) unless one did. A day says it if any cramp that day did (the safe
/// way: a "not pregnant" and a "pregnant" on the same day count as pregnant).
fn runs(days: &[(NaiveDate, bool)]) -> Vec<(NaiveDate, Option<NaiveDate>)> {
    let mut by_day: Vec<(NaiveDate, bool)> = Vec::new();
    for (day, said) in days {
        match by_day.last_mut() {
            Some((d, s)) if d == day => *s |= *said,
            _ => by_day.push((*day, *said)),
        }
    }
    let mut out = Vec::new();
    let mut run: Option<(NaiveDate, NaiveDate)> = None;
    for (day, said) in by_day {
        match (run, said) {
            (None, true) => run = Some((day, day)),
            (Some((from, _)), true) => run = Some((from, day)),
            (Some((from, to)), false) => {
                out.push((from, Some(to)));
                run = None;
            }
            (None, false) => {}
        }
    }
    if let Some((from, _)) = run {
        out.push((from, None));
    }
    out
}

/// A person's profile. Each list is sorted: medicines and pregnancies by start, conditions by
/// name.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Profile {
    pub medicines: Vec<Medicine>,
    pub pregnancies: Vec<Pregnancy>,
    pub conditions: Vec<Condition>,
}

/// The profile as it stood on one day.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OnDay<'a> {
    pub medicines: Vec<&'a Medicine>,
    pub pregnant: bool,
    pub conditions: Vec<&'a Condition>,
}

impl OnDay<'_> {
    pub fn is_empty(&self) -> bool {
        self.medicines.is_empty() && !self.pregnant && self.conditions.is_empty()
    }

    /// For one line: "taking amlodipine; pregnant; diabetes" (empty when there is nothing).
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        if !self.medicines.is_empty() {
            let names: Vec<&str> = self.medicines.iter().map(|m| m.name()).collect();
            parts.push(format!("taking {}", names.join(", ")));
        }
        if self.pregnant {
            parts.push("pregnant".to_owned());
        }
        parts.extend(self.conditions.iter().map(|c| c.name().to_owned()));
        parts.join("; ")
    }
}

impl Profile {
    /// Put each list in its order (the store and imports call this after reading).
    pub fn sort(&mut self) {
        self.medicines
            .sort_by(|a, b| (a.started, &a.name, &a.id).cmp(&(b.started, &b.name, &b.id)));
        self.pregnancies
            .sort_by(|a, b| (a.started, &a.id).cmp(&(b.started, &b.id)));
        self.conditions
            .sort_by(|a, b| (a.name.to_lowercase(), &a.id).cmp(&(b.name.to_lowercase(), &b.id)));
    }

    pub fn is_empty(&self) -> bool {
        self.medicines.is_empty() && self.pregnancies.is_empty() && self.conditions.is_empty()
    }

    /// What stood on this day: the medicines being taken, whether pregnant, the conditions.
    pub fn on(&self, day: NaiveDate) -> OnDay<'_> {
        OnDay {
            medicines: self.medicines.iter().filter(|m| m.taken_on(day)).collect(),
            pregnant: self.pregnancies.iter().any(|p| p.on(day)),
            conditions: self.conditions.iter().filter(|c| c.on(day)).collect(),
        }
    }

    /// The entries of `other` this profile does not already have (an import adds only these,
    /// so importing a file twice adds nothing): a medicine with the same name (in any case)
    /// and start, or worked out from a diary where one of that name overlaps it; a pregnancy
    /// that overlaps one here; a condition with the same name.
    pub fn missing_from(&self, other: &Profile) -> Profile {
        let same = |a: &str, b: &str| a.to_lowercase() == b.to_lowercase();
        let mut out = Profile::default();
        for m in &other.medicines {
            let overlaps = |k: &Medicine| {
                k.started <= m.stopped.unwrap_or(NaiveDate::MAX)
                    && m.started <= k.stopped.unwrap_or(NaiveDate::MAX)
            };
            let known = self.medicines.iter().chain(&out.medicines).any(|k| {
                same(&k.name, &m.name) && (k.started == m.started || (m.from_diary && overlaps(k)))
            });
            if !known {
                out.medicines.push(m.clone());
            }
        }
        for p in &other.pregnancies {
            let overlaps = |k: &Pregnancy| {
                k.started <= p.ended.unwrap_or(NaiveDate::MAX)
                    && p.started <= k.ended.unwrap_or(NaiveDate::MAX)
            };
            if !self
                .pregnancies
                .iter()
                .chain(&out.pregnancies)
                .any(overlaps)
            {
                out.pregnancies.push(p.clone());
            }
        }
        for c in &other.conditions {
            if !self
                .conditions
                .iter()
                .chain(&out.conditions)
                .any(|k| same(&k.name, &c.name))
            {
                out.conditions.push(c.clone());
            }
        }
        out
    }

    /// The profile what cramps said implies ([`FromDiary`]); `new_id` makes ids.
    ///
    /// - A new medicine logged with a cramp, once per name: started on the day given (the
    ///   earliest, if the cramps disagree), or else on the first cramp it was logged with
    ///   ([`Medicine::from_diary`]); not stopped (nothing said it was).
    /// - The medicines taken and pregnant or not, as [`runs`] of the cramps' days: from the
    ///   first day that said it to the last, ended by a later cramp that did not.
    /// - A known condition, since the first day that named it.
    pub fn from_diary(cramps: &[FromDiary], mut new_id: impl FnMut() -> EntryId) -> Profile {
        let mut sorted: Vec<&FromDiary> = cramps.iter().collect();
        sorted.sort_by_key(|c| c.day);
        let mut profile = Profile::default();
        // Work stops once a list has more than MAX_ENTRIES (every caller then refuses the file
        // or keeps MAX_ENTRIES): a file of thousands of names cannot take minutes (an outside
        // test found a 0.6 MB CSV of 80,000 names took 3 minutes of CPU).
        let full = |n: usize| n > MAX_ENTRIES;
        'medicines: for c in &sorted {
            if full(profile.medicines.len()) {
                break 'medicines;
            }
            for m in &c.medicines {
                match profile
                    .medicines
                    .iter_mut()
                    .find(|k| k.name == older_name(m.name()) && k.stopped.is_none())
                {
                    Some(known) => {
                        if let Some(given) = m.started
                            && (known.from_diary || given < known.started)
                        {
                            known.started = given;
                            known.from_diary = false;
                        }
                    }
                    None => profile.medicines.push(Medicine {
                        id: new_id(),
                        name: older_name(m.name()),
                        started: m.started.unwrap_or(c.day),
                        stopped: None,
                        from_diary: m.started.is_none(),
                    }),
                }
            }
        }
        let mut names: Vec<&str> = sorted
            .iter()
            .flat_map(|c| c.taking.iter().map(String::as_str))
            .collect();
        names.sort_unstable();
        names.dedup();
        'names: for name in names {
            if full(profile.medicines.len()) {
                break 'names;
            }
            let days: Vec<(NaiveDate, bool)> = sorted
                .iter()
                .map(|c| (c.day, c.taking.iter().any(|t| t == name)))
                .collect();
            for (started, stopped) in runs(&days) {
                let m = Medicine {
                    id: new_id(),
                    name: name.to_owned(),
                    started,
                    stopped,
                    from_diary: true,
                };
                // A new medicine of the same name, said with a cramp in the same file, that
                // covers this run already (names exactly as written: each reads back as it was).
                let covered = profile.medicines.iter().any(|k| {
                    k.name == m.name
                        && k.started <= m.started
                        && k.stopped.is_none_or(|s| m.stopped.is_some_and(|e| e <= s))
                });
                if !covered {
                    profile.medicines.push(m);
                    if full(profile.medicines.len()) {
                        break 'names;
                    }
                }
            }
        }
        let days: Vec<(NaiveDate, bool)> = sorted.iter().map(|c| (c.day, c.pregnant)).collect();
        for (started, ended) in runs(&days) {
            if full(profile.pregnancies.len()) {
                break;
            }
            profile.pregnancies.push(Pregnancy {
                id: new_id(),
                started,
                ended,
                from_diary: true,
            });
        }
        'conditions: for c in &sorted {
            for name in &c.conditions {
                if full(profile.conditions.len()) {
                    break 'conditions;
                }
                if !profile.conditions.iter().any(|k| &k.name == name) {
                    profile.conditions.push(Condition {
                        id: new_id(),
                        name: name.clone(),
                        since: Some(c.day),
                    });
                }
            }
        }
        profile.sort();
        profile
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("valid")
    }

    fn ids() -> impl FnMut() -> EntryId {
        let mut n = 0;
        move || {
            n += 1;
            EntryId::new(&format!("e{n}")).expect("valid")
        }
    }

    /// An outside test: a CSV of 80,000 medicine names took 3 minutes of CPU here. The work
    /// now stops one past the limit (the import then refuses the file).
    #[test]
    fn thousands_of_names_stop_one_past_the_limit() {
        let cramps: Vec<FromDiary> = (0..20_000)
            .map(|i| FromDiary {
                day: d("2020-01-01") + chrono::Days::new(i % 2000),
                pregnant: i % 2 == 0,
                medicines: Vec::new(),
                taking: vec![format!("medicine {i}")],
                conditions: vec![format!("condition {i}")],
            })
            .collect();
        let p = Profile::from_diary(&cramps, ids());
        assert_eq!(p.medicines.len(), MAX_ENTRIES + 1);
        assert_eq!(p.conditions.len(), MAX_ENTRIES + 1);
        assert_eq!(p.pregnancies.len(), MAX_ENTRIES + 1);
    }

    #[test]
    fn a_medicine_is_taken_from_its_start_to_its_stop_inclusive() {
        let m = Medicine::new(
            EntryId::new("a").expect("valid"),
            "amlodipine",
            d("2026-10-03"),
            Some(d("2026-11-12")),
        )
        .expect("valid");
        assert!(!m.taken_on(d("2026-10-02")));
        assert!(m.taken_on(d("2026-10-03")));
        assert!(m.taken_on(d("2026-11-12")));
        assert!(!m.taken_on(d("2026-11-13")));
        assert_eq!(m.dates(), "3 Oct 2026 to 12 Nov 2026");
        let guessed = Medicine {
            from_diary: true,
            ..m.clone()
        };
        assert_eq!(
            guessed.dates(),
            "3 Oct 2026 or earlier to 12 Nov 2026 or later"
        );
        let open = Medicine {
            stopped: None,
            ..guessed
        };
        assert_eq!(open.dates(), "from 3 Oct 2026 or earlier");
    }

    #[test]
    fn a_stop_before_the_start_is_refused_with_both_dates() {
        let e = Medicine::new(
            EntryId::new("a").expect("valid"),
            "x",
            d("2026-10-03"),
            Some(d("2026-10-01")),
        )
        .expect_err("refused");
        assert_eq!(e.field, "medicine_stopped");
        assert!(e.message.contains("1 October 2026"), "{e}");
        assert!(e.message.contains("3 October 2026"), "{e}");
        let e = Pregnancy::new(
            EntryId::new("p").expect("valid"),
            d("2026-10-03"),
            Some(d("2026-01-01")),
        )
        .expect_err("refused");
        assert_eq!(e.field, "pregnancy_ended");
    }

    #[test]
    fn names_are_checked() {
        let id = || EntryId::new("a").expect("valid");
        assert_eq!(
            Condition::new(id(), "  ", None)
                .expect_err("refused")
                .message,
            "needs a name"
        );
        assert!(Medicine::new(id(), &"x".repeat(101), d("2026-01-01"), None).is_err());
        assert!(Condition::new(id(), "a\u{7}b", None).is_err());
        assert!(
            Medicine::new(id(), "paracetamol; ibuprofen", d("2026-01-01"), None)
                .expect_err("refused")
                .message
                .contains("add each one on its own")
        );
        assert_eq!(
            Condition::new(id(), "\u{202E}diabetes", None)
                .expect("valid")
                .name(),
            "diabetes"
        );
    }

    #[test]
    fn the_profile_on_a_day() {
        let mut p = Profile::default();
        p.medicines.push(
            Medicine::new(
                EntryId::new("m").expect("valid"),
                "statin",
                d("2026-10-01"),
                None,
            )
            .expect("valid"),
        );
        p.pregnancies.push(
            Pregnancy::new(
                EntryId::new("p").expect("valid"),
                d("2026-03-01"),
                Some(d("2026-09-30")),
            )
            .expect("valid"),
        );
        p.conditions.push(
            Condition::new(
                EntryId::new("c").expect("valid"),
                "diabetes",
                Some(d("2026-06-01")),
            )
            .expect("valid"),
        );
        assert!(p.on(d("2026-02-01")).is_empty());
        let june = p.on(d("2026-06-01"));
        assert!(june.pregnant && june.medicines.is_empty());
        assert_eq!(june.summary(), "pregnant; diabetes");
        assert_eq!(p.on(d("2026-10-01")).summary(), "taking statin; diabetes");
    }

    #[test]
    fn an_old_diary_becomes_a_profile_without_losing_anything() {
        let med = |name: &str, started: Option<&str>| {
            vec![Medication::new(name, started.map(d)).expect("valid")]
        };
        let c = |day: &str, pregnant: bool, medicines: Vec<Medication>| FromDiary {
            day: d(day),
            pregnant,
            medicines,
            ..FromDiary::default()
        };
        let cramps = vec![
            c("2026-01-05", false, vec![]),
            c("2026-01-10", true, vec![]),
            c("2026-02-01", true, med("statin", None)),
            c("2026-02-10", true, med("statin", Some("2026-01-20"))),
            c("2026-03-01", false, vec![]),
            // Same day, both ways: read as pregnant.
            c("2026-04-01", true, vec![]),
            c("2026-04-01", false, vec![]),
            c("2026-05-01", false, med("quinine", None)),
            c("2026-06-01", true, vec![]),
        ];
        let p = Profile::from_diary(&cramps, ids());
        assert_eq!(p.medicines.len(), 2);
        let statin = p
            .medicines
            .iter()
            .find(|m| m.name() == "statin")
            .expect("valid");
        assert_eq!(
            (statin.started, statin.from_diary),
            (d("2026-01-20"), false)
        );
        let quinine = p
            .medicines
            .iter()
            .find(|m| m.name() == "quinine")
            .expect("valid");
        assert_eq!(
            (quinine.started, quinine.from_diary),
            (d("2026-05-01"), true)
        );
        let runs: Vec<(NaiveDate, Option<NaiveDate>)> =
            p.pregnancies.iter().map(|r| (r.started, r.ended)).collect();
        assert_eq!(
            runs,
            vec![
                (d("2026-01-10"), Some(d("2026-02-10"))),
                (d("2026-04-01"), Some(d("2026-04-01"))),
                (d("2026-06-01"), None),
            ]
        );
        // Every cramp, read against the profile, keeps what it said.
        for c in &cramps {
            let on = p.on(c.day);
            if c.pregnant {
                assert!(on.pregnant, "{}", c.day);
            } else if c.day != d("2026-04-01") {
                assert!(!on.pregnant, "{}", c.day);
            }
            for m in &c.medicines {
                assert!(
                    p.medicines
                        .iter()
                        .any(|k| k.name() == m.name() && k.started <= m.started.unwrap_or(c.day)),
                    "{}",
                    c.day
                );
            }
        }
        // Worked out again from the same cramps, nothing is missing: an import adds nothing.
        assert!(
            p.missing_from(&Profile::from_diary(&cramps, ids()))
                .is_empty()
        );
    }

    #[test]
    fn a_csv_exports_columns_come_back_as_the_same_profile() {
        let c = |day: &str, taking: &[&str], pregnant: bool| FromDiary {
            day: d(day),
            pregnant,
            taking: taking.iter().map(|t| (*t).to_owned()).collect(),
            conditions: vec!["diabetes".to_owned()],
            ..FromDiary::default()
        };
        let cramps = vec![
            c("2026-01-01", &["a"], false),
            c("2026-01-05", &["a", "b"], true),
            c("2026-01-09", &["b"], false),
            c("2026-01-12", &["a"], false),
        ];
        let p = Profile::from_diary(&cramps, ids());
        let a: Vec<(NaiveDate, Option<NaiveDate>)> = p
            .medicines
            .iter()
            .filter(|m| m.name() == "a")
            .map(|m| (m.started, m.stopped))
            .collect();
        assert_eq!(
            a,
            vec![
                (d("2026-01-01"), Some(d("2026-01-05"))),
                (d("2026-01-12"), None)
            ]
        );
        // Every cramp's day reads back exactly what its columns said.
        for c in &cramps {
            let on = p.on(c.day);
            let mut names: Vec<&str> = on.medicines.iter().map(|m| m.name()).collect();
            names.sort_unstable();
            assert_eq!(names, c.taking, "{}", c.day);
            assert_eq!(on.pregnant, c.pregnant, "{}", c.day);
            assert_eq!(on.conditions.len(), 1);
        }
    }

    #[test]
    fn an_import_adds_only_what_is_missing() {
        let id = |s: &str| EntryId::new(s).expect("valid");
        let mut here = Profile::default();
        here.medicines
            .push(Medicine::new(id("a"), "Statin", d("2026-01-01"), None).expect("valid"));
        here.pregnancies
            .push(Pregnancy::new(id("p"), d("2026-03-01"), Some(d("2026-09-01"))).expect("valid"));
        let mut file = Profile::default();
        file.medicines
            .push(Medicine::new(id("b"), "statin", d("2026-01-01"), None).expect("valid"));
        file.medicines
            .push(Medicine::new(id("c"), "statin", d("2027-01-01"), None).expect("valid"));
        file.pregnancies
            .push(Pregnancy::new(id("q"), d("2026-08-01"), None).expect("valid"));
        file.pregnancies
            .push(Pregnancy::new(id("r"), d("2025-01-01"), Some(d("2025-02-01"))).expect("valid"));
        file.conditions
            .push(Condition::new(id("x"), "Diabetes", None).expect("valid"));
        let missing = here.missing_from(&file);
        assert_eq!(missing.medicines.len(), 1);
        assert_eq!(missing.medicines[0].started, d("2027-01-01"));
        assert_eq!(missing.pregnancies.len(), 1);
        assert_eq!(missing.pregnancies[0].started, d("2025-01-01"));
        assert_eq!(missing.conditions.len(), 1);
    }
}
