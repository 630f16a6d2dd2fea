//! `legcramps triage`: the JSON contract on the command line, one object or one per line.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::process::ExitCode;

use anyhow::{Context, Result};
use legcramps_contract::{
    ContractError, ErrorKind, MAX_BODY_BYTES, OutcomeWriter, outcome_out, parse_assessment,
};
use legcramps_core::evaluate;

use crate::BadInput;
use crate::cli::TriageArgs;

pub(crate) fn run(args: &TriageArgs) -> Result<ExitCode> {
    let reader: Box<dyn Read> = if args.input == "-" {
        Box::new(io::stdin().lock())
    } else {
        Box::new(
            File::open(&args.input)
                .map_err(|e| BadInput(format!("cannot open {}: {e}", args.input)))?,
        )
    };
    if args.jsonl {
        jsonl(
            BufReader::with_capacity(1 << 16, reader),
            io::stdout().lock(),
        )
    } else {
        one(reader)
    }
}

fn one(reader: impl Read) -> Result<ExitCode> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_BODY_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .context("reading the input")?;
    if bytes.len() > MAX_BODY_BYTES {
        return Err(BadInput(format!(
            "the input is larger than {MAX_BODY_BYTES} bytes; send one assessment"
        ))
        .into());
    }
    let text = std::str::from_utf8(&bytes).map_err(|e| {
        BadInput(format!(
            "the input is not UTF-8 text (byte {})",
            e.valid_up_to()
        ))
    })?;
    let assessment = parse_assessment(text).map_err(|e| BadInput(e.to_string()))?;
    let json = serde_json::to_string_pretty(&outcome_out(&evaluate(&assessment)))
        .context("writing the outcome")?;
    let mut out = io::stdout().lock();
    writeln!(out, "{json}").context("writing the outcome")?;
    Ok(ExitCode::SUCCESS)
}

/// One line of input, read without holding more than the size limit in memory.
enum Line {
    Text(Vec<u8>),
    TooLong,
}

fn read_line(reader: &mut impl BufRead, buf: &mut Vec<u8>) -> io::Result<Option<Line>> {
    buf.clear();
    let mut too_long = false;
    let mut any = false;
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            break;
        }
        any = true;
        let (part, done) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (&chunk[..i], Some(i + 1)),
            None => (chunk, None),
        };
        if !too_long {
            if buf.len() + part.len() > MAX_BODY_BYTES {
                too_long = true;
                buf.clear();
            } else {
                buf.extend_from_slice(part);
            }
        }
        let used = done.unwrap_or(part.len());
        reader.consume(used);
        if done.is_some() {
            break;
        }
    }
    if !any {
        return Ok(None);
    }
    if buf.last() == Some(&b'\r') {
        buf.pop();
    }
    Ok(Some(if too_long {
        Line::TooLong
    } else {
        Line::Text(std::mem::take(buf))
    }))
}

/// Triage one assessment per line, writing each outcome from pre-serialised pieces (see
/// [`OutcomeWriter`]) so the audit of a large file costs little more than parsing it.
pub(crate) fn jsonl(mut reader: impl BufRead, out: impl Write) -> Result<ExitCode> {
    let mut out = BufWriter::with_capacity(1 << 16, out);
    let writer = OutcomeWriter::default();
    let mut line_out = Vec::with_capacity(8 * 1024);
    let mut buf = Vec::with_capacity(1024);
    let mut line_no = 0usize;
    let mut refused = 0usize;
    while let Some(line) = read_line(&mut reader, &mut buf).context("reading the input")? {
        line_no += 1;
        let result = match &line {
            Line::TooLong => Err(ContractError {
                kind: ErrorKind::TooLarge,
                field: None,
                message: format!("the line is longer than {MAX_BODY_BYTES} bytes"),
                position: None,
            }),
            Line::Text(bytes) => match std::str::from_utf8(bytes) {
                Ok(text) => parse_assessment(text),
                Err(e) => Err(ContractError {
                    kind: ErrorKind::Syntax,
                    field: None,
                    message: "the line is not UTF-8 text".to_owned(),
                    position: Some((1, e.valid_up_to() + 1)),
                }),
            },
        };
        match result {
            Ok(a) => {
                line_out.clear();
                writer.write(&evaluate(&a), &mut line_out);
                line_out.push(b'\n');
                out.write_all(&line_out)?;
            }
            Err(e) => {
                refused += 1;
                let error = serde_json::json!({
                    "line": line_no,
                    "error": { "field": e.field, "message": e.message },
                });
                writeln!(out, "{error}")?;
                eprintln!("line {line_no}: {e}");
            }
        }
        if let Line::Text(bytes) = line {
            buf = bytes;
        }
    }
    out.flush().context("writing the outcomes")?;
    if refused > 0 {
        eprintln!("legcramps: {refused} of {line_no} lines refused; every other line was answered");
        Ok(ExitCode::from(2))
    } else {
        Ok(ExitCode::SUCCESS)
    }
}
