//! The diary as JSON: the complete copy, profile and saved checks included.

#[cfg(feature = "openapi")]
use super::api_body::api_schema;
use super::*;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Diary))]
pub struct DiaryJson {
    pub(super) format: String,
    pub(super) version: u32,
    #[serde(default)]
    pub(super) content_version: Option<String>,
    #[serde(default, deserialize_with = "crate::objects::objects")]
    pub(super) episodes: Vec<EpisodeJson>,
    #[serde(default, deserialize_with = "crate::objects::objects")]
    pub(super) checks: Vec<CheckJson>,
    /// Medicines, pregnancies and known conditions (absent in files from before the profile).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::objects::optional_object"
    )]
    pub(super) profile: Option<ProfileJson>,
    /// Nights checked in as having had no cramps ("no cramps last night"), each the date of
    /// the morning it ended on, `YYYY-MM-DD` (absent in files from before check-ins).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) nights_without_cramps: Vec<String>,
}

/// A person's profile: what lasts longer than one cramp, read for each cramp's day.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Profile))]
pub struct ProfileJson {
    #[serde(default, deserialize_with = "crate::objects::objects")]
    pub medicines: Vec<MedicineJson>,
    #[serde(default, deserialize_with = "crate::objects::objects")]
    pub pregnancies: Vec<PregnancyJson>,
    #[serde(default, deserialize_with = "crate::objects::objects")]
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
        // Counted before anything else (the id check below compares every pair).
        let limit = legcramps_core::profile::MAX_ENTRIES;
        if self.medicines.len() > limit
            || self.pregnancies.len() > limit
            || self.conditions.len() > limit
        {
            return Err(ImportError {
                place: "profile".into(),
                field: None,
                message: format!("has more than {limit} entries of one kind"),
            });
        }
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
    pub(super) id: String,
    pub(super) start: String,
    /// True when the person logged "last night" rather than a time: `start` is then 03:00 that
    /// night, a stand-in, not a time they gave.
    #[serde(default)]
    pub(super) last_night: bool,
    /// How long, which muscle, whether it woke them and whether moving eased it: `null` when
    /// not logged (the quick log asks only when, which leg and how bad).
    #[serde(default)]
    pub(super) duration_seconds: Option<u32>,
    #[serde(default)]
    pub(super) site: Option<String>,
    pub(super) side: String,
    #[serde(default)]
    pub(super) asleep: Option<bool>,
    #[serde(default)]
    pub(super) eased: Option<String>,
    pub(super) severity: String,
    #[serde(default)]
    pub(super) note: Option<String>,
    #[serde(deserialize_with = "crate::objects::object")]
    pub(super) context: ContextJson,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = EpisodeContext))]
pub struct ContextJson {
    /// Ticked "exercise that day". Only `true` is written: left out, it was not said (never
    /// `false`, which would read as an answer of no).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(super) exercise: bool,
    /// From diaries before the profile: a new medicine logged with this cramp. Read into the
    /// profile (`/api/v1/profile`); never sent back.
    #[serde(
        default,
        skip_serializing,
        deserialize_with = "crate::objects::optional_object"
    )]
    #[cfg_attr(feature = "openapi", schema(deprecated))]
    pub(super) new_medication: Option<MedicationJson>,
    /// From diaries before the profile: pregnant when this cramp happened. Read into the
    /// profile; never sent back.
    #[serde(default, skip_serializing)]
    #[cfg_attr(feature = "openapi", schema(deprecated))]
    pub(super) pregnant: bool,
    /// Ticked "may have been short of fluids". Only `true` is written, as for `exercise`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(super) short_of_fluids: bool,
    /// What may have helped: any of stretched, walked, massaged, warmth.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = api_schema::helped))]
    pub(super) helped: Vec<String>,
    /// What the person suspects came before it: any of long-standing, alcohol, caffeine.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = api_schema::suspected))]
    pub(super) suspected: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = NewMedication))]
pub struct MedicationJson {
    #[cfg_attr(feature = "openapi", schema(schema_with = api_schema::medication_name))]
    pub(super) name: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = api_schema::day))]
    pub(super) started: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = SavedCheck))]
pub struct CheckJson {
    pub(super) id: String,
    pub(super) at: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub(super) answers: serde_json::Value,
    /// What was shown when the check was saved (absent for checks saved before it was kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) disposition: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    phone_111: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    phone_999: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) content_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) rules_version: Option<String>,
}

const FORMAT: &str = "legcramps-diary";

/// One episode of the JSON format, checked field by field (the same checks as CSV), with
/// what it said about medicines and pregnancy (files and programs from before the profile).
pub(super) fn episode_from_json(e: EpisodeJson) -> Result<(Episode, FromDiary), Invalid> {
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
        nights_without_cramps: file
            .nights_without_cramps
            .iter()
            .map(|d| d.format("%Y-%m-%d").to_string())
            .collect(),
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
    let crate::objects::Obj(doc): crate::objects::Obj<DiaryJson> =
        serde_path_to_error::deserialize(&mut de).map_err(|e| ImportError {
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
    for (n, text) in doc.nights_without_cramps.iter().enumerate() {
        let day = parse_date("night", text)
            .map_err(|e| at(&format!("night without cramps {}", n + 1), e))?;
        if !out.nights_without_cramps.contains(&day) {
            out.nights_without_cramps.push(day);
        }
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
