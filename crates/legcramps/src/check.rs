//! `legcramps check`: "Check your leg cramps" in the terminal, one question at a time, in the
//! order the core gives (the web check walks the same list). `--answers FILE` runs it from a
//! file of answers, printing each question with its answer.

use std::io::{self, BufRead, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use legcramps_contract::parse_assessment;
use legcramps_core::questions::{
    AnswerKind, Asked, Question, all_answered, as_asked, next_question, read_minutes, walk,
};
use legcramps_core::{Assessment, Condition, Conditions, Field, evaluate};

use crate::BadInput;
use crate::cli::CheckArgs;
use crate::outcome_text::render;
use crate::term::{Style, width, wrap};

pub(crate) fn run(args: &CheckArgs) -> Result<ExitCode> {
    let style = Style::detect();
    let width = width();
    let mut out = io::stdout().lock();
    let missing = if args.answers.is_some() {
        crate::outcome_text::Missing::NotInFile
    } else {
        crate::outcome_text::Missing::Unsure
    };
    let (answers, asked) = match &args.answers {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| BadInput(format!("cannot read {}: {e}", path.display())))?;
            let given = parse_assessment(&text)
                .map_err(|e| BadInput(format!("{}: {e}", path.display())))?;
            // Only the answers to questions the check would ask count, exactly as if they had
            // been typed in; the outcome lists each question with its answer.
            let walked = walk(&given, all_answered());
            (walked.answers, walked.order)
        }
        None => {
            if !io::stdin().is_terminal() {
                return Err(BadInput(
                    "`check` asks questions and needs a terminal. To run it without one, put \
                     the answers in a JSON file and use `legcramps check --answers FILE` (see \
                     `legcramps check --help`)."
                        .to_owned(),
                )
                .into());
            }
            interactive(&mut io::stdin().lock(), &mut out, style, width)?
        }
    };
    // The outcome of a check comes from the questions it asked: an early stop shows only what
    // led there (the JSON contract's `triage` reads every missing answer the safe way).
    let asked_set = asked.iter().fold(Asked::default(), |s, q| s.with(q.field));
    let outcome = evaluate(&as_asked(&answers, asked_set));
    write!(
        out,
        "{}",
        render(&outcome, &answers, &asked, missing, style, width)
    )?;
    if args.save {
        let id = crate::diary::save_check(&args.store, answers, &outcome)?;
        writeln!(out, "\nSaved this check in your diary ({id}).")?;
    }
    Ok(ExitCode::SUCCESS)
}

