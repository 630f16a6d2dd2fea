//! Charts for the patterns page and the GP summary, as SVG that reads without colour and comes
//! with a text alternative: every chart is `role="img"` with a `<title>` and a `<desc>` that
//! says what it shows in words, and the page puts the same numbers in a table beside it.

use std::fmt::Write;

use chrono::Datelike;

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

/// The drawing units every bar chart uses: narrow, so that 17-unit text is still 12 px on a
/// 320 px screen (the chart is 288 px wide there), and short, so that on paper, drawn 260 px
/// wide, the text is still 8 pt (issue 21, finding 6). The CSS caps the width on wide screens.
const W: f64 = 400.0;
const H: f64 = 150.0;
const LEFT: f64 = 44.0;
const BOTTOM: f64 = 32.0;
const TOP: f64 = 14.0;
const FONT: f64 = 17.0;

/// About how wide text of `chars` characters is drawn, in drawing units: Arial's digits and
/// letters average under 0.6 of the font size; a little more is allowed.
fn text_width(chars: usize) -> f64 {
    chars as f64 * FONT * 0.62
}

/// A bar chart: one bar per [`Bar`], with as many labels under the bars as fit without touching
/// (every `at_least`th at the most); `line` draws a dashed level across the chart (a setting,
/// say); each of `marks` draws a solid upright line at the left of a bar, numbered above the
/// plot (marks close together share one number label, "1, 2"). What the line and the numbers
/// mean is said in the key beside the chart, where words cannot overlap.
fn bars(
    id: &str,
    title: &str,
    desc: &str,
    data: &[Bar],
    at_least: usize,
    line: Option<u32>,
    marks: &[usize],
) -> String {
    let max = data
        .iter()
        .map(|b| b.value)
        .chain(line)
        .max()
        .unwrap_or(0)
        .max(1);
    let n = data.len().max(1) as f64;
    let plot_w = W - LEFT - 8.0;
    let slot = plot_w / n;
    let bar = (slot * 0.7).max(1.0);
    let plot = H - BOTTOM - TOP;
    let base = TOP + plot;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="legcramps-chart" viewBox="0 0 {W} {H}" role="img" aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        esc(title),
        esc(desc)
    );
    // Axis and a top gridline labelled with the maximum.
    let _ = write!(
        s,
        r##"<line x1="{LEFT}" y1="{TOP}" x2="{x2}" y2="{TOP}" stroke="#d8dde0"/><text x="{tx}" y="{ty}" font-size="{FONT}" text-anchor="end" fill="#212b32">{max}</text><line x1="{LEFT}" y1="{base}" x2="{x2}" y2="{base}" stroke="#4c6272"/><text x="{tx}" y="{base}" font-size="{FONT}" text-anchor="end" fill="#212b32">0</text>"##,
        x2 = W - 4.0,
        tx = LEFT - 4.0,
        ty = TOP + 6.0,
    );
    if data.iter().any(|b| b.partial) {
        s.push_str(r##"<defs><pattern id="partial-hatch" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="8" stroke="#005eb8" stroke-width="4"/></pattern></defs>"##);
    }
    // Labels under the bars: as many as fit with a gap between them, centred on their bars,
    // none running past either end of the chart.
    let widest = data
        .iter()
        .map(|b| b.label.chars().count())
        .max()
        .unwrap_or(1);
    let room = text_width(widest) + 10.0;
    let every = ((room / slot).ceil() as usize).max(at_least).max(1);
    for (i, b) in data.iter().enumerate() {
        let (label, v) = (&b.label, b.value);
        let x = LEFT + slot * i as f64 + (slot - bar) / 2.0;
        let bh = plot * f64::from(v) / f64::from(max);
        let y = TOP + plot - bh;
        let (fill, note) = if b.partial {
            ("url(#partial-hatch)", " (part only)")
        } else {
            ("#005eb8", "")
        };
        let _ = write!(
            s,
            r##"<rect x="{x:.1}" y="{y:.1}" width="{bar:.1}" height="{bh:.1}" fill="{fill}" stroke="#005eb8"><title>{}: {v}{note}</title></rect>"##,
            esc(label)
        );
        if i % every == 0 {
            let half = text_width(label.chars().count()) / 2.0;
            let cx = (x + bar / 2.0).clamp(LEFT + half - 8.0, W - 2.0 - half);
            let _ = write!(
                s,
                r##"<text x="{cx:.1}" y="{:.1}" font-size="{FONT}" text-anchor="middle" fill="#212b32">{}</text>"##,
                base + 20.0,
                esc(label)
            );
        }
    }
    if let Some(level) = line {
        let y = TOP + plot - plot * f64::from(level) / f64::from(max);
        let _ = write!(
            s,
            r##"<line x1="{LEFT}" y1="{y:.1}" x2="{x2}" y2="{y:.1}" stroke="#212b32" stroke-width="2" stroke-dasharray="8 6"/>"##,
            x2 = W - 4.0,
        );
    }
    // Marks, numbered from 1 in the order given; numbers that would touch share a label.
    let mut groups: Vec<(f64, Vec<usize>)> = Vec::new();
    let mut order: Vec<(usize, usize)> = marks.iter().copied().enumerate().collect();
    order.sort_by_key(|(_, at)| *at);
    for (number, at) in order {
        let x = LEFT + slot * at as f64;
        let _ = write!(
            s,
            r##"<line x1="{x:.1}" y1="{TOP}" x2="{x:.1}" y2="{base}" stroke="#212b32" stroke-width="3"/>"##,
        );
        match groups.last_mut() {
            Some((gx, numbers))
                if x < *gx + text_width(label_of(numbers).chars().count()) + 12.0 =>
            {
                numbers.push(number + 1);
            }
            _ => groups.push((x, vec![number + 1])),
        }
    }
    for (x, numbers) in &groups {
        let words = label_of(numbers);
        let width = text_width(words.chars().count());
        // Right of the first line of the group, or left of it where there is no room.
        let (tx, anchor) = if x + 4.0 + width <= W - 2.0 {
            (x + 4.0, "start")
        } else {
            (x - 4.0, "end")
        };
        let _ = write!(
            s,
            r##"<text x="{tx:.1}" y="{ty}" font-size="{FONT}" text-anchor="{anchor}" fill="#212b32" stroke="#ffffff" stroke-width="5" paint-order="stroke">{}</text>"##,
            esc(&words),
            ty = TOP + 14.0,
        );
    }
    s.push_str("</svg>");
    s
}

