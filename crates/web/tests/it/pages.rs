//! Every page answers, credits its source, carries the security headers, and loads nothing from
//! another origin.

use axum::http::StatusCode;
use legcramps_core::content::TOPICS;

use crate::support::{get, stable};

const PAGES: &[&str] = &[
    "/",
    "/guide/overview",
    "/guide/symptoms",
    "/guide/when-to-get-help",
    "/guide/causes",
    "/guide/treatment",
    "/guide/prevention",
    "/stretches",
    "/check",
    "/accessibility",
    "/privacy",
];

#[tokio::test]
async fn every_page_renders_with_credit_and_security_headers() {
    for path in PAGES {
        let r = get(path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert_eq!(
            r.headers["content-type"], "text/html; charset=utf-8",
            "{path}"
        );
        assert!(
            r.body.contains("NHS 24"),
            "{path} does not credit NHS inform (NHS 24)"
        );
        assert!(
            r.body
                .contains("<main class=\"nhsuk-main-wrapper\" id=\"maincontent\">"),
            "{path}"
        );
        let csp = r.headers["content-security-policy"]
            .to_str()
            .expect("ascii");
        assert!(
            !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"),
            "{path}: {csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"), "{path}");
        assert_eq!(r.headers["x-content-type-options"], "nosniff");
        assert_eq!(r.headers["referrer-policy"], "no-referrer");
        assert!(r.headers.contains_key("permissions-policy"));
        assert!(
            !r.headers.contains_key("set-cookie"),
            "{path} sets a cookie"
        );
        // No inline script or style, and nothing from another origin.
        assert!(
            !r.body.contains("<script>") && !r.body.contains(" style="),
            "{path} has inline code"
        );
        assert!(
            !r.body.contains("src=\"http") && !r.body.contains("href=\"http"),
            "{path} links off-site"
        );
        assert!(
            !r.body.contains("NHS homepage") && !r.body.contains("nhsuk-header__logo"),
            "{path} shows the NHS logo"
        );
    }
}

#[tokio::test]
async fn every_topic_is_a_page_with_all_its_items() {
    for t in TOPICS {
        // The stretches topic is one page, /stretches; its old address sends people there.
        let path = if t.slug == "stretches" {
            let old = get("/guide/stretches").await;
            assert_eq!(old.status, StatusCode::PERMANENT_REDIRECT);
            assert_eq!(old.headers["location"], "/stretches");
            "/stretches".to_owned()
        } else {
            format!("/guide/{}", t.slug)
        };
        let r = get(&path).await;
        assert_eq!(r.status, StatusCode::OK);
        for item in t.items {
            for fact in item.facts {
                assert!(
                    r.body.contains(fact),
                    "{}: fact {fact} of {} not on the page",
                    t.slug,
                    item.id
                );
            }
            // The stretches page says the calf stretch with the routine's own numbers in place
            // of "a few seconds" and "a few times" (the same fact, each number said once).
            let with_numbers = legcramps_core::content::calf_stretch_steps(5, 5);
            for (i, line) in item.list.iter().enumerate() {
                let shown = if std::ptr::eq(item.list, legcramps_core::content::CALF_STRETCH_STEPS)
                {
                    with_numbers[i].as_str()
                } else {
                    line
                };
                assert!(
                    r.body.contains(&shown.replace('\'', "&#39;")),
                    "{}: {shown}",
                    t.slug
                );
            }
        }
    }
}

#[tokio::test]
async fn urgent_guidance_is_a_red_care_card_and_gp_guidance_blue() {
    let r = get("/guide/when-to-get-help").await;
    assert!(r.body.contains("nhsuk-card--care--urgent"));
    assert!(r.body.contains("nhsuk-card--care--non-urgent"));
    // The 111 sentence is in the same red card as the red flags.
    let urgent = &r.body[r
        .body
        .find("nhsuk-card--care--urgent")
        .expect("urgent card")..];
    let card_end = urgent
        .find("nhsuk-card--care--non-urgent")
        .expect("then the GP card");
    assert!(urgent[..card_end].contains("phone 111"));
}

