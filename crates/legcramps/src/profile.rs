//! `legcramps profile`: medicines, pregnancies and known conditions, kept once with their dates
//! (issue 9). Listing works on a hosted diary too (`--server`); changes are made on this
//! computer's diary, or on the site's "Your medicines and health" page.

use std::process::ExitCode;

use anyhow::Result;
use chrono::{NaiveDate, Utc};
use legcramps_core::diary::parse_date;
use legcramps_core::profile::{Condition, EntryId, Medicine, Pregnancy, Profile};
use legcramps_store::{AddedToProfile, Owner, ProfileKind, new_entry_id};

use crate::bad;
use crate::cli::{self, ProfileAdd, ProfileCommand};
use crate::diary::{open, runtime};
use crate::term::{Style, width, wrap};

/// The fewest characters of an id that pick an entry (as for cramps).
const MIN_SHORT_ID: usize = 4;

fn day(flag: &str, text: &str) -> Result<NaiveDate> {
    let d = parse_date("date", text).map_err(|e| bad(format!("{flag}: {}", e.message)))?;
    legcramps_core::diary::check_day("date", d, Utc::now())
        .map_err(|e| bad(format!("{flag}: {} {}", text.trim(), e.message)))?;
    Ok(d)
}

fn maybe_day(flag: &str, text: Option<&String>) -> Result<Option<NaiveDate>> {
    text.map(|t| day(flag, t)).transpose()
}

/// A refused entry, naming the flag or the name at fault.
fn refused(e: legcramps_core::diary::Invalid) -> anyhow::Error {
    match e.field {
        "medicine_stopped" => bad(format!("--stopped: {}", e.message)),
        "pregnancy_ended" => bad(format!("--ended: {}", e.message)),
        _ if e.message == "needs a name" => bad("give the name (it is empty)"),
        _ => bad(format!(
            "the name {}",
            e.message.trim_start_matches("the name ")
        )),
    }
}

fn short(id: &EntryId) -> String {
    id.as_str().chars().take(8).collect()
}

/// The profile as lines for the terminal: each entry with its short id and dates.
fn print(p: &Profile) {
    let style = Style::detect();
    let w = width();
    let section = |title: &str, lines: Vec<String>, none: &str| {
        println!("{}", style.bold(title));
        if lines.is_empty() {
            println!("  {none}");
        }
        for line in lines {
            println!("{}", wrap(&line, w, "  ", "           "));
        }
    };
    section(
        "Medicines",
        p.medicines
            .iter()
            .map(|m| {
                let still = if m.stopped.is_none() {
                    ", still taking it"
                } else {
                    ""
                };
                let diary = if m.from_diary {
                    " (from your diary: check it)"
                } else {
                    ""
                };
                format!(
                    "{}  {}, {}{still}{diary}",
                    short(&m.id),
                    m.name(),
                    m.dates()
                )
            })
            .collect(),
        "none added",
    );
    section(
        "Pregnancy",
        p.pregnancies
            .iter()
            .map(|r| {
                let diary = if r.from_diary {
                    " (from your diary: check it)"
                } else {
                    ""
                };
                format!("{}  pregnant, {}{diary}", short(&r.id), r.dates())
            })
            .collect(),
        "none added",
    );
    section(
        "Conditions you know you have",
        p.conditions
            .iter()
            .map(|c| match c.since {
                Some(d) => format!("{}  {}, since {}", short(&c.id), c.name(), d),
                None => format!("{}  {}", short(&c.id), c.name()),
            })
            .collect(),
        "none added",
    );
}

/// The entry an id (or the start of one) names.
fn find<'p>(p: &'p Profile, typed: &str) -> Result<(ProfileKind, &'p EntryId)> {
    let typed = typed.trim().to_ascii_lowercase();
    let all: Vec<(ProfileKind, &EntryId)> = p
        .medicines
        .iter()
        .map(|m| (ProfileKind::Medicine, &m.id))
        .chain(
            p.pregnancies
                .iter()
                .map(|r| (ProfileKind::Pregnancy, &r.id)),
        )
        .chain(p.conditions.iter().map(|c| (ProfileKind::Condition, &c.id)))
        .collect();
    if let Some(exact) = all.iter().find(|(_, id)| id.as_str() == typed) {
        return Ok(*exact);
    }
    if typed.len() < MIN_SHORT_ID {
        return Err(bad(format!(
            "`{typed}` is too short to pick one entry: give at least {MIN_SHORT_ID} characters of its id (`legcramps profile` shows them)"
        )));
    }
    let found: Vec<&(ProfileKind, &EntryId)> = all
        .iter()
        .filter(|(_, id)| id.as_str().starts_with(&typed))
        .collect();
    match found.as_slice() {
        [one] => Ok(**one),
        [] => Err(bad(format!(
            "there is no entry {typed} in your profile (`legcramps profile` lists them)"
        ))),
        _ => Err(bad(format!(
            "`{typed}` is the start of more than one entry's id: give more of it"
        ))),
    }
}