/// "1", or "1, 2" for marks that share a label.
fn label_of(numbers: &[usize]) -> String {
    numbers
        .iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The key under a chart, in the page's own text: what the dashed line, the numbered lines and
/// the hatched bars mean (issue 21, findings 6 and 13).
fn key(items: &[String]) -> String {
    if items.is_empty() {
        return String::new();
    }
    let mut s = String::from(r#"<ul class="legcramps-chart-key">"#);
    for item in items {
        let _ = write!(s, "<li>{}</li>", esc(item));
    }
    s.push_str("</ul>");
    s
}

/// How the chart of cramps over time counts: a bar a week for up to 26 weeks, a bar a month up
/// to 36 months, otherwise a bar a year, so that no chart has more bars than a phone can show
/// with their labels.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Span {
    Week,
    Month,
    Year,
}

impl Span {
    pub(crate) fn of(summary: &Summary) -> Span {
        if summary.weeks.len() <= 26 {
            Span::Week
        } else if summary.months.len() <= 36 {
            Span::Month
        } else {
            Span::Year
        }
    }

    /// The chart's heading: "Cramps per week".
    pub(crate) fn title(self) -> &'static str {
        match self {
            Span::Week => "Cramps per week",
            Span::Month => "Cramps per month",
            Span::Year => "Cramps per year",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Span::Week => "week",
            Span::Month => "month",
            Span::Year => "year",
        }
    }
}

/// A bar over time: its first day, cramps, and whether the period covers only part of it.
struct Stretch {
    starts: chrono::NaiveDate,
    cramps: u32,
    partial: bool,
    days: u32,
}

fn stretches(summary: &Summary, span: Span) -> Vec<Stretch> {
    match span {
        Span::Week => summary
            .weeks
            .iter()
            .map(|w| Stretch {
                starts: w.starts,
                cramps: w.cramps,
                partial: w.is_partial(),
                days: w.days,
            })
            .collect(),
        Span::Month => summary
            .months
            .iter()
            .map(|m| Stretch {
                starts: m.starts,
                cramps: m.cramps,
                partial: m.is_partial(),
                days: m.days,
            })
            .collect(),
        Span::Year => {
            let mut years: Vec<(Stretch, u32)> = Vec::new();
            for m in &summary.months {
                let first = m.starts.with_month(1).unwrap_or(m.starts);
                match years.last_mut() {
                    Some((y, length)) if y.starts == first => {
                        y.cramps += m.cramps;
                        y.days += m.days;
                        *length += m.length;
                    }
                    _ => years.push((
                        Stretch {
                            starts: first,
                            cramps: m.cramps,
                            partial: false,
                            days: m.days,
                        },
                        m.length,
                    )),
                }
            }
            years
                .into_iter()
                .map(|(mut y, length)| {
                    y.partial = y.days < length;
                    y
                })
                .collect()
        }
    }
}