#[tokio::test]
async fn assets_are_embedded_and_local() {
    let home = get("/").await;
    for kind in ["nhsuk-", "app-", "init-"] {
        let start = home
            .body
            .find(&format!("/assets/{kind}"))
            .unwrap_or_else(|| panic!("{kind} asset linked"));
        let path = &home.body[start..start + home.body[start..].find('"').expect("end")];
        let r = get(path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert!(
            r.headers["cache-control"]
                .to_str()
                .expect("ascii")
                .contains("immutable")
        );
        assert!(
            !r.body.contains("https://") && !r.body.contains("http://"),
            "{path} loads something from another origin"
        );
    }
    let css_path = home.body[home.body.find("/assets/nhsuk-").expect("css")..]
        .split('"')
        .next()
        .expect("path");
    let css = get(css_path).await;
    assert!(
        css.headers["content-type"]
            .to_str()
            .expect("ascii")
            .starts_with("text/css")
    );
    assert!(
        css.body.contains(".nhsuk-card--care--urgent"),
        "the NHS.UK design system CSS is embedded"
    );
    assert!(
        !css.body.contains("@font-face"),
        "the third-party font is removed"
    );
    assert_eq!(get("/assets/nope.css").await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        get("/favicon.ico").await.status,
        StatusCode::PERMANENT_REDIRECT
    );
}

#[tokio::test]
async fn unknown_pages_are_404_in_the_same_look() {
    for path in ["/nope", "/guide/gout", "/guide/"] {
        let r = get(path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert!(r.body.contains("Page not found"));
    }
}

#[tokio::test]
async fn health_check() {
    let r = get("/healthz").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body, "ok");
}

#[tokio::test]
async fn stretches_work_without_javascript_and_validate_settings() {
    let r = get("/stretches?reps=8&hold=4").await;
    assert_eq!(r.status, StatusCode::OK);
    // Each number said once, in the step it belongs to.
    assert!(r.body.contains("Hold them there for 4 seconds."));
    assert!(r.body.contains("Do this 8 times in all."));
    assert_eq!(
        r.body
            .matches("<li>Hold them there for 4 seconds.</li>")
            .count(),
        1
    );
    assert!(!r.body.contains("Hold for 4 seconds"), "not said twice");
    assert!(
        r.body.contains("data-stretch-timer"),
        "the timer is there for JavaScript to reveal"
    );
    assert!(
        r.body.contains("data-stretch-timer data-steps="),
        "the timer carries the steps"
    );
    let bad = get("/stretches?reps=0&hold=abc").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("There is a problem"));
    assert!(
        bad.body
            .contains("Enter a number of repetitions from 1 to 30")
    );
}

#[tokio::test]
async fn page_snapshots() {
    for (name, path) in [
        ("home", "/"),
        ("when_to_get_help", "/guide/when-to-get-help"),
        ("stretches", "/stretches"),
        ("check_start", "/check"),
    ] {
        insta::assert_snapshot!(name, stable(&get(path).await.body));
    }
}

/// Issue 9: installable and useful offline. The manifest is JSON with a start URL and an
/// icon; the worker keeps the guidance, the stretches and the assets, and names no page that
/// can hold health data; the offline page still says how to get help now.
#[tokio::test]
async fn the_manifest_and_the_worker_keep_no_health_data() {
    let m = get("/manifest.webmanifest").await;
    assert_eq!(m.status, StatusCode::OK);
    assert_eq!(
        m.headers.get("content-type").and_then(|v| v.to_str().ok()),
        Some("application/manifest+json")
    );
    let json: serde_json::Value = serde_json::from_str(&m.body).expect("json");
    assert_eq!(json["start_url"], "/");
    assert_eq!(json["display"], "standalone");
    assert!(
        json["icons"][0]["src"]
            .as_str()
            .is_some_and(|s| s.starts_with("/assets/"))
    );

    let sw = get("/sw.js").await;
    assert_eq!(sw.status, StatusCode::OK);
    assert_eq!(
        sw.headers
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("no-cache")
    );
    let pages_line = sw
        .body
        .lines()
        .find(|l| l.starts_with("const PAGES = "))
        .expect("the page list");
    let pages: Vec<String> = serde_json::from_str(
        pages_line
            .trim_start_matches("const PAGES = ")
            .trim_end_matches(';'),
    )
    .expect("a JSON list");
    for needed in ["/", "/stretches", "/offline"] {
        assert!(pages.iter().any(|p| p == needed), "{needed} kept offline");
    }
    for t in TOPICS {
        let href = if t.slug == "stretches" {
            "/stretches".to_owned()
        } else {
            format!("/guide/{}", t.slug)
        };
        assert!(pages.contains(&href), "{href}");
    }
    for p in &pages {
        assert!(
            !["/diary", "/account", "/check", "/api"]
                .iter()
                .any(|no| p.starts_with(no)),
            "{p} could hold health data"
        );
    }
    let offline = get("/offline").await;
    assert_eq!(offline.status, StatusCode::OK);
    assert!(offline.body.contains("You are offline"));
    assert!(
        offline.body.contains("legcramps-help-now"),
        "how to get help now, offline too"
    );
    assert!(
        get("/")
            .await
            .body
            .contains("<link rel=\"manifest\" href=\"/manifest.webmanifest\">")
    );
}

