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
    /// Triage assessments given as JSON (the contract in docs/product.md)
    Triage(TriageArgs),
    /// "Check your leg cramps": answer questions one at a time and get advice
    Check(CheckArgs),
    /// Read the guidance, one topic at a time
    Guide(GuideArgs),
    /// Print the triage rules, advice and questions as Markdown for clinical review (with
    /// --content, the guidance and the diary's words instead)
    #[command(
        after_help = "Examples:\n  legcramps rules > rules.md\n  legcramps rules --content > content.md"
    )]
    Rules(RulesArgs),
    /// The calf stretch as a guided routine with a timer
    Stretch(StretchArgs),
    /// Serve the web app and the JSON API
    Serve(ServeArgs),
    /// Log a cramp in your diary
    Log(LogArgs),
    /// List the cramps in your diary
    Diary(DiaryListArgs),
    /// Say you had no cramps last night (nights without cramps make the patterns right)
    Checkin(CheckinArgs),
    /// Change a logged cramp
    Edit(EditArgs),
    /// Delete a logged cramp (or, with --all, everything in your diary)
    Delete(DeleteArgs),
    /// Your diary's patterns in the terminal, or the printable GP summary with --html
    Report(ReportArgs),
    /// Export your diary as CSV, JSON or FHIR R4 to standard output
    Export(ExportArgs),
    /// Import a CSV or JSON export (all or nothing; importing twice adds nothing)
    Import(ImportArgs),
    /// Write a calendar file that reminds you to stretch each night
    Remind(RemindArgs),
    /// Your medicines, pregnancy and known conditions: kept once, with dates, and shown with
    /// each cramp as they were on its day (without a subcommand: list them)
    Profile(ProfileArgs),
    /// For the operator of a hosted diary (serve --accounts): security events and accounts.
    /// Nothing here can show anyone's diary.
    #[command(subcommand)]
    Admin(AdminCommand),
}

#[derive(Debug, clap::Subcommand)]
pub(crate) enum AdminCommand {
    /// Print recent security events (sign-ups, sign-ins, failures, sign-outs, deletions): time,
    /// event, account and a keyed hash of the address; never health data
    #[command(
        after_help = "Examples:\n  legcramps admin events\n  legcramps admin events --account marion --limit 20"
    )]
    Events(AdminEventsArgs),
    /// Count, disable, enable or delete accounts
    #[command(subcommand)]
    Accounts(AdminAccountsCommand),
}

#[derive(Debug, Args)]
pub(crate) struct AdminEventsArgs {
    /// Only this account's events
    #[arg(long, value_name = "USERNAME")]
    pub(crate) account: Option<String>,
    /// How many, newest first
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(i64).range(1..=100_000))]
    pub(crate) limit: i64,
    #[command(flatten)]
    pub(crate) store: Store,
}

#[derive(Debug, clap::Subcommand)]
pub(crate) enum AdminAccountsCommand {
    /// How many accounts there are (and how many are disabled)
    Count(AdminStoreArgs),
    /// Stop an account signing in, and end its sessions (its diary is kept)
    Disable(AdminAccountArgs),
    /// Let a disabled account sign in again
    Enable(AdminAccountArgs),
    /// Delete an account and everything of its person, for good
    Delete(AdminAccountArgs),
    /// Turn off an account's second step (its authenticator app and passkeys) and end its
    /// sessions and tokens, for a person who has lost both their password and their second
    /// step. Check who they are outside the site first: they then recover with a recovery code
    ResetSecondStep(AdminAccountArgs),
}

#[derive(Debug, Args)]
pub(crate) struct AdminStoreArgs {
    #[command(flatten)]
    pub(crate) store: Store,
}

#[derive(Debug, Args)]
pub(crate) struct AdminAccountArgs {
    /// The account's username
    pub(crate) username: String,
    #[command(flatten)]
    pub(crate) store: Store,
}

