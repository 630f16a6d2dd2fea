//! The JSON API: the triage contract, problem+json errors, the content, and OpenAPI.

use axum::http::StatusCode;
use serde_json::Value;

use crate::support::{get, post};

fn json(body: &str) -> Value {
    serde_json::from_str(body).expect("JSON")
}

#[tokio::test]
async fn triage_answers_the_contract() {
    let r = post(
        "/api/v1/triage",
        "application/json",
        r#"{"breathless_or_chest_pain": false, "one_leg_swollen_warm_or_red": false, "longest_cramp_minutes": 12, "eases_when_moving": false, "long_cramp_recent": true, "gp_open": false}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers["content-type"], "application/json");
    let v = json(&r.body);
    assert_eq!(v["disposition"], "urgent-gp");
    assert_eq!(v["phone_111"], true);
    assert_eq!(
        v["triggered"],
        serde_json::json!(["help.urgent.long-unrelieved"])
    );
    assert_eq!(v["content_version"], legcramps_core::CONTENT_VERSION);
    for key in ["possible_causes", "advice", "safety_net"] {
        assert!(!v[key].is_null(), "{key}");
    }
    // Same answer as the CLI's contract crate, byte for byte.
    let a = legcramps_contract::parse_assessment(
        r#"{"breathless_or_chest_pain": false, "one_leg_swollen_warm_or_red": false, "longest_cramp_minutes": 12, "eases_when_moving": false, "long_cramp_recent": true, "gp_open": false}"#,
    )
    .expect("valid");
    assert_eq!(
        r.body,
        legcramps_contract::outcome_json(&legcramps_core::evaluate(&a))
    );
}

/// The body is refused with `status`, as problem+json naming `field`.
async fn problem(
    content_type: &str,
    body: impl Into<axum::body::Body>,
    status: StatusCode,
    field: Option<&str>,
    detail: &str,
) {
    let r = post("/api/v1/triage", content_type, body).await;
    assert_eq!(r.status, status, "{}", r.body);
    assert_eq!(r.headers["content-type"], "application/problem+json");
    let v = json(&r.body);
    assert_eq!(v["status"], status.as_u16());
    assert!(v["type"].is_string() && v["title"].is_string());
    assert_eq!(v["field"].as_str(), field, "{}", r.body);
    assert!(
        v["detail"].as_str().expect("detail").contains(detail),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn bad_bodies_are_problems_that_name_the_field() {
    let j = "application/json";
    problem(j, "", StatusCode::BAD_REQUEST, None, "empty").await;
    problem(j, "{", StatusCode::BAD_REQUEST, None, "ends too early").await;
    problem(j, "[]", StatusCode::BAD_REQUEST, None, "found an array").await;
    problem(j, "{} {}", StatusCode::BAD_REQUEST, None, "unexpected data").await;
    problem(
        j,
        vec![0xffu8, 0xfe],
        StatusCode::BAD_REQUEST,
        None,
        "UTF-8",
    )
    .await;
    problem(
        j,
        r#"{"often": true}"#,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("often"),
        "unknown field",
    )
    .await;
    problem(
        j,
        r#"{"frequent": "yes"}"#,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("frequent"),
        "wrong type",
    )
    .await;
    problem(
        j,
        r#"{"longest_cramp_minutes": -1}"#,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("longest_cramp_minutes"),
        "negative",
    )
    .await;
    problem(
        j,
        r#"{"known_conditions": ["gout"]}"#,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("known_conditions[0]"),
        "gout",
    )
    .await;
    problem(
        j,
        r#"{"frequent": true, "frequent": false}"#,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("frequent"),
        "duplicate",
    )
    .await;
    problem(
        j,
        " ".repeat(legcramps_web::MAX_API_BODY_BYTES + 1),
        StatusCode::PAYLOAD_TOO_LARGE,
        None,
        "larger than",
    )
    .await;
    problem(
        "text/plain",
        "{}",
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        None,
        "application/json",
    )
    .await;
    problem(
        "application/x-www-form-urlencoded",
        "frequent=true",
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        None,
        "application/json",
    )
    .await;
    // A charset parameter is fine.
    let ok = post("/api/v1/triage", "application/json; charset=utf-8", "{}").await;
    assert_eq!(ok.status, StatusCode::OK);
}

#[tokio::test]
async fn arbitrary_bodies_never_cause_a_server_error() {
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let alphabet =
        br#"{}[]",:0123456789.-eEtruefalsn frequent longest_cramp_minutes known_conditions"#;
    for _ in 0..500 {
        let mut body = Vec::new();
        for _ in 0..(seed % 60) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            body.push(alphabet[(seed % alphabet.len() as u64) as usize]);
        }
        let r = post("/api/v1/triage", "application/json", body.clone()).await;
        assert!(
            r.status.is_success() || r.status.is_client_error(),
            "{:?} -> {}",
            String::from_utf8_lossy(&body),
            r.status
        );
    }
}

#[tokio::test]
async fn content_lists_every_item_with_its_facts() {
    let r = get("/api/v1/content").await;
    assert_eq!(r.status, StatusCode::OK);
    let v = json(&r.body);
    assert_eq!(v["content_version"], legcramps_core::CONTENT_VERSION);
    let mut facts = std::collections::HashSet::new();
    for t in v["topics"].as_array().expect("topics") {
        for i in t["items"].as_array().expect("items") {
            for f in i["facts"].as_array().expect("facts") {
                facts.insert(f.as_str().expect("id").to_owned());
            }
        }
    }
    for f in legcramps_core::facts::FACTS
        .iter()
        .filter(|f| !f.starts_with("source."))
    {
        assert!(facts.contains(*f), "{f} missing from /api/v1/content");
    }
    let source = v["source"].as_str().expect("source");
    assert!(source.contains("NHS 24") && source.contains("Deep vein thrombosis"));
}

#[tokio::test]
async fn openapi_describes_the_api() {
    let r = get("/api/openapi.json").await;
    assert_eq!(r.status, StatusCode::OK);
    let v = json(&r.body);
    assert!(v["openapi"].as_str().expect("version").starts_with("3.1"));
    let triage = &v["paths"]["/api/v1/triage"]["post"];
    for status in ["200", "400", "413", "415", "422"] {
        assert!(
            !triage["responses"][status].is_null(),
            "{status} undocumented"
        );
    }
    let schema = &v["components"]["schemas"]["Assessment"]["properties"];
    for field in legcramps_core::Field::all() {
        assert!(
            !schema[field.name()].is_null(),
            "{} missing from the schema",
            field.name()
        );
    }
    assert!(!v["components"]["schemas"]["Outcome"].is_null());
    assert!(!v["paths"]["/api/v1/content"]["get"].is_null());
    // How a program reaches a hosted diary: a personal access token or a session; nothing for
    // one person's own diary. The check and the guidance need neither.
    let schemes = &v["components"]["securitySchemes"];
    assert_eq!(schemes["token"]["type"], "http");
    assert_eq!(schemes["token"]["scheme"], "bearer");
    assert_eq!(schemes["session"]["type"], "apiKey");
    assert_eq!(schemes["session"]["in"], "cookie");
    assert_eq!(schemes["session"]["name"], "__Host-legcramps");
    for method in ["get", "post"] {
        let security = &v["paths"]["/api/v1/episodes"][method]["security"];
        assert_eq!(
            security,
            &serde_json::json!([{}, {"token": []}, {"session": []}]),
            "{method}"
        );
    }
    assert!(triage["security"].is_null());
    assert!(v["security"].is_null(), "no document-wide requirement");
}

/// Hardening finding 11: triage answers carried no `Cache-Control: no-store`; every response
/// derived from health answers, the refusals too, must not be kept by a cache.
#[tokio::test]
async fn triage_answers_are_never_cached() {
    for (content_type, body) in [
        ("application/json", r#"{"breathless_or_chest_pain": true}"#),
        ("application/json", r#"{"frequent": "often"}"#),
        ("application/json", "not json"),
        ("text/plain", "{}"),
    ] {
        let r = post("/api/v1/triage", content_type, body).await;
        assert_eq!(r.headers["cache-control"], "no-store", "{body}");
    }
}

/// Hardening finding 10: the OpenAPI document described only triage and content. Every `/api/`
/// route the router serves (read from the router's source, so a new route cannot be missed)
/// is in `API_ROUTES`, and every one of those is in the document with its method.
#[tokio::test]
async fn every_api_route_is_in_the_openapi_document() {
    let source = include_str!("../../src/routes.rs");
    let mut routed: Vec<&str> = source
        .match_indices(".route(\n            \"/api/")
        .chain(source.match_indices(".route(\"/api/"))
        .map(|(i, _)| {
            let rest = &source[i..];
            let start = rest.find("\"/api/").expect("path") + 1;
            let len = rest[start..].find('"').expect("end");
            &rest[start..start + len]
        })
        .filter(|p| *p != "/api/openapi.json")
        // The diary's routes are built from its table.
        .chain(
            legcramps_web::DIARY_ROUTES
                .iter()
                .map(|(p, _)| *p)
                .filter(|p| p.starts_with("/api/")),
        )
        .collect();
    routed.sort_unstable();
    routed.dedup();
    let mut listed: Vec<&str> = legcramps_web::API_ROUTES.iter().map(|(p, _)| *p).collect();
    listed.sort_unstable();
    listed.dedup();
    assert_eq!(routed, listed, "API_ROUTES must list every /api/ route");
    let v = json(&get("/api/openapi.json").await.body);
    for (path, methods) in legcramps_web::DIARY_ROUTES {
        if path.starts_with("/api/") {
            for m in *methods {
                assert!(
                    legcramps_web::API_ROUTES.contains(&(*path, *m)),
                    "{m} {path} is served but not in API_ROUTES"
                );
            }
        }
    }
    for (path, method) in legcramps_web::API_ROUTES {
        assert!(
            !v["paths"][*path][*method].is_null(),
            "{method} {path} is not in the OpenAPI document"
        );
    }
    for schema in [
        "NewEpisode",
        "Diary",
        "Episode",
        "SavedCheck",
        "EpisodeCreated",
    ] {
        assert!(!v["components"]["schemas"][schema].is_null(), "{schema}");
    }
}
