//! The command line, as clap types.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "legcramps",
    version,
    about = "Leg cramps: guidance, \"Check your leg cramps\" and the calf stretch, based on NHS inform (NHS 24).",
    long_about = None,
    after_help = "Examples:\n  legcramps check                       answer the questions one at a time\n  legcramps guide when-to-get-help      read when to get help\n  legcramps stretch --reps 5 --hold 5   the calf stretch, with a timer\n  echo '{\"frequent\": true}' | legcramps triage --json\n\nThis tool is not an NHS service. If you are worried, speak to your GP, or phone 111."
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Triage assessments given as JSON (the contract in PRODUCT.md)
    Triage(TriageArgs),
    /// "Check your leg cramps": answer questions one at a time and get advice
    Check(CheckArgs),
    /// Read the guidance, one topic at a time
    Guide(GuideArgs),
    /// Print the triage rules, advice and questions as Markdown for clinical review
    #[command(after_help = "Example:\n  legcramps rules > rules.md")]
    Rules,
    /// The calf stretch as a guided routine with a timer
    Stretch(StretchArgs),
    /// Serve the web app and the JSON API
    Serve(ServeArgs),
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  legcramps serve\n  legcramps serve --addr 0.0.0.0:8080\n  LEGCRAMPS_ADDR=127.0.0.1:9000 legcramps serve\n\nStops gracefully on Ctrl-C or SIGTERM. Logs go to stderr (RUST_LOG sets the level) and never\ncontain answers."
)]
pub(crate) struct ServeArgs {
    /// The address to listen on
    #[arg(
        long,
        env = "LEGCRAMPS_ADDR",
        default_value = "127.0.0.1:8080",
        value_name = "HOST:PORT"
    )]
    pub(crate) addr: std::net::SocketAddr,
}

#[derive(Debug, Args)]
#[command(
    group(clap::ArgGroup::new("mode").required(true).args(["json", "jsonl"])),
    after_help = "Examples:\n  legcramps triage --json answers.json\n  echo '{\"longest_cramp_minutes\": 12, \"eases_when_moving\": false}' | legcramps triage --json -\n  legcramps triage --jsonl < many.jsonl > outcomes.jsonl\n\nExit codes: 0 every input was answered, 2 some input was refused (each refusal names the\nfield or the position), 1 anything else."
)]
pub(crate) struct TriageArgs {
    /// Read one JSON object and print its outcome
    #[arg(long)]
    pub(crate) json: bool,
    /// Read one JSON object per line and print one outcome per line (a refused line gets an
    /// error object in its place, and every other line is still answered)
    #[arg(long)]
    pub(crate) jsonl: bool,
    /// The input file, or - for standard input
    #[arg(value_name = "FILE|-", default_value = "-")]
    pub(crate) input: String,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  legcramps check\n  legcramps check --answers answers.json\n\nIn the questions, answer y (yes), n (no), ? (not sure) or b (go back).\nA missing or \"not sure\" answer is read the safe way. Nothing is stored."
)]
pub(crate) struct CheckArgs {
    /// Take the answers from a JSON file (the triage contract) instead of asking
    #[arg(long, value_name = "FILE")]
    pub(crate) answers: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  legcramps guide --list\n  legcramps guide symptoms\n  legcramps guide            (every topic)"
)]
pub(crate) struct GuideArgs {
    /// The topic to show (see --list); every topic when left out
    pub(crate) topic: Option<String>,
    /// List the topics
    #[arg(long)]
    pub(crate) list: bool,
}

/// The defaults are product settings, not clinical facts: the guidance says to hold "for a few
/// seconds" and repeat "a number of times".
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  legcramps stretch\n  legcramps stretch --reps 8 --hold 4\n\nThe guidance says to hold for a few seconds and repeat a number of times; the defaults\n(5 repetitions, 5 seconds) are product settings, not clinical advice."
)]
pub(crate) struct StretchArgs {
    /// How many times to repeat the stretch (1 to 30)
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=30))]
    pub(crate) reps: u32,
    /// How many seconds to hold each stretch (1 to 60)
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=60))]
    pub(crate) hold: u32,
}
