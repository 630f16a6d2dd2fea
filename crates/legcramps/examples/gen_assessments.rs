//! Writes N random assessments, one JSON object per line, for the `triage --jsonl` benchmark:
//! `cargo run --release --example gen_assessments -- 100000 > assessments.jsonl`.
//! Deterministic (a fixed-seed xorshift), so every run benchmarks the same input. Every field
//! is present, absent or (for durations) anywhere in 0..=1440, so the whole contract is used.

use std::io::{BufWriter, Write};

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

const BOOLS: [&str; 12] = [
    "eases_when_moving",
    "toxin_or_wound_contact",
    "gp_open",
    "quality_of_life_affected",
    "frequent",
    "sleep_disturbed",
    "numbness_or_swelling",
    "muscle_shrinking_or_weaker",
    "new_medication",
    "pregnant",
    "after_exercise",
    "dehydrated",
];

fn main() -> std::io::Result<()> {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let mut out = BufWriter::new(std::io::stdout().lock());
    for _ in 0..n {
        let mut fields = Vec::with_capacity(14);
        if !rng.next().is_multiple_of(8) {
            // Mostly short cramps, some long ones, with fractions.
            let minutes = if rng.next().is_multiple_of(4) {
                (rng.next() % 144_000) as f64 / 100.0
            } else {
                (rng.next() % 1_500) as f64 / 100.0
            };
            fields.push(format!("\"longest_cramp_minutes\": {minutes}"));
        }
        for name in BOOLS {
            match rng.next() % 5 {
                0 => {}
                1 | 2 => fields.push(format!("\"{name}\": false")),
                _ => fields.push(format!("\"{name}\": true")),
            }
        }
        match rng.next() % 6 {
            0 => {}
            1 => fields.push("\"known_conditions\": [\"neurological\"]".to_owned()),
            2 => fields.push("\"known_conditions\": [\"liver-disease\"]".to_owned()),
            _ => fields.push("\"known_conditions\": []".to_owned()),
        }
        writeln!(out, "{{{}}}", fields.join(", "))?;
    }
    out.flush()
}
