//! The cramp diary's domain: an episode and its context, as types that can only hold valid
//! values. Parsing from text (the CLI, forms, CSV) goes through `FromStr`/`new` here, so every
//! edge refuses the same things with the same words.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

use crate::assessment::{Assessment, Minutes, YesNo};
use crate::triage::{Action, NetLine, RULES, Test, safety_net};

/// Why a value is not valid for a diary field. The `field` names it for the error message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub field: &'static str,
    pub message: String,
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for Invalid {}

fn invalid(field: &'static str, message: impl Into<String>) -> Invalid {
    Invalid {
        field,
        message: message.into(),
    }
}

macro_rules! choice {
    ($(#[$doc:meta])* $name:ident, $field:literal, { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The name used in files, forms and on the command line.
            pub fn name(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl FromStr for $name {
            type Err = Invalid;
            fn from_str(s: &str) -> Result<Self, Invalid> {
                let s = s.trim().to_ascii_lowercase();
                $name::ALL.iter().copied().find(|v| v.name() == s).ok_or_else(|| {
                    let names: Vec<&str> = $name::ALL.iter().map(|v| v.name()).collect();
                    invalid($field, format!("`{s}` is not one of: {}", names.join(", ")))
                })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}

choice!(
    /// Which muscle cramped.
    Site, "site", { Calf => "calf", Foot => "foot", Thigh => "thigh", Other => "other" }
);
choice!(
    /// Which leg.
    Side, "side", { Left => "left", Right => "right", Both => "both" }
);
choice!(
    /// Whether moving eased the cramp.
    Eased, "eased", { Yes => "yes", No => "no", Unsure => "unsure" }
);
choice!(
    /// How bad it was, by how far it interfered with what the person was doing (as HL7's
    /// symptom guidance grades severity): mild = noticed but did not stop anything; moderate =
    /// got in the way; severe = stopped what they were doing or woke them.
    Severity, "severity", { Mild => "mild", Moderate => "moderate", Severe => "severe" }
);

choice!(
    /// Something a person did that may have helped the cramp pass (optional, any number).
    Helped, "helped", {
        Stretched => "stretched", Walked => "walked", Massaged => "massaged", Warmth => "warmth"
    }
);
choice!(
    /// Something a person suspects came before the cramp (optional, any number). Exercise that
    /// day is [`Context::exercise`].
    Suspected, "suspected", {
        LongStanding => "long-standing", Alcohol => "alcohol", Caffeine => "caffeine"
    }
);

impl Helped {
    /// The choices a form offers for a new entry: only what a source fact supports (issue 18,
    /// finding 13) — moving and stretching the muscle (`stretch.relief`). Massage and warmth
    /// are in no source: older entries keep them, show them and export them unchanged, but no
    /// form offers them.
    pub const OFFERED: &'static [Helped] = &[Helped::Stretched, Helped::Walked];

    /// For people: "I stretched the muscle".
    pub fn label(self) -> &'static str {
        match self {
            Helped::Stretched => "stretched",
            Helped::Walked => "walked about",
            Helped::Massaged => "massaged it",
            Helped::Warmth => "used warmth",
        }
    }
}

impl Suspected {
    /// The choices a form offers for a new entry: none. Long standing, alcohol and caffeine
    /// are in neither source (issue 18, finding 13); what the source does name as coming
    /// before cramps — exercise, being short of fluids, a new medicine, pregnancy — has its
    /// own question. Older entries keep what they hold and export it unchanged.
    pub const OFFERED: &'static [Suspected] = &[];

    pub fn label(self) -> &'static str {
        match self {
            Suspected::LongStanding => "long standing",
            Suspected::Alcohol => "alcohol",
            Suspected::Caffeine => "caffeine",
        }
    }
}

/// Parse a list of choices written with `;` or `,` between them ("stretched; walked"); empty is
/// none. Each is named in an error; a repeat counts once.
pub fn parse_choices<T: FromStr<Err = Invalid> + PartialEq + Ord>(
    text: &str,
) -> Result<Vec<T>, Invalid> {
    let mut out: Vec<T> = Vec::new();
    for part in text
        .split([';', ','])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let v = part.parse::<T>()?;
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out.sort();
    Ok(out)
}

impl Eased {
    /// As an answer to the check's "did it ease when you moved?" ("unsure" is not answered).
    pub fn as_answer(self) -> Option<bool> {
        match self {
            Eased::Yes => Some(true),
            Eased::No => Some(false),
            Eased::Unsure => None,
        }
    }
}

impl Severity {
    /// What the grade means, for forms and the GP summary.
    pub fn meaning(self) -> &'static str {
        match self {
            Severity::Mild => "noticed it, but it did not stop what I was doing",
            Severity::Moderate => "it got in the way of what I was doing",
            Severity::Severe => "it stopped what I was doing",
        }
    }
}

/// The forms a length of time can be typed in, for error messages and hints.
pub const EXAMPLES: &str = "like 3, 2 mins, 90s, 1 min 30 or 1 hour";

/// The longest an episode may last: one day, as in the triage contract.
pub const MAX_DURATION_SECONDS: u32 = 24 * 60 * 60;

/// How long an episode lasted, in whole seconds (1 second to 1 day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Duration(u32);

impl Duration {
    pub fn from_seconds(seconds: u32) -> Result<Duration, Invalid> {
        if seconds == 0 {
            Err(invalid("duration", "must be at least 1 second"))
        } else if seconds > MAX_DURATION_SECONDS {
            Err(invalid(
                "duration",
                "must be at most 1440 minutes (one day)",
            ))
        } else {
            Ok(Duration(seconds))
        }
    }

    /// From a number of minutes (fractions allowed), rounded to the nearest second.
    pub fn from_minutes(minutes: f64) -> Result<Duration, Invalid> {
        if !minutes.is_finite() {
            return Err(invalid("duration", "must be a number of minutes"));
        }
        if minutes < 0.0 {
            return Err(invalid("duration", "must not be negative"));
        }
        if minutes > f64::from(MAX_DURATION_SECONDS) / 60.0 {
            return Err(invalid(
                "duration",
                "must be at most 1440 minutes (one day)",
            ));
        }
        // In range, so the rounded value fits in u32.
        Duration::from_seconds((minutes * 60.0).round() as u32)
    }

    /// From what a person types, read by the check's own reader
    /// ([`read_minutes`]), so the check and the diary accept the same things
    /// (issue 18, finding 18): a number of minutes ("2", "0.5", "ten"), with units ("2 mins",
    /// "90s", "1 min 30", "1m30s", "1 hour"), or a range at its upper end ("10-15"). "1:30" is
    /// refused: it could be a minute and a half or an hour and a half, and a cramp of an hour
    /// and a half that did not ease must not be saved as 90 seconds. The error says what was
    /// typed and shows the forms that work.
    pub fn parse_typed(typed: &str) -> Result<Duration, Invalid> {
        let shown = typed.trim();
        if shown.is_empty() {
            return Err(invalid(
                "duration",
                format!("enter how long it lasted, {EXAMPLES}"),
            ));
        }
        if shown.contains(':') {
            return Err(invalid(
                "duration",
                format!(
                    "`{shown}` could be minutes and seconds or hours and minutes: enter it like 1 min 30 or 1 hour 30"
                ),
            ));
        }
        match read_minutes(shown) {
            None => Err(invalid(
                "duration",
                format!("`{shown}` is not a length of time: enter it {EXAMPLES}"),
            )),
            Some(Err(crate::assessment::MinutesError::TooLong)) => Err(invalid(
                "duration",
                "must be at most 1440 minutes (one day)",
            )),
            Some(Err(crate::assessment::MinutesError::Negative)) => {
                Err(invalid("duration", "must not be negative"))
            }
            Some(Err(_)) => Err(invalid("duration", "must be a number of minutes")),
            Some(Ok(m)) => Duration::from_minutes(m.get()),
        }
    }

    /// Units, for the check's reader: numbers, each with an optional unit, hours then minutes
    /// then seconds ("1 hour", "90s", "1 min 30", "1m30s"). No ranges, words or colons (the
    /// reader above handles those).
    pub(crate) fn parse_units(typed: &str) -> Result<Duration, Invalid> {
        let text = typed.trim().to_lowercase();
        let bad = || {
            invalid(
                "duration",
                format!(
                    "`{}` is not a length of time: enter it {EXAMPLES}",
                    typed.trim()
                ),
            )
        };
        if text.is_empty() || text.contains(':') {
            return Err(bad());
        }
        // Numbers, each with an optional unit: hours, then minutes, then seconds.
        let mut rest = text.as_str();
        let mut seconds = 0.0_f64;
        let mut last_unit = 4_u8; // 3 hours, 2 minutes, 1 seconds
        let mut parts = 0;
        let mut minutes_named = false;
        while !rest.trim_start().is_empty() {
            rest = rest.trim_start();
            let end = rest
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap_or(rest.len());
            if end == 0 || end > 12 {
                return Err(bad());
            }
            let number: f64 = rest[..end].parse().map_err(|_| bad())?;
            rest = rest[end..].trim_start();
            let word_end = rest
                .find(|c: char| !c.is_ascii_alphabetic())
                .unwrap_or(rest.len());
            let unit = match &rest[..word_end] {
                "h" | "hr" | "hrs" | "hour" | "hours" => 3,
                "m" | "min" | "mins" | "minute" | "minutes" => 2,
                "s" | "sec" | "secs" | "second" | "seconds" => 1,
                // No unit: minutes if it stands alone or comes first, seconds after minutes.
                "" if parts == 0 => 2,
                "" if last_unit == 2 && minutes_named => 1,
                _ => return Err(bad()),
            };
            minutes_named = unit == 2 && word_end > 0;
            rest = &rest[word_end..];
            if unit >= last_unit {
                return Err(bad());
            }
            last_unit = unit;
            parts += 1;
            seconds += number
                * match unit {
                    3 => 3600.0,
                    2 => 60.0,
                    _ => 1.0,
                };
        }
        if !seconds.is_finite() {
            return Err(bad());
        }
        Duration::from_minutes(seconds / 60.0)
    }

    pub fn seconds(self) -> u32 {
        self.0
    }

    pub fn minutes(self) -> f64 {
        f64::from(self.0) / 60.0
    }

    /// "45 seconds", "3 minutes", "12 minutes 30 seconds", "1 hour 30 minutes", "20 hours".
    pub fn human(self) -> String {
        let (m, s) = (self.0 / 60, self.0 % 60);
        let plural = |n: u32, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
        if m >= 60 {
            let (h, m) = (m / 60, m % 60);
            return match m {
                0 => plural(h, "hour"),
                m => format!("{} {}", plural(h, "hour"), plural(m, "minute")),
            };
        }
        match (m, s) {
            (0, s) => plural(s, "second"),
            (m, 0) => plural(m, "minute"),
            (m, s) => format!("{} {}", plural(m, "minute"), plural(s, "second")),
        }
    }
}

/// Read a duration the way people type it: "12", "12.5", "12 minutes", "about 10",
/// "10 mins", "ten", "90 seconds", "1 hour", "1:30", and a range ("10-15", "10 to 15
/// minutes"), read at its upper end (the safe reading: a longer cramp is never less urgent).
/// [`Duration::parse_typed`] reads through it, so the check and the diary accept the same
/// things. `None` when the text is not a duration we
/// can read (the caller keeps what was typed and asks again); `Some(Err)` when it is a number
/// outside 0 to 1440 minutes.
pub fn read_minutes(text: &str) -> Option<Result<Minutes, crate::assessment::MinutesError>> {
    let mut t = text.trim().to_lowercase();
    for prefix in [
        "about ",
        "around ",
        "roughly ",
        "approximately ",
        "approx ",
        "maybe ",
        "over ",
        "more than ",
        "at least ",
        "~",
    ] {
        if let Some(rest) = t.strip_prefix(prefix) {
            t = rest.trim().to_owned();
        }
    }
    // "1:30" is minutes and seconds in the diary, but could be read as an hour and a half: in
    // the check it is not guessed at; the person is asked again.
    if t.contains(':') {
        return None;
    }
    if t == "less than a minute" || t == "under a minute" {
        return Some(Minutes::new(0.0));
    }
    // A range: the upper end. A unit on the upper end only ("10-15 minutes") is the unit of
    // both; "1:30" is never a range.
    for sep in [" to ", "-", "\u{2013}", "\u{2014}"] {
        // A leading minus is a negative number, not a range.
        let Some(at) = t.get(1..).and_then(|rest| rest.find(sep)).map(|i| i + 1) else {
            continue;
        };
        {
            let (low, high) = (t[..at].trim(), t[at + sep.len()..].trim());
            if low.is_empty() || high.is_empty() {
                return None;
            }
            let high_value = read_one(high)?;
            // The lower end must be readable too (on its own, or with the upper end's unit),
            // so that "ten-ish" or "2-x" is not half-read.
            let unit: String = high.chars().skip_while(|c| !c.is_alphabetic()).collect();
            let low_value = read_one(low).or_else(|| read_one(&format!("{low} {unit}")))?;
            return Some(match (low_value, high_value) {
                (Ok(a), Ok(b)) => Ok(if a.get() > b.get() { a } else { b }),
                (Err(e), _) | (_, Err(e)) => Err(e),
            });
        }
    }
    read_one(&t)
}

/// One duration, without a range: a number or number word of minutes, or anything the diary's
/// reader takes.
fn read_one(t: &str) -> Option<Result<Minutes, crate::assessment::MinutesError>> {
    let t = t.trim();
    let mut words = t;
    for suffix in [
        " minutes", " minute", " mins", " min", "minutes", "minute", "mins", "min",
    ] {
        if let Some(rest) = t.strip_suffix(suffix) {
            words = rest.trim();
            break;
        }
    }
    const WORDS: [&str; 21] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
    ];
    let n = match WORDS.iter().position(|w| *w == words) {
        Some(i) => Some(i as f64),
        None => match words {
            "thirty" => Some(30.0),
            "forty" => Some(40.0),
            "sixty" => Some(60.0),
            "an hour" | "one hour" => Some(60.0),
            _ => words.parse::<f64>().ok(),
        },
    };
    if let Some(n) = n {
        return Some(Minutes::new(n));
    }
    // Units the diary reads ("90 seconds", "1 hour", "1:30"). Its own limit is one day, as
    // here; a longer time is reported as too long, not as unreadable.
    match Duration::parse_units(t) {
        Ok(d) => Some(Minutes::new(d.minutes())),
        Err(e) if e.to_string().contains("at most") => {
            Some(Minutes::new(crate::assessment::MAX_MINUTES + 1.0))
        }
        Err(_) => None,
    }
}

/// The text without bidirectional embedding, override and isolate controls (U+202A to U+202E,
/// U+2066 to U+2069).
pub fn without_bidi_controls(text: &str) -> std::borrow::Cow<'_, str> {
    let bidi = |c: char| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    if text.chars().any(bidi) {
        std::borrow::Cow::Owned(text.chars().filter(|c| !bidi(*c)).collect())
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// The most characters a note may have.
pub const MAX_NOTE_CHARS: usize = 500;

/// A free-text note: at most [`MAX_NOTE_CHARS`] characters, no control characters other than
/// line breaks.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Note(String);

impl Note {
    pub fn new(text: &str) -> Result<Option<Note>, Invalid> {
        // Bidirectional controls can make a note read differently from what it holds (and
        // spoof what a GP sees in an export): they are removed.
        let text = without_bidi_controls(text);
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        let chars = text.chars().count();
        if chars > MAX_NOTE_CHARS {
            return Err(invalid(
                "note",
                format!("is {chars} characters; the most is {MAX_NOTE_CHARS}"),
            ));
        }
        if text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
        {
            return Err(invalid("note", "contains a control character"));
        }
        Ok(Some(Note(text.to_owned())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The most characters a medication name may have.
pub const MAX_MEDICATION_CHARS: usize = 100;

/// A new medicine logged with a cramp by diaries from before the profile ([`crate::profile`]):
/// imports of their files and older programs still send it, and it goes into the profile.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Medication {
    name: String,
    pub started: Option<NaiveDate>,
}

impl Medication {
    pub fn new(name: &str, started: Option<NaiveDate>) -> Result<Medication, Invalid> {
        let name = without_bidi_controls(name);
        let name = name.trim();
        if name.is_empty() {
            return Err(invalid("medication", "needs a name"));
        }
        if name.chars().count() > MAX_MEDICATION_CHARS {
            return Err(invalid(
                "medication",
                format!("the name is longer than {MAX_MEDICATION_CHARS} characters"),
            ));
        }
        if name.chars().any(char::is_control) {
            return Err(invalid("medication", "contains a control character"));
        }
        Ok(Medication {
            name: name.to_owned(),
            started,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}

/// What else was going on that day. Medicines, pregnancy and conditions last longer than one
/// cramp: they are in the profile ([`crate::profile`]), read for each cramp's day.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Context {
    pub exercise: bool,
    pub short_of_fluids: bool,
    /// What the person did that may have helped (sorted, no repeats).
    pub helped: Vec<Helped>,
    /// What the person suspects came before it (sorted, no repeats).
    pub suspected: Vec<Suspected>,
}

/// An episode id: 1 to 64 letters, digits or dashes (the store makes UUIDs; imports keep theirs
/// so that importing twice adds nothing).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EpisodeId(String);

impl EpisodeId {
    pub fn new(id: &str) -> Result<EpisodeId, Invalid> {
        let id = id.trim();
        if id.is_empty()
            || id.len() > 64
            || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return Err(invalid("id", format!("`{id}` is not an episode id")));
        }
        Ok(EpisodeId(id.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EpisodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The earliest year an episode may be dated (anything earlier is a typing mistake).
pub const EARLIEST_YEAR: i32 = 1900;

/// One cramp.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Episode {
    pub id: EpisodeId,
    /// When it started, with the UTC offset the person was at.
    pub start: DateTime<FixedOffset>,
    /// The person said "last night" rather than a time (the quick log): `start` is then
    /// [`LAST_NIGHT_AT`] on that night, a stand-in that the time-of-day chart leaves out and
    /// every view shows as "last night", never as a time.
    pub last_night: bool,
    /// How long, which muscle, whether it woke them and whether moving eased it are optional
    /// (`None`: not logged yet; the quick log asks only when, which leg and how bad).
    pub duration: Option<Duration>,
    pub site: Option<Site>,
    pub side: Side,
    pub asleep: Option<bool>,
    pub eased: Option<Eased>,
    pub severity: Severity,
    pub note: Option<Note>,
    pub context: Context,
}

impl Episode {
    /// Checks that need more than one field (the rest are in the field types).
    pub fn check_start(start: DateTime<FixedOffset>) -> Result<DateTime<FixedOffset>, Invalid> {
        use chrono::Datelike;
        if start.year() < EARLIEST_YEAR {
            return Err(invalid("start", format!("is before {EARLIEST_YEAR}")));
        }
        Ok(start)
    }

    /// The answers this episode gives to the check's red-flag question.
    pub fn as_assessment(&self) -> Assessment {
        let mut a = Assessment {
            longest_cramp_minutes: self.duration.and_then(|d| Minutes::new(d.minutes()).ok()),
            ..Assessment::default()
        };
        a.set(
            YesNo::EasesWhenMoving,
            self.eased.and_then(Eased::as_answer),
        );
        a
    }

    /// Whether this episode meets the urgent red-flag rule (10 minutes or more, and not
    /// eased by moving), decided by the triage engine's own rule. "Not sure" or not logged
    /// whether it eased is read the safe way. A cramp with no length logged (the quick log) is
    /// not one: the check would read both unanswered as urgent, but a diary entry nobody timed
    /// must not be listed to a GP as "10 minutes or more"; the quick log says the safety net
    /// instead ([`LOG_SAFETY_NET`]; hazard H22).
    pub fn is_red_flag(&self) -> bool {
        if self.duration.is_none() {
            return false;
        }
        let a = self.as_assessment();
        RULES
            .iter()
            .filter(|r| r.test == Test::LongUnrelieved)
            .any(|r| r.test.fires(&a).is_some())
    }

    /// How a red-flag cramp is named in lists and summaries: only what was logged (issue 18,
    /// finding 7). "Not eased" only when the person said moving did not ease it; "not sure"
    /// and "not logged" are said as such. `None` when it is not a red flag.
    pub fn red_flag_label(&self) -> Option<&'static str> {
        if !self.is_red_flag() {
            return None;
        }
        Some(match self.eased {
            Some(Eased::No) => "10 minutes or more, not eased",
            Some(_) => "10 minutes or more, not sure if moving eased it",
            None => "10 minutes or more, easing not logged",
        })
    }

    /// Whether the person said moving did not ease this cramp (not "not sure", not unlogged).
    pub fn said_not_eased(&self) -> bool {
        self.eased == Some(Eased::No)
    }

    /// What to tell a person about a cramp of [`crate::triage::VERY_LONG_MINUTES`] or more that
    /// is not a red flag (it eased): the check's rule for it, in the diary too (issue 18,
    /// finding 17) — far longer than a cramp lasts, so a reason to see a GP, with the signs of
    /// a clot in one leg said again.
    pub fn very_long_advice(&self) -> Option<RedFlagAdvice> {
        let d = self.duration?;
        if self.is_red_flag() || d.minutes() < crate::triage::VERY_LONG_MINUTES {
            return None;
        }
        Some(RedFlagAdvice {
            recent: false,
            headline: Action::SeeGp.headline(),
            what_happened: format!("The cramp {} lasted {}.", self.when_text(), d.human()),
            what_to_do: VERY_LONG_TEXT,
            safety_net: crate::triage::ROUTINE_NET.iter().map(|l| l.text).collect(),
            facts: &[
                "symptoms.duration",
                "help.serious-sign",
                "dvt.signs",
                "dvt.urgent",
            ],
        })
    }

    /// What the diary says right after a cramp is logged, if anything: a red flag's advice, or
    /// a very long cramp's.
    pub fn advice_after_logging(&self, now: DateTime<Utc>) -> Option<RedFlagAdvice> {
        self.red_flag_advice(now)
            .or_else(|| self.very_long_advice())
    }

    /// When the cramp ended: its start plus how long it lasted (its start when no length was
    /// logged).
    pub fn end(&self) -> DateTime<FixedOffset> {
        self.start
            + chrono::Duration::seconds(i64::from(self.duration.map_or(0, Duration::seconds)))
    }

    /// What to tell a person about this cramp if it is a red flag, given the time now: one
    /// that is still going on or ended within [`RED_FLAG_RECENT_HOURS`] is urgent (phone the
    /// GP surgery now, or 111 if it is closed); one that ended longer ago is something to tell
    /// the GP about, with what to do if it happens again. Both name the cramp's date. The
    /// window counts from when the cramp **ended**, never from when it began (issue 18: a
    /// 20-hour cramp that began 30 hours ago ended 10 hours ago, and is urgent).
    pub fn red_flag_advice(&self, now: DateTime<Utc>) -> Option<RedFlagAdvice> {
        if !self.is_red_flag() {
            return None;
        }
        let recent =
            now.signed_duration_since(self.end()) <= chrono::Duration::hours(RED_FLAG_RECENT_HOURS);
        let when = self.when_text();
        let eased = match self.eased {
            Some(Eased::No) => "and moving did not ease it",
            Some(_) => "and you were not sure if moving eased it",
            None => "and you did not say if moving eased it",
        };
        let lasted = self.duration.map(Duration::human).unwrap_or_default();
        let what_happened = format!("The cramp {when} lasted {lasted}, {eased}.");
        Some(if recent {
            RedFlagAdvice {
                recent,
                headline: RECENT_RED_FLAG_HEADLINE,
                what_happened,
                what_to_do: RECENT_RED_FLAG_TEXT,
                // 999, and the signs of a clot in one leg (the rest of the net is what this
                // advice already says).
                safety_net: [crate::triage::NET_999, crate::triage::NET_CLOT]
                    .iter()
                    .map(|l| l.text)
                    .collect(),
                facts: &["help.urgent.long-unrelieved", "help.urgent.gp-closed-111"],
            }
        } else {
            RedFlagAdvice {
                recent,
                headline: EARLIER_RED_FLAG_HEADLINE,
                what_happened,
                what_to_do: EARLIER_RED_FLAG_TEXT,
                safety_net: safety_net(Action::SeeGp)
                    .lines
                    .iter()
                    .map(|l| l.text)
                    .collect(),
                facts: &["help.urgent.long-unrelieved", "help.urgent.gp-closed-111"],
            }
        })
    }
}

/// The stand-in time of a cramp logged as "last night" (a product setting, not a clinical
/// figure): 03:00 on the morning after the evening it belongs to.
pub const LAST_NIGHT_AT: chrono::NaiveTime = match chrono::NaiveTime::from_hms_opt(3, 0, 0) {
    Some(t) => t,
    None => panic!("03:00 is a time"),
};

/// The local date and time a "last night" cramp is stored at, given the local time now: 03:00
/// today, or, before 03:00, the time now (the night going on is "last night": it belongs to
/// yesterday evening either way, and a stand-in is never in the future).
pub fn last_night_start(now_local: chrono::NaiveDateTime) -> chrono::NaiveDateTime {
    use chrono::Timelike;
    let stand_in = now_local.date().and_time(LAST_NIGHT_AT);
    let minute = now_local
        .with_second(0)
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or(now_local);
    stand_in.min(minute)
}

impl Episode {
    /// Where it was, for people: "left calf", or "left leg" / "both legs" when the muscle was
    /// not logged.
    pub fn place(&self) -> String {
        match (self.site, self.side) {
            (Some(site), side) => format!("{side} {site}"),
            (None, Side::Both) => "both legs".to_owned(),
            (None, side) => format!("{side} leg"),
        }
    }

    /// What was logged about it, for one line: "14 minutes, left calf, eased by moving: no"
    /// (details not logged are left out).
    pub fn details(&self) -> String {
        let mut parts = Vec::new();
        if let Some(d) = self.duration {
            parts.push(d.human());
        }
        parts.push(self.place());
        if let Some(eased) = self.eased {
            parts.push(format!("eased by moving: {eased}"));
        }
        parts.join(", ")
    }

    /// The evening a "last night" cramp belongs to: the day before its stand-in start.
    pub fn evening(&self) -> chrono::NaiveDate {
        let day = self.start.date_naive();
        day.pred_opt().unwrap_or(day)
    }

    /// The date and time for a list, in the episode's own offset: "Fri 20 Nov 2026, 02:10",
    /// or "Night of Thu 19 Nov 2026" for a cramp logged as last night.
    pub fn when_listed(&self) -> String {
        if self.last_night {
            format!("Night of {}", self.evening().format("%a %-d %b %Y"))
        } else {
            self.start.format("%a %-d %b %Y, %H:%M").to_string()
        }
    }

    /// When it happened, for a sentence: "on Fri 20 Nov at 02:10", or "on the night of
    /// Thu 19 Nov" for a cramp logged as last night (named by the evening).
    pub fn when_text(&self) -> String {
        if self.last_night {
            format!("on the night of {}", self.evening().format("%a %-d %b"))
        } else {
            format!("on {}", self.start.format("%a %-d %b at %H:%M"))
        }
    }
}

/// How far ahead of the clock a time may be: a few minutes, for clocks that disagree.
pub const FUTURE_GRACE_MINUTES: i64 = 5;

/// A moment a person logged (a cramp's start, a saved check): from [`EARLIEST_YEAR`], and not in
/// the future. The one check every way in uses (CLI, form, API, import); `now` is passed in
/// because the core reads no clock.
pub fn check_when(
    field: &'static str,
    t: DateTime<FixedOffset>,
    now: DateTime<Utc>,
) -> Result<(), Invalid> {
    use chrono::Datelike;
    if t.year() < EARLIEST_YEAR {
        return Err(invalid(field, format!("is before {EARLIEST_YEAR}")));
    }
    if t.to_utc() > now + chrono::Duration::minutes(FUTURE_GRACE_MINUTES) {
        return Err(invalid(field, "is in the future"));
    }
    Ok(())
}

/// A calendar date a person gave (a medicine's start, a pregnancy's end): from [`EARLIEST_YEAR`], and not after
/// today anywhere on Earth (UTC+14).
pub fn check_day(field: &'static str, d: NaiveDate, now: DateTime<Utc>) -> Result<(), Invalid> {
    use chrono::Datelike;
    if d.year() < EARLIEST_YEAR {
        return Err(invalid(field, format!("is before {EARLIEST_YEAR}")));
    }
    if d > (now + chrono::Duration::hours(14)).date_naive() {
        return Err(invalid(field, "is in the future"));
    }
    Ok(())
}

impl Episode {
    /// The date limits, for every way an episode comes in.
    pub fn check_dates(&self, now: DateTime<Utc>) -> Result<(), Invalid> {
        check_when("start", self.start, now)
    }
}

/// For how long after a red-flag cramp **ended** the diary says "phone now" rather than "tell
/// your GP about it": the check's own window ([`crate::triage::RECENT_HOURS`]), a product
/// setting, not a clinical threshold (the source gives none).
pub const RED_FLAG_RECENT_HOURS: i64 = crate::triage::RECENT_HOURS;

/// The headline for a red-flag cramp that is still recent. The diary does not know whether the
/// surgery is open, so it says both, in one message (facts `help.urgent.long-unrelieved`,
/// `help.urgent.gp-closed-111`).
pub const RECENT_RED_FLAG_HEADLINE: &str = "Phone your GP surgery now, or 111 if it is closed";

/// What to do about a cramp of an hour or more that eased (facts `symptoms.duration`,
/// `help.serious-sign`, `dvt.signs`, `dvt.urgent`).
pub const VERY_LONG_TEXT: &str = "Cramps usually last less than 10 minutes, so pain this long may be something else. Make an appointment to see your GP about it. If the leg that hurts is swollen, warm, or red or darker, get help today: phone your GP surgery, or 111 if it is closed.";

/// What to do about a recent red-flag cramp.
pub const RECENT_RED_FLAG_TEXT: &str = "Ask to speak to a GP today. Tell them about this cramp: when it was, how long it lasted, and if moving eased it.";

/// The headline for a red-flag cramp logged more than [`RED_FLAG_RECENT_HOURS`] after it
/// happened.
pub const EARLIER_RED_FLAG_HEADLINE: &str = "Tell your GP about this cramp";

/// What to do about a red-flag cramp that is past (facts `help.urgent.long-unrelieved`,
/// `help.urgent.gp-closed-111`).
pub const EARLIER_RED_FLAG_TEXT: &str = "Make an appointment to tell your GP about it. If a cramp like this happens again, phone your GP surgery that day, or 111 if it is closed.";

/// Said after every cramp is logged (web, terminal and the API's answer), and in the diary's
/// "Get help now" box: the whole safety net, not only the 10-minute rule (issue 18) — 999 for
/// chest pain or new or worse breathlessness, the signs of a clot in one leg, a cramp of 10
/// minutes or more that moving does not ease, and where to phone.
pub const LOG_SAFETY_NET: &[NetLine] = crate::triage::ROUTINE_NET;

/// What the diary tells a person about a red-flag cramp.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedFlagAdvice {
    /// Within [`RED_FLAG_RECENT_HOURS`] of now: urgent.
    pub recent: bool,
    pub headline: &'static str,
    /// The cramp, with its date and time.
    pub what_happened: String,
    pub what_to_do: &'static str,
    pub safety_net: Vec<&'static str>,
    pub facts: &'static [&'static str],
}

/// Parse a start time: RFC 3339, with or without seconds ("2026-11-20T02:10+00:00").
pub fn parse_start(text: &str) -> Result<DateTime<FixedOffset>, Invalid> {
    let text = text.trim();
    let parsed = DateTime::parse_from_rfc3339(text)
        .or_else(|_| DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M%:z"))
        .or_else(|_| DateTime::parse_from_str(text, "%Y-%m-%d %H:%M%:z"))
        .map_err(|_| {
            invalid(
                "start",
                format!("`{text}` is not a date and time like 2026-11-20T02:10+00:00"),
            )
        })?;
    Episode::check_start(parsed)
}

/// Parse a date ("2026-11-20").
pub fn parse_date(field: &'static str, text: &str) -> Result<NaiveDate, Invalid> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        invalid(
            field,
            format!("`{}` is not a date like 2026-11-20", text.trim()),
        )
    })
}
