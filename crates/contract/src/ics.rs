//! The nightly stretch reminder as an RFC 5545 calendar: CRLF line endings, lines folded at 75
//! octets, text escaped, a daily RRULE and a VALARM. The time is "floating" (no time zone), so
//! the reminder stays at the same clock time wherever the person is.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use legcramps_core::content::{CALF_STRETCH_STEPS, item};

fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

/// Fold a content line at 75 octets (never inside a UTF-8 character) and end it with CRLF.
fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for c in content.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

/// A daily reminder at `time`, starting on `first_day`. `stamp` is when the file was made.
pub fn reminder(first_day: NaiveDate, time: NaiveTime, stamp: DateTime<Utc>) -> String {
    let bedtime = item("prevention.bedtime").map_or("", |i| i.text);
    let steps: Vec<String> = CALF_STRETCH_STEPS
        .iter()
        .enumerate()
        .map(|(i, s)| format!("{}. {s}", i + 1))
        .collect();
    let description = format!(
        "{bedtime}\n\n{}\n\nSource: NHS inform, Leg cramps (NHS 24).",
        steps.join("\n")
    );
    let start = first_day.and_time(time);
    let mut out = String::new();
    for l in [
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//legcramps//Nightly calf stretch//EN".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
        "BEGIN:VEVENT".to_owned(),
        format!(
            "UID:nightly-calf-stretch-{}@legcramps",
            start.format("%Y%m%dT%H%M")
        ),
        format!("DTSTAMP:{}", stamp.format("%Y%m%dT%H%M%SZ")),
        format!("DTSTART:{}", start.format("%Y%m%dT%H%M%S")),
        "DURATION:PT5M".to_owned(),
        "RRULE:FREQ=DAILY".to_owned(),
        "SUMMARY:Calf stretch before bed".to_owned(),
        format!("DESCRIPTION:{}", escape(&description)),
        "TRANSP:TRANSPARENT".to_owned(),
        "BEGIN:VALARM".to_owned(),
        "ACTION:DISPLAY".to_owned(),
        "TRIGGER:PT0M".to_owned(),
        "DESCRIPTION:Time for your calf stretch".to_owned(),
        "END:VALARM".to_owned(),
        "END:VEVENT".to_owned(),
        "END:VCALENDAR".to_owned(),
    ] {
        line(&mut out, &l);
    }
    out
}

/// Parse a reminder time like "21:30".
pub fn parse_time(text: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(text.trim(), "%H:%M").ok()
}
