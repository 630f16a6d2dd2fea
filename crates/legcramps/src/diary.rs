//! The diary commands: log, diary, edit, delete, report, export, import, remind.
//!
//! Each opens the store (SQLite in the data directory, or PostgreSQL from DATABASE_URL), does
//! one thing, and closes it. Nothing here logs diary content; errors name the field.

use std::io::{self, BufRead, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use chrono::{DateTime, FixedOffset, Local, NaiveDate, TimeZone, Utc};
use legcramps_contract::diary_io::{
    DiaryFile, format_start, import_checked_bytes, to_csv, to_json,
};
use legcramps_contract::{fhir, ics};
use legcramps_core::content::SOURCE_CREDIT;
use legcramps_core::diary::{
    Context, Duration, Eased, Episode, Invalid, Medication, Note, Severity, Side, Site,
    parse_choices, parse_date, parse_start,
};
use legcramps_core::patterns::{DURATION_BANDS, Settings, summarise_since};
use legcramps_core::profile::FromDiary;
use legcramps_store::{Owner, Store, default_data_dir, new_id};

use crate::bad;
use crate::cli::{self, EpisodeFields, ExportFormat};
use crate::term::{Style, width, wrap};

pub(crate) fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
}

pub(crate) async fn open(args: &cli::Store) -> Result<Store> {
    let dir = match &args.data_dir {
        Some(d) => d.clone(),
        None => default_data_dir().ok_or_else(|| {
            bad("cannot find a data directory: set --data-dir or LEGCRAMPS_DATA_DIR")
        })?,
    };
    // A data directory or database address that cannot be opened is bad input (exit 2), on
    // every command alike; a failure inside a database that did open is not.
    Store::open(&dir, args.database_url.as_deref())
        .await
        .map_err(|e| match e {
            legcramps_store::StoreError::Open(_) => bad(e.to_string()),
            other => anyhow::Error::from(other),
        })
}

fn now() -> DateTime<FixedOffset> {
    Local::now().fixed_offset()
}

fn date_arg(field: &'static str, v: &Option<String>) -> Result<Option<NaiveDate>> {
    v.as_deref()
        .map(|d| parse_date(field, d))
        .transpose()
        .map_err(bad)
}

/// Ask on the terminal until the answer parses.
fn ask<T>(prompt: &str, parse: impl Fn(&str) -> Result<T, Invalid>) -> Result<T> {
    let stdin = io::stdin();
    loop {
        print!("{prompt} ");
        io::stdout().flush()?;
        let mut line = String::new();
        if stdin.lock().read_line(&mut line)? == 0 {
            return Err(bad(
                "stopped before the episode was complete; nothing was stored",
            ));
        }
        match parse(line.trim()) {
            Ok(v) => return Ok(v),
            Err(e) => println!("  {}", e.message),
        }
    }
}

/// A field that `log` needs: from its flag, or asked for on a terminal, or an error.
fn needed<T>(
    flag: &str,
    given: Option<&str>,
    prompt: &str,
    parse: impl Fn(&str) -> Result<T, Invalid>,
) -> Result<T> {
    match given {
        Some(v) => parse(v).map_err(bad),
        None if io::stdin().is_terminal() => ask(prompt, parse),
        None => Err(bad(format!(
            "{flag} is missing (there is no terminal to ask on)"
        ))),
    }
}

/// A field `log` can do without (how long, which muscle, asleep, eased): from its flag, or
/// asked for on a terminal where Enter skips it, or left out.
fn optional<T>(
    given: Option<&str>,
    prompt: &str,
    parse: impl Fn(&str) -> Result<T, Invalid>,
) -> Result<Option<T>> {
    match given {
        Some(v) => parse(v).map(Some).map_err(bad),
        None if io::stdin().is_terminal() => ask(&format!("{prompt} (Enter to skip)"), |s| {
            if s.is_empty() {
                Ok(None)
            } else {
                parse(s).map(Some)
            }
        }),
        None => Ok(None),
    }
}

