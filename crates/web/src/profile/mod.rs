//! "Your medicines and health": the profile's page and its forms (issue 9). Medicines,
//! pregnancies and known conditions are kept once here, not asked with each cramp; every cramp
//! shows them as they stood on its day. Works without JavaScript, in the NHS.UK form patterns.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{NaiveDate, Utc};
use legcramps_core::content::{Item, TOPICS};
use legcramps_core::diary::Invalid;
use legcramps_core::profile::{Condition, EntryId, MAX_ENTRIES, Medicine, Pregnancy, Profile};
use legcramps_store::{AddedToProfile, ProfileKind, new_entry_id};

use crate::config::Shared;
use crate::http::auth::{Who, diary_store};
use crate::http::date_input::{self, DateBox};
use crate::http::error::WebError;
use crate::http::render::{Page, render};
use crate::http::views::{Block, Layout, blocks};

/// The kinds, as their address segment says.
fn kind_of(path: &str) -> Option<ProfileKind> {
    let rest = path.strip_prefix("/diary/profile/")?;
    match rest.split('/').next()? {
        "medicines" => Some(ProfileKind::Medicine),
        "pregnancies" => Some(ProfileKind::Pregnancy),
        "conditions" => Some(ProfileKind::Condition),
        _ => None,
    }
}

fn segment(kind: ProfileKind) -> &'static str {
    match kind {
        ProfileKind::Medicine => "medicines",
        ProfileKind::Pregnancy => "pregnancies",
        ProfileKind::Condition => "conditions",
    }
}

/// The guidance the medicines part of the page carries: a few people get cramps from some
/// medicines (speak to a pharmacist), and never stop a prescribed one on your own.
fn medicine_guidance() -> Vec<Block> {
    let Some(items) = TOPICS.iter().find_map(|t| {
        let i = t
            .items
            .iter()
            .position(|i| i.id == "treatment.medicine-cause")?;
        let end = t.items[i..]
            .iter()
            .position(|i| i.id == "treatment.do-not-stop")
            .map(|n| i + n + 1)?;
        Some(&t.items[i..end])
    }) else {
        return Vec::new();
    };
    let items: &'static [Item] = items;
    blocks(items)
}

/// One row of a list on the page.
pub(crate) struct EntryRow {
    what: String,
    dates: String,
    /// Dates worked out from an older diary's cramps: the person is asked to check them.
    from_diary: bool,
    change: String,
    remove: String,
}

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage {
    layout: Layout,
    medicines: Vec<EntryRow>,
    pregnancies: Vec<EntryRow>,
    conditions: Vec<EntryRow>,
    /// The medicine guidance, as `blocks.html` reads it.
    blocks: Vec<Block>,
    /// "saved" / "removed" after a change, for the confirmation banner.
    done: &'static str,
    /// Some dates were worked out from an older diary's cramps.
    any_from_diary: bool,
}

fn rows(p: &Profile) -> (Vec<EntryRow>, Vec<EntryRow>, Vec<EntryRow>) {
    let href = |kind: ProfileKind, id: &EntryId| format!("/diary/profile/{}/{id}", segment(kind));
    let medicines = p
        .medicines
        .iter()
        .map(|m| EntryRow {
            what: m.name().to_owned(),
            dates: match m.stopped {
                Some(_) => m.dates(),
                None => format!("{}, still taking it", m.dates()),
            },
            from_diary: m.from_diary,
            change: href(ProfileKind::Medicine, &m.id),
            remove: format!("{}/delete", href(ProfileKind::Medicine, &m.id)),
        })
        .collect();
    let pregnancies = p
        .pregnancies
        .iter()
        .map(|r| EntryRow {
            what: "Pregnant".to_owned(),
            dates: r.dates(),
            from_diary: r.from_diary,
            change: href(ProfileKind::Pregnancy, &r.id),
            remove: format!("{}/delete", href(ProfileKind::Pregnancy, &r.id)),
        })
        .collect();
    let conditions = p
        .conditions
        .iter()
        .map(|c| EntryRow {
            what: c.name().to_owned(),
            dates: c.since.map_or(String::new(), |d| {
                format!("since {}", d.format("%-d %b %Y"))
            }),
            from_diary: false,
            change: href(ProfileKind::Condition, &c.id),
            remove: format!("{}/delete", href(ProfileKind::Condition, &c.id)),
        })
        .collect();
    (medicines, pregnancies, conditions)
}

