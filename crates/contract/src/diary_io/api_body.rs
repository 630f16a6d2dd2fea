//! The body of `POST /api/v1/episodes`: a new cramp without an id, and its OpenAPI schema.

use super::*;

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
    #[serde(default, deserialize_with = "crate::objects::optional_object")]
    context: Option<ContextJson>,
}

/// The exact constraints of a new episode, stated in the OpenAPI document so that a client
/// (and schemathesis) knows what is accepted. The one rule a schema cannot state is relative
/// to the clock: a start or a medicine's start date may not be in the future.
#[cfg(feature = "openapi")]
pub(super) mod api_schema {
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

    pub(in crate::diary_io) fn site() -> Object {
        optional_one_of(
            Site::ALL.iter().map(|v| v.name()).collect(),
            "Where the cramp was",
        )
    }
    pub(in crate::diary_io) fn side() -> Object {
        one_of(Side::ALL.iter().map(|v| v.name()).collect(), "Which leg")
    }
    pub(in crate::diary_io) fn eased() -> Object {
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
    pub(in crate::diary_io) fn helped() -> utoipa::openapi::schema::Array {
        any_of(
            legcramps_core::diary::Helped::ALL
                .iter()
                .map(|v| v.name())
                .collect(),
            "What may have helped (any number)",
        )
    }
    pub(in crate::diary_io) fn suspected() -> utoipa::openapi::schema::Array {
        any_of(
            legcramps_core::diary::Suspected::ALL
                .iter()
                .map(|v| v.name())
                .collect(),
            "What the person suspects came before it (any number)",
        )
    }
    pub(in crate::diary_io) fn severity() -> Object {
        one_of(
            Severity::ALL.iter().map(|v| v.name()).collect(),
            "How bad it was",
        )
    }
    pub(in crate::diary_io) fn start() -> Object {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
            .description(Some(format!(
                "When it started: an RFC 3339 date and time with its UTC offset, from {EARLIEST_YEAR}, not in the future"
            )))
            .examples(["2026-11-20T02:10:00+00:00"])
            .build()
    }
    pub(in crate::diary_io) fn minutes() -> Object {
        ObjectBuilder::new()
            .schema_type(SchemaType::from_iter([Type::Number, Type::Null]))
            .minimum(Some(0.01))
            .maximum(Some(1440.0))
            .description(Some(
                "How long it lasted, in minutes (stored to the second: at least 1 second, at most one day)",
            ))
            .build()
    }
    pub(in crate::diary_io) fn note() -> Object {
        ObjectBuilder::new()
            .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
            .max_length(Some(MAX_NOTE_CHARS))
            .pattern(Some(no_controls(true)))
            .description(Some(
                "A note in the person's words: no control characters but tabs and line breaks",
            ))
            .build()
    }
    pub(in crate::diary_io) fn medication_name() -> Object {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .max_length(Some(MAX_MEDICATION_CHARS))
            .pattern(Some(no_controls(false)))
            .description(Some(
                "The medicine's name: not blank, no control characters",
            ))
            .build()
    }
    pub(in crate::diary_io) fn required_day() -> Object {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
            .pattern(Some("^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))
            .description(Some(format!(
                "A date, YYYY-MM-DD, from {EARLIEST_YEAR}, not in the future"
            )))
            .build()
    }
    pub(in crate::diary_io) fn day() -> Object {
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
    let crate::objects::Obj(e): crate::objects::Obj<NewEpisodeJson> =
        serde_path_to_error::deserialize(&mut de).map_err(|e| ImportError {
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