/// `--minutes`, with any problem named by the flag (not the domain's "duration").
/// How long, as people type it ("3", "2 mins", "90s", "1 min 30", "1 hour").
fn minutes(s: &str) -> Result<Duration, Invalid> {
    Duration::parse_typed(s).map_err(|e| Invalid {
        field: "--minutes",
        ..e
    })
}

fn yes_no(s: &str) -> Result<bool, Invalid> {
    match s.trim().to_ascii_lowercase().as_str() {
        "y" | "yes" | "asleep" => Ok(true),
        "n" | "no" | "awake" => Ok(false),
        _ => Err(Invalid {
            field: "asleep",
            message: "answer y (asleep) or n (awake)".into(),
        }),
    }
}

/// What `--medication` and `--pregnant` say, for the profile, on the cramp's day (checked:
/// a start date in the future is refused naming its flag).
fn said(f: &EpisodeFields, e: &Episode) -> Result<FromDiary> {
    let medicines = match &f.medication {
        None => Vec::new(),
        Some(name) => {
            let started = date_arg("medication_started", &f.medication_started)?;
            if let Some(d) = started {
                legcramps_core::diary::check_day("medication_started", d, Utc::now())
                    .map_err(|err| bad(format!("--medication-started: {}", err.message)))?;
            }
            vec![Medication::new(name, started).map_err(bad)?]
        }
    };
    Ok(FromDiary {
        day: e.start.date_naive(),
        pregnant: f.pregnant,
        medicines,
        ..FromDiary::default()
    })
}

fn check_not_future(start: DateTime<FixedOffset>) -> Result<DateTime<FixedOffset>> {
    legcramps_core::diary::check_when("start", start, Utc::now()).map_err(|_| {
        bad(format!(
            "--at: {} is in the future or before 1900",
            format_start(&start)
        ))
    })?;
    Ok(start)
}

/// The date limits every way in applies, with the flag that was at fault named.
fn check_dates(e: &Episode) -> Result<()> {
    e.check_dates(Utc::now()).map_err(|err| {
        let flag = match err.field {
            "start" => "--at",
            other => other,
        };
        bad(format!("{flag}: {}", err.message))
    })
}

/// What to do about a red-flag episode, from the triage engine's own tables: urgent when it
/// is recent, "tell your GP" when it is older, naming its date either way.
fn red_flag_advice(episode: &Episode, style: Style, width: usize) -> Option<String> {
    advice_text(episode.red_flag_advice(Utc::now())?, style, width)
}

/// What to say right after logging or editing: a red flag's advice, or a very long cramp's.
fn after_logging_advice(episode: &Episode, style: Style, width: usize) -> Option<String> {
    advice_text(episode.advice_after_logging(Utc::now())?, style, width)
}

fn advice_text(
    a: legcramps_core::diary::RedFlagAdvice,
    style: Style,
    width: usize,
) -> Option<String> {
    let banner = if a.recent {
        style.urgent(&format!("!! {}", a.headline))
    } else {
        style.info(a.headline)
    };
    let mut out = format!(
        "\n{banner}\n{}\n{}\n",
        wrap(&a.what_happened, width, "", ""),
        wrap(a.what_to_do, width, "", "")
    );
    if a.recent
        && let Some(online) = crate::term::online_111()
    {
        out.push_str(&format!("If you cannot phone, use 111 online: {online}\n"));
    }
    out.push_str("When to get help again:\n");
    for line in &a.safety_net {
        out.push_str(&wrap(line, width, "  - ", "    "));
        out.push('\n');
    }
    Some(out)
}