#[derive(serde::Deserialize)]
pub(crate) struct DoneQuery {
    saved: Option<String>,
    removed: Option<String>,
}

/// `GET /diary/profile`.
pub(crate) async fn page(
    page: Page,
    State(cfg): State<Shared>,
    Who { owner, .. }: Who,
    axum::extract::Query(q): axum::extract::Query<DoneQuery>,
) -> Response {
    let Ok(store) = diary_store(&cfg) else {
        return WebError::diary("the diary is off").into_response();
    };
    let profile = match store.profile(&owner).await {
        Ok(p) => p,
        Err(e) => return WebError::diary(e).into_response(),
    };
    let (medicines, pregnancies, conditions) = rows(&profile);
    render(
        StatusCode::OK,
        &ProfilePage {
            layout: page.layout("Your medicines and health", "diary"),
            any_from_diary: medicines.iter().chain(&pregnancies).any(|r| r.from_diary),
            medicines,
            pregnancies,
            conditions,
            blocks: medicine_guidance(),
            done: if q.saved.is_some() {
                "saved"
            } else if q.removed.is_some() {
                "removed"
            } else {
                ""
            },
        },
    )
}

/// A date in the NHS.UK date-input pattern: three boxes, the one at fault marked.
pub(crate) struct DateGroup {
    /// The boxes' ids start with this ("started" gives started-day, started-month...).
    id: &'static str,
    legend: &'static str,
    hint: &'static str,
    /// For error messages: "when you started it".
    about: &'static str,
    day: String,
    month: String,
    year: String,
}

impl DateGroup {
    fn new(
        id: &'static str,
        (legend, about): (&'static str, &'static str),
        hint: &'static str,
        d: Option<NaiveDate>,
    ) -> Self {
        let part = |f: &str| d.map_or(String::new(), |d| d.format(f).to_string());
        DateGroup {
            id,
            legend,
            about,
            hint,
            day: part("%-d"),
            month: part("%-m"),
            year: part("%Y"),
        }
    }

