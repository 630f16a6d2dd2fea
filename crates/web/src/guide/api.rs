//! `GET /api/v1/content`: the guidance as data, with the fact ids each item carries.

use legcramps_core::CONTENT_VERSION;
use legcramps_core::content::{Kind, SOURCE_CREDIT, TOPICS};
use serde::Serialize;
use utoipa::ToSchema;

/// The guidance as data.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ContentOut {
    content_version: &'static str,
    source: &'static str,
    topics: Vec<TopicOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct TopicOut {
    slug: &'static str,
    title: &'static str,
    summary: &'static str,
    items: Vec<ItemOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ItemOut {
    id: &'static str,
    /// The fact ids this item carries.
    #[schema(value_type = Vec<String>)]
    facts: &'static [&'static str],
    /// `text`, `urgent`, `non-urgent` or `steps`.
    kind: &'static str,
    heading: Option<&'static str>,
    text: &'static str,
    #[schema(value_type = Vec<String>)]
    list: &'static [&'static str],
}

#[utoipa::path(
    get,
    path = "/api/v1/content",
    tag = "content",
    responses((status = 200, description = "Every topic and item, with fact ids", body = ContentOut))
)]
/// The guidance: topics, items with their fact ids, and the content version.
pub(crate) async fn content() -> axum::Json<ContentOut> {
    axum::Json(ContentOut {
        content_version: CONTENT_VERSION,
        source: SOURCE_CREDIT.text,
        topics: TOPICS
            .iter()
            .map(|t| TopicOut {
                slug: t.slug,
                title: t.title,
                summary: t.summary,
                items: t
                    .items
                    .iter()
                    .map(|i| ItemOut {
                        id: i.id,
                        facts: i.facts,
                        kind: match i.kind {
                            Kind::Text => "text",
                            Kind::Urgent => "urgent",
                            Kind::NonUrgent => "non-urgent",
                            Kind::Steps => "steps",
                        },
                        heading: i.heading,
                        text: i.text,
                        list: i.list,
                    })
                    .collect(),
            })
            .collect(),
    })
}
