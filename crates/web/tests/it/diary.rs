//! The web diary through the real app, on a fresh SQLite diary per test.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use chrono::Utc;
use legcramps_core::patterns::Settings;
use legcramps_store::{Owner, Store};
use legcramps_web::{AppConfig, DiaryAccess, app};

use crate::support::{Reply, send_to};

struct Diary {
    store: Store,
    dir: std::path::PathBuf,
}

impl Diary {
    async fn new() -> Self {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "legcramps_web_diary_{}_{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        Diary {
            store: Store::open_sqlite(&dir).await.expect("store"),
            dir,
        }
    }

    fn app(&self) -> axum::Router {
        app(AppConfig {
            diary: DiaryAccess::On {
                store: self.store.clone(),
                hosts: legcramps_web::HostCheck::Loopback,
            },
            settings: Settings::default(),
            time_zone: legcramps_web::UK_TIME,
            nhs_111_online: None,
            push: None,
        })
    }

    async fn request(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> Reply {
        let mut b = Request::builder()
            .method(method)
            .uri(path)
            .header("host", "127.0.0.1:8080");
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        send_to(
            self.app(),
            b.body(Body::from(body.to_owned())).expect("request"),
        )
        .await
    }

    async fn get(&self, path: &str) -> Reply {
        self.request(Method::GET, path, &[], "").await
    }

    async fn post_form(&self, path: &str, pairs: &[(&str, &str)]) -> Reply {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        self.request(
            Method::POST,
            path,
            &[
                ("content-type", "application/x-www-form-urlencoded"),
                ("sec-fetch-site", "same-origin"),
            ],
            &body,
        )
        .await
    }

    async fn count(&self) -> usize {
        self.store
            .list(&Owner::local(), None, None)
            .await
            .expect("list")
            .len()
    }

    async fn finish(self) {
        self.store.close().await;
        let _ = std::fs::remove_dir_all(self.dir);
    }
}

const GOOD: &[(&str, &str)] = &[
    ("start-day", "20"),
    ("start-month", "11"),
    ("start-year", "2026"),
    ("start-time", "02:10"),
    ("offset", "+00:00"),
    ("minutes", "3"),
    ("site", "calf"),
    ("side", "left"),
    ("asleep", "asleep"),
    ("eased", "yes"),
    ("severity", "moderate"),
    ("note", "woke me up"),
    ("exercise", "yes"),
];

fn with(changes: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<(&str, &str)> = GOOD
        .iter()
        .filter(|(k, _)| !changes.iter().any(|(c, _)| c == k))
        .copied()
        .collect();
    out.extend(changes.iter().filter(|(_, v)| !v.is_empty()).copied());
    out
}

#[tokio::test]
async fn without_a_diary_the_pages_say_why() {
    let r = send_to(
        legcramps_web::router(),
        Request::builder()
            .uri("/diary")
            .body(Body::empty())
            .expect("req"),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("The diary is off on this server"));
    assert!(r.body.contains("--single-user"));
    let api = send_to(
        legcramps_web::router(),
        Request::builder()
            .uri("/api/v1/episodes")
            .body(Body::empty())
            .expect("req"),
    )
    .await;
    assert_eq!(api.status, StatusCode::FORBIDDEN);
    assert_eq!(api.headers["content-type"], "application/problem+json");
}

#[tokio::test]
async fn logging_a_cramp_without_javascript() {
    let d = Diary::new().await;
    let r = d.post_form("/diary", GOOD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.headers["location"], "/diary?logged=1");
    let list = d.get("/diary?logged=1").await;
    assert!(list.body.contains("Your cramp has been logged."));
    assert!(list.body.contains("Fri 20 Nov, 02:10"));
    assert!(list.body.contains("3 minutes"));
    assert!(list.body.contains("woke me up"));
    assert_eq!(list.headers["cache-control"], "no-store");
    let stored = d
        .store
        .list(&Owner::local(), None, None)
        .await
        .expect("list");
    assert_eq!(stored.len(), 1);
    assert!(stored[0].context.exercise);
    // Medicines and pregnancy are not asked with each cramp: the form says where they are.
    let form = d.get("/diary/new").await.body;
    assert!(form.contains("href=\"/diary/profile\""), "{form}");
    assert!(!form.contains("name=\"pregnant\"") && !form.contains("name=\"medication\""));
    d.finish().await;
}