/// The status, headers and raw bytes of a GET with an `Accept-Encoding`.
async fn get_encoded(path: &str, accept: &str) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let response = legcramps_web::router()
        .oneshot(
            axum::http::Request::builder()
                .uri(path)
                .header("accept-encoding", accept)
                .body(axum::body::Body::empty())
                .expect("request"),
        )
        .await
        .expect("an answer");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (status, headers, bytes.to_vec())
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .expect("gzip");
    out
}

#[tokio::test]
async fn assets_and_pages_are_compressed_for_browsers_that_accept_it() {
    let home = get("/").await;
    let css = home.body[home.body.find("/assets/nhsuk-").expect("css")..]
        .split('"')
        .next()
        .expect("path")
        .to_owned();
    let (_, plain_headers, plain) = get_encoded(&css, "").await;
    assert!(
        plain_headers.get("content-encoding").is_none(),
        "nothing asked, nothing encoded"
    );
    assert_eq!(plain_headers["vary"], "accept-encoding");
    // Precompressed at build time: brotli first, then gzip, by what the browser accepts.
    let (_, br_headers, br) = get_encoded(&css, "gzip, deflate, br").await;
    assert_eq!(br_headers["content-encoding"], "br");
    assert!(
        br.len() * 5 < plain.len(),
        "brotli: {} of {}",
        br.len(),
        plain.len()
    );
    let (_, gz_headers, gz) = get_encoded(&css, "gzip").await;
    assert_eq!(gz_headers["content-encoding"], "gzip");
    assert_eq!(gunzip(&gz), plain, "gzip gives back the same bytes");
    // A refusal (q=0) is honoured, and a wildcard counts.
    let (_, h, _) = get_encoded(&css, "br;q=0, gzip").await;
    assert_eq!(h["content-encoding"], "gzip");
    let (_, h, _) = get_encoded(&css, "*").await;
    assert_eq!(h["content-encoding"], "br");
    let (_, h, _) = get_encoded(&css, "identity, *;q=0").await;
    assert!(h.get("content-encoding").is_none());

    // Pages too, when nothing secret or personal is on them.
    let (_, plain_headers, plain_home) = get_encoded("/", "").await;
    assert!(plain_headers.get("content-encoding").is_none());
    let (_, h, gz_home) = get_encoded("/", "gzip").await;
    assert_eq!(h["content-encoding"], "gzip");
    assert!(
        h["vary"]
            .to_str()
            .expect("ascii")
            .contains("accept-encoding"),
        "{h:?}"
    );
    assert_eq!(gunzip(&gz_home), plain_home);
    // Never a no-store response: see diary.rs, `no_store_pages_are_never_compressed`.
}