/// Where the diary is kept, and the pattern settings.
#[derive(Debug, Args, Clone)]
pub(crate) struct Store {
    /// The directory for the SQLite diary (default: the platform data directory, such as
    /// ~/.local/share/legcramps)
    #[arg(long, env = "LEGCRAMPS_DATA_DIR", value_name = "DIR", global = true)]
    pub(crate) data_dir: Option<std::path::PathBuf>,
    /// Use PostgreSQL instead of SQLite (postgres://user@host/db)
    #[arg(
        long,
        env = "DATABASE_URL",
        value_name = "URL",
        hide_env_values = true,
        global = true
    )]
    pub(crate) database_url: Option<String>,
    /// Use your diary on a hosted legcramps site instead (log, diary, export and report), with
    /// a personal access token from your account page in LEGCRAMPS_TOKEN
    #[arg(long, env = "LEGCRAMPS_SERVER", value_name = "URL", global = true)]
    pub(crate) server: Option<url::Url>,
    /// The access token for --server (better given in the environment, as LEGCRAMPS_TOKEN, so
    /// it does not show in the list of running programs)
    #[arg(
        long,
        env = "LEGCRAMPS_TOKEN",
        value_name = "TOKEN",
        hide_env_values = true,
        global = true
    )]
    pub(crate) token: Option<String>,
}

/// Product settings for patterns (not clinical facts: the guidance gives no numbers).
#[derive(Debug, Args, Clone, Copy)]
pub(crate) struct PatternSettings {
    /// Cramps in one week from which the diary points out "frequent cramps" (a product
    /// setting, not a clinical threshold)
    #[arg(long, env = "LEGCRAMPS_FREQUENT_PER_WEEK", default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub(crate) frequent_per_week: u32,
    /// Nights in one week with a cramp during sleep from which the diary points out "cramps
    /// disturb sleep" (a product setting, not a clinical threshold)
    #[arg(long, env = "LEGCRAMPS_DISTURBED_NIGHTS_PER_WEEK", default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=7))]
    pub(crate) disturbed_nights_per_week: u32,
    /// Weeks of the diary needed on each side of a medicine's start (before it, and while
    /// taken) before the GP summary sets the cramp rates side by side (a product setting)
    #[arg(long, env = "LEGCRAMPS_MEDICINE_COMPARE_WEEKS", default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=52))]
    pub(crate) medicine_compare_weeks: u32,
}