#[tokio::test]
async fn the_quick_log_takes_three_choices_and_the_rest_can_wait() {
    let d = Diary::new().await;
    let first = d.get("/diary").await;
    assert!(
        first.body.contains("action=\"/diary/quick\""),
        "the quick log is on the diary's first screen"
    );
    // Just now, left leg, moderate: the severity button saves.
    let r = d
        .post_form(
            "/diary/quick",
            &[("when", "now"), ("side", "left"), ("severity", "moderate")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let location = r.headers["location"].to_str().expect("location").to_owned();
    let stored = d
        .store
        .list(&Owner::local(), None, None)
        .await
        .expect("list");
    assert_eq!(stored.len(), 1);
    let e = &stored[0];
    assert_eq!(location, format!("/diary?quick={}", e.id));
    assert_eq!(
        (e.duration, e.site, e.asleep, e.eased),
        (None, None, None, None)
    );
    assert!(!e.last_night);
    assert!(
        (Utc::now() - e.start.to_utc()).num_seconds().abs() < 120,
        "logged at the time now: {}",
        e.start
    );
    let page = d.get(&location).await;
    assert!(page.body.contains("Your cramp has been logged."));
    assert!(
        page.body
            .contains(&format!("href=\"/diary/{}/edit\"", e.id)),
        "offers to add more"
    );
    // The whole safety net after a log (issue 18, finding 6): 999, the clot signs and the
    // 10-minute rule, and the "Get help now" box on the diary page.
    for line in legcramps_core::diary::LOG_SAFETY_NET {
        assert!(
            page.body.contains(&crate::support::escape(line.text)),
            "missing after a log: {}",
            line.text
        );
    }
    assert!(page.body.contains("Get help now"));
    let plain = d.get("/diary").await;
    assert!(plain.body.contains("Get help now"), "on every diary page");
    assert!(
        !plain
            .body
            .contains(legcramps_core::diary::LOG_SAFETY_NET[0].text),
        "the net after a log is said after a log, not on every visit"
    );
    assert!(
        page.body.contains("not logged"),
        "missing details are said, not guessed"
    );
    assert!(page.body.contains("left leg"));

    // Last night: kept as the night, not as a made-up time.
    let r = d
        .post_form(
            "/diary/quick",
            &[
                ("when", "last-night"),
                ("side", "both"),
                ("severity", "severe"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let stored = d
        .store
        .list(&Owner::local(), None, None)
        .await
        .expect("list");
    let night = stored
        .iter()
        .find(|e| e.last_night)
        .expect("a last-night cramp");
    // "Last night, in my sleep" is a cramp that woke them: it counts towards nights with a
    // cramp in sleep (issue 18, finding 9); "just now" does not say.
    assert_eq!(night.asleep, Some(true));
    assert!(stored.iter().any(|e| !e.last_night && e.asleep.is_none()));
    let summary = d.get("/diary/summary").await.body;
    assert!(
        summary.contains("(1 cramp not saying asleep or awake)"),
        "{summary}"
    );
    let uk = night.start.with_timezone(&chrono_tz::Europe::London);
    // 03:00 this morning, or, when the test runs before 03:00, the time now (never later).
    let now_uk = Utc::now().with_timezone(&chrono_tz::Europe::London);
    assert!(uk.naive_local() <= now_uk.naive_local());
    assert!(
        uk.format("%H:%M").to_string() == "03:00"
            || now_uk.naive_local().time() < legcramps_core::diary::LAST_NIGHT_AT
    );
    let list = d.get("/diary").await.body;
    assert!(list.contains("Night of "), "{list}");
    assert!(
        !list.contains(", 03:00"),
        "the stand-in time is never shown"
    );
    // Its edit form keeps it as last night while the time is left empty...
    let edit = d.get(&format!("/diary/{}/edit", night.id)).await.body;
    assert!(edit.contains("name=\"last-night\" value=\"yes\""));
    assert!(edit.contains(
        "id=\"start-time\" name=\"start-time\" type=\"text\" inputmode=\"numeric\" value=\"\""
    ));
    let date = uk.date_naive();
    let (day, month, year) = (
        date.format("%-d").to_string(),
        date.format("%-m").to_string(),
        date.format("%Y").to_string(),
    );
    let r = d
        .post_form(
            &format!("/diary/{}", night.id),
            &[
                ("start-day", &day),
                ("start-month", &month),
                ("start-year", &year),
                ("start-time", ""),
                ("last-night", "yes"),
                ("side", "both"),
                ("severity", "severe"),
                ("minutes", "2"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let again = d
        .store
        .get(&Owner::local(), &night.id)
        .await
        .expect("get")
        .expect("there");
    assert!(again.last_night);
    assert_eq!(again.duration.map(|d| d.seconds()), Some(120));
    assert_eq!(again.start, night.start);

    // Another time: on to the full form, with the leg and how bad filled in, and no time.
    let r = d
        .post_form(
            "/diary/quick",
            &[("when", "other"), ("side", "right"), ("severity", "mild")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.headers["location"], "/diary/new?side=right&severity=mild");
    let form = d.get("/diary/new?side=right&severity=mild").await.body;
    assert!(form.contains("value=\"right\" checked"), "{form}");
    assert!(form.contains("value=\"mild\" checked"));
    assert!(form.contains(
        "id=\"start-time\" name=\"start-time\" type=\"text\" inputmode=\"numeric\" value=\"\""
    ));
    assert_eq!(
        d.store
            .list(&Owner::local(), None, None)
            .await
            .expect("list")
            .len(),
        2
    );

    // A missing choice: the page again, the problems in page order, the choices kept, nothing
    // stored.
    let r = d
        .post_form("/diary/quick", &[("when", "now"), ("severity", "mild")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("<title>Error: "), "{}", r.body);
    assert!(r.body.contains("href=\"#side\">Select which leg"));
    assert!(r.body.contains("value=\"now\" checked"));
    let r = d
        .post_form("/diary/quick", &[("side", "left"), ("when", "tomorrow")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let when = r.body.find("href=\"#when\"").expect("when error");
    let severity = r.body.find("href=\"#severity\"").expect("severity error");
    assert!(when < severity, "the summary follows the page");
    assert!(
        !r.body.contains("href=\"#side\""),
        "only the choice at fault"
    );
    assert_eq!(
        d.store
            .list(&Owner::local(), None, None)
            .await
            .expect("list")
            .len(),
        2
    );
    d.finish().await;
}

#[tokio::test]
async fn only_the_date_box_at_fault_is_marked_and_what_was_typed_is_kept() {
    let d = Diary::new().await;
    for (field, value) in [
        ("start-month", "13"),
        ("start-year", "26"),
        ("start-day", "x"),
    ] {
        let r = d
            .post_form("/diary", &with(&[(field, value), ("minutes", "lots")]))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let marked: Vec<&str> = ["start-day", "start-month", "start-year"]
            .into_iter()
            .filter(|id| {
                r.body.split("<input").any(|input| {
                    input.contains(&format!("id=\"{id}\"")) && input.contains("nhsuk-input--error")
                })
            })
            .collect();
        assert_eq!(marked, vec![field], "only {field} is marked");
        assert!(
            r.body
                .contains(&format!("href=\"#{field}\">Enter a real date"))
        );
        assert!(
            r.body.contains(&format!("value=\"{value}\"")),
            "what was typed is kept"
        );
        // The summary is in page order: the date before the length.
        let date = r
            .body
            .find(&format!("href=\"#{field}\""))
            .expect("date error");
        let minutes = r.body.find("href=\"#minutes\"").expect("minutes error");
        assert!(date < minutes);
    }
    assert_eq!(d.count().await, 0);
    d.finish().await;
}

#[tokio::test]
async fn what_helped_and_what_came_before_are_ticked_and_compared() {
    let d = Diary::new().await;
    let empty = d
        .get("/diary/patterns?from=2026-11-01&to=2026-11-30")
        .await
        .body;
    assert!(empty.contains("Nothing ticked yet."));
    // Stretched on three nights, not on three others.
    for (day, helped) in [
        ("10", true),
        ("11", true),
        ("12", true),
        ("13", false),
        ("14", false),
        ("15", false),
    ] {
        let mut form = with(&[("start-day", day)]);
        if helped {
            form.push(("helped", "stretched"));
            form.push(("suspected", "caffeine"));
        }
        let r = d.post_form("/diary", &form).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let stored = d
        .store
        .list(&Owner::local(), None, None)
        .await
        .expect("list");
    assert_eq!(
        stored
            .iter()
            .filter(|e| e.context.helped == vec![legcramps_core::diary::Helped::Stretched])
            .count(),
        3
    );
    // The edit form keeps the ticks.
    let ticked = stored
        .iter()
        .find(|e| !e.context.helped.is_empty())
        .expect("one");
    let edit = d.get(&format!("/diary/{}/edit", ticked.id)).await.body;
    assert!(edit.contains("value=\"stretched\" checked"), "{edit}");
    // An older entry keeps a choice no longer offered (issue 18, finding 13), ticked.
    assert!(edit.contains("value=\"caffeine\" checked"));
    // A new entry is offered only what a source supports.
    let new = d.get("/diary/new").await.body;
    for gone in ["massaged", "warmth", "long-standing", "alcohol", "caffeine"] {
        assert!(
            !new.contains(&format!("value=\"{gone}\"")),
            "{gone} offered"
        );
    }
    assert!(new.contains("value=\"stretched\"") && new.contains("value=\"walked\""));
    let page = d
        .get("/diary/patterns?from=2026-11-01&to=2026-11-30")
        .await
        .body;
    assert!(page.contains("I stretched</td>"), "{page}");
    assert!(page.contains("3 minutes with; 3 minutes without"), "{page}");
    // A choice that is not offered is an error naming the box, and nothing is stored.
    let r = d.post_form("/diary", &with(&[("helped", "yoga")])).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("href=\"#helped\""));
    assert_eq!(d.count().await, 6);
    d.finish().await;
}

#[tokio::test]
async fn no_store_pages_are_never_compressed() {
    // Health data, or the anti-forgery token beside what the person typed: compressing such a
    // page would let a page elsewhere learn it from the sizes (BREACH; docs/security.md).
    let d = Diary::new().await;
    let r = d.post_form("/diary", GOOD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    for path in ["/diary", "/diary/patterns", "/diary/summary", "/diary/new"] {
        let r = d
            .request(
                Method::GET,
                path,
                &[("accept-encoding", "gzip, deflate, br")],
                "",
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert_eq!(r.headers["cache-control"], "no-store", "{path}");
        assert!(
            r.headers.get("content-encoding").is_none(),
            "{path} was compressed"
        );
    }
    // An error page that shows what was typed, too.
    let r = d
        .request(
            Method::POST,
            "/diary",
            &[
                ("accept-encoding", "gzip, br"),
                ("content-type", "application/x-www-form-urlencoded"),
            ],
            "minutes=lots&side=left&severity=mild",
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.headers.get("content-encoding").is_none());
    d.finish().await;
}

#[tokio::test]
async fn date_ranges_have_presets_as_well_as_dates() {
    let d = Diary::new().await;
    // One cramp a year ago, one today (the quick log).
    let r = d.post_form("/diary", GOOD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = d
        .post_form(
            "/diary/quick",
            &[("when", "now"), ("side", "left"), ("severity", "mild")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    for path in ["/diary/patterns", "/diary/summary"] {
        let page = d.get(path).await.body;
        assert!(
            page.contains("<strong aria-current=\"page\">Last 12 weeks</strong>"),
            "the default is named: {page}"
        );
        assert!(page.contains(&format!("href=\"{path}?weeks=4\">Last 4 weeks</a>")));
        let four = d.get(&format!("{path}?weeks=4")).await.body;
        assert!(four.contains("<strong aria-current=\"page\">Last 4 weeks</strong>"));
        let all = d.get(&format!("{path}?weeks=all")).await.body;
        assert!(all.contains("<strong aria-current=\"page\">Everything</strong>"));
        assert!(
            all.contains("2 cramps") || all.contains(">2<"),
            "everything has both: {all}"
        );
        // Dates of one's own: no preset is marked, and the date boxes are open.
        let own = d
            .get(&format!("{path}?from=2026-11-01&to=2026-11-30"))
            .await
            .body;
        assert!(!own.contains("aria-current=\"page\">Last"));
        assert!(own.contains("<details class=\"nhsuk-details\" open>"));
        let bad = d.get(&format!("{path}?weeks=5")).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert!(
            bad.body.contains(
                "Choose the last 4 weeks, the last 12 weeks or everything, or enter your own dates"
            ),
            "{}",
            bad.body
        );
    }
    d.finish().await;
}

#[tokio::test]
async fn a_red_flag_shows_the_urgent_advice_at_once() {
    let d = Diary::new().await;
    let r = d
        .post_form("/diary", &with(&[("minutes", "12"), ("eased", "no")]))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    // Logged days after it happened: tell the GP, naming the date; no "phone 111 now".
    assert!(
        r.body.contains("Tell your GP about this cramp"),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains("The cramp on Fri 20 Nov at 02:10 lasted 12 minutes")
    );
    assert!(!r.body.contains("href=\"tel:111\""));
    assert_eq!(d.count().await, 1, "it is stored as well");
    // "Not sure" whether it eased is read the safe way.
    let r = d
        .post_form("/diary", &with(&[("minutes", "11"), ("eased", "unsure")]))
        .await;
    assert!(r.body.contains("you were not sure if moving eased it"));
    // People round: a 10-minute cramp that did not ease may have been longer, so it counts.
    let r = d
        .post_form("/diary", &with(&[("minutes", "10"), ("eased", "no")]))
        .await;
    assert!(r.body.contains("Tell your GP about this cramp"));
    let r = d
        .post_form("/diary", &with(&[("minutes", "9"), ("eased", "no")]))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    d.finish().await;
}

#[tokio::test]
async fn a_recent_red_flag_says_phone_111_now_with_its_time() {
    let d = Diary::new().await;
    let when = chrono::Utc::now() - chrono::Duration::minutes(30);
    let (day, month, year, time) = (
        when.format("%-d").to_string(),
        when.format("%-m").to_string(),
        when.format("%Y").to_string(),
        when.format("%H:%M").to_string(),
    );
    let mut form: Vec<(&str, &str)> = with(&[("minutes", "12"), ("eased", "no")])
        .into_iter()
        .filter(|(k, _)| !k.starts_with("start-"))
        .collect();
    form.extend([
        ("start-day", day.as_str()),
        ("start-month", month.as_str()),
        ("start-year", year.as_str()),
        ("start-time", time.as_str()),
    ]);
    let r = d.post_form("/diary", &form).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // One message with the surgery-or-111 choice (the diary cannot know the surgery's hours).
    assert!(
        r.body
            .contains("<h1>Phone your GP surgery now, or 111 if it is closed</h1>"),
        "{}",
        r.body
    );
    assert!(r.body.contains("nhsuk-card--care--urgent"));
    assert_eq!(r.body.matches("href=\"tel:111\"").count(), 1);
    assert!(r.body.contains(&format!("at {time} lasted 12 minutes")));
    d.finish().await;
}

#[tokio::test]
async fn bad_input_names_each_field_and_stores_nothing() {
    let d = Diary::new().await;
    for (changes, id, message) in [
        (
            &[("start-day", "30"), ("start-month", "2")][..],
            "start-day",
            "Enter a real date",
        ),
        (
            &[("start-time", "25:99")][..],
            "start-time",
            "24-hour clock",
        ),
        (
            &[("start-year", "2099")][..],
            "start-day",
            "must not be in the future",
        ),
        (&[("minutes", "-1")][..], "minutes", "must not be negative"),
        (&[("minutes", "0")][..], "minutes", "at least 1 second"),
        // "1:30" could be a minute and a half or an hour and a half: never guessed.
        (
            &[("minutes", "1:30")][..],
            "minutes",
            "could be minutes and seconds or hours and minutes",
        ),
        (
            &[("minutes", "5000")][..],
            "minutes",
            "at most 1440 minutes",
        ),
        (
            &[("minutes", "lots")][..],
            "minutes",
            "like 3, 2 mins, 90s, 1 min 30 or 1 hour",
        ),
        (&[("side", "")][..], "side", "Select which leg"),
        (&[("site", "arm")][..], "site", ""),
        (&[("severity", "")][..], "severity", "Select how bad"),
    ] {
        let r = d.post_form("/diary", &with(changes)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{changes:?}");
        assert!(r.body.contains("There is a problem"), "{changes:?}");
        assert!(
            r.body.contains(&format!("href=\"#{id}\"")),
            "{changes:?}: no error linked to #{id}"
        );
        assert!(r.body.contains(message), "{changes:?}: {message}");
    }
    let long_note = "x".repeat(501);
    let r = d
        .post_form(
            "/diary",
            &with(&[("note", "")])
                .into_iter()
                .chain([("note", long_note.as_str())])
                .collect::<Vec<_>>(),
        )
        .await;
    assert!(r.body.contains("501 characters"));
    assert_eq!(d.count().await, 0, "nothing partial is stored");
    // What was typed is kept.
    let r = d.post_form("/diary", &with(&[("minutes", "lots")])).await;
    assert!(r.body.contains("value=\"lots\""));
    assert!(r.body.contains("woke me up"));
    d.finish().await;
}

#[tokio::test]
async fn edit_and_delete() {
    let d = Diary::new().await;
    d.post_form("/diary", GOOD).await;
    let id = d
        .store
        .list(&Owner::local(), None, None)
        .await
        .expect("list")[0]
        .id
        .to_string();
    let form = d.get(&format!("/diary/{id}/edit")).await;
    assert!(form.body.contains("value=\"3\""), "the form is filled in");
    let r = d
        .post_form(&format!("/diary/{id}"), &with(&[("minutes", "4.5")]))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        d.store
            .list(&Owner::local(), None, None)
            .await
            .expect("list")[0]
            .duration
            .map(|d| d.seconds()),
        Some(270)
    );
    assert_eq!(
        d.get("/diary/nope/edit").await.status,
        StatusCode::NOT_FOUND
    );
    assert!(
        d.get(&format!("/diary/{id}/delete"))
            .await
            .body
            .contains("Delete this cramp?")
    );
    let r = d.post_form(&format!("/diary/{id}/delete"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(d.count().await, 0);
    d.finish().await;
}

/// Hardening finding 6 was an offset field that could overflow. Issue 9 removed the field: the
/// form's date and time are read in the server's zone (UK time by default), so no offset a
/// client sends is read at all; summer and winter times get their own offsets; the hour the
/// clocks skip is an error that says so, and the hour that happens twice is the first.
#[tokio::test]
async fn times_are_read_in_uk_time_and_no_offset_is_taken_from_the_form() {
    let d = Diary::new().await;
    let r = d
        .post_form("/diary", &with(&[("offset", "+1193046:00")]))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "a sent offset is ignored");
    let form = d.get("/diary/new").await.body;
    assert!(form.contains("Time it started (UK time)"), "{form}");
    assert!(!form.contains("UTC"), "never UTC+00:00 on the form");
    // Summer: 02:10 in UK time is 01:10 UTC.
    let r = d
        .post_form(
            "/diary",
            &with(&[
                ("start-day", "20"),
                ("start-month", "7"),
                ("note", "summer"),
            ]),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let json = d.get("/diary/export.json").await.body;
    assert!(json.contains("2026-07-20T02:10:00+01:00"), "{json}");
    assert!(json.contains("2026-11-20T02:10:00+00:00"), "{json}");
    // 29 March 2026: the clocks went forward at 01:00, so 01:30 never happened.
    let r = d
        .post_form(
            "/diary",
            &with(&[
                ("start-day", "29"),
                ("start-month", "3"),
                ("start-time", "01:30"),
            ]),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("01:30 did not happen on that day in UK time"),
        "{}",
        r.body
    );
    // 25 October 2026: 01:30 happened twice; the first (British Summer Time) is taken.
    let r = d
        .post_form(
            "/diary",
            &with(&[
                ("start-day", "25"),
                ("start-month", "10"),
                ("start-time", "01:30"),
            ]),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        d.get("/diary/export.json")
            .await
            .body
            .contains("2026-10-25T01:30:00+01:00")
    );
    d.finish().await;
}

/// With `--single-user` on an address others can reach, only the allowed names get the diary.
#[tokio::test]
async fn an_allow_list_of_hosts_refuses_every_other_name() {
    let d = Diary::new().await;
    let app = || {
        app(AppConfig {
            diary: DiaryAccess::On {
                store: d.store.clone(),
                hosts: legcramps_web::HostCheck::Allowed(vec!["cramps.example.org".into()]),
            },
            settings: Settings::default(),
            time_zone: legcramps_web::UK_TIME,
            nhs_111_online: None,
            push: None,
        })
    };
    for (host, status) in [
        (Some("cramps.example.org"), StatusCode::OK),
        (Some("CRAMPS.example.org:443"), StatusCode::OK),
        (Some("rebind.evil.example"), StatusCode::FORBIDDEN),
        (Some("localhost"), StatusCode::FORBIDDEN),
        (None, StatusCode::FORBIDDEN),
    ] {
        let mut req = Request::builder().uri("/diary");
        if let Some(h) = host {
            req = req.header("host", h);
        }
        let r = send_to(app(), req.body(Body::empty()).expect("req")).await;
        assert_eq!(r.status, status, "{host:?}");
    }
    d.finish().await;
}

#[tokio::test]
async fn guards_refuse_other_hosts_and_cross_site_posts() {
    let d = Diary::new().await;
    d.post_form("/diary", GOOD).await;
    let req = Request::builder()
        .uri("/diary/export.json")
        .header("host", "evil.example:8080")
        .body(Body::empty())
        .expect("req");
    let r = send_to(d.app(), req).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(!r.body.contains("calf"), "nothing of the diary is shown");
    for host in ["localhost:8080", "127.0.0.1", "[::1]:8080"] {
        let req = Request::builder()
            .uri("/diary")
            .header("host", host)
            .body(Body::empty())
            .expect("req");
        assert_eq!(send_to(d.app(), req).await.status, StatusCode::OK, "{host}");
    }
    let r = d
        .request(
            Method::POST,
            "/diary/delete-all",
            &[
                ("content-type", "application/x-www-form-urlencoded"),
                ("sec-fetch-site", "cross-site"),
            ],
            "confirm=yes",
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = d
        .request(
            Method::POST,
            "/diary/delete-all",
            &[
                ("content-type", "application/x-www-form-urlencoded"),
                ("origin", "http://evil.example"),
            ],
            "confirm=yes",
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(d.count().await, 1, "nothing was deleted");
    let r = d
        .post_form("/diary/delete-all", &[("confirm", "yes")])
        .await;
    assert!(r.body.contains("Your diary has been deleted"));
    assert_eq!(d.count().await, 0);
    d.finish().await;
}

#[tokio::test]
async fn patterns_and_the_gp_summary_show_the_counts() {
    let d = Diary::new().await;
    for (day, minutes, eased) in [
        ("16", "2", "yes"),
        ("17", "3", "yes"),
        ("18", "12", "no"),
        ("19", "1", "yes"),
    ] {
        d.post_form(
            "/diary",
            &with(&[("start-day", day), ("minutes", minutes), ("eased", eased)]),
        )
        .await;
    }
    let added = d
        .post_form(
            "/diary/profile/medicines",
            &[
                ("name", "Example tablets"),
                ("started-day", "18"),
                ("started-month", "11"),
                ("started-year", "2026"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let r = d.get("/diary/patterns?from=2026-11-01&to=2026-11-30").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("4 cramps logged"));
    assert_eq!(
        r.body.matches("role=\"img\"").count(),
        4,
        "four charts, each an image with a text alternative"
    );
    // Issue 9: the weeks begin with the first cramp (16 November), not with the range (the
    // two empty weeks before the diary began are not zeros); the week the range cuts (30
    // November, one day of it) is a part week; the dashed line is the "frequent" setting.
    assert!(
        r.body.contains("<desc id=\"per-week-desc\">4 cramps over 3 weeks; the most in one week was 4, in the week starting 16 November 2026. Hatched bars are part weeks: the week starting 30 November 2026 counts 1 day only. A solid upright line marks the week Example tablets started on 18 November 2026. The dashed line is where the diary calls cramps frequent, 3 a week, a setting of the app.</desc>"),
        "{}",
        r.body
    );
    assert!(r.body.contains("30 Nov 2026 (part week: 1 day)"));
    // The leg diagram: as the person sees their own legs (left on the left), labelled, a
    // both-legs cramp counted once for each leg, and it says so.
    let left = r.body.find(">Your left leg</text>").expect("left labelled");
    let right = r
        .body
        .find(">Your right leg</text>")
        .expect("right labelled");
    assert!(left < right, "the left leg is drawn first, on the left");
    assert!(
        r.body
            .contains("counting a cramp in both legs once for each leg")
    );
    // What the lines and hatching mean is in a key beside the chart, where words cannot
    // overlap (issue 21, findings 6 and 13).
    assert!(
        r.body
            .contains("<li>Dashed line: frequent, 3 a week (a setting of the app)</li>")
    );
    assert!(r.body.contains("<li>Hatched bar: part of a week only</li>"));
    assert!(
        r.body
            .contains("<li>1: Example tablets started, 18 Nov 2026</li>")
    );
    // The time of day runs from 18:00, so the night is one piece: the first bar is 18.
    let hours = r
        .body
        .split("id=\"by-hour-desc\"")
        .nth(1)
        .unwrap_or_default();
    let first_label = hours
        .split("text-anchor=\"middle\" fill=\"#212b32\">")
        .nth(1)
        .and_then(|t| t.split('<').next());
    assert_eq!(first_label, Some("18"));
    assert!(
        r.body.contains("Frequent cramps"),
        "the GP trigger is shown"
    );
    assert!(r.body.contains("4 cramps in the week of 16 Nov 2026"));
    assert!(r.body.contains("not a clinical threshold"));
    assert!(r.body.contains("href=\"/check\""));
    assert!(r.body.contains("needed a GP urgently"));
    let s = d.get("/diary/summary?from=2026-11-01&to=2026-11-30").await;
    assert!(s.body.contains("Leg cramps: summary for my GP"));
    assert!(
        s.body
            .contains("Cramps of 10 minutes or more that did not ease when I moved")
    );
    // As a GP reads it: who (blank, to fill in by hand), the period, the headline figures,
    // red flags, medicines with their rates, the two charts, checks, then the questions.
    let order = [
        "<th scope=\"row\">Name</th><td></td>",
        "<th scope=\"row\">NHS or CHI number</th><td></td>",
        "Period: ",
        "<th scope=\"row\">Cramps</th>",
        "4 (1.9 a week), 16 Nov to 30 Nov 2026",
        "<th scope=\"row\">Nights with a cramp in sleep</th>",
        "<th scope=\"row\">Longest</th><td>12 minutes</td>",
        "<th scope=\"row\">At night</th>",
        "Cramps of 10 minutes or more that did not ease when I moved",
        "<h2>Medicines and health</h2>",
        // Two days of diary before it started: not compared (issue 18, finding 8), and the
        // never-stop line always: once under the medicines on the one page (issue 21,
        // finding 5), with each in the full record.
        "Example tablets, from 18 Nov 2026. Not compared: that needs 4 weeks of this diary before it started and 4 weeks while taken (a setting).",
        "None of these figures shows whether a medicine causes or eases cramps. Never stop a prescribed medicine without speaking to a GP or pharmacist.",
        "<h2>Cramps per week</h2>",
        "A solid upright line marks the week Example tablets started on 18 November 2026.",
        "My questions for the GP",
    ];
    let mut at = 0;
    for piece in order {
        let found = s.body[at..]
            .find(piece)
            .unwrap_or_else(|| panic!("{piece:?} missing or out of order: {}", s.body));
        at += found + piece.len();
    }
    // "A setting of the app" once, in small print; never a UTC offset.
    assert_eq!(
        s.body.matches("settings of the app").count(),
        1,
        "{}",
        s.body
    );
    // Once in the chart's text alternative, once in its key (the words seen on the page).
    assert_eq!(s.body.matches("a setting of the app").count(), 2);
    assert!(!s.body.contains("UTC"), "{}", s.body);
    assert!(s.body.contains(", UK time,"));
    let bad = d.get("/diary/summary?from=2026-13-01").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    d.finish().await;
}

#[tokio::test]
async fn downloads() {
    let d = Diary::new().await;
    d.post_form("/diary", GOOD).await;
    let csv = d.get("/diary/export.csv").await;
    assert!(
        csv.headers["content-disposition"]
            .to_str()
            .expect("ascii")
            .starts_with("attachment")
    );
    assert!(
        csv.body
            .starts_with("id,start,duration_seconds,site,side,asleep,eased,severity,note,")
    );
    assert!(csv.body.contains("\r\n"));
    let fhir = d.get("/diary/export.fhir.json").await;
    assert!(fhir.body.contains("\"55300003\""));
    assert!(fhir.body.contains("\"resourceType\": \"Bundle\""));
    let json = d.get("/diary/export.json").await;
    assert!(json.body.contains("\"format\": \"legcramps-diary\""));
    let ics = d.get("/diary/reminder.ics?at=21:30").await;
    assert_eq!(ics.headers["content-type"], "text/calendar; charset=utf-8");
    assert!(ics.body.contains("RRULE:FREQ=DAILY\r\n"));
    assert!(ics.body.contains("BEGIN:VALARM\r\n"));
    assert_eq!(
        d.get("/diary/reminder.ics?at=25:00").await.status,
        StatusCode::BAD_REQUEST
    );
    d.finish().await;
}

#[tokio::test]
async fn the_episodes_api() {
    let d = Diary::new().await;
    let post = |body: &'static str| {
        d.request(
            Method::POST,
            "/api/v1/episodes",
            &[("content-type", "application/json")],
            body,
        )
    };
    let r = post(r#"{"start": "2026-11-20T02:10:00+00:00", "minutes": 3, "site": "calf", "side": "left", "asleep": true, "eased": "yes", "severity": "mild"}"#).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let v: serde_json::Value = serde_json::from_str(&r.body).expect("json");
    assert_eq!(v["red_flag"], false);
    // The whole safety net in every answer (issue 18, finding 6).
    assert_eq!(
        v["safety_net_lines"],
        serde_json::json!(
            legcramps_core::diary::LOG_SAFETY_NET
                .iter()
                .map(|l| l.text)
                .collect::<Vec<_>>()
        )
    );
    // Only when, which leg and how bad are needed; the rest may be left out or null.
    let r = post(r#"{"start": "2026-11-21T03:00:00+00:00", "last_night": true, "side": "both", "severity": "severe", "minutes": null, "site": null}"#).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let v: serde_json::Value = serde_json::from_str(&r.body).expect("json");
    assert_eq!(v["red_flag"], false);
    let listed = d
        .get("/api/v1/episodes?from=2026-11-21&to=2026-11-21")
        .await;
    let l: serde_json::Value = serde_json::from_str(&listed.body).expect("json");
    let quick = &l["episodes"][0];
    assert_eq!(quick["last_night"], true, "{}", listed.body);
    assert!(quick["duration_seconds"].is_null() && quick["eased"].is_null());
    // Twelve minutes with "eased" not given is read the safe way: a red flag.
    let r = post(r#"{"start": "2026-11-19T02:10:00+00:00", "minutes": 12, "side": "left", "severity": "mild"}"#).await;
    let v: serde_json::Value = serde_json::from_str(&r.body).expect("json");
    assert_eq!(v["red_flag"], true, "{}", r.body);
    let r = post(r#"{"start": "2026-11-20T03:10:00+00:00", "minutes": 15, "site": "thigh", "side": "both", "asleep": false, "eased": "no", "severity": "severe"}"#).await;
    let v: serde_json::Value = serde_json::from_str(&r.body).expect("json");
    assert_eq!(v["red_flag"], true);
    // Days old: tell the GP (named by date), not phone 111.
    assert_eq!(v["advice"]["recent"], false);
    assert_eq!(v["advice"]["phone_111"], false);
    assert_eq!(v["advice"]["headline"], "Tell your GP about this cramp");
    assert!(
        v["advice"]["what_happened"]
            .as_str()
            .is_some_and(|s| s.contains("Fri 20 Nov at 03:10"))
    );
    for (body, field) in [
        (
            r#"{"start": "2026-11-20T02:10:00+00:00", "minutes": -3, "site": "calf", "side": "left", "asleep": true, "eased": "yes", "severity": "mild"}"#,
            "minutes",
        ),
        (
            r#"{"start": "2026-02-30T02:10:00+00:00", "minutes": 3, "site": "calf", "side": "left", "asleep": true, "eased": "yes", "severity": "mild"}"#,
            "start",
        ),
        (
            r#"{"start": "2026-11-20T02:10:00+00:00", "minutes": 3, "site": "arm", "side": "left", "asleep": true, "eased": "yes", "severity": "mild"}"#,
            "site",
        ),
        (
            r#"{"start": "2026-11-20T02:10:00+00:00", "minutes": 3, "site": "calf", "side": "left", "asleep": "yes", "eased": "yes", "severity": "mild"}"#,
            "asleep",
        ),
        (
            r#"{"start": "2026-11-20T02:10:00+00:00", "minutes": 3, "site": "calf", "side": "left", "asleep": true, "eased": "yes", "severity": "mild", "extra": 1}"#,
            "extra",
        ),
    ] {
        let r = post(body).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let v: serde_json::Value = serde_json::from_str(&r.body).expect("problem json");
        assert_eq!(v["field"], field, "{}", r.body);
    }
    let r = d
        .request(
            Method::POST,
            "/api/v1/episodes",
            &[("content-type", "text/plain")],
            "{}",
        )
        .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(d.count().await, 4);
    let list = d.get("/api/v1/episodes").await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&list.body).expect("json")["episodes"]
            .as_array()
            .expect("array")
            .len(),
        4
    );
    d.finish().await;
}

#[tokio::test]
async fn a_completed_check_can_be_saved_to_the_diary() {
    let d = Diary::new().await;
    let pairs = [
        ("a.breathless_or_chest_pain", "no"),
        ("a.one_leg_swollen_warm_or_red", "no"),
        ("a.longest_cramp_minutes", "12"),
        ("a.eases_when_moving", "no"),
        ("a.long_cramp_recent", "yes"),
        ("a.gp_open", "no"),
    ];
    let r = d.post_form("/diary/checks", &pairs).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Check saved to your diary"));
    let checks = d.store.checks(&Owner::local()).await.expect("checks");
    assert_eq!(checks.len(), 1);
    // What was shown is kept, with the versions that made it.
    let shown = checks[0]
        .shown
        .as_ref()
        .expect("what was shown is recorded");
    assert_eq!(shown.disposition.code(), "urgent-gp");
    assert!(shown.phone_111 && !shown.phone_999);
    assert_eq!(shown.content_version, legcramps_core::CONTENT_VERSION);
    assert_eq!(shown.rules_version, legcramps_core::triage::RULES_VERSION);
    // Saved checks appear in the diary, the patterns and the GP summary, not only exports.
    for page in ["/diary", "/diary/patterns", "/diary/summary"] {
        let r = d.get(page).await;
        assert!(r.body.contains("Phone 111 now"), "{page}: {}", r.body);
    }
    // An incomplete or damaged check is not saved.
    let r = d
        .post_form("/diary/checks", &[("a.longest_cramp_minutes", "2")])
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        d.store.checks(&Owner::local()).await.expect("checks").len(),
        1
    );
    let fhir = d.get("/diary/export.fhir.json").await;
    assert!(fhir.body.contains("QuestionnaireResponse"));
    d.finish().await;
}

/// One API request and the problem it must get: method, path, headers, body, status, field.
type ApiCase<'a> = (
    Method,
    &'a str,
    &'a [(&'a str, &'a str)],
    &'a str,
    StatusCode,
    Option<&'a str>,
);

/// Hardening finding 9: the episodes API answered 422 to a body that is not JSON (triage gives
/// 400), a 400 HTML page for a bad `from` date and a 413 text/plain over 2 MB. Every API error
/// is now RFC 9457 problem+json, naming the field where there is one.
#[tokio::test]
async fn every_api_error_is_problem_json() {
    let d = Diary::new().await;
    let json = [("content-type", "application/json")];
    let big = "x".repeat(3 * 1024 * 1024);
    let cases: Vec<ApiCase> = vec![
        (
            Method::POST,
            "/api/v1/episodes",
            &json,
            "not json",
            StatusCode::BAD_REQUEST,
            None,
        ),
        (
            Method::POST,
            "/api/v1/episodes",
            &json,
            "[1, 2]",
            StatusCode::BAD_REQUEST,
            None,
        ),
        (
            Method::POST,
            "/api/v1/episodes",
            &json,
            r#"{"start": "2026-11-20T02:10:00+00:00", "minutes": 3, "site": "knee", "side": "left", "asleep": true, "eased": "yes", "severity": "mild"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("site"),
        ),
        (
            Method::POST,
            "/api/v1/episodes",
            &json,
            &big,
            StatusCode::PAYLOAD_TOO_LARGE,
            None,
        ),
        (
            Method::POST,
            "/api/v1/episodes",
            &[("content-type", "text/plain")],
            "{}",
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            None,
        ),
        (
            Method::GET,
            "/api/v1/episodes?from=2026-13-01",
            &[],
            "",
            StatusCode::BAD_REQUEST,
            Some("from"),
        ),
        (
            Method::GET,
            "/api/v1/episodes?to=yesterday",
            &[],
            "",
            StatusCode::BAD_REQUEST,
            Some("to"),
        ),
        (
            Method::GET,
            "/api/v1/no-such-route",
            &[],
            "",
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            Method::GET,
            "/api/v1/triage",
            &[],
            "",
            StatusCode::METHOD_NOT_ALLOWED,
            None,
        ),
        (
            Method::DELETE,
            "/api/v1/episodes",
            &[],
            "",
            StatusCode::METHOD_NOT_ALLOWED,
            None,
        ),
    ];
    for (method, path, headers, body, status, field) in cases {
        let r = d.request(method.clone(), path, headers, body).await;
        assert_eq!(r.status, status, "{method} {path}: {}", r.body);
        assert_eq!(
            r.headers["content-type"], "application/problem+json",
            "{method} {path}"
        );
        let v: serde_json::Value = serde_json::from_str(&r.body).expect("problem json");
        assert_eq!(v["status"], status.as_u16(), "{method} {path}");
        assert!(v["title"].is_string() && v["detail"].is_string() && v["type"].is_string());
        if let Some(f) = field {
            assert_eq!(v["field"], f, "{method} {path}");
        }
    }
    assert_eq!(d.count().await, 0, "nothing was stored");
    d.finish().await;
}

/// Hardening finding 5: one set of date limits for every way in. Through the form and the API:
/// a medicine started in 9999 or in year 1, or a cramp 20 hours ahead, is refused and nothing
/// is stored.
#[tokio::test]
async fn the_form_and_the_api_apply_the_date_limits() {
    let d = Diary::new().await;
    for (year, says) in [
        ("9999", "The date must be today or in the past"),
        ("0001", "The date must be after 1900"),
    ] {
        let r = d
            .post_form(
                "/diary/profile/medicines",
                &[
                    ("name", "Tablets"),
                    ("started-day", "1"),
                    ("started-month", "1"),
                    ("started-year", year),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{year}");
        assert!(r.body.contains(says), "{year}: {}", r.body);
        assert!(r.body.contains("href=\"#started-day\""), "{year}");
    }
    assert!(
        d.store
            .profile(&Owner::local())
            .await
            .expect("profile")
            .is_empty()
    );
    let json = [("content-type", "application/json")];
    let future = (chrono::Utc::now() + chrono::Duration::hours(20))
        .format("%Y-%m-%dT%H:%M:00+00:00")
        .to_string();
    let body = |start: &str, started: &str| {
        format!(
            r#"{{"start": "{start}", "minutes": 3, "site": "calf", "side": "left", "asleep": true, "eased": "yes", "severity": "mild", "context": {{"exercise": false, "pregnant": false, "short_of_fluids": false, "new_medication": {{"name": "Tablets", "started": "{started}"}}}}}}"#
        )
    };
    for (b, field) in [
        (
            body("2026-11-20T02:10:00+00:00", "0001-01-01"),
            "context.new_medication.started",
        ),
        (
            body("2026-11-20T02:10:00+00:00", "9999-12-31"),
            "context.new_medication.started",
        ),
        (body(&future, "2026-11-01"), "start"),
    ] {
        let r = d.request(Method::POST, "/api/v1/episodes", &json, &b).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let v: serde_json::Value = serde_json::from_str(&r.body).expect("json");
        assert_eq!(v["field"], field, "{b}");
    }
    assert_eq!(d.count().await, 0, "nothing was stored");
    d.finish().await;
}

/// Hardening finding 12: a form note with invalid UTF-8 was stored with U+FFFD in its place.
/// It is refused, and nothing is stored.
#[tokio::test]
async fn a_form_that_is_not_utf8_is_refused_not_stored() {
    let d = Diary::new().await;
    let mut body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(with(&[("note", "")]))
        .finish();
    body.push_str("&note=woke%FFme");
    let r = d
        .request(
            Method::POST,
            "/diary",
            &[("content-type", "application/x-www-form-urlencoded")],
            &body,
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("nothing was saved"));
    assert_eq!(d.count().await, 0);
    d.finish().await;
}

/// Finding 8: a write that cannot be made says so: 503 with `Retry-After`, problem+json on the
/// API, a plain page on the form, nothing stored (here the store is closed, as a diary that
/// stays busy past its wait would be).
#[tokio::test]
async fn finding_8_a_write_that_cannot_be_made_is_503_with_retry_after() {
    let d = Diary::new().await;
    d.store.close().await;
    let api = d
        .request(
            Method::POST,
            "/api/v1/episodes",
            &[("content-type", "application/json")],
            r#"{"start": "2026-11-20T02:10:00+00:00", "minutes": 3, "site": "calf", "side": "left", "asleep": true, "eased": "yes", "severity": "mild"}"#,
        )
        .await;
    assert_eq!(api.status, StatusCode::SERVICE_UNAVAILABLE, "{}", api.body);
    assert_eq!(
        api.headers.get("content-type").expect("type"),
        "application/problem+json"
    );
    assert_eq!(api.headers.get("retry-after").expect("retry-after"), "5");
    let problem: serde_json::Value = serde_json::from_str(&api.body).expect("json");
    assert_eq!(problem["status"], 503);
    assert!(
        problem["detail"]
            .as_str()
            .expect("detail")
            .contains("nothing was changed")
    );
    let list = d.get("/api/v1/episodes").await;
    assert_eq!(list.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        list.headers.get("content-type").expect("type"),
        "application/problem+json"
    );
    let form = d.post_form("/diary", GOOD).await;
    assert_eq!(form.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(form.headers.get("retry-after").expect("retry-after"), "5");
    assert!(form.body.contains("nothing was changed"), "{}", form.body);
    let _ = std::fs::remove_dir_all(&d.dir);
}

/// Found by schemathesis in CI (hardening): the episodes API accepts exactly what its OpenAPI
/// document says, no more: names as listed, dates as YYYY-MM-DD, no spaces around a start, and
/// an empty date in the query is an error, not "no date".
#[tokio::test]
async fn the_episodes_api_is_as_exact_as_its_document() {
    let d = Diary::new().await;
    let json = [("content-type", "application/json")];
    let body = |site: &str, start: &str, started: &str| {
        format!(
            r#"{{"start": "{start}", "minutes": 3, "site": "{site}", "side": "left", "asleep": true, "eased": "yes", "severity": "mild", "context": {{"exercise": false, "pregnant": false, "short_of_fluids": false, "new_medication": {{"name": "Example", "started": "{started}"}}}}}}"#
        )
    };
    let good = "2026-11-20T02:10:00+00:00";
    for (b, field) in [
        (body("CALF", good, "2026-11-01"), "site"),
        (body("calf", &format!(" {good}"), "2026-11-01"), "start"),
        (body("calf", good, ""), "context.new_medication.started"),
        (
            body("calf", good, "2026-11-1"),
            "context.new_medication.started",
        ),
        // Found by schemathesis in CI: an empty medicine name meant "none" (as in a file), and
        // a tab at the edge of a name or a vertical tab in a note was trimmed away and
        // accepted, though the document forbids each.
        (
            body("calf", good, "2026-11-01").replace(r#""Example""#, r#""  ""#),
            "context.new_medication.name",
        ),
        (
            body("calf", good, "2026-11-01").replace(r#""Example""#, r#""\tExample""#),
            "context.new_medication.name",
        ),
        (
            body("calf", good, "2026-11-01")
                .replace(r#""context""#, r#""note": "\u000bhello", "context""#),
            "note",
        ),
        // Limits count what was sent, and the start is RFC 3339 exactly.
        (
            body("calf", good, "2026-11-01").replace(
                r#""context""#,
                &format!(r#""note": "{}x", "context""#, r"\u202a".repeat(500)),
            ),
            "note",
        ),
        (
            body("calf", "2026-11-20 02:10:00+00:00", "2026-11-01"),
            "start",
        ),
        (
            body("calf", "2026-11-20T02:10+00:00", "2026-11-01"),
            "start",
        ),
        // Found by schemathesis in CI: serde reads a struct from an array by position, so
        // `"context": []` was logged as a cramp with an empty context.
        (
            format!(r#"{{"start": "{good}", "side": "right", "severity": "mild", "context": []}}"#),
            "context",
        ),
        (
            body("calf", good, "2026-11-01").replace(
                r#"{"name": "Example", "started": "2026-11-01"}"#,
                r#"["Example"]"#,
            ),
            "context.new_medication",
        ),
    ] {
        let r = d.request(Method::POST, "/api/v1/episodes", &json, &b).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{b}: {}",
            r.body
        );
        let p: serde_json::Value = serde_json::from_str(&r.body).expect("json");
        assert_eq!(p["field"], field, "{b}");
    }
    let ok = d
        .request(
            Method::POST,
            "/api/v1/episodes",
            &json,
            &body("calf", good, "2026-11-01"),
        )
        .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
    for q in ["?to=", "?from=2026-1-05"] {
        let r = d.get(&format!("/api/v1/episodes{q}")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{q}");
        assert!(r.body.contains("YYYY-MM-DD"), "{q}: {}", r.body);
    }
    assert_eq!(d.count().await, 1);
    d.finish().await;
}

/// Issue 9: the form takes durations as people type them, and keeps what was typed on an
/// error page.
#[tokio::test]
async fn the_form_takes_durations_as_people_type_them() {
    let d = Diary::new().await;
    for (typed, shown) in [
        ("90s", "1 minute 30 seconds"),
        ("2 mins", "2 minutes"),
        ("1 min 5", "1 minute 5 seconds"),
        ("10-15", "15 minutes"),
    ] {
        let r = d.post_form("/diary", &with(&[("minutes", typed)])).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{typed}: {}", r.body);
        let list = d.get("/diary").await;
        assert!(list.body.contains(shown), "{typed} shown as {shown}");
    }
    let r = d
        .post_form("/diary", &with(&[("minutes", "a while")]))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("value=\"a while\""),
        "what was typed is kept"
    );
    d.finish().await;
}

/// Issue 9: the list in weeks (Monday to Sunday) with a count each, four weeks with cramps to
/// a page, newest first; the red flag and the context on lines of their own.
#[tokio::test]
async fn the_list_is_in_weeks_with_counts_and_pages() {
    let d = Diary::new().await;
    // A medicine from 1 November: the cramps from then show it, the earlier ones do not.
    d.post_form(
        "/diary/profile/medicines",
        &[
            ("name", "Example tablets"),
            ("started-day", "1"),
            ("started-month", "11"),
            ("started-year", "2026"),
        ],
    )
    .await;
    // Six weeks of October and November 2026, two cramps in the week of Monday 16 November.
    for (day, month) in [
        ("20", "11"),
        ("17", "11"),
        ("10", "11"),
        ("3", "11"),
        ("27", "10"),
        ("20", "10"),
        ("13", "10"),
    ] {
        let r = d
            .post_form(
                "/diary",
                &with(&[("start-day", day), ("start-month", month)]),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{day}/{month}: {}", r.body);
    }
    let first = d.get("/diary").await.body;
    assert!(first.contains("7 in all. Page 1 of 2."), "{first}");
    assert!(first.contains("Week beginning Monday 16 November 2026: 2 cramps"));
    assert!(first.contains("Week beginning Monday 26 October 2026: 1 cramp<"));
    assert!(
        !first.contains("19 October 2026"),
        "the fifth week is on page 2"
    );
    assert!(first.contains("href=\"/diary?page=2\""));
    assert!(first.contains("Also: exercise that day, taking Example tablets"));
    let second = d.get("/diary?page=2").await.body;
    assert!(!second.contains("Example tablets"), "before it was started");
    assert!(
        !second.contains("November 2026"),
        "page 2 reads only its own weeks"
    );
    assert!(second.contains("Week beginning Monday 19 October 2026: 1 cramp<"));
    assert!(second.contains("Week beginning Monday 12 October 2026: 1 cramp<"));
    assert!(second.contains("Newer cramps") && !second.contains("Older cramps"));
    // A page that is not there is the nearest that is; never an error.
    for odd in ["99", "0", "x", "-1"] {
        let r = d.get(&format!("/diary?page={odd}")).await;
        assert_eq!(r.status, StatusCode::OK, "{odd}");
    }
    // The compact list (issue 21, finding 9): each cramp two short lines, the red flag tagged
    // on the first, what was logged said once, and what was not named in one clause.
    d.post_form("/diary", &with(&[("minutes", "12"), ("eased", "no")]))
        .await;
    let r = d
        .post_form(
            "/diary/quick",
            &[("when", "now"), ("side", "left"), ("severity", "mild")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let flagged = d.get("/diary").await.body;
    assert!(
        flagged.contains("<strong>Fri 20 Nov, 02:10</strong><span class=\"nhsuk-u-visually-hidden\">: change or delete this cramp</span></a> &middot; 12 minutes &middot; moderate <strong class=\"nhsuk-tag nhsuk-tag--red legcramps-cramp__flag\">"),
        "{flagged}"
    );
    assert!(
        flagged.contains("left calf &middot; in sleep &middot; did not ease when moved &middot; Also: exercise that day"),
        "{flagged}"
    );
    assert!(
        flagged.contains("&middot; mild</p>\n          <p class=\"legcramps-cramp__line legcramps-cramp__more\">left leg &middot; Also: taking Example tablets &middot; <span"),
        "a quick log: {flagged}"
    );
    assert!(
        flagged.contains("<span class=\"legcramps-cramp__missing\">not logged: how long, muscle, asleep, eased</span>"),
        "{flagged}"
    );
    assert_eq!(
        flagged.matches("not logged").count(),
        1,
        "said once, for the quick log"
    );
    d.finish().await;
}

/// Issue 9: "Your medicines and health". Each entry's form checks as the NHS.UK pattern does
/// (every problem at once, in page order, the box at fault named, what was typed kept), the
/// same thing twice is refused, and the diary shows each cramp with the profile on its day.
#[tokio::test]
async fn the_profile_forms_check_everything_and_the_cramps_show_it() {
    let d = Diary::new().await;
    let page = d.get("/diary/profile").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.headers["cache-control"], "no-store");
    assert!(page.body.contains("You have not added any medicines."));
    // The guidance on medicines, with its facts: speak to a pharmacist; never stop on your own.
    assert!(page.body.contains("data-facts=\"medication.can-cause\""));
    assert!(page.body.contains("data-facts=\"medication.do-not-stop\""));
    // As a screen reader lists the headings: the guidance sits under "Medicines".
    let headings: Vec<String> = page
        .body
        .match_indices("<h")
        .filter_map(|(i, _)| {
            let rest = &page.body[i + 2..];
            let level = rest.chars().next().filter(char::is_ascii_digit)?;
            let text = rest.split_once('>')?.1.split("</h").next()?;
            let plain: String = text
                .split('<')
                .map(|part| part.split_once('>').map_or(part, |(_, t)| t))
                .collect();
            Some(format!("h{level} {}", plain.trim()))
        })
        .filter(|h| !h.contains("Leg cramps") || h.starts_with("h1"))
        .collect();
    let from_h1: Vec<&str> = headings
        .iter()
        .skip_while(|h| !h.starts_with("h1 Your medicines"))
        .map(String::as_str)
        .take(5)
        .collect();
    assert_eq!(
        from_h1,
        [
            "h1 Your medicines and health",
            "h2 Medicines",
            "h3 Non-urgent advice: If you have started a new medicine",
            "h2 Pregnancy",
            "h2 Conditions you know you have",
        ]
    );
    let medicine = |name: &'static str, started: [&'static str; 3], stopped: [&'static str; 3]| {
        vec![
            ("name", name),
            ("started-day", started[0]),
            ("started-month", started[1]),
            ("started-year", started[2]),
            ("stopped-day", stopped[0]),
            ("stopped-month", stopped[1]),
            ("stopped-year", stopped[2]),
        ]
    };
    for (form, errors) in [
        (
            medicine("", ["", "", ""], ["", "", ""]),
            vec![
                ("name", "Enter the name of the medicine"),
                ("started-day", "Enter when you started it"),
            ],
        ),
        (
            medicine("x", ["3", "13", "2026"], ["31", "2", "2026"]),
            vec![
                ("started-month", "Enter a real date for when you started it"),
                ("stopped-day", "Enter a real date for when you stopped it"),
            ],
        ),
        (
            medicine("x", ["3", "10", "26"], ["", "", ""]),
            vec![("started-year", "Enter a real date for when you started it")],
        ),
        (
            medicine("x", ["3", "10", "2026"], ["1", "10", "2026"]),
            vec![(
                "stopped-day",
                "The end date, 1 October 2026 is before the start, 3 October 2026",
            )],
        ),
        (
            medicine("a;b", ["3", "10", "2026"], ["", "", ""]),
            vec![("name", "The name has a ")],
        ),
        (
            medicine(
                Box::leak("x".repeat(101).into_boxed_str()),
                ["3", "10", "2026"],
                ["", "", ""],
            ),
            vec![("name", "The name is longer than 100 characters")],
        ),
    ] {
        let r = d.post_form("/diary/profile/medicines", &form).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{form:?}");
        let mut at = 0;
        for (id, message) in &errors {
            let link = format!("<a href=\"#{id}\">");
            let found = r.body[at..]
                .find(&link)
                .unwrap_or_else(|| panic!("{form:?}: no link to #{id} in order"));
            at += found + link.len();
            assert!(r.body[at..].starts_with(message), "{message}");
        }
        assert_eq!(
            r.body.matches("<a href=\"#").count(),
            errors.len(),
            "{form:?}: only the problems"
        );
        // What was typed is kept.
        assert!(r.body.contains(&format!("value=\"{}\"", form[0].1)));
    }
    assert!(
        d.store
            .profile(&Owner::local())
            .await
            .expect("p")
            .is_empty()
    );

    let ok = d
        .post_form(
            "/diary/profile/medicines",
            &medicine("Amlodipine 5 mg", ["19", "11", "2026"], ["", "", ""]),
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let twice = d
        .post_form(
            "/diary/profile/medicines",
            &medicine("amlodipine 5 MG", ["19", "11", "2026"], ["", "", ""]),
        )
        .await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        twice
            .body
            .contains("You have already added Amlodipine 5 mg, from 19 Nov 2026")
    );
    let pregnancy = d
        .post_form(
            "/diary/profile/pregnancies",
            &[
                ("started-day", "1"),
                ("started-month", "9"),
                ("started-year", "2026"),
            ],
        )
        .await;
    assert_eq!(
        pregnancy.status,
        StatusCode::SEE_OTHER,
        "{}",
        pregnancy.body
    );
    let condition = d
        .post_form("/diary/profile/conditions", &[("name", "Diabetes")])
        .await;
    assert_eq!(
        condition.status,
        StatusCode::SEE_OTHER,
        "{}",
        condition.body
    );
    // The same condition again, in other letters: refused, named as it was saved.
    let again = d
        .post_form("/diary/profile/conditions", &[("name", "DIABETES")])
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        again.body.contains("You have already added Diabetes<"),
        "{}",
        again.body
    );

    // Cramps on the 18th and the 20th: the medicine shows on the later one only.
    for day in ["18", "20"] {
        d.post_form("/diary", &with(&[("start-day", day)])).await;
    }
    let list = d.get("/diary").await.body;
    // What else was going on is cut in the compact list (the outside GP review: every
    // medicine on every cramp made it long).
    assert!(
        list.contains("Also: exercise that day, taking Amlodipine 5 mg; pregnan\u{2026}"),
        "{list}"
    );
    assert!(list.contains("Also: exercise that day, pregnant; Diabetes"));

    // Change it: stopped on the 19th, and the cramp of the 20th no longer shows it.
    let p = d.store.profile(&Owner::local()).await.expect("p");
    let id = p.medicines[0].id.to_string();
    let form = d.get(&format!("/diary/profile/medicines/{id}")).await;
    assert!(
        form.body.contains("Change a medicine") && form.body.contains("value=\"Amlodipine 5 mg\"")
    );
    let changed = d
        .post_form(
            &format!("/diary/profile/medicines/{id}"),
            &medicine(
                "Amlodipine 5 mg",
                ["19", "11", "2026"],
                ["19", "11", "2026"],
            ),
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
    let list = d.get("/diary").await.body;
    assert!(!list.contains("taking Amlodipine"));
    // An id that is not there is not found; removing asks, then removes.
    assert_eq!(
        d.get("/diary/profile/medicines/no-such-id").await.status,
        StatusCode::NOT_FOUND
    );
    let ask = d
        .get(&format!("/diary/profile/medicines/{id}/delete"))
        .await;
    assert!(ask.body.contains("Remove this medicine?"));
    let gone = d
        .post_form(&format!("/diary/profile/medicines/{id}/delete"), &[])
        .await;
    assert_eq!(gone.status, StatusCode::SEE_OTHER);
    assert!(
        d.store
            .profile(&Owner::local())
            .await
            .expect("p")
            .medicines
            .is_empty()
    );
    d.finish().await;
}

/// Issue 18, finding 7: the GP summary and the list say only what was logged: "did not ease"
/// only for a cramp the person said did not ease; "not sure" and unlogged easing apart.
#[tokio::test]
async fn the_summary_and_list_say_only_what_was_logged_about_easing() {
    let d = Diary::new().await;
    for (day, eased) in [(10, r#""no""#), (11, r#""unsure""#), (12, "null")] {
        let body = format!(
            r#"{{"start": "2026-11-{day}T02:10:00+00:00", "minutes": 12, "site": "calf", "side": "left", "asleep": true, "eased": {eased}, "severity": "severe"}}"#
        );
        let r = d
            .request(
                Method::POST,
                "/api/v1/episodes",
                &[("content-type", "application/json")],
                &body,
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    // One list in date order (the one page, since the outside GP review), each saying what
    // was logged about easing; "did not ease" only for the one said so.
    let s = d.get("/diary/summary?from=2026-11-01&to=2026-11-30").await;
    let red = s
        .body
        .split("Cramps of 10 minutes or more: not eased by moving, or not sure or not logged</h2>")
        .nth(1)
        .expect("the red-flag section")
        .split("</section>")
        .next()
        .unwrap_or_default();
    assert_eq!(red.matches("<li>").count(), 3, "{red}");
    assert_eq!(red.matches("did not ease").count(), 1, "{red}");
    assert!(
        red.contains("Tue 10 Nov 2026, 02:10: 12 minutes, left calf, did not ease when I moved"),
        "{red}"
    );
    assert!(red.contains("eased by moving: unsure"), "{red}");
    assert!(red.contains("eased by moving: not logged"), "{red}");
    // The full record keeps the two lists apart.
    let record = d
        .get("/diary/record?from=2026-11-01&to=2026-11-30")
        .await
        .body;
    let said = record
        .split("Cramps of 10 minutes or more that did not ease when I moved")
        .nth(1)
        .expect("the 'did not ease' section")
        .split("</section>")
        .next()
        .unwrap_or_default();
    assert_eq!(said.matches("<li>").count(), 1, "{said}");
    assert!(said.contains("Tue 10 Nov"), "{said}");
    let unsure = record
        .split("where I was not sure, or did not log, whether moving eased them")
        .nth(1)
        .expect("the section apart")
        .split("</section>")
        .next()
        .unwrap_or_default();
    assert_eq!(unsure.matches("<li>").count(), 2, "{unsure}");
    let list = d.get("/diary").await;
    for tag in [
        "10 minutes or more, not eased",
        "10 minutes or more, not sure if moving eased it",
        "10 minutes or more, easing not logged",
    ] {
        assert_eq!(list.body.matches(tag).count(), 1, "{tag}");
    }
    d.finish().await;
}

/// Issue 18, finding 21: while a red-flag cramp is recent, its urgent advice is on the diary
/// and the patterns, not only on the page after logging; an older one is not shown there.
#[tokio::test]
async fn a_recent_red_flag_shows_on_the_diary_and_patterns_while_it_lasts() {
    let d = Diary::new().await;
    let headline = "Phone your GP surgery now, or 111 if it is closed";
    let log = |start: chrono::DateTime<Utc>| {
        format!(
            r#"{{"start": "{}", "minutes": 12, "site": "calf", "side": "left", "asleep": false, "eased": "no", "severity": "severe"}}"#,
            start.format("%Y-%m-%dT%H:%M:00+00:00")
        )
    };
    let post = |body: String| {
        let d = &d;
        async move {
            d.request(
                Method::POST,
                "/api/v1/episodes",
                &[("content-type", "application/json")],
                &body,
            )
            .await
        }
    };
    let r = post(log(Utc::now() - chrono::Duration::days(3))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert!(!d.get("/diary").await.body.contains(headline));
    let r = post(log(Utc::now() - chrono::Duration::minutes(40))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    for page in ["/diary", "/diary/patterns", "/diary?page=2"] {
        let body = d.get(page).await.body;
        assert!(body.contains(headline), "{page}");
        assert_eq!(body.matches("href=\"tel:111\"").count(), 1, "{page}");
    }
    d.finish().await;
}

/// Issue 18, finding 26: the GP summary's checks give the headline shown, its leading reasons
/// and which answers were "not sure".
#[tokio::test]
async fn the_summary_lists_each_checks_reasons_and_what_was_not_sure() {
    let d = Diary::new().await;
    let pairs = [
        ("a.breathless_or_chest_pain", "unsure"),
        ("a.one_leg_swollen_warm_or_red", "no"),
        ("a.longest_cramp_minutes", "2"),
        ("a.lead_or_mercury_contact", "no"),
        ("a.dirt_in_wound", "no"),
        ("a.quality_of_life_affected", "no"),
        ("a.frequent", "yes"),
        ("a.sleep_disturbed", "no"),
        ("a.numbness_or_swelling", "no"),
        ("a.muscle_shrinking_or_weaker", "no"),
        ("a.new_medication", "no"),
        ("a.pregnant", "no"),
        ("a.after_exercise", "no"),
        ("a.dehydrated", "no"),
        ("a.known_conditions", "none"),
    ];
    let r = d.post_form("/diary/checks", &pairs).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let s = d.get("/diary/summary").await.body;
    // The one page: the latest check as a row of the figures — what was shown and the one
    // question answered "not sure"; the reasons are in the full record (issue 21, finding 5).
    let checks = s
        .split("<th scope=\"row\">Latest check with this tool</th>")
        .nth(1)
        .expect("checks")
        .split("</tr>")
        .next()
        .unwrap_or_default();
    assert!(checks.contains(": Phone 111 now."), "{checks}");
    assert!(
        checks.contains("Not sure about: \u{201c}Since your leg pain began"),
        "{checks}"
    );
    assert!(!checks.contains("Why:"), "{checks}");
    assert!(
        checks.contains("Why each said what it did: in the full record."),
        "{checks}"
    );
    let record = d.get("/diary/record").await.body;
    let checks = record
        .split("<h2>Checks I did with this tool</h2>")
        .nth(1)
        .expect("checks")
        .split("</section>")
        .next()
        .unwrap_or_default();
    assert!(
        checks.contains("<strong>Phone 111 now</strong>"),
        "{checks}"
    );
    assert!(
        checks.contains("Why: You were not sure if you have new or worse shortness of breath"),
        "{checks}"
    );
    assert!(
        checks.contains("Not sure about: &ldquo;Since your leg pain began"),
        "{checks}"
    );
    assert!(
        !checks.contains("get leg cramps often"),
        "only the leading reasons: {checks}"
    );
    d.finish().await;
}

/// Issue 18's review: the diary applies the check's hour-long rule (a cramp of an hour or more
/// that eased is a reason to see a GP, with the signs of a clot said again), in the web form
/// and the API's answer.
#[tokio::test]
async fn an_hour_long_cramp_that_eased_says_see_your_gp() {
    let d = Diary::new().await;
    let r = d
        .post_form("/diary", &with(&[("minutes", "90"), ("eased", "yes")]))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("<h1>Speak to your GP</h1>"), "{}", r.body);
    assert!(r.body.contains("lasted 1 hour 30 minutes"), "{}", r.body);
    assert!(r.body.contains("swollen, warm, or red or darker"));
    let api = d
        .request(
            Method::POST,
            "/api/v1/episodes",
            &[("content-type", "application/json")],
            r#"{"start": "2026-11-20T02:10:00+00:00", "minutes": 120, "site": "thigh", "side": "left", "asleep": false, "eased": "yes", "severity": "severe"}"#,
        )
        .await;
    assert_eq!(api.status, StatusCode::CREATED, "{}", api.body);
    let v: serde_json::Value = serde_json::from_str(&api.body).expect("json");
    assert_eq!(v["red_flag"], false);
    assert_eq!(v["advice"]["disposition"], "gp");
    d.finish().await;
}

/// Issue 21, finding 2: "No cramps last night" is one tap on the diary's first screen, can be
/// taken back, and the patterns and the GP summary count nights recorded with and without
/// cramps and say how many are not recorded (and, before the first check-in, that the nights
/// are known only by their cramps).
#[tokio::test]
async fn no_cramps_last_night_is_one_tap_and_the_summaries_count_the_nights() {
    let d = Diary::new().await;
    let first = d.get("/diary").await;
    assert!(
        first.body.contains("action=\"/diary/nights\""),
        "{}",
        first.body
    );
    assert!(first.body.contains(">No cramps last night</button>"));
    // Before any check-in, the summary says nights are known only by their cramps.
    let before = d.get("/diary/summary").await;
    assert!(
        before
            .body
            .contains("Nights without cramps were not recorded"),
        "{}",
        before.body
    );

    let r = d.post_form("/diary/nights", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.headers["location"], "/diary?night=recorded");
    let page = d.get("/diary?night=recorded").await;
    assert!(
        page.body.contains("Recorded: no cramps last night"),
        "{}",
        page.body
    );
    assert!(page.body.contains("action=\"/diary/nights/undo\""));
    assert!(
        !page.body.contains(">No cramps last night</button>"),
        "said once"
    );
    // Twice is once.
    assert_eq!(
        d.post_form("/diary/nights", &[]).await.status,
        StatusCode::SEE_OTHER
    );
    let (nights, first_in) = d
        .store
        .check_ins(&Owner::local(), None, None)
        .await
        .expect("read");
    assert_eq!(nights.len(), 1);
    assert_eq!(first_in, nights.first().copied());

    let patterns = d.get("/diary/patterns?weeks=4").await;
    assert!(
        patterns
            .body
            .contains("0 with a cramp in my sleep, 1 with no cramps (checked in), "),
        "{}",
        patterns.body
    );
    let summary = d.get("/diary/summary?weeks=4").await;
    assert!(
        summary.body.contains("<th scope=\"row\">Nights</th>"),
        "{}",
        summary.body
    );
    assert!(summary.body.contains("1 with no cramps (checked in)"));
    assert!(!summary.body.contains("has not been used yet"));

    // Taken back.
    let undo = d.post_form("/diary/nights/undo", &[]).await;
    assert_eq!(undo.headers["location"], "/diary?night=undone");
    assert!(
        d.store
            .check_ins(&Owner::local(), None, None)
            .await
            .expect("read")
            .0
            .is_empty()
    );
    d.finish().await;
}

/// Issue 21, finding 2, the API: `POST /api/v1/nights` records (and with `undo`, takes back)
/// a night without cramps; `GET /api/v1/episodes` carries the nights; bad bodies are
/// problems naming the field, never a 500.
#[tokio::test]
async fn the_api_records_nights_without_cramps() {
    let d = Diary::new().await;
    let send = |body: &'static str| {
        d.request(
            Method::POST,
            "/api/v1/nights",
            &[("content-type", "application/json")],
            body,
        )
    };
    let r = send(r#"{"night": "2026-11-30"}"#).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v: serde_json::Value = serde_json::from_str(&r.body).expect("json");
    assert_eq!(
        v,
        serde_json::json!({"night": "2026-11-30", "without_cramps": true, "changed": true})
    );
    let again = send(r#"{"night": "2026-11-30"}"#).await;
    assert!(again.body.contains("\"changed\":false"), "{}", again.body);
    let list = d
        .get("/api/v1/episodes?from=2026-11-01&to=2026-11-30")
        .await;
    let v: serde_json::Value = serde_json::from_str(&list.body).expect("json");
    assert_eq!(
        v["nights_without_cramps"],
        serde_json::json!(["2026-11-30"])
    );
    for (body, status, field) in [
        (r#"{"night": "2999-01-01"}"#, 422, "night"),
        (r#"{"night": "30/11/2026"}"#, 422, "night"),
        (r#"{"night": "2026-02-30"}"#, 422, "night"),
        (r#"{"night": 20261130}"#, 422, "night"),
        (r#"{}"#, 422, "night"),
        (r#"{"night": "2026-11-30", "undo": "yes"}"#, 422, "undo"),
        (r#"{"night": "2026-11-30", "extra": 1}"#, 422, "extra"),
        (r#"[1]"#, 400, ""),
        (r#"not json"#, 400, ""),
    ] {
        let r = send(body).await;
        assert_eq!(r.status.as_u16(), status, "{body}: {}", r.body);
        assert_eq!(
            r.headers["content-type"], "application/problem+json",
            "{body}"
        );
        if !field.is_empty() {
            let v: serde_json::Value = serde_json::from_str(&r.body).expect("json");
            assert_eq!(v["field"], field, "{body}: {}", r.body);
        }
    }
    let undo = send(r#"{"night": "2026-11-30", "undo": true}"#).await;
    assert!(
        undo.body
            .contains("\"without_cramps\":false,\"changed\":true"),
        "{}",
        undo.body
    );
    d.finish().await;
}

/// Issue 21, finding 8: "Everything" names the period the diary covers (from its first
/// cramp), not twenty years back.
#[tokio::test]
async fn everything_starts_where_the_diary_starts() {
    use chrono::Datelike;
    let d = Diary::new().await;
    let r = d
        .post_form(
            "/diary/quick",
            &[("when", "now"), ("side", "left"), ("severity", "mild")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let all = d.get("/diary/summary?weeks=all").await;
    let period = all
        .body
        .split("Period: ")
        .nth(1)
        .and_then(|p| p.split('.').next())
        .expect("a period")
        .to_owned();
    let twenty_years_back = (Utc::now().year() - 20).to_string();
    assert!(!period.contains(&twenty_years_back), "{period}");
    d.finish().await;
}

/// Issue 21, finding 5: the one page shows the most recent of each long list and says how many
/// more the full record holds; the full record has them all, notes whole.
#[tokio::test]
async fn the_gp_summary_keeps_to_one_page_and_the_full_record_has_the_rest() {
    let d = Diary::new().await;
    let long_note = "Woke me and would not go however I walked about the bedroom and then the landing and then the stairs.";
    for day in ["10", "11", "12", "13", "14"] {
        let r = d
            .post_form(
                "/diary",
                &with(&[
                    ("start-day", day),
                    ("minutes", "12"),
                    ("eased", "no"),
                    ("note", long_note),
                ]),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    for (name, day) in [
        ("First", "1"),
        ("Second", "2"),
        ("Third", "3"),
        ("Fourth", "4"),
    ] {
        let r = d
            .post_form(
                "/diary/profile/medicines",
                &[
                    ("name", name),
                    ("started-day", day),
                    ("started-month", "11"),
                    ("started-year", "2026"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let s = d
        .get("/diary/summary?from=2026-11-01&to=2026-11-30")
        .await
        .body;
    let red = s
        .split("did not ease when I moved</h2>")
        .nth(1)
        .expect("red flags")
        .split("</section>")
        .next()
        .unwrap_or_default();
    // The three most recent, in date order, each note cut at a word with "…".
    assert_eq!(red.matches("<li>").count(), 3, "{red}");
    assert!(red.contains("Thu 12 Nov 2026, 02:10: 12 minutes, left calf. Note: Woke me and would not go however I walked about\u{2026}"), "{red}");
    assert!(!red.contains("Wed 11 Nov"), "{red}");
    assert!(s.contains("And 2 more cramps of 10 minutes or more, earlier in the period (2 did not ease). They, and notes cut short here (\u{2026}), are in the full record."), "{s}");
    // The two most recently started medicines, then how many more.
    let health = s
        .split("<h2>Medicines and health</h2>")
        .nth(1)
        .expect("medicines")
        .split("</section>")
        .next()
        .unwrap_or_default();
    assert!(health.contains("<li>Third, from 3 Nov 2026."), "{health}");
    assert!(health.contains("<li>Fourth, from 4 Nov 2026."), "{health}");
    assert!(!health.contains("First"), "{health}");
    assert!(
        health.contains(
            "<li>And 2 more medicines, pregnancies or conditions: all are in the full record.</li>"
        ),
        "{health}"
    );
    assert!(
        s.contains("href=\"/diary/record?from=2026-11-01&amp;to=2026-11-30\""),
        "{s}"
    );

    let r = d.get("/diary/record?from=2026-11-01&to=2026-11-30").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body
            .contains("<h1>Leg cramps: full record for my GP</h1>")
    );
    assert_eq!(
        r.body.matches(long_note).count(),
        10,
        "five red flags and five rows, notes whole"
    );
    for name in ["First", "Second", "Third", "Fourth"] {
        assert!(
            r.body.contains(&format!("<li>{name}, from ")),
            "{name}: {}",
            r.body
        );
    }
    assert_eq!(
        r.body.matches("Never stop a prescribed medicine").count(),
        4,
        "said with each medicine in the full record"
    );
    d.finish().await;
}

/// Issue 21, finding 10: dates of one's own are typed in the NHS.UK date input; every problem is
/// said at once in the error summary, each linked to its box, with what was typed kept; no
/// message shows a backtick or a date written 2026-11-01.
#[tokio::test]
async fn dates_of_your_own_are_typed_as_day_month_and_year_and_every_problem_is_said_at_once() {
    let d = Diary::new().await;
    for (path, heading) in [
        ("/diary/patterns", "Your patterns"),
        ("/diary/summary", "Summary for your GP"),
        ("/diary/record", "Full record for your GP"),
    ] {
        let r = d
            .get(&format!(
                "{path}?from-day=1&from-month=10&from-year=26&to-day=31&to-month=2&to-year=2026"
            ))
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{path}");
        assert!(
            r.body.contains(&format!("<title>Error: {heading}")),
            "{path}: {}",
            r.body
        );
        assert!(r.body.contains(&format!("<h1>{heading}</h1>")), "{path}");
        let summary = r
            .body
            .split("nhsuk-error-summary__list")
            .nth(1)
            .expect("an error summary")
            .split("</ul>")
            .next()
            .unwrap_or_default();
        assert!(
            summary.contains("<a href=\"#from-year\">Enter the year of the first date with 4 numbers, for example 2026</a>"),
            "{summary}"
        );
        assert!(
            summary.contains("<a href=\"#to-day\">Enter a real day for the last date: that month has no day 31</a>"),
            "{summary}"
        );
        // What was typed is kept, and only the boxes at fault are marked.
        assert!(r.body.contains(
            "id=\"from-year\" name=\"from-year\" type=\"text\" inputmode=\"numeric\" value=\"26\""
        ));
        assert!(
            r.body
                .contains("nhsuk-input--width-4 nhsuk-input--error\" id=\"from-year\"")
        );
        assert!(!r.body.contains("nhsuk-input--error\" id=\"from-day\""));
        assert!(!r.body.contains('`'), "{path}");
    }
    // The first date after the last, a preset that is not offered, and a link that cannot be read.
    let cases = [
        (
            "/diary/summary?from-day=2&from-month=11&from-year=2026&to-day=1&to-month=11&to-year=2026",
            "The first date must be on or before the last date",
        ),
        (
            "/diary/summary?weeks=7",
            "Choose the last 4 weeks, the last 12 weeks or everything",
        ),
        (
            "/diary/summary?from=2026-13-01",
            "The dates in the link you followed could not be read",
        ),
    ];
    for (path, message) in cases {
        let r = d.get(path).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{path}");
        assert!(r.body.contains(message), "{path}: {}", r.body);
        assert!(
            !r.body.contains("2026-"),
            "no date written 2026-11-01 on the page: {path}"
        );
    }
    // A name given twice is read, the last one kept, never the framework's own error (the
    // outside security review).
    for path in ["/diary/summary", "/diary/record", "/diary/patterns"] {
        let r = d.get(&format!("{path}?weeks=4&weeks=all")).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
        assert!(
            r.body
                .contains("<strong aria-current=\"page\">Everything</strong>"),
            "{path}"
        );
    }
    // Good dates: the summary of those dates, the boxes showing them.
    let r = d
        .get("/diary/summary?from-day=1&from-month=11&from-year=2026&to-day=30&to-month=11&to-year=2026")
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body
            .contains("Period: 1 November 2026 to 30 November 2026."),
        "{}",
        r.body
    );
    assert!(r.body.contains(
        "id=\"to-day\" name=\"to-day\" type=\"text\" inputmode=\"numeric\" value=\"30\""
    ));
    d.finish().await;
}

/// Issue 21, finding 13: cramps logged without a muscle are not "no cramps" under "Where".
#[tokio::test]
async fn where_says_the_muscle_was_not_logged_rather_than_no_cramps() {
    let d = Diary::new().await;
    let r = d
        .post_form(
            "/diary/quick",
            &[("when", "now"), ("side", "left"), ("severity", "mild")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = d.get("/diary/patterns").await.body;
    let place = page
        .split("<h2>Where</h2>")
        .nth(1)
        .expect("where")
        .split("<h2>")
        .next()
        .unwrap_or_default();
    assert!(
        place.contains("No cramp in this period has its muscle logged."),
        "{place}"
    );
    assert!(!place.contains("No cramps logged."), "{place}");
    d.finish().await;
}

/// The outside GP review of issue 21's one page: the newest long cramp shows whatever was logged
/// about easing (it must not hide behind older ones as "earlier"), and an earlier check more
/// urgent than the latest is named beside it.
#[tokio::test]
async fn the_one_page_keeps_the_newest_long_cramp_and_the_most_urgent_check() {
    use legcramps_contract::diary_io::{SavedCheck, Shown};
    let d = Diary::new().await;
    for day in ["10", "11", "12"] {
        d.post_form(
            "/diary",
            &with(&[("start-day", day), ("minutes", "12"), ("eased", "no")]),
        )
        .await;
    }
    d.post_form(
        "/diary",
        &with(&[
            ("start-day", "20"),
            ("minutes", "45"),
            ("eased", ""),
            ("note", "calf now swollen and hot"),
        ]),
    )
    .await;
    let check = |at: &str, answers: legcramps_core::Assessment| {
        let outcome = legcramps_core::evaluate(&answers);
        SavedCheck {
            id: legcramps_core::diary::EpisodeId::new(&at[..10]).expect("id"),
            at: chrono::DateTime::parse_from_rfc3339(at).expect("at"),
            answers,
            shown: Some(Shown::of(&outcome)),
        }
    };
    let urgent = legcramps_contract::parse_assessment(r#"{"breathless_or_chest_pain": true}"#)
        .expect("answers");
    let calm = legcramps_contract::parse_assessment(
        r#"{"breathless_or_chest_pain": false, "one_leg_swollen_warm_or_red": false, "longest_cramp_minutes": 1, "lead_or_mercury_contact": false, "dirt_in_wound": false, "quality_of_life_affected": false, "frequent": false, "sleep_disturbed": false, "numbness_or_swelling": false, "muscle_shrinking_or_weaker": false, "new_medication": false, "pregnant": false, "after_exercise": false, "dehydrated": false, "known_conditions": []}"#,
    )
    .expect("answers");
    d.store
        .save_check(&Owner::local(), &check("2026-11-13T09:30:00+00:00", urgent))
        .await
        .expect("saved");
    d.store
        .save_check(&Owner::local(), &check("2026-11-25T09:30:00+00:00", calm))
        .await
        .expect("saved");
    let s = d
        .get("/diary/summary?from=2026-11-01&to=2026-11-30")
        .await
        .body;
    let unknown = s
        .split("Cramps of 10 minutes or more: not eased by moving, or not sure or not logged</h2>")
        .nth(1)
        .expect("the newest long cramp is on the page")
        .split("</section>")
        .next()
        .unwrap_or_default();
    assert!(
        unknown.contains("Fri 20 Nov 2026, 02:10: 45 minutes"),
        "{unknown}"
    );
    assert!(unknown.contains("calf now swollen and hot"), "{unknown}");
    assert!(
        s.contains(
            "And 1 more cramp of 10 minutes or more, earlier in the period (1 did not ease)"
        ),
        "{s}"
    );
    let row = s
        .split("Latest check with this tool</th>")
        .nth(1)
        .expect("checks row")
        .split("</tr>")
        .next()
        .unwrap_or_default();
    assert!(
        row.contains("The most urgent earlier: 13 Nov 2026 09:30: Phone 999 now."),
        "{row}"
    );
    d.finish().await;
}
