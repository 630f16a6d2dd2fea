//! "Add cramps from a file" (issue 21, finding 12): a person moving to the hosted site brings
//! the CSV or JSON their diary downloaded, without the CLI or a token. The import's rules are
//! the CLI's (`legcramps import`): the whole file is parsed and checked (the date limits too)
//! before anything is stored, all or nothing; rows already in the diary are not added twice.
//! A hosted site also keeps its cap on cramps per account. The form is sent as
//! `multipart/form-data`, read by [`crate::http::upload`] (the guard checks its anti-forgery
//! field there).

use askama::Template;
use axum::extract::{Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use legcramps_contract::diary_io::{ImportError, import_checked_bytes};
use serde::Deserialize;

use crate::config::{DiaryAccess, Shared};
use crate::http::auth::{Who, diary_store};
use crate::http::error::{WebError, or_reply};
use crate::http::render::{Page, render};
use crate::http::upload;
use crate::http::views::Layout;

#[derive(Template)]
#[template(path = "diary_import.html")]
struct ImportPage {
    layout: Layout,
    errors: Vec<(&'static str, String)>,
    /// What the last import added, in sentences.
    done: Option<Vec<String>>,
}

impl ImportPage {
    fn has_error(&self, id: &str) -> bool {
        super::form::has_error(&self.errors, id)
    }

    fn error_for(&self, id: &str) -> &str {
        super::form::error_for(&self.errors, id)
    }
}

/// What an import did, from the address the page was sent back to (read leniently: anything
/// that is not a number is left out).
#[derive(Debug, Deserialize, Default)]
pub(crate) struct Done {
    added: Option<String>,
    already: Option<String>,
    profile: Option<String>,
}

fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl Done {
    fn sentences(&self) -> Option<Vec<String>> {
        let number = |v: &Option<String>| v.as_deref().and_then(|v| v.parse::<u64>().ok());
        let added = number(&self.added)?;
        let mut lines = vec![if added == 0 {
            "Nothing new was added: everything in the file was already in your diary.".to_owned()
        } else {
            format!(
                "Added {} to your diary (cramps and saved checks).",
                count(added, "new record", "new records")
            )
        }];
        if let Some(a) = number(&self.already).filter(|a| *a > 0 && added > 0) {
            lines.push(if a == 1 {
                "1 record was already in your diary, so it was not added again.".to_owned()
            } else {
                format!("{a} records were already in your diary, so they were not added again.")
            });
        }
        if let Some(p) = number(&self.profile).filter(|p| *p > 0) {
            lines.push(format!(
                "Added {} to your medicines and health: check the dates there.",
                count(p, "entry", "entries")
            ));
        }
        Some(lines)
    }
}

/// `GET /diary/import`.
pub(crate) async fn form(page: Page, Query(done): Query<Done>) -> Response {
    show(&page, StatusCode::OK, Vec::new(), done.sentences())
}

fn show(
    page: &Page,
    status: StatusCode,
    errors: Vec<(&'static str, String)>,
    done: Option<Vec<String>>,
) -> Response {
    let title = if errors.is_empty() {
        "Add cramps from a file"
    } else {
        "Error: Add cramps from a file"
    };
    render(
        status,
        &ImportPage {
            layout: page.layout(title, "diary"),
            errors,
            done,
        },
    )
}

/// An import error as a person reads it: where, then what; quoted values in quotation marks,
/// not backticks; and that nothing was added.
fn for_people(e: &ImportError) -> String {
    let mut text = String::from("Nothing was added. ");
    let place = match (e.place.is_empty(), e.field.as_deref()) {
        (true, None) => String::new(),
        (true, Some(f)) => format!("In {f}: "),
        (false, None) => format!("In {}: ", e.place),
        (false, Some(f)) => format!("In {}, {f}: ", e.place),
    };
    text.push_str(&place);
    // A value quoted from the file is cut at 60 characters, and the message at 400: the page
    // says where, it need not give the file back (an outside test sent a 5 MB id).
    let (mut open, mut quoted) = (true, 0usize);
    for c in e.message.chars() {
        if c == '`' {
            text.push(if open { '\u{201c}' } else { '\u{201d}' });
            open = !open;
            quoted = 0;
        } else if !open {
            quoted += 1;
            if quoted <= 60 {
                text.push(c);
            } else if quoted == 61 {
                text.push('\u{2026}');
            }
        } else {
            text.push(c);
        }
    }
    if text.chars().count() > 400 {
        text = text.chars().take(399).collect();
        text.push('\u{2026}');
    }
    text
}

/// `POST /diary/import`: the file checked whole, then stored whole; back to the page saying
/// what was added, or the page again saying what is wrong and where (nothing stored).
pub(crate) async fn add(
    page: Page,
    State(cfg): State<Shared>,
    Who { owner, .. }: Who,
    request: Request,
) -> Response {
    let store = or_reply!(diary_store(&cfg));
    let form = match upload::of(request).await {
        Ok(f) => f,
        Err(e) => return e.into_response(),
    };
    let Some(file) = form.file("file") else {
        return show(
            &page,
            StatusCode::UNPROCESSABLE_ENTITY,
            vec![("file", "Select a file to add".to_owned())],
            None,
        );
    };
    if file.bytes.iter().all(u8::is_ascii_whitespace) {
        return show(
            &page,
            StatusCode::UNPROCESSABLE_ENTITY,
            vec![("file", "The selected file is empty".to_owned())],
            None,
        );
    }
    // Parsing and checking up to 10 MB is work for a blocking thread, never the threads that
    // answer everyone else (an outside test froze /healthz with two files).
    let bytes = file.bytes.clone();
    let checked =
        tokio::task::spawn_blocking(move || import_checked_bytes(&bytes, chrono::Utc::now())).await;
    let parsed = match checked {
        Ok(Ok(p)) => p,
        Err(_) => {
            return WebError::diary_refused(
                StatusCode::SERVICE_UNAVAILABLE,
                "The file could not be checked just now. Nothing was added: try again.",
            )
            .into_response();
        }
        Ok(Err(e)) => {
            return show(
                &page,
                StatusCode::UNPROCESSABLE_ENTITY,
                vec![("file", for_people(&e))],
                None,
            );
        }
    };
    // A hosted site keeps at most `episodes_max` cramps for one person. Cramps already in the
    // diary (the same id) are not added again, so they do not count; the diary's ids are read
    // only when the file could reach the cap.
    if let DiaryAccess::Accounts { site, .. } = &cfg.diary {
        let held = or_reply!(store.count_episodes(&owner).await.map_err(WebError::diary));
        let in_file = i64::try_from(parsed.episodes.len()).unwrap_or(i64::MAX);
        if held.saturating_add(in_file) > site.episodes_max {
            let have: std::collections::HashSet<String> = or_reply!(
                store
                    .list(&owner, None, None)
                    .await
                    .map_err(WebError::diary)
            )
            .into_iter()
            .map(|e| e.id.as_str().to_owned())
            .collect();
            let new = parsed
                .episodes
                .iter()
                .filter(|e| !have.contains(e.id.as_str()))
                .count();
            let new = i64::try_from(new).unwrap_or(i64::MAX);
            if held.saturating_add(new) > site.episodes_max {
                return show(
                    &page,
                    StatusCode::CONFLICT,
                    vec![(
                        "file",
                        format!(
                            "Nothing was added. Your diary holds {held} cramps and this file has {new} more; this site keeps at most {} for one person. Download a copy of your diary, then delete older cramps to make room.",
                            site.episodes_max
                        ),
                    )],
                    None,
                );
            }
        }
    }
    // Saved checks have the same cap, counted the same way (an outside test added 180,000).
    if let DiaryAccess::Accounts { site, .. } = &cfg.diary
        && !parsed.checks.is_empty()
    {
        let have = or_reply!(store.checks(&owner).await.map_err(WebError::diary));
        let known: std::collections::HashSet<String> =
            have.iter().map(|c| c.id.as_str().to_owned()).collect();
        let new = parsed
            .checks
            .iter()
            .filter(|c| !known.contains(c.id.as_str()))
            .count();
        let held = i64::try_from(have.len()).unwrap_or(i64::MAX);
        if held.saturating_add(i64::try_from(new).unwrap_or(i64::MAX)) > site.episodes_max {
            return show(
                &page,
                StatusCode::CONFLICT,
                vec![(
                    "file",
                    format!(
                        "Nothing was added. Your diary holds {held} saved checks and this file has {new} more; this site keeps at most {} for one person.",
                        site.episodes_max
                    ),
                )],
                None,
            );
        }
    }
    // Run to its end (committed, or aborted and removed) even if the browser goes away
    // mid-way: dropped half-way, its hidden rows would stay until a restart (outside test).
    // On a hosted site the cap is counted again as the import is made visible, in one step
    // with every other write (two imports at once could each pass the counts above).
    let cap = match &cfg.diary {
        DiaryAccess::Accounts { site, .. } => Some(site.episodes_max),
        _ => None,
    };
    let (store, owner) = (store.clone(), owner.clone());
    let imported =
        tokio::spawn(async move { store.import_within(&owner, &parsed, cap).await }).await;
    let Ok(imported) = imported else {
        return WebError::diary_refused(
            StatusCode::SERVICE_UNAVAILABLE,
            "The file could not be added just now. Nothing was added: try again.",
        )
        .into_response();
    };
    match imported {
        Ok(report) => Redirect::to(&format!(
            "/diary/import?added={}&already={}&profile={}",
            report.added, report.already_present, report.profile_added
        ))
        .into_response(),
        Err(legcramps_store::StoreError::Full {
            what,
            cap,
            would_hold,
        }) => show(
            &page,
            StatusCode::CONFLICT,
            vec![(
                "file",
                if what == "cramps" {
                    format!(
                        "Nothing was added. With this file your diary would hold {would_hold} cramps; this site keeps at most {cap} for one person. Download a copy of your diary, then delete older cramps to make room."
                    )
                } else {
                    format!(
                        "Nothing was added. With this file your diary would hold {would_hold} {what}; this site keeps at most {cap} for one person."
                    )
                },
            )],
            None,
        ),
        Err(legcramps_store::StoreError::ImportRunning) => show(
            &page,
            StatusCode::CONFLICT,
            vec![(
                "file",
                "Nothing was added: another file is being added to your diary just now. Wait for it to finish, then send this one again.".to_owned(),
            )],
            None,
        ),
        Err(e) => WebError::diary(e).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_place_and_use_quotation_marks() {
        let e = ImportError {
            place: "row 4".into(),
            field: Some("side".into()),
            message: "`up` is not one of: left, right, both".into(),
        };
        assert_eq!(
            for_people(&e),
            "Nothing was added. In row 4, side: \u{201c}up\u{201d} is not one of: left, right, both"
        );
    }

    #[test]
    fn a_long_value_from_the_file_is_cut() {
        let e = ImportError {
            place: "row 2".into(),
            field: Some("id".into()),
            message: format!("`{}` is not an id", "x".repeat(5000)),
        };
        let shown = for_people(&e);
        assert!(
            shown.contains(&format!("\u{201c}{}\u{2026}\u{201d}", "x".repeat(60))),
            "{shown}"
        );
        assert!(shown.chars().count() < 500);
    }

    #[test]
    fn what_was_added_is_said_in_words() {
        let done = |a: &str, b: &str, p: &str| Done {
            added: Some(a.into()),
            already: Some(b.into()),
            profile: Some(p.into()),
        };
        assert_eq!(
            done("3", "1", "0").sentences().expect("some"),
            vec![
                "Added 3 new records to your diary (cramps and saved checks).".to_owned(),
                "1 record was already in your diary, so it was not added again.".to_owned()
            ]
        );
        assert_eq!(
            done("0", "5", "0").sentences().expect("some"),
            vec!["Nothing new was added: everything in the file was already in your diary."]
        );
        assert_eq!(
            done("1", "0", "2").sentences().expect("some"),
            vec![
                "Added 1 new record to your diary (cramps and saved checks).".to_owned(),
                "Added 2 entries to your medicines and health: check the dates there.".to_owned()
            ]
        );
        assert!(Done::default().sentences().is_none());
        assert!(done("x", "0", "0").sentences().is_none());
    }
}