pub(crate) fn run(args: &cli::ProfileArgs) -> Result<ExitCode> {
    let Some(command) = &args.command else {
        let profile = if let Some(remote) = crate::remote::Remote::from_args(&args.store)? {
            remote.everything(None, None)?.profile
        } else {
            runtime()?.block_on(async {
                let store = open(&args.store).await?;
                let p = store.profile(&Owner::local()).await?;
                store.close().await;
                anyhow::Ok(p)
            })?
        };
        print(&profile);
        return Ok(ExitCode::SUCCESS);
    };
    crate::remote::local_only(&args.store, "profile add, end and remove")?;
    let me = Owner::local();
    runtime()?.block_on(async {
        let store = open(&args.store).await?;
        let said = match command {
            ProfileCommand::Add(add) => {
                let mut p = Profile::default();
                match add {
                    ProfileAdd::Medicine {
                        name,
                        started,
                        stopped,
                    } => p.medicines.push(
                        Medicine::new(
                            new_entry_id(),
                            name,
                            day("--started", started)?,
                            maybe_day("--stopped", stopped.as_ref())?,
                        )
                        .map_err(refused)?,
                    ),
                    ProfileAdd::Pregnancy { started, ended } => p.pregnancies.push(
                        Pregnancy::new(
                            new_entry_id(),
                            day("--started", started)?,
                            maybe_day("--ended", ended.as_ref())?,
                        )
                        .map_err(refused)?,
                    ),
                    ProfileAdd::Condition { name, since } => p.conditions.push(
                        Condition::new(
                            new_entry_id(),
                            name,
                            maybe_day("--since", since.as_ref())?,
                        )
                        .map_err(refused)?,
                    ),
                }
                match store.add_to_profile(&me, &p).await? {
                    AddedToProfile::Added => "Added.",
                    AddedToProfile::AlreadyThere(_) => {
                        return Err(bad(
                            "your profile already has this (or a pregnancy that overlaps it): see `legcramps profile`",
                        ));
                    }
                    AddedToProfile::Full => {
                        return Err(bad(format!(
                            "your profile already holds {} of these, the most it keeps: remove one first",
                            legcramps_core::profile::MAX_ENTRIES
                        )));
                    }
                }
            }
            ProfileCommand::End { id, on } => {
                let here = store.profile(&me).await?;
                let (kind, id) = find(&here, id)?;
                let on = day("--on", on)?;
                let done = match kind {
                    ProfileKind::Medicine => {
                        let mut m = here
                            .medicines
                            .iter()
                            .find(|m| &m.id == id)
                            .cloned()
                            .ok_or_else(|| bad("that entry is gone"))?;
                        m = Medicine::new(m.id.clone(), m.name(), m.started, Some(on))
                            .map_err(|e| bad(format!("--on: {}", e.message)))?;
                        store.update_medicine(&me, &m).await?
                    }
                    ProfileKind::Pregnancy => {
                        let r = here
                            .pregnancies
                            .iter()
                            .find(|r| &r.id == id)
                            .ok_or_else(|| bad("that entry is gone"))?;
                        let r = Pregnancy::new(r.id.clone(), r.started, Some(on))
                            .map_err(|e| bad(format!("--on: {}", e.message)))?;
                        store.update_pregnancy(&me, &r).await?
                    }
                    ProfileKind::Condition => {
                        return Err(bad(
                            "a condition has no end here: remove it if it no longer applies",
                        ));
                    }
                };
                if !done {
                    return Err(bad("that entry is gone"));
                }
                "Saved."
            }
            ProfileCommand::Remove { id } => {
                let here = store.profile(&me).await?;
                let (kind, id) = find(&here, id)?;
                if !store.delete_profile_entry(&me, kind, id).await? {
                    return Err(bad("that entry is gone"));
                }
                "Removed."
            }
        };
        println!("{said}");
        print(&store.profile(&me).await?);
        store.close().await;
        anyhow::Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}