pub(crate) fn log(args: &cli::LogArgs) -> Result<ExitCode> {
    let f = &args.fields;
    let start = match &f.at {
        Some(t) => check_not_future(parse_start(t).map_err(bad)?)?,
        // "Last night": a stand-in time that every view shows as the night, not as a time.
        None if args.last_night => {
            let local = legcramps_core::diary::last_night_start(Local::now().naive_local());
            Local
                .from_local_datetime(&local)
                .earliest()
                .map_or_else(now, |t| t.fixed_offset())
        }
        None => now(),
    };
    // Only which leg and how bad are needed (as in the quick log on the web); the rest can be
    // added later with `edit`.
    let side = needed(
        "--side",
        f.side.as_deref(),
        "Which leg? (left, right, both)",
        |s| s.parse::<Side>(),
    )?;
    let duration = optional(
        f.minutes.as_deref(),
        "How long did it last (for example 3, 2 mins, 90s, 1 min 30 or 1 hour)?",
        minutes,
    )?;
    let site = optional(
        f.site.as_deref(),
        "Which muscle? (calf, foot, thigh, other)",
        |s| s.parse::<Site>(),
    )?;
    let asleep = if f.asleep {
        Some(true)
    } else if f.awake {
        Some(false)
    } else if f.at.is_none() && args.last_night {
        // "Last night" is a cramp that woke you (issue 18, finding 9).
        Some(true)
    } else {
        optional(None, "Were you asleep? (y/n)", yes_no)?
    };
    let eased = optional(
        f.eased.as_deref(),
        "Did moving ease it? (yes, no, unsure)",
        |s| s.parse::<Eased>(),
    )?;
    let severity = needed(
        "--severity",
        f.severity.as_deref(),
        "How bad was it? (mild: noticed it; moderate: it got in the way; severe: it stopped you)",
        |s| s.parse::<Severity>(),
    )?;
    let episode = Episode {
        id: new_id(),
        start,
        last_night: f.at.is_none() && args.last_night,
        duration,
        site,
        side,
        asleep,
        eased,
        severity,
        note: f
            .note
            .as_deref()
            .map(Note::new)
            .transpose()
            .map_err(bad)?
            .flatten(),
        context: Context {
            exercise: f.exercise,
            short_of_fluids: f.short_of_fluids,
            helped: parse_choices(f.helped.as_deref().unwrap_or("")).map_err(bad)?,
            suspected: parse_choices(f.suspected.as_deref().unwrap_or("")).map_err(bad)?,
        },
    };
    check_dates(&episode)?;
    let said = said(f, &episode)?;
    let id = if let Some(remote) = crate::remote::Remote::from_args(&args.store)? {
        remote.log(&episode, &said)?
    } else {
        let rt = runtime()?;
        rt.block_on(async {
            let store = open(&args.store).await?;
            store.insert(&Owner::local(), &episode).await?;
            store.add_from_diary(&Owner::local(), &said).await?;
            store.close().await;
            anyhow::Ok(())
        })?;
        episode.id.to_string()
    };
    println!(
        "Logged {} ({}, {}).",
        id.chars().take(8).collect::<String>(),
        episode.details(),
        episode.when_listed()
    );
    // A new medicine: a pharmacist can say if it may be the cause, and it is never stopped
    // on one's own (issue 18, finding 28; as the web profile says).
    if !said.medicines.is_empty() {
        for id in ["pharmacist", "do-not-stop-medicine"] {
            if let Some(a) = legcramps_core::triage::ADVICE.iter().find(|a| a.id == id) {
                println!("{}", wrap(a.text, width(), "", ""));
            }
        }
    }
    // After every log, the whole safety net (issue 18, finding 6): a red-flag cramp's advice
    // carries its own; otherwise the diary's.
    if let Some(advice) = after_logging_advice(&episode, Style::detect(), width()) {
        print!("{advice}");
    } else {
        println!("Get help if anything changes:");
        for line in legcramps_core::diary::LOG_SAFETY_NET {
            println!("{}", wrap(line.text, width(), "  - ", "    "));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Everything in the diary within the range: this computer's, or the hosted one's with
/// `--server`.
fn everything(
    args: &cli::Store,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<DiaryFile> {
    if let Some(remote) = crate::remote::Remote::from_args(args)? {
        return remote.everything(from, to);
    }
    let rt = runtime()?;
    rt.block_on(async {
        let store = open(args).await?;
        let file = store.everything(&Owner::local(), from, to).await?;
        store.close().await;
        anyhow::Ok(file)
    })
}

/// How long, short: "45s", "3m", "12m 30s".
fn short_duration(d: Duration) -> String {
    let (m, s) = (d.seconds() / 60, d.seconds() % 60);
    match (m, s) {
        (0, s) => format!("{s}s"),
        (m, 0) => format!("{m}m"),
        (m, s) => format!("{m}m {s}s"),
    }
}

/// The diary as a table that fits 80 columns: the first 8 characters of each id (enough for
/// `edit` and `delete`), the red flag and the note on lines of their own, wrapped at words.
fn diary_table(episodes: &[Episode], width: usize) -> String {
    use std::fmt::Write as _;
    if episodes.is_empty() {
        return "No cramps logged in this range.\n".to_owned();
    }
    let width = width.clamp(40, 80);
    let indent = " ".repeat(10);
    let wrap = |text: &str| {
        textwrap::wrap(
            text,
            textwrap::Options::new(width)
                .initial_indent(&indent)
                .subsequent_indent(&indent),
        )
        .join("\n")
    };
    let mut out = format!(
        "{:<8}  {:<16}  {:>7}  {:<11}  {:<6} {:<6} {}\n",
        "id", "started", "lasted", "where", "asleep", "eased", "how bad"
    );
    for e in episodes {
        let short: String = e.id.as_str().chars().take(8).collect();
        let _ = writeln!(
            out,
            "{short:<8}  {:<16}  {:>7}  {:<11}  {:<6} {:<6} {}",
            if e.last_night {
                format!("{} night", e.evening().format("%Y-%m-%d"))
            } else {
                e.start.format("%Y-%m-%d %H:%M").to_string()
            },
            e.duration.map_or_else(|| "-".to_owned(), short_duration),
            e.place(),
            match e.asleep {
                Some(true) => "yes",
                Some(false) => "no",
                None => "-",
            },
            e.eased.map_or("-", Eased::name),
            e.severity.name(),
        );
        if let Some(flag) = e.red_flag_label() {
            let _ = writeln!(out, "{}", wrap(&format!("RED FLAG: {flag}")));
        }
        if let Some(note) = &e.note {
            let _ = writeln!(out, "{}", wrap(&format!("Note: {}", note.as_str())));
        }
    }
    out
}

fn print_table(episodes: &[Episode]) {
    print!("{}", diary_table(episodes, width()));
}

pub(crate) fn list(args: &cli::DiaryListArgs) -> Result<ExitCode> {
    let from = date_arg("from", &args.from)?;
    let to = date_arg("to", &args.to)?;
    let file = everything(&args.store, from, to)?;
    if args.json {
        println!("{}", to_json(&file));
    } else {
        print_table(&file.episodes);
    }
    Ok(ExitCode::SUCCESS)
}

/// The shortest id prefix `edit` and `delete` take (the diary shows 8 characters).
const MIN_SHORT_ID: usize = 4;

/// The one episode whose id is, or starts with, what was typed (as git takes short ids).
async fn resolve_id(
    store: &legcramps_store::Store,
    me: &Owner,
    typed: &str,
) -> Result<legcramps_core::diary::EpisodeId> {
    use legcramps_core::diary::EpisodeId;
    let id = EpisodeId::new(typed).map_err(bad)?;
    if store.get(me, &id).await?.is_some() {
        return Ok(id);
    }
    if id.as_str().len() < MIN_SHORT_ID {
        return Err(bad(format!(
            "`{id}` is too short to pick one cramp: give at least {MIN_SHORT_ID} characters of its id (`legcramps diary` shows them)"
        )));
    }
    let found = store.ids_starting(me, &id, 4).await?;
    match found.as_slice() {
        [one] => EpisodeId::new(one).map_err(bad),
        [] => Err(bad(format!("there is no episode {id} in your diary"))),
        many => Err(bad(format!(
            "`{id}` is the start of more than one cramp's id ({}{}): give more of it",
            many.iter().take(3).cloned().collect::<Vec<_>>().join(", "),
            if many.len() > 3 { ", ..." } else { "" }
        ))),
    }
}

pub(crate) fn edit(args: &cli::EditArgs) -> Result<ExitCode> {
    crate::remote::local_only(&args.store, "edit")?;
    let f = &args.fields;
    let rt = runtime()?;
    let updated = rt.block_on(async {
        let store = open(&args.store).await?;
        let me = Owner::local();
        let id = resolve_id(&store, &me, &args.id).await?;
        let Some(mut e) = store.get(&me, &id).await? else {
            return Err(bad(format!("there is no episode {id} in your diary")));
        };
        if let Some(t) = &f.at {
            e.start = check_not_future(parse_start(t).map_err(bad)?)?;
            e.last_night = false;
        }
        if let Some(m) = &f.minutes {
            e.duration = Some(minutes(m).map_err(bad)?);
        }
        if let Some(s) = &f.site {
            e.site = Some(s.parse().map_err(bad)?);
        }
        if let Some(s) = &f.side {
            e.side = s.parse().map_err(bad)?;
        }
        if f.asleep {
            e.asleep = Some(true);
        }
        if f.awake {
            e.asleep = Some(false);
        }
        if let Some(s) = &f.eased {
            e.eased = Some(s.parse().map_err(bad)?);
        }
        if let Some(s) = &f.severity {
            e.severity = s.parse().map_err(bad)?;
        }
        if let Some(n) = &f.note {
            e.note = Note::new(n).map_err(bad)?;
        }
        if let Some(h) = &f.helped {
            e.context.helped = parse_choices(h).map_err(bad)?;
        }
        if let Some(b) = &f.suspected {
            e.context.suspected = parse_choices(b).map_err(bad)?;
        }
        if args.clear_note {
            e.note = None;
        }
        if f.exercise {
            e.context.exercise = true;
        }
        if f.short_of_fluids {
            e.context.short_of_fluids = true;
        }
        check_dates(&e)?;
        let said = said(f, &e)?;
        store.update(&me, &e).await?;
        store.add_from_diary(&me, &said).await?;
        store.close().await;
        Ok(e)
    })?;
    println!("Updated {}.", updated.id);
    if let Some(advice) = after_logging_advice(&updated, Style::detect(), width()) {
        print!("{advice}");
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn delete(args: &cli::DeleteArgs) -> Result<ExitCode> {
    crate::remote::local_only(&args.store, "delete")?;
    let rt = runtime()?;
    rt.block_on(async {
        let store = open(&args.store).await?;
        let me = Owner::local();
        if args.all {
            if !args.yes {
                return Err(bad(
                    "--all deletes everything in your diary for good: add --yes to confirm",
                ));
            }
            let n = store.delete_all(&me).await?;
            println!("Deleted everything in your diary ({n} records).");
        } else {
            let id = resolve_id(&store, &me, args.id.as_deref().unwrap_or_default()).await?;
            if !store.delete(&me, &id).await? {
                return Err(bad(format!("there is no episode {id} in your diary")));
            }
            println!("Deleted {id}.");
        }
        store.close().await;
        anyhow::Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}

/// `legcramps checkin`: no cramps last night (or, with `--undo`, take it back).
pub(crate) fn checkin(args: &cli::CheckinArgs) -> Result<ExitCode> {
    let night = match date_arg("night", &args.night)? {
        Some(d) => {
            legcramps_core::diary::check_day("night", d, chrono::Utc::now()).map_err(bad)?;
            d
        }
        None => legcramps_core::patterns::check_in_night(now().naive_local()),
    };
    if let Some(remote) = crate::remote::Remote::from_args(&args.store)? {
        let changed = remote.check_in(night, args.undo)?;
        let named = legcramps_core::patterns::night_name(night);
        match (args.undo, changed) {
            (false, _) => println!("Recorded: no cramps in {named}."),
            (true, true) => println!("Taken back: {named} is not recorded."),
            (true, false) => {
                println!("Nothing to take back: {named} was not checked in.");
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let rt = runtime()?;
    rt.block_on(async {
        let store = open(&args.store).await?;
        let me = Owner::local();
        let named = legcramps_core::patterns::night_name(night);
        if args.undo {
            if store.undo_check_in(&me, night).await? {
                println!("Taken back: {named} is not recorded.");
            } else {
                println!("Nothing to take back: {named} was not checked in.");
            }
        } else {
            let cramp = store
                .list(&me, Some(night - chrono::Days::new(1)), Some(night))
                .await?
                .iter()
                .any(|e| {
                    e.asleep == Some(true)
                        && legcramps_core::patterns::night_of(e.start.naive_local()) == night
                });
            store.check_in(&me, night).await?;
            if cramp {
                println!(
                    "Recorded, but you logged a cramp in your sleep that night: it counts as a night with a cramp."
                );
            } else {
                println!("Recorded: no cramps in {named}.");
            }
        }
        store.close().await;
        anyhow::Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}

fn range(from: &Option<String>, to: &Option<String>) -> Result<(NaiveDate, NaiveDate)> {
    let to = date_arg("to", to)?.unwrap_or_else(|| now().date_naive());
    let from = date_arg("from", from)?
        .unwrap_or(to - chrono::Duration::weeks(12) + chrono::Duration::days(1));
    if from > to {
        return Err(bad("--from is after --to"));
    }
    if (to - from).num_days() > 366 * 20 {
        return Err(bad("the range is longer than 20 years"));
    }
    Ok((from, to))
}

pub(crate) fn report(args: &cli::ReportArgs) -> Result<ExitCode> {
    let (from, to) = range(&args.from, &args.to)?;
    let settings = Settings {
        frequent_per_week: args.settings.frequent_per_week,
        disturbed_nights_per_week: args.settings.disturbed_nights_per_week,
        medicine_compare_weeks: args.settings.medicine_compare_weeks,
        ..Settings::default()
    };
    let (episodes, checks, first, profile, (check_ins, first_check_in)) =
        if let Some(remote) = crate::remote::Remote::from_args(&args.store)? {
            let file = remote.everything(Some(from), Some(to))?;
            // The checks of the whole diary, as locally (the summary lists them all).
            let all = remote.everything(None, None)?;
            let first = all.episodes.iter().map(|e| e.start.date_naive()).min();
            let first_check_in = all.nights_without_cramps.iter().min().copied();
            (
                file.episodes,
                all.checks,
                first,
                all.profile,
                (file.nights_without_cramps, first_check_in),
            )
        } else {
            let rt = runtime()?;
            rt.block_on(async {
                let store = open(&args.store).await?;
                let episodes = store.list(&Owner::local(), Some(from), Some(to)).await?;
                let checks = store.checks(&Owner::local()).await?;
                let first = store.first_logged(&Owner::local()).await?;
                let profile = store.profile(&Owner::local()).await?;
                let nights = store
                    .check_ins(&Owner::local(), Some(from), Some(to))
                    .await?;
                store.close().await;
                anyhow::Ok((episodes, checks, first, profile, nights))
            })?
        };
    // The diary began with its first cramp or its first check-in, whichever came first.
    let began = match (first, first_check_in) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let summary = summarise_since(&episodes, &profile, from, to, began, settings);
    let nights = legcramps_core::patterns::Nights::count(
        &episodes,
        &check_ins,
        summary.start,
        summary.to,
        first_check_in,
    );
    if let Some(path) = &args.html {
        let html = legcramps_web::report::gp_summary_file(
            &summary,
            &checks,
            (&nights, &episodes, &check_ins),
            &settings,
            now(),
        );
        std::fs::write(path, html).with_context(|| format!("writing {}", path.display()))?;
        println!(
            "Wrote the GP summary to {} (open it in a browser and print it).",
            path.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let style = Style::detect();
    let w = width();
    println!(
        "{}",
        style.bold(&format!("Your cramps, {} to {}", from, to))
    );
    println!("  Cramps logged: {}", summary.count);
    println!("  Nights: {}", nights.describe());
    if summary.count > 0 {
        println!(
            "  At night ({}:00 to {}:00): {} ({:.0}%)   During sleep: {}",
            settings.night_starts,
            settings.night_ends,
            summary.at_night,
            summary.night_share() * 100.0,
            summary.asleep
        );
        println!(
            "  Longest: {}   Median: {}",
            summary.longest.map_or("-".into(), Duration::human),
            summary.median.map_or("-".into(), Duration::human)
        );
        let sites: Vec<String> = summary
            .by_site
            .iter()
            .map(|(s, n)| format!("{s} {n}"))
            .collect();
        println!("  Where: {}", sites.join(", "));
        let bands: Vec<String> = DURATION_BANDS
            .iter()
            .zip(summary.duration_bands)
            .map(|(b, n)| format!("{b}: {n}"))
            .collect();
        println!("  How long: {}", bands.join("; "));
        println!("\n  Cramps per week:");
        for wk in &summary.weeks {
            println!(
                "    {}  {:>3}  {}",
                wk.starts,
                wk.cramps,
                "#".repeat(wk.cramps.min(60) as usize)
            );
        }
        for m in &summary.medicine_rates {
            println!("  Medicine: {}, {}", m.medicine.name(), m.medicine.dates());
            // Rates side by side only with enough weeks each way, from the medicine's dates,
            // never alone without what they cannot show (issue 18, finding 8).
            let weeks = m.weeks;
            let line = match (m.comparable, m.before) {
                (true, Some(before)) => format!(
                    "Cramps in the {weeks} weeks before: {} ({:.1} a week); in the first {weeks} weeks while taken: {} ({:.1} a week). {}",
                    before.cramps,
                    before.cramps_per_week(),
                    m.taking.cramps,
                    m.taking.cramps_per_week(),
                    legcramps_core::patterns::MEDICINE_NOT_A_CAUSE
                ),
                _ => m.not_compared(),
            };
            println!("{}", wrap(&line, w, "    ", "    "));
            println!(
                "{}",
                wrap(
                    legcramps_core::patterns::MEDICINE_DO_NOT_STOP,
                    w,
                    "    ",
                    "    "
                )
            );
        }
    }
    if !summary.red_flags.is_empty() {
        println!(
            "\n{}",
            style.urgent(&{
                // Only what was logged (issue 18, finding 7).
                let said = summary.red_flags.iter().filter(|e| e.said_not_eased()).count();
                let other = summary.red_flags.len() - said;
                match (said, other) {
                    (s, 0) => format!(
                        "{s} cramp(s) lasted 10 minutes or more and did not ease when you moved."
                    ),
                    (0, o) => format!(
                        "{o} cramp(s) lasted 10 minutes or more, and you were not sure or did not log whether moving eased them."
                    ),
                    (s, o) => format!(
                        "{s} cramp(s) lasted 10 minutes or more and did not ease when you moved; for {o} more, you were not sure or did not log whether moving eased them."
                    ),
                }
            })
        );
        // The latest one decides what to say now: urgent if it is recent, otherwise "tell
        // your GP", each naming its date.
        if let Some(advice) = summary
            .red_flags
            .last()
            .and_then(|e| red_flag_advice(e, style, w))
        {
            print!("{advice}");
        }
        for e in summary.red_flags.iter().rev().skip(1) {
            println!("  Also {}: {}", e.when_text(), e.details());
        }
    }
    let in_range: Vec<_> = checks
        .iter()
        .filter(|c| (from..=to).contains(&c.at.date_naive()))
        .collect();
    if !in_range.is_empty() {
        println!("\n  Checks you saved:");
        for c in in_range {
            println!(
                "    {}: {}",
                c.at.format("%-d %b %Y %H:%M"),
                c.shown.as_ref().map_or(
                    "what was shown was not recorded",
                    legcramps_contract::diary_io::Shown::headline
                )
            );
        }
    }
    for t in &summary.triggers {
        let what = if t.fact == "help.gp.frequent" {
            format!(
                "{} cramps in the week of {}{} (this diary points this out from {} a week)",
                t.count,
                t.week,
                t.latest_of(),
                t.threshold
            )
        } else {
            format!(
                "cramps during sleep on {} nights in the week of {}{} (pointed out from {} nights a week)",
                t.count,
                t.week,
                t.latest_of(),
                t.threshold
            )
        };
        println!(
            "\n{}",
            wrap(
                &format!("Speak to your GP: {what}. Try `legcramps check` to see what to do."),
                w,
                "",
                "  "
            )
        );
    }
    println!("\n{}", style.dim(&wrap(SOURCE_CREDIT.text, w, "", "")));
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn export(args: &cli::ExportArgs) -> Result<ExitCode> {
    let from = date_arg("from", &args.from)?;
    let to = date_arg("to", &args.to)?;
    let file = everything(&args.store, from, to)?;
    let text = match args.format {
        ExportFormat::Csv => to_csv(&file.episodes, &file.profile),
        ExportFormat::Json => to_json(&file) + "\n",
        ExportFormat::Fhir => fhir::to_fhir(&file, Utc::now()) + "\n",
    };
    io::stdout().lock().write_all(text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn import_file(args: &cli::ImportArgs) -> Result<ExitCode> {
    crate::remote::local_only(&args.store, "import")?;
    const MAX_IMPORT_BYTES: u64 = 64 * 1024 * 1024;
    let cannot = |e: std::io::Error| bad(format!("cannot read {}: {e}", args.file.display()));
    // The size is checked before reading, and the read is bounded, so a huge file is refused
    // without being loaded.
    let file = std::fs::File::open(&args.file).map_err(cannot)?;
    if file.metadata().map_err(cannot)?.len() > MAX_IMPORT_BYTES {
        return Err(bad(format!("{} is larger than 64 MB", args.file.display())));
    }
    let mut bytes = Vec::new();
    file.take(MAX_IMPORT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_IMPORT_BYTES {
        return Err(bad(format!("{} is larger than 64 MB", args.file.display())));
    }
    // Parsed whole and checked whole (the date limits too) before anything is stored.
    let file: DiaryFile = import_checked_bytes(&bytes, Utc::now()).map_err(|e| {
        bad(format!(
            "{}: {e}; nothing was imported",
            args.file.display()
        ))
    })?;
    let rt = runtime()?;
    let report = rt.block_on(async {
        let store = open(&args.store).await?;
        let report = store.import(&Owner::local(), &file).await?;
        store.close().await;
        anyhow::Ok(report)
    })?;
    println!(
        "Imported {} new record(s); {} were already in your diary.",
        report.added, report.already_present
    );
    if report.profile_added > 0 {
        println!(
            "Added {} to your profile (medicines, pregnancy, conditions): check the dates with `legcramps profile`.",
            report.profile_added
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn remind(args: &cli::RemindArgs) -> Result<ExitCode> {
    let time = ics::parse_time(&args.at)
        .ok_or_else(|| bad(format!("--at: `{}` is not a time like 21:30", args.at)))?;
    let today = now().date_naive();
    let text = ics::reminder(today, time, Utc::now());
    let out: &PathBuf = &args.out;
    std::fs::write(out, text).with_context(|| format!("writing {}", out.display()))?;
    println!(
        "Wrote {}: a daily reminder at {} to do the calf stretch. Open it with your calendar app.",
        out.display(),
        time.format("%H:%M")
    );
    Ok(ExitCode::SUCCESS)
}

/// Keep a check's answers in the diary; returns the saved check's id.
pub(crate) fn save_check(
    args: &cli::Store,
    answers: legcramps_core::Assessment,
    shown: &legcramps_core::Outcome,
) -> Result<String> {
    crate::remote::local_only(args, "check --save")?;
    let check = legcramps_contract::diary_io::SavedCheck {
        id: new_id(),
        at: now(),
        answers,
        shown: Some(legcramps_contract::diary_io::Shown::of(shown)),
    };
    let rt = runtime()?;
    rt.block_on(async {
        let store = open(args).await?;
        store.save_check(&Owner::local(), &check).await?;
        store.close().await;
        anyhow::Ok(())
    })?;
    Ok(check.id.to_string())
}
