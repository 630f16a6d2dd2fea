//! Charts for the patterns page and the GP summary, as SVG that reads without colour and comes
//! with a text alternative: every chart is `role="img"` with a `<title>` and a `<desc>` that
//! says what it shows in words, and the page puts the same numbers in a table beside it.

use std::fmt::Write;

use legcramps_core::diary::{Side, Site};
use legcramps_core::patterns::{DURATION_BANDS, Settings, Summary};

/// The first hour on the time-of-day chart: the day runs from 18:00 to 17:59, so a night's
/// cramps sit together in the middle instead of being split at midnight.
pub(crate) const DAY_STARTS_AT: usize = 18;

/// One bar: its label, its value, and whether it covers only part of its span (a week the
/// range cuts), drawn hatched and labelled so it is not read as a drop.
pub(crate) struct Bar {
    label: String,
    value: u32,
    partial: bool,
}

impl Bar {
    fn whole(label: String, value: u32) -> Bar {
        Bar {
            label,
            value,
            partial: false,
        }
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A bar chart: one bar per [`Bar`]; every `label_every`th label is drawn; `line` draws a
/// dashed level across the chart with its words (a setting, say); each of `marks` draws a solid
/// upright line at the left of a bar, with its words (a medicine started, say).
fn bars(
    id: &str,
    title: &str,
    desc: &str,
    data: &[Bar],
    label_every: usize,
    line: Option<(u32, &str)>,
    marks: &[(usize, String)],
) -> String {
    // Narrow drawing units, so that 17-unit text is still 12 px on a 320 px screen (the chart
    // is 288 px wide there); the CSS caps the width on wide screens.
    let (w, h, left, bottom, top) = (400.0_f64, 240.0_f64, 44.0_f64, 44.0_f64, 18.0_f64);
    let max = data
        .iter()
        .map(|b| b.value)
        .chain(line.map(|(v, _)| v))
        .max()
        .unwrap_or(0)
        .max(1);
    let n = data.len().max(1) as f64;
    let slot = (w - left - 8.0) / n;
    let bar = (slot * 0.7).max(1.0);
    let plot = h - bottom - top;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="legcramps-chart" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        esc(title),
        esc(desc)
    );
    // Axis and a top gridline labelled with the maximum.
    let _ = write!(
        s,
        r##"<line x1="{left}" y1="{top}" x2="{x2}" y2="{top}" stroke="#d8dde0"/><text x="{tx}" y="{ty}" font-size="17" text-anchor="end" fill="#212b32">{max}</text><line x1="{left}" y1="{base}" x2="{x2}" y2="{base}" stroke="#4c6272"/><text x="{tx}" y="{base}" font-size="17" text-anchor="end" fill="#212b32">0</text>"##,
        x2 = w - 4.0,
        tx = left - 4.0,
        ty = top + 4.0,
        base = top + plot,
    );
    if data.iter().any(|b| b.partial) {
        s.push_str(r##"<defs><pattern id="partial-hatch" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="8" stroke="#005eb8" stroke-width="4"/></pattern></defs>"##);
    }
    for (i, b) in data.iter().enumerate() {
        let (label, v) = (&b.label, b.value);
        let x = left + slot * i as f64 + (slot - bar) / 2.0;
        let bh = plot * f64::from(v) / f64::from(max);
        let y = top + plot - bh;
        let (fill, note) = if b.partial {
            ("url(#partial-hatch)", " (part of the week only)")
        } else {
            ("#005eb8", "")
        };
        let _ = write!(
            s,
            r##"<rect x="{x:.1}" y="{y:.1}" width="{bar:.1}" height="{bh:.1}" fill="{fill}" stroke="#005eb8"><title>{}: {v}{note}</title></rect>"##,
            esc(label)
        );
        if i % label_every.max(1) == 0 {
            let _ = write!(
                s,
                r##"<text x="{:.1}" y="{:.1}" font-size="17" text-anchor="middle" fill="#212b32">{}</text>"##,
                x + bar / 2.0,
                top + plot + 24.0,
                esc(label)
            );
        }
    }
    // The words of marks and of the line have a white edge, so they read over a bar or over
    // each other's lines, on screen and in print.
    for (i, words) in marks {
        let x = left + slot * *i as f64;
        // The words run right of the line, or left of it in the chart's right half.
        let (tx, anchor) = if x < w / 2.0 {
            (x + 4.0, "start")
        } else {
            (x - 4.0, "end")
        };
        let _ = write!(
            s,
            r##"<line x1="{x:.1}" y1="{top}" x2="{x:.1}" y2="{base}" stroke="#212b32" stroke-width="3"/><text x="{tx:.1}" y="{ty}" font-size="17" text-anchor="{anchor}" fill="#212b32" stroke="#ffffff" stroke-width="5" paint-order="stroke">{}</text>"##,
            esc(words),
            base = top + plot,
            ty = top + 14.0,
        );
    }
    if let Some((level, words)) = line {
        let y = top + plot - plot * f64::from(level) / f64::from(max);
        let _ = write!(
            s,
            r##"<line x1="{left}" y1="{y:.1}" x2="{x2}" y2="{y:.1}" stroke="#212b32" stroke-width="2" stroke-dasharray="8 6"/><text x="{x2}" y="{ty:.1}" font-size="17" text-anchor="end" fill="#212b32" stroke="#ffffff" stroke-width="5" paint-order="stroke">{}</text>"##,
            esc(words),
            x2 = w - 4.0,
            ty = y - 6.0,
        );
    }
    s.push_str("</svg>");
    s
}

pub(crate) fn per_week(summary: &Summary, settings: &Settings) -> String {
    let data: Vec<Bar> = summary
        .weeks
        .iter()
        .map(|w| Bar {
            label: w.starts.format("%-d %b").to_string(),
            value: w.cramps,
            partial: w.is_partial(),
        })
        .collect();
    let busiest = summary.weeks.iter().max_by_key(|w| w.cramps);
    let desc = match busiest {
        Some(b) if b.cramps > 0 => format!(
            "{} cramps over {} weeks; the most in one week was {}, in the week starting {}.",
            summary.count,
            summary.weeks.len(),
            b.cramps,
            b.starts.format("%-d %B %Y")
        ),
        _ => "No cramps logged in this period.".to_owned(),
    };
    let partial = summary
        .weeks
        .iter()
        .filter(|w| w.is_partial())
        .map(|w| {
            format!(
                "the week starting {} counts {} day{} only",
                w.starts.format("%-d %B"),
                w.days,
                if w.days == 1 { "" } else { "s" }
            )
        })
        .collect::<Vec<_>>();
    let desc = if partial.is_empty() {
        desc
    } else {
        format!(
            "{desc} Hatched bars are part weeks: {}.",
            partial.join("; ")
        )
    };
    let every = (data.len() / 5).max(1);
    let words = format!(
        "frequent: {} a week (a setting)",
        settings.frequent_per_week
    );
    // Each medicine started within the weeks shown, marked at its week.
    let mut marks = Vec::new();
    let mut mark_words = Vec::new();
    if let Some(first) = summary.weeks.first() {
        for m in &summary.medicine_rates {
            let week = (m.medicine.started - first.starts).num_days().div_euclid(7);
            if let Ok(i) = usize::try_from(week)
                && i < summary.weeks.len()
            {
                let name: String = m.medicine.name().chars().take(24).collect();
                marks.push((i, format!("{name} started")));
                mark_words.push(format!(
                    "{} started on {}",
                    m.medicine.name(),
                    m.medicine.started.format("%-d %B %Y")
                ));
            }
        }
    }
    let marked = if mark_words.is_empty() {
        String::new()
    } else {
        format!(
            " A solid upright line marks the week {}.",
            mark_words.join(", and the week ")
        )
    };
    bars(
        "per-week",
        "Cramps per week",
        &format!(
            "{desc}{marked} The dashed line is where the diary calls cramps frequent, {} a week, a setting of the app.",
            settings.frequent_per_week
        ),
        &data,
        every,
        Some((settings.frequent_per_week, &words)),
        &marks,
    )
}

pub(crate) fn by_hour(summary: &Summary) -> String {
    let data: Vec<Bar> = (0..24)
        .map(|i| (DAY_STARTS_AT + i) % 24)
        .map(|h| Bar::whole(format!("{h:02}"), summary.by_hour[h]))
        .collect();
    let peak = summary.by_hour.iter().enumerate().max_by_key(|(_, n)| **n);
    let desc = match peak {
        Some((h, n)) if *n > 0 => format!(
            "When cramps started, by hour, from 18:00 to 17:59 so that each night is in one piece. {} of {} started at night; the busiest hour was {h:02}:00 to {:02}:00 with {n}.",
            summary.at_night,
            summary.count,
            (h + 1) % 24
        ),
        _ => "No cramps logged in this period.".to_owned(),
    };
    bars(
        "by-hour",
        "Time of day cramps started",
        &desc,
        &data,
        6,
        None,
        &[],
    )
}

pub(crate) fn durations(summary: &Summary) -> String {
    // Short labels under the bars (in minutes), so they fit on a phone; the text alternative
    // and the table say them in full.
    const SHORT: [&str; 4] = ["under 1", "1 to 5", "5 to 10", "10 or more"];
    let data: Vec<Bar> = SHORT
        .iter()
        .zip(summary.duration_bands)
        .map(|(l, n)| Bar::whole((*l).to_owned(), n))
        .collect();
    let desc = format!(
        "How long cramps lasted: {}. Longest {}, median {}. The labels under the bars are minutes.",
        DURATION_BANDS
            .iter()
            .zip(summary.duration_bands)
            .map(|(l, n)| format!("{l}: {n}"))
            .collect::<Vec<_>>()
            .join("; "),
        summary.longest.map_or("none".into(), |d| d.human()),
        summary.median.map_or("none".into(), |d| d.human())
    );
    bars(
        "durations",
        "How long cramps lasted",
        &desc,
        &data,
        1,
        None,
        &[],
    )
}

/// Two legs, as the person sees their own (left on the left), with a circle at the calf, thigh
/// and foot of each, sized and labelled by how many cramps were logged there. "Both legs"
/// counts on each leg.
pub(crate) fn leg_diagram(episodes: &[legcramps_core::diary::Episode]) -> String {
    let mut counts = [[0u32; 4]; 2]; // [left, right][calf, foot, thigh, other]
    let mut no_site = 0;
    for e in episodes {
        let Some(site) = e
            .site
            .and_then(|site| Site::ALL.iter().position(|s| *s == site))
        else {
            no_site += 1;
            continue;
        };
        match e.side {
            Side::Left => counts[0][site] += 1,
            Side::Right => counts[1][site] += 1,
            Side::Both => {
                counts[0][site] += 1;
                counts[1][site] += 1;
            }
        }
    }
    let mut words = Vec::new();
    for (leg, name) in [(0, "left"), (1, "right")] {
        for (i, site) in Site::ALL.iter().enumerate() {
            if counts[leg][i] > 0 {
                words.push(format!("{name} {}: {}", site.name(), counts[leg][i]));
            }
        }
    }
    let mut desc = if words.is_empty() {
        if no_site == 0 {
            "No cramps logged in this period.".to_owned()
        } else {
            "No cramp in this period has its muscle logged.".to_owned()
        }
    } else {
        format!(
            "Where cramps were, drawn as you see your own legs (your left leg on the left), counting a cramp in both legs once for each leg: {}.",
            words.join(", ")
        )
    };
    if no_site > 0 && !words.is_empty() {
        let _ = write!(
            desc,
            " Not shown: {no_site} cramp{} with no muscle logged.",
            if no_site == 1 { "" } else { "s" }
        );
    }
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg class="legcramps-chart legcramps-chart--legs" viewBox="0 0 320 360" role="img" aria-labelledby="legs-title legs-desc" xmlns="http://www.w3.org/2000/svg"><title id="legs-title">Where cramps were</title><desc id="legs-desc">{}</desc>"##,
        esc(&desc)
    );
    // Drawn as the person sees their own legs, looking down at them: the left leg on the left
    // (not a mirror image, as a picture of someone facing us would be).
    for (leg, x, label) in [
        (0usize, 100.0_f64, "Your left leg"),
        (1usize, 220.0_f64, "Your right leg"),
    ] {
        let _ = write!(
            s,
            r##"<path d="M{a} 20 L{b} 20 L{c} 300 L{d} 300 Z" fill="#e8edee" stroke="#4c6272" stroke-width="2"/><ellipse cx="{x}" cy="318" rx="34" ry="14" fill="#e8edee" stroke="#4c6272" stroke-width="2"/><text x="{x}" y="352" font-size="14" text-anchor="middle" fill="#212b32">{label}</text>"##,
            a = x - 34.0,
            b = x + 34.0,
            c = x + 22.0,
            d = x - 22.0,
        );
        for (site, y) in [(2usize, 80.0_f64), (0usize, 210.0_f64), (1usize, 318.0_f64)] {
            let n = counts[leg][site];
            if n == 0 {
                continue;
            }
            let r = 8.0 + (f64::from(n)).sqrt() * 4.0;
            let _ = write!(
                s,
                r##"<circle cx="{x}" cy="{y}" r="{r:.1}" fill="#d5281b" fill-opacity="0.8" stroke="#212b32"/><text x="{x}" y="{ty}" font-size="14" font-weight="bold" text-anchor="middle" fill="#ffffff">{n}</text>"##,
                ty = y + 5.0
            );
        }
    }
    let other = counts[0][3] + counts[1][3];
    if other > 0 {
        let _ = write!(
            s,
            r##"<text x="160" y="14" font-size="14" text-anchor="middle" fill="#212b32">Elsewhere in the legs: {other}</text>"##
        );
    }
    s.push_str("</svg>");
    s
}