/// The stylesheet is compiled from the design system's Sass with only the components the site
/// uses (`crates/web/frontend/legcramps.scss`): every `nhsuk-` class a template, the Rust code
/// or app.js writes has its rule in it, so a component added to a page but not to the Sass list
/// fails here, not in front of a person.
#[tokio::test]
async fn the_stylesheet_has_every_component_the_pages_use() {
    // Classes the design system itself gives no rule (markers for its scripts, or names kept
    // for markup only), and the package's own name where the code names it.
    const NO_RULE: [&str; 5] = [
        "nhsuk-frontend",
        "nhsuk-contents-list",
        "nhsuk-header__navigation-item--current",
        "nhsuk-pagination__link--next",
        "nhsuk-pagination__link--prev",
    ];
    let home = get("/").await;
    let css_path = home.body[home.body.find("/assets/nhsuk-").expect("css")..]
        .split('"')
        .next()
        .expect("path")
        .to_owned();
    let css = get(&css_path).await.body;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut sources = String::new();
    // Every file below templates/ and src/, folders included.
    let mut folders = vec![dir.join("templates"), dir.join("src")];
    let mut files = 0;
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(folder).expect("dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                folders.push(path);
            } else {
                sources.push_str(&std::fs::read_to_string(&path).expect("a text file"));
                files += 1;
            }
        }
    }
    assert!(files > 40, "read {files} files");
    sources.push_str(&std::fs::read_to_string(dir.join("static/app.js")).expect("app.js"));
    let mut classes: Vec<&str> = sources
        .match_indices("nhsuk-")
        .map(|(i, _)| {
            let tail = &sources[i..];
            let end = tail
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .unwrap_or(tail.len());
            &tail[..end]
        })
        .filter(|c| !c.ends_with('-') && !NO_RULE.contains(c))
        .collect();
    classes.sort_unstable();
    classes.dedup();
    assert!(classes.len() > 50, "found the classes: {}", classes.len());
    // The page's font is set (the design system sets it only with its Frutiger fonts).
    assert!(
        css.contains("html{font-family:arial,sans-serif}"),
        "the page's font is not set"
    );
    assert!(!css.contains("@font-face") && !css.contains("Frutiger"));
    let missing: Vec<&&str> = classes
        .iter()
        .filter(|c| {
            !css.match_indices(&format!(".{c}")).any(|(i, m)| {
                css[i + m.len()..]
                    .chars()
                    .next()
                    .is_none_or(|n| !(n.is_ascii_alphanumeric() || n == '-' || n == '_'))
            })
        })
        .collect();
    assert!(
        missing.is_empty(),
        "no rule for {missing:?}: add the component to crates/web/frontend/legcramps.scss"
    );
}

/// Issue 18, finding 24: the stretch page says not to stretch a leg with the signs of a clot,
/// before the steps, and has "Get help now".
#[tokio::test]
async fn the_stretch_page_has_the_clot_caution_and_get_help_now() {
    let page = get("/stretches").await;
    assert_eq!(page.status, axum::http::StatusCode::OK);
    let caution = page
        .body
        .find("Do not stretch a leg that is swollen, warm, or red or darker.")
        .expect("the caution");
    let steps = page.body.find("<h3>Steps</h3>").expect("the steps");
    assert!(caution < steps);
    assert!(page.body.contains("Get help now"));
}

/// Issue 21, finding 4: installable on an iPhone. Every page names a 180 px PNG
/// `apple-touch-icon` (iOS ignores SVG icons), and the manifest lists PNG icons of 192 and 512
/// px and a maskable one, each a real PNG of that size.
#[tokio::test]
async fn iphones_and_android_get_png_icons() {
    let home = get("/").await.body;
    let apple = home
        .split("<link rel=\"apple-touch-icon\" href=\"")
        .nth(1)
        .and_then(|v| v.split('"').next())
        .expect("an apple-touch-icon on every page")
        .to_owned();
    let png_size = |bytes: &[u8]| -> (u32, u32) {
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "a PNG");
        let be =
            |i: usize| u32::from_be_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
        (be(16), be(20))
    };
    let fetch = |url: String| async move {
        use http_body_util::BodyExt;
        use tower::ServiceExt;
        let r = legcramps_web::router()
            .oneshot(
                axum::http::Request::builder()
                    .uri(url)
                    .header("host", "127.0.0.1:8080")
                    .body(axum::body::Body::empty())
                    .expect("request"),
            )
            .await
            .expect("an answer");
        assert_eq!(r.headers()["content-type"], "image/png");
        r.into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes()
            .to_vec()
    };
    assert_eq!(png_size(&fetch(apple).await), (180, 180));
    let m: serde_json::Value =
        serde_json::from_str(&get("/manifest.webmanifest").await.body).expect("json");
    let icons = m["icons"].as_array().expect("icons");
    let mut seen = Vec::new();
    for icon in icons.iter().filter(|i| i["type"] == "image/png") {
        let (w, h) = png_size(&fetch(icon["src"].as_str().expect("src").to_owned()).await);
        assert_eq!(icon["sizes"], format!("{w}x{h}"));
        seen.push((w, icon["purpose"].as_str().expect("purpose").to_owned()));
    }
    seen.sort();
    assert_eq!(
        seen,
        vec![
            (192, "any".to_owned()),
            (512, "any".to_owned()),
            (512, "maskable".to_owned())
        ]
    );
}