/// The fields of an episode; on `log` the missing ones are asked for on a terminal.
#[derive(Debug, Args, Clone, Default)]
pub(crate) struct EpisodeFields {
    /// When it started, with its UTC offset (default: now)
    #[arg(long, value_name = "2026-11-20T02:10+00:00")]
    pub(crate) at: Option<String>,
    /// How long it lasted: minutes ("3", "0.5"), or as you would say it ("2 mins", "90s", "1 min 30", "1 hour", "10-15")
    #[arg(long, allow_negative_numbers = true)]
    pub(crate) minutes: Option<String>,
    /// calf, foot, thigh or other
    #[arg(long)]
    pub(crate) site: Option<String>,
    /// left, right or both
    #[arg(long)]
    pub(crate) side: Option<String>,
    /// It happened while you were asleep
    #[arg(long, conflicts_with = "awake")]
    pub(crate) asleep: bool,
    /// It happened while you were awake
    #[arg(long)]
    pub(crate) awake: bool,
    /// Did moving ease it? yes, no or unsure
    #[arg(long)]
    pub(crate) eased: Option<String>,
    /// mild (noticed it), moderate (it got in the way) or severe (it stopped you); whether it woke
    /// you is --asleep
    #[arg(long)]
    pub(crate) severity: Option<String>,
    /// A note (up to 500 characters)
    #[arg(long)]
    pub(crate) note: Option<String>,
    /// You exercised that day
    #[arg(long)]
    pub(crate) exercise: bool,
    /// A medicine you take (its name): added to your profile from this cramp's day, if it is
    /// not there (see `legcramps profile`)
    #[arg(long, value_name = "NAME")]
    pub(crate) medication: Option<String>,
    /// When you started that medicine (2026-11-01)
    #[arg(long, value_name = "DATE", requires = "medication")]
    pub(crate) medication_started: Option<String>,
    /// You are pregnant: added to your profile from this cramp's day, if not there
    #[arg(long)]
    pub(crate) pregnant: bool,
    /// You may have been short of fluids
    #[arg(long)]
    pub(crate) short_of_fluids: bool,
    /// What may have helped: stretched, walked (commas between; older diaries' massaged and
    /// warmth are still read)
    #[arg(long, value_name = "LIST")]
    pub(crate) helped: Option<String>,
    /// Kept for older diaries and scripts (long-standing, alcohol, caffeine): no source names
    /// these, so the forms no longer offer them; exercise and fluids have their own flags
    #[arg(long, value_name = "LIST")]
    pub(crate) suspected: Option<String>,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  legcramps log --side left --severity moderate      (a cramp just now; the rest can wait)\n  legcramps log --last-night --side both --severity severe\n  legcramps log --at 2026-11-20T02:10+00:00 --minutes 3 --site calf --side left --asleep --eased yes --severity moderate\n  legcramps log                 (asks for each detail on a terminal; Enter skips the optional ones)\n\nOnly --side and --severity are needed; add the rest later with `legcramps edit`.\nA cramp longer than 10 minutes that did not ease when you moved is a reason to speak to a GP\nurgently: logging one shows that advice at once."
)]
pub(crate) struct LogArgs {
    /// It woke you last night, and you do not know the time (shown as the night, not a time;
    /// counted as a cramp in your sleep unless you also give --awake)
    #[arg(long, conflicts_with = "at")]
    pub(crate) last_night: bool,
    #[command(flatten)]
    pub(crate) fields: EpisodeFields,
    #[command(flatten)]
    pub(crate) store: Store,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  legcramps diary\n  legcramps diary --from 2026-11-01 --to 2026-11-30\n  legcramps diary --json > diary.json"
)]
pub(crate) struct DiaryListArgs {
    /// The first day to include (2026-11-01)
    #[arg(long)]
    pub(crate) from: Option<String>,
    /// The last day to include
    #[arg(long)]
    pub(crate) to: Option<String>,
    /// Print JSON (the export format) instead of a table
    #[arg(long)]
    pub(crate) json: bool,
    #[command(flatten)]
    pub(crate) store: Store,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  legcramps edit 3f2c… --minutes 4\n  legcramps edit 3f2c… --eased no --note \"woke me twice\""
)]
pub(crate) struct EditArgs {
    /// The episode's id (see `legcramps diary`)
    pub(crate) id: String,
    #[command(flatten)]
    pub(crate) fields: EpisodeFields,
    /// Remove the note
    #[arg(long, conflicts_with = "note")]
    pub(crate) clear_note: bool,
    #[command(flatten)]
    pub(crate) store: Store,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  legcramps delete 3f2c…\n  legcramps delete --all --yes     (everything in your diary, for good)"
)]
pub(crate) struct DeleteArgs {
    /// The episode's id
    #[arg(required_unless_present = "all")]
    pub(crate) id: Option<String>,
    /// Delete every episode and saved check in your diary
    #[arg(long, conflicts_with = "id")]
    pub(crate) all: bool,
    /// Confirm --all
    #[arg(long, requires = "all")]
    pub(crate) yes: bool,
    #[command(flatten)]
    pub(crate) store: Store,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  legcramps checkin                  (no cramps last night: the night to this morning)\n  legcramps checkin --night 2026-11-30\n  legcramps checkin --undo\n\nA night is named by the date of the morning it ended on. A night you say nothing about is\nnot guessed: the patterns count it as not recorded."
)]
pub(crate) struct CheckinArgs {
    /// The morning the night ended on (default: today)
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub(crate) night: Option<String>,
    /// Take the check-in back
    #[arg(long)]
    pub(crate) undo: bool,
    #[command(flatten)]
    pub(crate) store: Store,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  legcramps report\n  legcramps report --from 2026-09-01 --html gp-summary.html\n\nThe range defaults to the last 12 weeks up to today."
)]
pub(crate) struct ReportArgs {
    #[arg(long)]
    pub(crate) from: Option<String>,
    #[arg(long)]
    pub(crate) to: Option<String>,
    /// Write the printable one-page GP summary to this file
    #[arg(long, value_name = "FILE")]
    pub(crate) html: Option<std::path::PathBuf>,
    #[command(flatten)]
    pub(crate) settings: PatternSettings,
    #[command(flatten)]
    pub(crate) store: Store,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(crate) enum ExportFormat {
    Csv,
    Json,
    Fhir,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  legcramps export --format csv > diary.csv\n  legcramps export --format fhir --from 2026-11-01 > diary.fhir.json"
)]
pub(crate) struct ExportArgs {
    #[arg(long, value_enum)]
    pub(crate) format: ExportFormat,
    #[arg(long)]
    pub(crate) from: Option<String>,
    #[arg(long)]
    pub(crate) to: Option<String>,
    #[command(flatten)]
    pub(crate) store: Store,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  legcramps import diary.csv\n  legcramps import diary.json\n\nThe whole file is checked first: any problem is reported with its row and field, and nothing\nis stored."
)]
pub(crate) struct ImportArgs {
    /// A CSV or JSON file exported by legcramps
    pub(crate) file: std::path::PathBuf,
    #[command(flatten)]
    pub(crate) store: Store,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  legcramps remind --at 21:30\n  legcramps remind --at 22:00 --out ~/stretch.ics\n\nOpen the file with your calendar app to add a daily reminder with an alarm."
)]
pub(crate) struct RemindArgs {
    /// The time each evening (24-hour clock)
    #[arg(long, value_name = "HH:MM")]
    pub(crate) at: String,
    /// Where to write the calendar file
    #[arg(long, value_name = "FILE", default_value = "legcramps-stretch.ics")]
    pub(crate) out: std::path::PathBuf,
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
    /// Serve the diary even though the address is not a loopback one. There are no accounts
    /// yet: anyone who can reach the server can read and change the diary. On a loopback
    /// address this changes nothing: requests must still name a loopback host.
    #[arg(long)]
    pub(crate) single_user: bool,
    /// With --single-user on an address other computers can reach: a host name the diary is
    /// served to (repeatable). Requests naming any other host are refused, which stops
    /// DNS-rebinding pages. Defaults to the --public-url host.
    #[arg(
        long = "allowed-host",
        env = "LEGCRAMPS_ALLOWED_HOSTS",
        value_delimiter = ',',
        value_name = "NAME"
    )]
    pub(crate) allowed_hosts: Vec<String>,
    /// The address people use to reach this server, such as https://cramps.example.org
    #[arg(long, env = "LEGCRAMPS_PUBLIC_URL", value_name = "URL")]
    pub(crate) public_url: Option<url::Url>,
    /// Serve the diary to everyone, each with their own account (sign up, sign in; each sees
    /// only their own diary). Needs --public-url (https, behind a TLS proxy), except on a
    /// loopback address.
    #[arg(long, env = "LEGCRAMPS_ACCOUNTS", conflicts_with = "single_user")]
    pub(crate) accounts: bool,
    /// With --accounts: password hashes run at once (each takes 19 MiB and tens of
    /// milliseconds of a core; more sign-ins queue). Default: one fewer than the cores, at
    /// least 1
    #[arg(long, env = "LEGCRAMPS_HASHING_THREADS", value_parser = clap::value_parser!(u64).range(1..=256), value_name = "N")]
    pub(crate) hashing_threads: Option<u64>,
    /// With --accounts: the address of a TLS proxy on another host whose X-Forwarded-For names
    /// the client (repeat for more; a proxy on this host, at a loopback address, is trusted
    /// already). The proxy must append the client's address to X-Forwarded-For
    #[arg(
        long,
        env = "LEGCRAMPS_TRUSTED_PROXIES",
        value_delimiter = ',',
        value_name = "IP"
    )]
    pub(crate) trusted_proxy: Vec<std::net::IpAddr>,
    /// With accounts: minutes after signing in or confirming within which a person may add a
    /// way to sign in, make an access token or delete their diary without confirming again
    #[arg(long, env = "LEGCRAMPS_RECONFIRM_MINUTES", default_value_t = 5, value_parser = clap::value_parser!(u16).range(1..=60), value_name = "MINUTES")]
    pub(crate) reconfirm_minutes: u16,
    /// With accounts: hours a form sent after its sign-in ended is kept, for its person to
    /// sign in and save it (only that account, in that browser, can read it back)
    #[arg(long, env = "LEGCRAMPS_KEEP_UNSAVED_HOURS", default_value_t = 24, value_parser = clap::value_parser!(u16).range(1..=168), value_name = "HOURS")]
    pub(crate) keep_unsaved_hours: u16,
    /// With accounts: the longest an access token may live, in days (people choose 7, 30, 90
    /// or 365 days, those up to this)
    #[arg(long, env = "LEGCRAMPS_TOKEN_MAX_DAYS", default_value_t = 365, value_parser = clap::value_parser!(u16).range(7..=365), value_name = "DAYS")]
    pub(crate) token_max_days: u16,
    /// With accounts: the most cramps one account's diary keeps (and the most saved checks,
    /// counted apart)
    #[arg(long, env = "LEGCRAMPS_MAX_CRAMPS_PER_ACCOUNT", default_value_t = 20_000, value_parser = clap::value_parser!(u32).range(100..=10_000_000), value_name = "N")]
    pub(crate) max_cramps_per_account: u32,
    /// With accounts: the most changes to one account's diary in a minute
    #[arg(long, env = "LEGCRAMPS_MAX_WRITES_PER_MINUTE", default_value_t = 60, value_parser = clap::value_parser!(u32).range(1..=100_000), value_name = "N")]
    pub(crate) max_writes_per_minute: u32,
    /// Do not trust X-Forwarded-For from loopback addresses either (when nothing on this host
    /// is a proxy in front of legcramps: then a local program cannot claim another address)
    #[arg(long, env = "LEGCRAMPS_NO_LOOPBACK_PROXY")]
    pub(crate) no_loopback_proxy: bool,
    /// The time zone the diary's forms read and show times in, by its IANA name (shown to
    /// people as "UK time" for Europe/London)
    #[arg(long, env = "LEGCRAMPS_TIME_ZONE", default_value = "Europe/London", value_parser = parse_zone, value_name = "ZONE")]
    pub(crate) time_zone: chrono_tz::Tz,
    /// The address of your nation's NHS online urgent service, shown as "Use 111 online"
    /// beside the phone number 111 (it differs by nation: for example https://111.nhs.uk/ in
    /// England). None is shown unless you set one; the number 111 always is
    #[arg(long, env = "LEGCRAMPS_NHS_111_ONLINE", value_parser = parse_online_111, value_name = "URL")]
    pub(crate) nhs_111_online: Option<String>,
    /// Send reminders to people's phones by Web Push, naming who runs this server to the push
    /// services (a mailto: or https: address). Without it no notification is sent, and the
    /// reminders page offers the calendar file only
    #[arg(long, env = "LEGCRAMPS_PUSH_CONTACT", value_name = "ADDRESS")]
    pub(crate) push_contact: Option<String>,
    /// A push service this server may send to (repeat for several): an origin such as
    /// https://fcm.googleapis.com, or https://*.push.apple.com for any host under a domain.
    /// Replaces the default list (Chrome's, Firefox's, Safari's and Windows' services)
    #[arg(
        long = "push-service",
        env = "LEGCRAMPS_PUSH_SERVICES",
        value_delimiter = ',',
        value_name = "ORIGIN"
    )]
    pub(crate) push_services: Vec<String>,
    /// Minutes late a reminder may still be sent (one due while the server was stopped);
    /// later ones wait for their next time
    #[arg(long, env = "LEGCRAMPS_PUSH_LATE_MINUTES", default_value_t = 120, value_parser = clap::value_parser!(u16).range(1..=720), value_name = "MINUTES")]
    pub(crate) push_late_minutes: u16,
    /// Seconds between looks for due reminders
    #[arg(long, env = "LEGCRAMPS_PUSH_EVERY_SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u16).range(1..=300), value_name = "SECONDS")]
    pub(crate) push_every_seconds: u16,
    /// The most reminders this server sends in a second (a burst is spread out so that pages
    /// stay quick)
    #[arg(long, env = "LEGCRAMPS_PUSH_PER_SECOND", default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=10_000), value_name = "N")]
    pub(crate) push_per_second: u32,
    /// Seconds a client has to send a request's headers once it has started them
    #[arg(long, env = "LEGCRAMPS_HEADER_READ_TIMEOUT", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600), value_name = "SECONDS")]
    pub(crate) header_read_timeout: u64,
    /// Seconds a connection may send nothing (new, or kept alive between requests) before it
    /// is closed
    #[arg(long, env = "LEGCRAMPS_IDLE_TIMEOUT", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=3600), value_name = "SECONDS")]
    pub(crate) idle_timeout: u64,
    /// Seconds one request may take before it gets 503 with Retry-After
    #[arg(long, env = "LEGCRAMPS_REQUEST_TIMEOUT", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600), value_name = "SECONDS")]
    pub(crate) request_timeout: u64,
    /// Connections served at once (more wait to be accepted)
    #[arg(long, env = "LEGCRAMPS_MAX_CONNECTIONS", default_value_t = 512, value_parser = clap::value_parser!(u64).range(1..=100_000), value_name = "N")]
    pub(crate) max_connections: u64,
    /// Seconds a new connection has to start its first request before it is closed
    #[arg(long, env = "LEGCRAMPS_FIRST_REQUEST_TIMEOUT", default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=3600), value_name = "SECONDS")]
    pub(crate) first_request_timeout: u64,
    /// Connections one client address may hold at once (a trusted proxy is not limited)
    #[arg(long, env = "LEGCRAMPS_MAX_CONNECTIONS_PER_ADDRESS", default_value_t = 32, value_parser = clap::value_parser!(u64).range(1..=100_000), value_name = "N")]
    pub(crate) max_connections_per_address: u64,
    #[command(flatten)]
    pub(crate) store: Store,
    #[command(flatten)]
    pub(crate) settings: PatternSettings,
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
    /// Keep the answers and the outcome in your diary (exported with it, FHIR included)
    #[arg(long)]
    pub(crate) save: bool,
    #[command(flatten)]
    pub(crate) store: Store,
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