/// What a typed reply means.
enum Reply {
    Answer(Assessment),
    Back,
    Invalid(&'static str),
}

fn interpret(q: &Question, reply: &str, mut a: Assessment) -> Reply {
    let reply = reply.trim().to_lowercase();
    if matches!(reply.as_str(), "b" | "back") {
        return Reply::Back;
    }
    let unsure = matches!(
        reply.as_str(),
        "?" | "not sure" | "unsure" | "dont know" | "don't know"
    );
    match (q.kind, q.field) {
        (AnswerKind::Minutes, _) => {
            if unsure {
                a.longest_cramp_minutes = None;
            } else {
                match read_minutes(&reply) {
                    None => {
                        return Reply::Invalid(
                            "Type a number of minutes, such as 2 or 15 (0 if it was less than a minute), or ? if you are not sure.",
                        );
                    }
                    Some(Ok(m)) => a.longest_cramp_minutes = Some(m),
                    Some(Err(_)) => {
                        return Reply::Invalid(
                            "Type a number of minutes from 0 to 1440, or ? if you are not sure.",
                        );
                    }
                }
            }
        }
        (AnswerKind::YesNo, Field::YesNo(y)) => {
            let value = match reply.as_str() {
                "y" | "yes" => Some(true),
                "n" | "no" => Some(false),
                _ if unsure => None,
                _ => return Reply::Invalid("Type y for yes, n for no, or ? if you are not sure."),
            };
            a.set(y, value);
        }
        (AnswerKind::Conditions, _) => {
            if unsure {
                a.known_conditions = None;
            } else if matches!(reply.as_str(), "n" | "no" | "none" | "0") {
                a.known_conditions = Some(Conditions::NONE);
            } else {
                let mut set = Conditions::NONE;
                for part in reply.split([',', ' ']).filter(|p| !p.is_empty()) {
                    let Some(c) = part
                        .parse::<usize>()
                        .ok()
                        .and_then(|i| i.checked_sub(1))
                        .and_then(|i| Condition::ALL.get(i))
                    else {
                        return Reply::Invalid(
                            "Type the numbers of any that apply (such as 1 or 1,2), none, or ? if you are not sure.",
                        );
                    };
                    set = set.with(*c);
                }
                a.known_conditions = Some(set);
            }
        }
        (AnswerKind::YesNo, _) => return Reply::Invalid("This question cannot be answered here."),
    }
    Reply::Answer(a)
}

fn interactive(
    input: &mut impl BufRead,
    out: &mut impl Write,
    style: Style,
    width: usize,
) -> Result<(Assessment, Vec<&'static Question>)> {
    writeln!(
        out,
        "{}\n{}",
        style.bold("Check your leg cramps"),
        wrap(
            "Answer y (yes), n (no) or ? (not sure); b goes back. If you are not sure, we take the safe reading. Nothing you type is stored.",
            width,
            "",
            ""
        )
    )?;
    // The history of (question, answers before it) lets "back" undo exactly one answer.
    let mut history: Vec<(&'static Question, Assessment)> = Vec::new();
    let mut answers = Assessment::default();
    let mut asked = Asked::default();
    while let Some(q) = next_question(&answers, asked) {
        // Wrapped to the terminal, the number hanging in front (a long question used to run
        // past 80 columns and break mid-word).
        // After "not sure" about breathlessness or chest pain, the 999 line stands above every
        // question still asked.
        if legcramps_core::questions::breathless_in_doubt(&answers, asked) {
            writeln!(
                out,
                "\n{}",
                style.urgent(&wrap(
                    legcramps_core::triage::breathless_doubt_line().text,
                    width,
                    "!! ",
                    "   "
                ))
            )?;
        }
        let number = format!("{}. ", history.len() + 1);
        let indent = " ".repeat(number.len().max(3));
        writeln!(
            out,
            "\n{}",
            style.bold(&wrap(q.text, width, &number, &indent))
        )?;
        writeln!(out, "{}", style.dim(&wrap(q.hint, width, "   ", "   ")))?;
        if q.kind == AnswerKind::Conditions {
            for (i, c) in Condition::ALL.iter().enumerate() {
                writeln!(
                    out,
                    "{}",
                    wrap(c.label(), width, &format!("   {}. ", i + 1), "      ")
                )?;
            }
        }
        let prompt = match q.kind {
            AnswerKind::Minutes => "minutes, or ?",
            AnswerKind::YesNo => "y/n/?",
            AnswerKind::Conditions => "numbers, none, or ?",
        };
        write!(out, "   ({prompt}) > ")?;
        out.flush()?;
        let mut line = String::new();
        if input.read_line(&mut line).context("reading your answer")? == 0 {
            bail!("the check was stopped before the end; nothing was stored");
        }
        match interpret(q, &line, answers) {
            Reply::Answer(next) => {
                history.push((q, answers));
                answers = next;
                asked = asked.with(q.field);
            }
            Reply::Back => match history.pop() {
                Some((previous, before)) => {
                    answers = before;
                    asked = asked.without(previous.field);
                    // Answers after the one being changed may no longer apply; they are
                    // already undone because history holds the state before each answer.
                }
                None => writeln!(out, "   This is the first question.")?,
            },
            Reply::Invalid(help) => writeln!(out, "   {help}")?,
        }
    }
    let asked: Vec<_> = history.iter().map(|(q, _)| *q).collect();
    Ok((answers, asked))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Drive the interactive check with typed lines; return the level reached and the
    /// questions asked.
    fn typed(lines: &str) -> (String, Vec<&'static str>) {
        let mut input = io::Cursor::new(lines.as_bytes().to_vec());
        let mut out = Vec::new();
        let (a, asked) = interactive(&mut input, &mut out, Style::detect(), 80).expect("completes");
        let set = asked.iter().fold(Asked::default(), |s, q| s.with(q.field));
        (
            evaluate(&as_asked(&a, set)).level.code().to_owned(),
            asked.iter().map(|q| q.field.name()).collect(),
        )
    }

    #[test]
    fn a_long_unrelieved_cramp_stops_early_at_urgent() {
        let (level, asked) = typed("n\nn\n12\nn\ny\nn\n");
        assert_eq!(level, "urgent-gp");
        assert_eq!(
            asked,
            [
                "breathless_or_chest_pain",
                "one_leg_swollen_warm_or_red",
                "longest_cramp_minutes",
                "eases_when_moving",
                "long_cramp_recent",
                "gp_open"
            ]
        );
    }

    #[test]
    fn after_not_sure_about_breathlessness_the_999_line_stands_above_each_question() {
        let mut input =
            io::Cursor::new(b"?\nn\n3\nn\nn\nn\nn\nn\nn\nn\nn\nn\nn\nn\nnone\n".to_vec());
        let mut out = Vec::new();
        let (_, asked) = interactive(&mut input, &mut out, Style::detect(), 80).expect("completes");
        let text = String::from_utf8_lossy(&out);
        let line = "If you are short of breath or have chest pain now, phone 999.";
        let first = text.find("1. ").expect("question 1");
        let second = text.find("\n2. ").expect("question 2");
        assert!(!text[..first].contains(line));
        assert!(text[first..second].contains(line), "{text}");
        // Once above each question after the first.
        assert_eq!(text.matches(line).count(), asked.len() - 1, "{text}");
    }

    #[test]
    fn breathlessness_ends_the_check_at_once_with_999() {
        let (level, asked) = typed("y\n");
        assert_eq!(level, "emergency");
        assert_eq!(asked, ["breathless_or_chest_pain"]);
    }

    #[test]
    fn a_rounded_ten_minutes_is_asked_whether_it_eased() {
        let (level, asked) = typed("n\nn\nabout 10\nn\n?\n?\n");
        assert_eq!(level, "urgent-gp");
        assert!(asked.contains(&"eases_when_moving"));
    }

    #[test]
    fn invalid_replies_are_asked_again_and_back_undoes() {
        // "abc" is refused, 3 accepted, then "back" returns to the minutes question.
        let (level, asked) = typed("n\nn\nabc\n3\nb\n2\nn\nn\nn\nn\nn\nn\nn\ny\nn\nn\nn\nnone\n");
        assert_eq!(level, "pharmacist");
        assert_eq!(asked.len(), 15);
    }

    #[test]
    fn running_out_of_input_is_an_error_not_a_hang() {
        let mut input = io::Cursor::new(b"3\n".to_vec());
        let mut out = Vec::new();
        assert!(interactive(&mut input, &mut out, Style::detect(), 80).is_err());
    }
}
