//! The information pages: home, guidance topics, stretches, accessibility, privacy, not found.

use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use legcramps_core::content::{self, CALF_STRETCH_HOLD_STEP, Topic, item};
use serde::Deserialize;

use crate::http::error::WebError;
use crate::http::render::{Page, render};
use crate::http::views::{Block, Layout, blocks, help_now};

pub(crate) mod api;
pub(crate) mod offline;

fn topic_or_empty(slug: &str) -> &'static [legcramps_core::content::Item] {
    content::topic(slug).map_or(&[], |t| t.items)
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    intro: Vec<&'static str>,
    help: Block,
}

pub(crate) async fn home(page: Page) -> Response {
    let intro = topic_or_empty("overview").iter().map(|i| i.text).collect();
    // "Get help now" comes first: a person in the middle of a long cramp, or with a swollen
    // leg and a tight chest, should not need to start the check to find out what to do.
    render(
        StatusCode::OK,
        &HomePage {
            layout: page.layout("What to do about leg cramps", ""),
            intro,
            help: help_now(),
        },
    )
}

#[derive(Template)]
#[template(path = "topic.html")]
struct TopicPage {
    layout: Layout,
    topic: &'static Topic,
    /// "Get help now", on the "When to get help" topic only.
    help: Option<Block>,
    blocks: Vec<Block>,
}

async fn topic_page(page: &Page, slug: &str) -> Response {
    match content::topic(slug) {
        Some(t) => render(
            StatusCode::OK,
            &TopicPage {
                layout: page.layout(
                    t.title,
                    if t.slug == "when-to-get-help" {
                        "help"
                    } else {
                        ""
                    },
                ),
                topic: t,
                help: (t.slug == "when-to-get-help").then(help_now),
                blocks: blocks(t.items),
            },
        ),
        None => WebError::NotFound.into_response(),
    }
}

pub(crate) async fn topic(page: Page, Path(slug): Path<String>) -> Response {
    // One stretches page: the topic lives at /stretches, with its guided timer.
    if slug == "stretches" {
        return Redirect::permanent("/stretches").into_response();
    }
    topic_page(&page, &slug).await
}

/// The stretch routine's settings (product settings, not clinical facts: the guidance says
/// "a few seconds" and "a number of times").
#[derive(Deserialize)]
pub(crate) struct StretchQuery {
    reps: Option<String>,
    hold: Option<String>,
}

pub(crate) const DEFAULT_REPS: u32 = 5;
pub(crate) const DEFAULT_HOLD: u32 = 5;

#[derive(Template)]
#[template(path = "stretches.html")]
struct StretchesPage {
    layout: Layout,
    intro: Vec<Block>,
    title: &'static str,
    calf_lead: &'static str,
    /// The steps with the routine's numbers in them (each said once).
    steps: Vec<String>,
    steps_json: String,
    hold_step: usize,
    hold_on: &'static str,
    reps: u32,
    hold: u32,
    error: Option<&'static str>,
    prevention: Vec<Block>,
    /// "Get help now", and the caution about a leg with the signs of a clot.
    help: Block,
    caution: &'static content::Item,
}

fn setting(value: Option<&str>, default: u32, max: u32) -> Result<u32, ()> {
    match value.map(str::trim) {
        None | Some("") => Ok(default),
        Some(v) => v
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=max).contains(n))
            .ok_or(()),
    }
}

/// A topic's title ("Stretches"), or the page's own name if the topic were ever renamed away.
fn topic_or_empty_title(slug: &str) -> &'static str {
    content::topic(slug).map_or("Stretches", |t| t.title)
}

pub(crate) async fn stretches(page: Page, Query(q): Query<StretchQuery>) -> Response {
    let reps = setting(q.reps.as_deref(), DEFAULT_REPS, 30);
    let hold = setting(q.hold.as_deref(), DEFAULT_HOLD, 60);
    let error = match (reps, hold) {
        (Err(()), _) => Some("Enter a number of repetitions from 1 to 30"),
        (_, Err(())) => Some("Enter a number of seconds from 1 to 60"),
        _ => None,
    };
    let intro = topic_or_empty("stretches")
        .iter()
        .filter(|i| i.id != "stretches.calf")
        .collect::<Vec<_>>();
    let intro_blocks = intro
        .into_iter()
        .flat_map(|i| blocks(std::slice::from_ref(i)))
        .collect();
    let prevention = [
        "prevention.bedtime",
        "prevention.on-back",
        "prevention.on-front",
        "prevention.bedding",
    ]
    .into_iter()
    .filter_map(item)
    .flat_map(|i| blocks(std::slice::from_ref(i)))
    .collect();
    let (reps, hold) = (reps.unwrap_or(DEFAULT_REPS), hold.unwrap_or(DEFAULT_HOLD));
    let steps = content::calf_stretch_steps(hold, reps);
    // One stretches page: the header, the footer's topic link and this page share its title.
    let title = topic_or_empty_title("stretches");
    render(
        if error.is_some() {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::OK
        },
        &StretchesPage {
            layout: page.layout(title, "stretches"),
            intro: intro_blocks,
            title,
            calf_lead: item("stretches.calf").map_or("", |i| i.text),
            steps_json: serde_json::to_string(&steps).unwrap_or_else(|_| "[]".into()),
            steps,
            hold_step: CALF_STRETCH_HOLD_STEP,
            hold_on: content::CALF_STRETCH_HOLD_ON,
            reps,
            hold,
            error,
            prevention,
            help: help_now(),
            caution: &content::STRETCH_CAUTION,
        },
    )
}

#[derive(Template)]
#[template(path = "accessibility.html")]
struct AccessibilityPage {
    layout: Layout,
}

pub(crate) async fn accessibility(page: Page) -> Response {
    render(
        StatusCode::OK,
        &AccessibilityPage {
            layout: page.layout("Accessibility statement", ""),
        },
    )
}

#[derive(Template)]
#[template(path = "privacy.html")]
struct PrivacyPage {
    layout: Layout,
}

pub(crate) async fn privacy(page: Page) -> Response {
    render(
        StatusCode::OK,
        &PrivacyPage {
            layout: page.layout("Privacy", ""),
        },
    )
}