/// Cramps over time, a bar a week, month or year ([`Span`]), with its key. At most `max_marks`
/// medicines are marked (those started last; the key says how many are not), named in the key
/// to `name_chars` characters.
pub(crate) fn per_week(
    summary: &Summary,
    settings: &Settings,
    (max_marks, name_chars): (usize, usize),
) -> String {
    let span = Span::of(summary);
    let bars_of = stretches(summary, span);
    let label = |d: chrono::NaiveDate| match span {
        Span::Week => d.format("%-d %b").to_string(),
        Span::Month if d.month() == 1 || bars_of.len() <= 12 => d.format("%b %Y").to_string(),
        Span::Month => d.format("%b").to_string(),
        Span::Year => d.format("%Y").to_string(),
    };
    let data: Vec<Bar> = bars_of
        .iter()
        .map(|b| Bar {
            label: label(b.starts),
            value: b.cramps,
            partial: b.partial,
        })
        .collect();
    let name = span.name();
    let busiest = bars_of.iter().max_by_key(|b| b.cramps);
    let desc = match busiest {
        Some(b) if b.cramps > 0 => format!(
            "{} cramps over {} {name}s; the most in one {name} was {}, in the {name} starting {}.",
            summary.count,
            bars_of.len(),
            b.cramps,
            b.starts.format("%-d %B %Y")
        ),
        _ => "No cramps logged in this period.".to_owned(),
    };
    let partial = bars_of
        .iter()
        .filter(|b| b.partial)
        .map(|b| {
            format!(
                "the {name} starting {} counts {} day{} only",
                b.starts.format("%-d %B %Y"),
                b.days,
                if b.days == 1 { "" } else { "s" }
            )
        })
        .collect::<Vec<_>>();
    let desc = if partial.is_empty() {
        desc
    } else {
        format!(
            "{desc} Hatched bars are part {name}s: {}.",
            partial.join("; ")
        )
    };
    // The medicines started within the bars shown, the last `max_marks` of them marked at their
    // bars and numbered in date order.
    let mut started: Vec<(usize, &legcramps_core::profile::Medicine)> = summary
        .medicine_rates
        .iter()
        .filter(|m| m.medicine.started <= summary.to)
        .filter_map(|m| {
            let i = bars_of
                .iter()
                .rposition(|b| b.starts <= m.medicine.started)?;
            Some((i, &m.medicine))
        })
        .collect();
    started.sort_by_key(|(_, m)| m.started);
    let unmarked = started.len().saturating_sub(max_marks);
    let mut marks = Vec::new();
    let mut mark_words = Vec::new();
    let mut key_items = Vec::new();
    for (i, m) in started.into_iter().skip(unmarked) {
        marks.push(i);
        mark_words.push(format!(
            "{} started on {}",
            m.name(),
            m.started.format("%-d %B %Y")
        ));
        let mut short_name: String = m.name().chars().take(name_chars).collect();
        if short_name.len() < m.name().len() {
            short_name.push('\u{2026}');
        }
        key_items.push(format!(
            "{}: {short_name} started, {}",
            marks.len(),
            m.started.format("%-d %b %Y")
        ));
    }
    if unmarked > 0 {
        key_items.push(format!(
            "{unmarked} medicine{} started earlier in the period not marked",
            if unmarked == 1 { "" } else { "s" }
        ));
    }
    let marked = if mark_words.is_empty() {
        String::new()
    } else {
        format!(
            " A solid upright line marks the {name} {}.",
            mark_words.join(&format!(", and the {name} "))
        )
    };
    // The "frequent" line is a number of cramps a week: drawn only on weekly bars.
    let line = (span == Span::Week).then_some(settings.frequent_per_week);
    let line_words = if line.is_some() {
        format!(
            " The dashed line is where the diary calls cramps frequent, {} a week, a setting of the app.",
            settings.frequent_per_week
        )
    } else {
        String::new()
    };
    let mut items = Vec::new();
    if line.is_some() {
        items.push(format!(
            "Dashed line: frequent, {} a week (a setting of the app)",
            settings.frequent_per_week
        ));
    }
    if !partial.is_empty() {
        items.push(format!("Hatched bar: part of a {name} only"));
    }
    items.extend(key_items);
    let mut out = bars(
        "per-week",
        span.title(),
        &format!("{desc}{marked}{line_words}"),
        &data,
        1,
        line,
        &marks,
    );
    out.push_str(&key(&items));
    out
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
    // Short labels under the bars (in minutes), so they fit side by side on a phone; the key,
    // the text alternative and the table say them in full.
    const SHORT: [&str; 4] = ["<1", "1\u{2013}5", "5\u{2013}10", "10+"];
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
    let mut out = bars(
        "durations",
        "How long cramps lasted",
        &desc,
        &data,
        1,
        None,
        &[],
    );
    out.push_str(&key(&[
        "Under the bars: minutes (under 1; 1 to 5; 5 to 10; 10 or more)".to_owned(),
    ]));
    out
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
