//! `legcramps stretch`: the calf stretch as a guided routine. On a terminal: each step, a
//! countdown for every hold, a repetition counter and a progress bar. Otherwise the steps are
//! printed plainly, with the hold time and repetitions, and nothing waits.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;
use std::thread::sleep;
use std::time::Duration;

use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};
use legcramps_core::content::{
    CALF_STRETCH_HOLD_ON, CALF_STRETCH_HOLD_STEP, CALF_STRETCH_STEPS, SOURCE_CREDIT,
    STRETCH_CAUTION, item, topic,
};

use crate::cli::StretchArgs;
use crate::guide::render_topic;
use crate::term::{Style, width, wrap};

const TICK: Duration = Duration::from_millis(100);

pub(crate) fn run(args: &StretchArgs) -> Result<ExitCode> {
    let style = Style::detect();
    let width = width();
    let mut out = io::stdout().lock();
    // Before the stretch, on a terminal or not: a leg with the signs of a clot is not one to
    // stretch, and where to get help now (issue 18, finding 24).
    writeln!(
        out,
        "{}",
        style.urgent(&wrap(STRETCH_CAUTION.text, width, "", ""))
    )?;
    write!(out, "{}", crate::guide::help_now(style, width))?;
    if !io::stdout().is_terminal() {
        if let Some(t) = topic("stretches") {
            write!(out, "{}", render_topic(t, style, width))?;
        }
        writeln!(
            out,
            "{}",
            wrap(
                &format!(
                    "Routine: {} repetitions, holding each stretch for {} seconds.",
                    args.reps, args.hold
                ),
                width,
                "",
                ""
            )
        )?;
        writeln!(out, "\n{}", wrap(SOURCE_CREDIT.text, width, "", ""))?;
        return Ok(ExitCode::SUCCESS);
    }

    writeln!(out, "\n{}", style.bold("Calf stretch"))?;
    if let Some(calf) = item("stretches.calf") {
        writeln!(out, "{}", wrap(calf.text, width, "", ""))?;
    }
    writeln!(out, "{}", style.dim("Press Ctrl-C to stop at any time."))?;
    writeln!(
        out,
        "\n{}",
        wrap(CALF_STRETCH_STEPS[0], width, "Get ready: ", "  ")
    )?;
    drop(out);
    countdown("Starting in", 3);

    let total = u64::from(args.reps) * u64::from(args.hold) * 10;
    let bar = ProgressBar::new(total).with_style(
        ProgressStyle::with_template("{prefix} [{bar:30}] {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    for rep in 1..=args.reps {
        bar.set_prefix(format!("Repetition {rep} of {}", args.reps));
        bar.println(format!(
            "\n{}",
            style.bold(&format!("Repetition {rep} of {}", args.reps))
        ));
        bar.println(wrap(CALF_STRETCH_HOLD_ON, width, "  ", "  "));
        bar.println(wrap(CALF_STRETCH_STEPS[1], width, "  ", "  "));
        bar.println(wrap(
            CALF_STRETCH_STEPS[CALF_STRETCH_HOLD_STEP],
            width,
            "  ",
            "  ",
        ));
        for tenth in (1..=args.hold * 10).rev() {
            bar.set_message(format!("hold: {} s left", tenth.div_ceil(10)));
            sleep(TICK);
            bar.inc(1);
        }
        bar.println(wrap(CALF_STRETCH_STEPS[3], width, "  ", "  "));
        if rep < args.reps {
            bar.set_message("rest".to_owned());
            sleep(Duration::from_secs(2));
        }
    }
    bar.finish_with_message("done");
    if let Some(bedtime) = item("prevention.bedtime") {
        println!("\n{}", wrap(bedtime.text, width, "", ""));
    }
    Ok(ExitCode::SUCCESS)
}

fn countdown(label: &str, seconds: u32) {
    let mut err = io::stdout();
    for s in (1..=seconds).rev() {
        let _ = write!(err, "\r{label} {s}... ");
        let _ = err.flush();
        sleep(Duration::from_secs(1));
    }
    let _ = writeln!(err, "\r{label} 0.    ");
}
