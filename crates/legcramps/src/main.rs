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

fn main() -> ExitCode {
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