/// `--time-zone`: an IANA zone name, or an error that says what one looks like.
fn parse_online_111(text: &str) -> Result<String, String> {
    legcramps_core::content::online_111_address(text)
}

fn parse_zone(text: &str) -> Result<chrono_tz::Tz, String> {
    legcramps_web::parse_time_zone(text).ok_or_else(|| {
        format!("`{text}` is not a time zone name: use one like Europe/London or Europe/Dublin")
    })
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  legcramps profile\n  legcramps profile add medicine \"amlodipine 5 mg\" --started 2026-10-03\n  legcramps profile end 3f2c --on 2026-11-12\n  legcramps profile add pregnancy --started 2026-04-01\n  legcramps profile add condition diabetes\n  legcramps profile remove 3f2c"
)]
pub(crate) struct ProfileArgs {
    #[command(subcommand)]
    pub(crate) command: Option<ProfileCommand>,
    #[command(flatten)]
    pub(crate) store: Store,
}

#[derive(Debug, clap::Subcommand)]
pub(crate) enum ProfileCommand {
    /// Add a medicine, a pregnancy or a condition
    #[command(subcommand)]
    Add(ProfileAdd),
    /// Say when a medicine was stopped or a pregnancy ended (ID as `profile` lists it)
    End {
        id: String,
        /// The day (2026-11-12)
        #[arg(long, value_name = "DATE")]
        on: String,
    },
    /// Remove an entry (ID as `profile` lists it)
    Remove { id: String },
}

#[derive(Debug, clap::Subcommand)]
pub(crate) enum ProfileAdd {
    /// A medicine: its name and the day you started it
    Medicine {
        name: String,
        /// The day you started it (2026-10-03); a best guess is fine
        #[arg(long, value_name = "DATE")]
        started: String,
        /// The day you stopped it, if you have (never stop a prescribed medicine unless your
        /// GP or another health worker says so)
        #[arg(long, value_name = "DATE")]
        stopped: Option<String>,
    },
    /// A pregnancy: the day it started, and the day it ended if it has
    Pregnancy {
        #[arg(long, value_name = "DATE")]
        started: String,
        #[arg(long, value_name = "DATE")]
        ended: Option<String>,
    },
    /// A condition you know you have, in your words
    Condition {
        name: String,
        /// Since when (2020-05-01), if you know
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
    },
}

#[derive(Debug, Args)]
pub(crate) struct RulesArgs {
    /// Print the guidance, "Get help now", the stretch and the diary's words instead of the
    /// rules (the second half of what a clinical reviewer signs: docs/clinical-safety/review-record.md)
    #[arg(long)]
    pub(crate) content: bool,
}