    fn box_id(&self, part: &str) -> &'static str {
        // The ids the form uses, as static text for the error list.
        match (self.id, part) {
            ("started", "day") => "started-day",
            ("started", "month") => "started-month",
            ("started", _) => "started-year",
            ("stopped", "day") => "stopped-day",
            ("stopped", "month") => "stopped-month",
            ("stopped", _) => "stopped-year",
            ("ended", "day") => "ended-day",
            ("ended", "month") => "ended-month",
            ("ended", _) => "ended-year",
            (_, "day") => "since-day",
            (_, "month") => "since-month",
            _ => "since-year",
        }
    }

    /// The date typed: `None` when every box is empty; otherwise the one reading rule of every
    /// date input (`date_input::read`), with the box at fault named.
    fn parse(&self) -> Result<Option<NaiveDate>, (&'static str, String)> {
        if [&self.day, &self.month, &self.year]
            .iter()
            .all(|b| b.trim().is_empty())
        {
            return Ok(None);
        }
        date_input::read(&self.day, &self.month, &self.year)
            .map(Some)
            .map_err(|at_fault| {
                let part = match at_fault {
                    DateBox::Day => "day",
                    DateBox::Month => "month",
                    DateBox::Year => "year",
                };
                (
                    self.box_id(part),
                    format!(
                        "Enter a real date for {}, for example 3 10 2026",
                        self.about
                    ),
                )
            })
    }

    fn error<'e>(&self, errors: &'e [(&'static str, String)]) -> Option<&'e str> {
        errors
            .iter()
            .find(|(f, _)| f.starts_with(self.id) && f.as_bytes().get(self.id.len()) == Some(&b'-'))
            .map(|(_, m)| m.as_str())
    }

    fn has(&self, errors: &[(&'static str, String)], part: &str) -> bool {
        let id = self.box_id(part);
        errors.iter().any(|(f, _)| *f == id)
    }
}

#[derive(Template)]
#[template(path = "profile_form.html")]
struct FormPage {
    layout: Layout,
    heading: String,
    action: String,
    /// The name box (medicines and conditions): label, hint, value.
    name: Option<(&'static str, &'static str, String)>,
    dates: Vec<DateGroup>,
    errors: Vec<(&'static str, String)>,
    button: &'static str,
}

impl FormPage {
    fn has_error(&self, id: &str) -> bool {
        self.errors.iter().any(|(f, _)| *f == id)
    }

    fn error_for(&self, id: &str) -> &str {
        self.errors
            .iter()
            .find(|(f, _)| *f == id)
            .map_or("", |(_, m)| m.as_str())
    }

    fn date_error(&self, g: &DateGroup) -> Option<&str> {
        g.error(&self.errors)
    }

    fn date_box_error(&self, g: &DateGroup, part: &str) -> bool {
        g.has(&self.errors, part)
    }
}

/// What the form for `kind` shows, filled from an entry (or empty for a new one).
fn form(page: &Page, kind: ProfileKind, action: String, entry: Entry) -> FormPage {
    let (heading, name, dates) = match (kind, entry) {
        (ProfileKind::Medicine, e) => {
            let m = match e {
                Entry::Medicine(m) => Some(m),
                _ => None,
            };
            (
                if m.is_some() {
                    "Change a medicine"
                } else {
                    "Add a medicine"
                },
                Some((
                    "Name of the medicine",
                    "As it is written on the box, for example amlodipine 5 mg",
                    m.as_ref().map_or(String::new(), |m| m.name().to_owned()),
                )),
                vec![
                    DateGroup::new(
                        "started",
                        ("When did you start it?", "when you started it"),
                        "For example, 3 10 2026. If you are not sure, give your best guess.",
                        m.as_ref().map(|m| m.started),
                    ),
                    DateGroup::new(
                        "stopped",
                        ("When did you stop it? (optional)", "when you stopped it"),
                        "Leave this empty if you still take it.",
                        m.as_ref().and_then(|m| m.stopped),
                    ),
                ],
            )
        }
        (ProfileKind::Pregnancy, e) => {
            let r = match e {
                Entry::Pregnancy(r) => Some(r),
                _ => None,
            };
            (
                if r.is_some() {
                    "Change a pregnancy"
                } else {
                    "Add a pregnancy"
                },
                None,
                vec![
                    DateGroup::new(
                        "started",
                        ("When did it start?", "when it started"),
                        "For example, 3 4 2026. A best guess is fine.",
                        r.as_ref().map(|r| r.started),
                    ),
                    DateGroup::new(
                        "ended",
                        ("When did it end? (optional)", "when it ended"),
                        "Leave this empty if you are pregnant now.",
                        r.as_ref().and_then(|r| r.ended),
                    ),
                ],
            )
        }
        (ProfileKind::Condition, e) => {
            let c = match e {
                Entry::Condition(c) => Some(c),
                _ => None,
            };
            (
                if c.is_some() {
                    "Change a condition"
                } else {
                    "Add a condition"
                },
                Some((
                    "The condition",
                    "In your own words, for example diabetes",
                    c.as_ref().map_or(String::new(), |c| c.name().to_owned()),
                )),
                vec![DateGroup::new(
                    "since",
                    ("Since when? (optional)", "since when"),
                    "For example, 3 10 2020. Leave it empty if you are not sure.",
                    c.as_ref().and_then(|c| c.since),
                )],
            )
        }
    };
    FormPage {
        layout: page.layout(heading, "diary"),
        heading: heading.to_owned(),
        action,
        name,
        dates,
        errors: Vec::new(),
        button: "Save",
    }
}

/// An existing entry, or none.
enum Entry {
    None,
    Medicine(Medicine),
    Pregnancy(Pregnancy),
    Condition(Condition),
}

fn find(p: Profile, kind: ProfileKind, id: &str) -> Option<Entry> {
    let id = EntryId::new(id).ok()?;
    match kind {
        ProfileKind::Medicine => p
            .medicines
            .into_iter()
            .find(|m| m.id == id)
            .map(Entry::Medicine),
        ProfileKind::Pregnancy => p
            .pregnancies
            .into_iter()
            .find(|r| r.id == id)
            .map(Entry::Pregnancy),
        ProfileKind::Condition => p
            .conditions
            .into_iter()
            .find(|c| c.id == id)
            .map(Entry::Condition),
    }
}

/// `GET /diary/profile/{kind}/new`.
pub(crate) async fn new_form(page: Page, OriginalUri(uri): OriginalUri) -> Response {
    let Some(kind) = kind_of(uri.path()) else {
        return WebError::NotFound.into_response();
    };
    render(
        StatusCode::OK,
        &form(
            &page,
            kind,
            format!("/diary/profile/{}", segment(kind)),
            Entry::None,
        ),
    )
}

/// `GET /diary/profile/{kind}/{id}`: the form, filled in.
pub(crate) async fn edit_form(
    page: Page,
    State(cfg): State<Shared>,
    Who { owner, .. }: Who,
    OriginalUri(uri): OriginalUri,
    Path(id): Path<String>,
) -> Response {
    let Some(kind) = kind_of(uri.path()) else {
        return WebError::NotFound.into_response();
    };
    let Ok(store) = diary_store(&cfg) else {
        return WebError::diary("the diary is off").into_response();
    };
    let profile = match store.profile(&owner).await {
        Ok(p) => p,
        Err(e) => return WebError::diary(e).into_response(),
    };
    match find(profile, kind, &id) {
        Some(entry) => render(
            StatusCode::OK,
            &form(
                &page,
                kind,
                format!("/diary/profile/{}/{id}", segment(kind)),
                entry,
            ),
        ),
        None => WebError::NotFound.into_response(),
    }
}

/// Read the form: the page again with what was typed and every problem, and the entry when
/// there is none.
fn read(
    page: &Page,
    kind: ProfileKind,
    id: EntryId,
    body: &[u8],
    action: String,
) -> (Box<FormPage>, Option<Entry>) {
    let mut shown = form(page, kind, action, Entry::None);
    let mut name = String::new();
    for (k, v) in form_urlencoded::parse(body) {
        let v = v.into_owned();
        match k.as_ref() {
            "name" => name = v,
            key => {
                for g in &mut shown.dates {
                    if let Some(part) = key.strip_prefix(g.id).and_then(|r| r.strip_prefix('-')) {
                        match part {
                            "day" => g.day = v.clone(),
                            "month" => g.month = v.clone(),
                            "year" => g.year = v.clone(),
                            _ => {}
                        }
                    }
                }
            }
        }
    }
    if let Some(n) = &mut shown.name {
        n.2 = name.clone();
    }
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    let named = |errors: &mut Vec<(&'static str, String)>, r: Result<String, Invalid>| {
        r.map_err(|e| {
            errors.push((
                "name",
                match e.message.as_str() {
                    "needs a name" => match kind {
                        ProfileKind::Condition => "Enter the condition".to_owned(),
                        _ => "Enter the name of the medicine".to_owned(),
                    },
                    m => format!("The name {}", m.trim_start_matches("the name ")),
                },
            ))
        })
        .ok()
    };
    // Names are checked as the core checks them.
    let clean = match kind {
        ProfileKind::Pregnancy => Some(String::new()),
        ProfileKind::Medicine | ProfileKind::Condition => named(
            &mut errors,
            legcramps_core::profile::clean_name("name", &name),
        ),
    };
    let mut dates: Vec<Option<NaiveDate>> = Vec::new();
    for (i, g) in shown.dates.iter().enumerate() {
        match g.parse() {
            Ok(None) if i == 0 && kind != ProfileKind::Condition => {
                errors.push((g.box_id("day"), format!("Enter {}", g.about)));
                dates.push(None);
            }
            Ok(d) => dates.push(d),
            Err(e) => {
                errors.push(e);
                dates.push(None);
            }
        }
    }
    let now = Utc::now();
    let entry = if errors.is_empty() {
        let built = match kind {
            ProfileKind::Medicine => Medicine::new(
                id,
                clean.as_deref().unwrap_or_default(),
                dates[0].unwrap_or_default(),
                dates[1],
            )
            .and_then(|m| m.check_dates(now).map(|()| Entry::Medicine(m))),
            ProfileKind::Pregnancy => Pregnancy::new(id, dates[0].unwrap_or_default(), dates[1])
                .and_then(|r| r.check_dates(now).map(|()| Entry::Pregnancy(r))),
            ProfileKind::Condition => {
                Condition::new(id, clean.as_deref().unwrap_or_default(), dates[0])
                    .and_then(|c| c.check_dates(now).map(|()| Entry::Condition(c)))
            }
        };
        match built {
            Ok(e) => Some(e),
            Err(e) => {
                let group = match e.field {
                    "medicine_stopped" => "stopped-day",
                    "pregnancy_ended" => "ended-day",
                    "condition_since" => "since-day",
                    _ => "started-day",
                };
                let message = if e.message == "is in the future" {
                    "The date must be today or in the past".to_owned()
                } else if e.message.starts_with("is before 19") {
                    "The date must be after 1900".to_owned()
                } else {
                    // "1 October 2026 is before the start, 3 October 2026"
                    format!("The end date, {}", e.message)
                };
                errors.push((group, message));
                None
            }
        }
    } else {
        None
    };
    shown.errors = errors;
    (Box::new(shown), entry)
}

/// `POST /diary/profile/{kind}`: add an entry.
pub(crate) async fn create(
    page: Page,
    State(cfg): State<Shared>,
    Who { owner, .. }: Who,
    OriginalUri(uri): OriginalUri,
    body: Bytes,
) -> Response {
    let Some(kind) = kind_of(uri.path()) else {
        return WebError::NotFound.into_response();
    };
    let Ok(store) = diary_store(&cfg) else {
        return WebError::diary("the diary is off").into_response();
    };
    let action = format!("/diary/profile/{}", segment(kind));
    let (mut shown, entry) = read(&page, kind, new_entry_id(), &body, action.clone());
    let Some(entry) = entry else {
        return render(StatusCode::UNPROCESSABLE_ENTITY, &*shown);
    };
    let mut add = Profile::default();
    match entry {
        Entry::Medicine(m) => add.medicines.push(m),
        Entry::Pregnancy(r) => add.pregnancies.push(r),
        Entry::Condition(c) => add.conditions.push(c),
        Entry::None => {}
    }
    // The same thing twice is a slip (a double tap, the back button): said, not stored. The
    // store decides it and the limit in one step, so two taps at once store one entry.
    match store.add_to_profile(&owner, &add).await {
        Err(e) => WebError::diary(e).into_response(),
        Ok(AddedToProfile::Added) => Redirect::to("/diary/profile?saved=1").into_response(),
        Ok(AddedToProfile::AlreadyThere(here)) => {
            shown.errors = vec![already_there(&here, &add)];
            render(StatusCode::UNPROCESSABLE_ENTITY, &*shown)
        }
        Ok(AddedToProfile::Full) => {
            let mut shown = form(&page, kind, action, Entry::None);
            shown.errors = vec![(
                "name",
                format!(
                    "You have {MAX_ENTRIES} of these already, the most the diary keeps. Remove one you no longer need first."
                ),
            )];
            render(StatusCode::UNPROCESSABLE_ENTITY, &shown)
        }
    }
}

/// What to say when an entry adds nothing the profile (`here`) lacks: which entry it already
/// has, named as it was saved ("Diabetes" when "diabetes" is typed again).
fn already_there(here: &Profile, add: &Profile) -> (&'static str, String) {
    match (add.medicines.first(), add.pregnancies.first()) {
        (Some(m), _) => {
            let known = here
                .medicines
                .iter()
                .find(|k| {
                    k.name().to_lowercase() == m.name().to_lowercase() && k.started == m.started
                })
                .unwrap_or(m);
            (
                "name",
                format!("You have already added {}, {}", known.name(), known.dates()),
            )
        }
        (None, Some(r)) => {
            let other = here
                .pregnancies
                .iter()
                .find(|k| {
                    k.started <= r.ended.unwrap_or(NaiveDate::MAX)
                        && r.started <= k.ended.unwrap_or(NaiveDate::MAX)
                })
                .map_or(String::new(), Pregnancy::dates);
            (
                "started-day",
                format!(
                    "This overlaps a pregnancy you have added ({other}): change that one instead"
                ),
            )
        }
        (None, None) => {
            // Named as it was saved ("Diabetes" when "diabetes" is typed again).
            let typed = add.conditions.first().map_or("", |c| c.name());
            let known = here
                .conditions
                .iter()
                .find(|k| k.name().to_lowercase() == typed.to_lowercase())
                .map_or(typed, |k| k.name());
            ("name", format!("You have already added {known}"))
        }
    }
}

/// `POST /diary/profile/{kind}/{id}`: change an entry.
pub(crate) async fn update(
    page: Page,
    State(cfg): State<Shared>,
    Who { owner, .. }: Who,
    OriginalUri(uri): OriginalUri,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let Some(kind) = kind_of(uri.path()) else {
        return WebError::NotFound.into_response();
    };
    let Ok(store) = diary_store(&cfg) else {
        return WebError::diary("the diary is off").into_response();
    };
    let Ok(entry_id) = EntryId::new(&id) else {
        return WebError::NotFound.into_response();
    };
    let action = format!("/diary/profile/{}/{id}", segment(kind));
    // Someone else's id, or one that is gone, is not found (before the form is read, so the
    // answer says nothing about what was typed).
    match store.profile(&owner).await {
        Err(e) => return WebError::diary(e).into_response(),
        Ok(p) => {
            if find(p, kind, &id).is_none() {
                return WebError::NotFound.into_response();
            }
        }
    }
    let (mut shown, entry) = read(&page, kind, entry_id, &body, action);
    let Some(entry) = entry else {
        shown.heading = shown.heading.replace("Add", "Change");
        shown.layout = page.layout(shown.heading.clone(), "diary");
        return render(StatusCode::UNPROCESSABLE_ENTITY, &*shown);
    };
    let done = match &entry {
        Entry::Medicine(m) => store.update_medicine(&owner, m).await,
        Entry::Pregnancy(r) => store.update_pregnancy(&owner, r).await,
        Entry::Condition(c) => store.update_condition(&owner, c).await,
        Entry::None => Ok(false),
    };
    match done {
        Err(e) => WebError::diary(e).into_response(),
        Ok(false) => WebError::NotFound.into_response(),
        Ok(true) => Redirect::to("/diary/profile?saved=1").into_response(),
    }
}

#[derive(Template)]
#[template(path = "profile_delete.html")]
struct DeletePage {
    layout: Layout,
    heading: &'static str,
    what: String,
    action: String,
}

/// `GET /diary/profile/{kind}/{id}/delete`: "Remove this?".
pub(crate) async fn delete_form(
    page: Page,
    State(cfg): State<Shared>,
    Who { owner, .. }: Who,
    OriginalUri(uri): OriginalUri,
    Path(id): Path<String>,
) -> Response {
    let Some(kind) = kind_of(uri.path()) else {
        return WebError::NotFound.into_response();
    };
    let Ok(store) = diary_store(&cfg) else {
        return WebError::diary("the diary is off").into_response();
    };
    let profile = match store.profile(&owner).await {
        Ok(p) => p,
        Err(e) => return WebError::diary(e).into_response(),
    };
    let (heading, what) = match find(profile, kind, &id) {
        None => return WebError::NotFound.into_response(),
        Some(Entry::Medicine(m)) => (
            "Remove this medicine?",
            format!("{}, {}", m.name(), m.dates()),
        ),
        Some(Entry::Pregnancy(r)) => ("Remove this pregnancy?", format!("Pregnant, {}", r.dates())),
        Some(Entry::Condition(c)) => ("Remove this condition?", c.name().to_owned()),
        Some(Entry::None) => return WebError::NotFound.into_response(),
    };
    render(
        StatusCode::OK,
        &DeletePage {
            layout: page.layout(heading, "diary"),
            heading,
            what,
            action: format!("/diary/profile/{}/{id}/delete", segment(kind)),
        },
    )
}

/// `POST /diary/profile/{kind}/{id}/delete`.
pub(crate) async fn delete(
    State(cfg): State<Shared>,
    Who { owner, .. }: Who,
    OriginalUri(uri): OriginalUri,
    Path(id): Path<String>,
) -> Response {
    let Some(kind) = kind_of(uri.path()) else {
        return WebError::NotFound.into_response();
    };
    let Ok(store) = diary_store(&cfg) else {
        return WebError::diary("the diary is off").into_response();
    };
    let Ok(id) = EntryId::new(&id) else {
        return WebError::NotFound.into_response();
    };
    match store.delete_profile_entry(&owner, kind, &id).await {
        Err(e) => WebError::diary(e).into_response(),
        Ok(false) => WebError::NotFound.into_response(),
        Ok(true) => Redirect::to("/diary/profile?removed=1").into_response(),
    }
}
