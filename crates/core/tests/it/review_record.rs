//! Issue 18, finding 15: every release's content and rules are recorded, with their hashes,
//! the reviewer and the date, in `docs/clinical-safety/review-record.md`. This fails when the
//! content or the rules change without a new row, and says the row to add.

use legcramps_core::review::{content_markdown, rules_markdown};
use legcramps_core::{CONTENT_VERSION, triage::RULES_VERSION};
use sha2::{Digest, Sha256};

fn sha256(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn the_content_and_rules_shipped_have_a_row_in_the_review_record() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/clinical-safety/review-record.md"
    );
    let record = std::fs::read_to_string(path).expect("docs/clinical-safety/review-record.md");
    let (content, rules) = (sha256(&content_markdown()), sha256(&rules_markdown()));
    // Each row: | content version | rules version | content SHA-256 | rules SHA-256 | reviewer | date | notes |
    let rows: Vec<Vec<&str>> = record
        .lines()
        .filter(|l| l.starts_with("| 20"))
        .map(|l| l.trim_matches('|').split('|').map(str::trim).collect())
        .collect();
    assert!(!rows.is_empty(), "no rows in {path}");
    let found = rows.iter().any(|r| {
        r.len() >= 6
            && r[0] == CONTENT_VERSION
            && r[1] == RULES_VERSION
            && r[2].trim_matches('`') == content
            && r[3].trim_matches('`') == rules
            && !r[4].is_empty()
            && !r[5].is_empty()
    });
    assert!(
        found,
        "the content or the rules changed without a review record. Bump CONTENT_VERSION and/or \
         RULES_VERSION if they have not been, have the change reviewed, and add this row (with \
         the reviewer and the date) to {path}:\n| {CONTENT_VERSION} | {RULES_VERSION} | `{content}` | `{rules}` | REVIEWER | DATE | WHAT CHANGED |"
    );
    // A version names one text: no two rows give the same versions with different hashes.
    for (i, a) in rows.iter().enumerate() {
        for b in &rows[i + 1..] {
            if a.len() >= 4 && b.len() >= 4 && a[0] == b[0] && a[1] == b[1] {
                assert!(
                    a[2] == b[2] && a[3] == b[3],
                    "versions {} / {} name two different texts: bump a version",
                    a[0],
                    a[1]
                );
            }
        }
    }
}

/// The two documents are what the hashes cover: both name the content version, and the
/// content document carries every guidance item and the diary's words.
#[test]
fn the_review_documents_cover_the_content_and_the_rules() {
    let content = content_markdown();
    for item in legcramps_core::content::all_items() {
        assert!(
            content.contains(&format!("`{}`", item.id)),
            "{} missing",
            item.id
        );
    }
    assert!(content.contains(legcramps_core::diary::RECENT_RED_FLAG_TEXT));
    assert!(content.contains(CONTENT_VERSION));
    let rules = rules_markdown();
    for r in legcramps_core::triage::RULES {
        assert!(rules.contains(r.because), "{}", r.fact);
    }
    for q in legcramps_core::questions::QUESTIONS {
        assert!(rules.contains(q.text), "{}", q.text);
    }
}
