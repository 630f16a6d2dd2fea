//! `legcramps`: the one binary. This file only parses the command line and maps failures to
//! exit codes; each command lives in its own module.
//!
//! Exit codes: 0 success, 2 bad input or usage, 1 anything else.

mod admin;
mod check;
mod cli;
mod diary;
mod guide;
mod outcome_text;
mod profile;
mod remote;
mod serve;
mod stretch;
mod term;
mod triage;

use std::process::ExitCode;

use clap::Parser;

/// A failure caused by what the person gave us (exit code 2). Anything else exits with 1.
#[derive(Debug)]
pub(crate) struct BadInput(pub(crate) String);

impl std::fmt::Display for BadInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BadInput {}

/// What the person gave us is wrong, saying how (exit code 2).
pub(crate) fn bad(e: impl std::fmt::Display) -> anyhow::Error {
    BadInput(e.to_string()).into()
}

/// Whether a failure is only that whoever read our output stopped reading (`legcramps diary |
/// head`): a closed pipe is a quiet success, for every command (issue 19).
fn is_closed_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// `println!` panics when stdout is a pipe that was closed; that panic, and only that one, ends
/// the program quietly with success instead of exit code 101 and a message.
fn quiet_on_closed_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if message.starts_with("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(0);
        }
        default(info);
    }));
}

fn main() -> ExitCode {
    quiet_on_closed_pipe();
    let cli = cli::Cli::parse();
    let result = match cli.command {
        cli::Command::Triage(args) => triage::run(&args),
        cli::Command::Check(args) => check::run(&args),
        cli::Command::Guide(args) => guide::run(&args),
        cli::Command::Rules(args) => guide::rules(args.content),
        cli::Command::Stretch(args) => stretch::run(&args),
        cli::Command::Serve(args) => serve::run(&args),
        cli::Command::Log(args) => diary::log(&args),
        cli::Command::Diary(args) => diary::list(&args),
        cli::Command::Checkin(args) => diary::checkin(&args),
        cli::Command::Edit(args) => diary::edit(&args),
        cli::Command::Delete(args) => diary::delete(&args),
        cli::Command::Report(args) => diary::report(&args),
        cli::Command::Export(args) => diary::export(&args),
        cli::Command::Import(args) => diary::import_file(&args),
        cli::Command::Remind(args) => diary::remind(&args),
        cli::Command::Profile(args) => profile::run(&args),
        cli::Command::Admin(command) => admin::run(&command),
    };
    match result {
        Ok(code) => code,
        Err(e) if is_closed_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            // One line (plus its causes), never a backtrace.
            eprintln!("legcramps: {e:#}");
            if e.downcast_ref::<BadInput>().is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}
