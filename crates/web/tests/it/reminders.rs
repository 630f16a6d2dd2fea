//! Reminders by Web Push (issue 21, finding 3), end to end: a device turns reminders on
//! through the page, the sender posts to a local push-service stand-in that checks the VAPID
//! signature (RFC 8292) and decrypts the message with the device's own key (RFC 8291), the
//! morning message's code records "No cramps" once, a device its push service no longer knows
//! is forgotten, and two servers on one PostgreSQL database send each reminder once, a stopped
//! one's included.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Method, Request, StatusCode};
use legcramps_core::patterns::Settings;
use legcramps_store::{Owner, PushDevice, Store};
use legcramps_web::{AppConfig, DiaryAccess, Push, app, send_due_reminders};
use web_push_native::p256;

use crate::support::send_to;

const CONTACT: &str = "mailto:ops@legcramps.example";

/// A device's keys, as a browser would make them.
struct Keys {
    secret: p256::SecretKey,
    auth: [u8; 16],
}

impl Keys {
    fn new() -> Keys {
        let mut bytes = [0u8; 32];
        bytes[..16].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
        bytes[16..].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
        Keys {
            secret: p256::SecretKey::from_slice(&bytes).expect("a key"),
            auth: *uuid::Uuid::new_v4().as_bytes(),
        }
    }

    fn device(&self, endpoint: &str) -> PushDevice {
        use base64::Engine as _;
        use p256::elliptic_curve::sec1::ToEncodedPoint;
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        PushDevice {
            endpoint: endpoint.to_owned(),
            p256dh: b64.encode(self.secret.public_key().to_encoded_point(false).as_bytes()),
            auth: b64.encode(self.auth),
            zone: "Europe/London".to_owned(),
        }
    }
}

/// What the stand-in received: (device path, decrypted message), in order.
type Inbox = Arc<Mutex<Vec<(String, serde_json::Value)>>>;

/// A push service on a local port: checks the VAPID header against the server's public key
/// and the contact, decrypts with the device's key, answers 201 (410 for paths starting
/// "gone").
struct StandIn {
    origin: String,
    inbox: Inbox,
    keys: Arc<Mutex<HashMap<String, Keys>>>,
}

impl StandIn {
    async fn start(server_key: String) -> StandIn {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a port");
        let origin = format!("http://{}", listener.local_addr().expect("addr"));
        let inbox: Inbox = Arc::default();
        let keys: Arc<Mutex<HashMap<String, Keys>>> = Arc::default();
        let (inbox2, keys2) = (inbox.clone(), keys.clone());
        let handler = move |axum::extract::Path(device): axum::extract::Path<String>,
                            headers: HeaderMap,
                            body: Bytes| {
            let (inbox, keys, server_key) = (inbox2.clone(), keys2.clone(), server_key.clone());
            async move {
                if let Err(why) = check_vapid(&headers, &server_key) {
                    return (StatusCode::UNAUTHORIZED, why);
                }
                if headers
                    .get("content-encoding")
                    .and_then(|v| v.to_str().ok())
                    != Some("aes128gcm")
                    || headers.get("ttl").is_none()
                {
                    return (StatusCode::BAD_REQUEST, "not RFC 8291/8030".to_owned());
                }
                if device.starts_with("gone") {
                    return (StatusCode::GONE, String::new());
                }
                let plain = {
                    let keys = keys.lock().expect("keys");
                    let Some(k) = keys.get(&device) else {
                        return (StatusCode::NOT_FOUND, String::new());
                    };
                    web_push_native::decrypt(body.to_vec(), &k.secret, &k.auth.into())
                };
                let Ok(plain) = plain else {
                    return (StatusCode::BAD_REQUEST, "does not decrypt".to_owned());
                };
                let json = serde_json::from_slice(&plain).expect("the message is JSON");
                inbox.lock().expect("inbox").push((device, json));
                (StatusCode::CREATED, String::new())
            }
        };
        let router = axum::Router::new().route("/{device}", axum::routing::post(handler));
        tokio::spawn(async move { axum::serve(listener, router).await });
        StandIn {
            origin,
            inbox,
            keys,
        }
    }

    /// A device of this push service, with its own keys.
    fn device(&self, name: &str) -> PushDevice {
        let k = Keys::new();
        let d = k.device(&format!("{}/{name}", self.origin));
        self.keys.lock().expect("keys").insert(name.to_owned(), k);
        d
    }

    fn received(&self) -> Vec<(String, serde_json::Value)> {
        self.inbox.lock().expect("inbox").clone()
    }
}

/// RFC 8292: `vapid t=<JWT signed ES256>, k=<the server's public key>`, with the push
/// service's origin as audience (the crate leaves out the port), a contact, and an expiry
/// within a day.
fn check_vapid(headers: &HeaderMap, server_key: &str) -> Result<(), String> {
    use web_push_native::jwt_simple::prelude::*;
    let value = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .ok_or("no Authorization")?;
    let rest = value.strip_prefix("vapid ").ok_or("not vapid")?;
    let mut t = None;
    let mut k = None;
    for part in rest.split(',') {
        match part.trim().split_once('=') {
            Some(("t", v)) => t = Some(v.to_owned()),
            Some(("k", v)) => k = Some(v.to_owned()),
            _ => {}
        }
    }
    let (t, k) = (t.ok_or("no t")?, k.ok_or("no k")?);
    if k != server_key {
        return Err("signed with another key".to_owned());
    }
    use base64::Engine as _;
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(&k)
        .map_err(|_| "k is not base64url")?;
    let public = ES256PublicKey::from_bytes(&raw).map_err(|e| e.to_string())?;
    let claims = public
        .verify_token::<NoCustomClaims>(&t, None)
        .map_err(|e| format!("signature: {e}"))?;
    if claims.subject.as_deref() != Some(CONTACT) {
        return Err("no contact".to_owned());
    }
    let audiences = claims.audiences.ok_or("no audience")?;
    if !audiences.contains(&std::collections::HashSet::from([
        "http://127.0.0.1".to_owned()
    ])) {
        return Err("wrong audience".to_owned());
    }
    let expires = claims.expires_at.ok_or("no expiry")?;
    if expires.as_secs() > Clock::now_since_epoch().as_secs() + 24 * 60 * 60 {
        return Err("expires more than a day ahead".to_owned());
    }
    Ok(())
}

fn push_for(stand_in_origin: &str, key: &str) -> Arc<Push> {
    Arc::new(Push::new(CONTACT, vec![stand_in_origin.to_owned()], key).expect("push settings"))
}

/// The local diary (no accounts) on `store`, sending reminders with `push`.
fn local_app(store: &Store, push: &Arc<Push>) -> axum::Router {
    app(AppConfig {
        diary: DiaryAccess::On {
            store: store.clone(),
            hosts: legcramps_web::HostCheck::Loopback,
        },
        settings: Settings::default(),
        time_zone: legcramps_web::UK_TIME,
        nhs_111_online: None,
        push: Some(push.clone()),
    })
}

async fn sqlite() -> (Store, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!(
        "legcramps_web_push_{}_{}",
        std::process::id(),
        uuid::Uuid::new_v4().simple()
    ));
    (Store::open_sqlite(&dir).await.expect("store"), dir)
}

async fn form(app: &axum::Router, path: &str, pairs: &[(&str, &str)]) -> crate::support::Reply {
    let body: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    send_to(
        app.clone(),
        Request::builder()
            .method(Method::POST)
            .uri(path)
            .header("host", "127.0.0.1:8080")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .expect("request"),
    )
    .await
}

#[tokio::test]
async fn a_device_turns_reminders_on_gets_both_and_no_cramps_records_the_night_once() {
    let (store, dir) = sqlite().await;
    let key = Push::fresh_key();
    let push = Push::new(CONTACT, vec![], &key).expect("push");
    let stand_in = StandIn::start(push.public_key.clone()).await;
    let push = push_for(&stand_in.origin, &key);
    let app = local_app(&store, &push);
    let phone = stand_in.device("phone");
    // The page offers it, with the server's key for the browser.
    let page = send_to(
        app.clone(),
        Request::builder()
            .uri("/diary/reminders")
            .header("host", "127.0.0.1:8080")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains(&format!("data-key=\"{}\"", push.public_key))
    );
    assert!(page.body.contains("Notifications need JavaScript"));

    // A push address elsewhere (here, a cloud metadata address) is refused: the server never
    // posts to an address it is merely given.
    let refused = form(
        &app,
        "/diary/reminders",
        &[
            ("stretch", "on"),
            ("stretch-at", "21:30"),
            ("endpoint", "http://169.254.169.254/latest"),
            ("p256dh", &phone.p256dh),
            ("auth", &phone.auth),
            ("zone", "Europe/London"),
        ],
    )
    .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(
        refused.body.contains("not one this site can send to"),
        "{}",
        refused.body
    );
    // No reminder chosen, and a wrong time: both said at once.
    let wrong = form(
        &app,
        "/diary/reminders",
        &[
            ("morning", "on"),
            ("morning-at", "25:99"),
            ("endpoint", &phone.endpoint),
            ("p256dh", &phone.p256dh),
            ("auth", &phone.auth),
        ],
    )
    .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert!(
        wrong
            .body
            .contains("Enter the time for the morning question"),
        "{}",
        wrong.body
    );
    assert!(
        store
            .push_reminders_of(&Owner::local())
            .await
            .expect("read")
            .is_empty()
    );

    let on = form(
        &app,
        "/diary/reminders",
        &[
            ("stretch", "on"),
            ("stretch-at", "21:30"),
            ("morning", "on"),
            ("morning-at", "7:30"),
            ("endpoint", &phone.endpoint),
            ("p256dh", &phone.p256dh),
            ("auth", &phone.auth),
            ("zone", "Europe/London"),
        ],
    )
    .await;
    assert_eq!(on.status, StatusCode::SEE_OTHER, "{}", on.body);
    let set = store
        .push_reminders_of(&Owner::local())
        .await
        .expect("read");
    assert_eq!(set.len(), 2);

    // Nothing is due yet.
    let now = legcramps_store::unix_seconds();
    assert_eq!(
        send_due_reminders(&store, &push, now)
            .await
            .expect("round")
            .sent,
        0
    );
    // Each when it is due.
    let mut due: Vec<i64> = set.iter().map(|r| r.next_utc).collect();
    due.sort_unstable();
    for at in &due {
        let round = send_due_reminders(&store, &push, at + 1)
            .await
            .expect("round");
        assert_eq!(round.sent, 1, "{round:?}");
    }
    let later = due[1] + 1;
    let got = stand_in.received();
    let kinds: Vec<&str> = got
        .iter()
        .map(|(_, m)| m["kind"].as_str().unwrap_or(""))
        .collect();
    assert!(
        kinds.contains(&"stretch") && kinds.contains(&"morning"),
        "{got:?}"
    );
    // Each is moved to its next time: not sent again in the same round's time.
    assert_eq!(
        send_due_reminders(&store, &push, later)
            .await
            .expect("round")
            .sent,
        0
    );
    // No health data: the messages hold only these fields.
    for (_, m) in &got {
        let mut fields: Vec<&str> = m
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        fields.sort_unstable();
        let allowed = ["body", "code", "kind", "night", "title", "url"];
        assert!(fields.iter().all(|f| allowed.contains(f)), "{fields:?}");
    }
    let morning = &got
        .iter()
        .find(|(_, m)| m["kind"] == "morning")
        .expect("morning")
        .1;
    let code = morning["code"].as_str().expect("a code");
    let night = morning["night"].as_str().expect("a night");

    // "No cramps": the code records that night, once; from another site, nothing.
    let no_cramps = |body: String, origin: &'static str| {
        let app = app.clone();
        async move {
            send_to(
                app,
                Request::builder()
                    .method(Method::POST)
                    .uri("/push/no-cramps")
                    .header("host", "127.0.0.1:8080")
                    .header("origin", origin)
                    .header("content-type", "application/json")
                    .body(Body::from(body))
                    .expect("request"),
            )
            .await
        }
    };
    let body = serde_json::json!({ "code": code }).to_string();
    let cross = no_cramps(body.clone(), "https://evil.example").await;
    assert_eq!(cross.status, StatusCode::FORBIDDEN);
    let first = no_cramps(body.clone(), "http://127.0.0.1:8080").await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let (nights, _) = store
        .check_ins(&Owner::local(), None, None)
        .await
        .expect("nights");
    assert_eq!(
        nights
            .iter()
            .map(|n| n.format("%Y-%m-%d").to_string())
            .collect::<Vec<_>>(),
        vec![night.to_owned()]
    );
    let again = no_cramps(body, "http://127.0.0.1:8080").await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    let made_up = no_cramps(
        serde_json::json!({"code": "lc_push_guess"}).to_string(),
        "http://127.0.0.1:8080",
    )
    .await;
    assert_eq!(made_up.status, StatusCode::NOT_FOUND);

    // "Send the morning question now": it arrives at once.
    let tried = form(&app, "/diary/reminders/try", &[]).await;
    assert_eq!(
        tried.headers.get("location").and_then(|v| v.to_str().ok()),
        Some("/diary/reminders?tried=1")
    );
    assert_eq!(stand_in.received().len(), 3);

    // Again within the minute: not sent, and the page says to wait.
    let again = form(&app, "/diary/reminders/try", &[]).await;
    assert_eq!(
        again.headers.get("location").and_then(|v| v.to_str().ok()),
        Some("/diary/reminders?tried=wait")
    );
    assert_eq!(stand_in.received().len(), 3);
    // "No cramps" for a night with a cramp in sleep logged: refused, nothing recorded.
    let tried = stand_in.received();
    let code = tried[2].1["code"].as_str().expect("a code").to_owned();
    let night = tried[2].1["night"].as_str().expect("a night").to_owned();
    store
        .undo_check_in(
            &Owner::local(),
            chrono::NaiveDate::parse_from_str(&night, "%Y-%m-%d").expect("day"),
        )
        .await
        .expect("undo");
    let cramp = serde_json::json!({
        "start": format!("{night}T02:10:00+00:00"),
        "minutes": 2,
        "side": "left",
        "asleep": true,
        "severity": "mild",
    });
    let logged = send_to(
        app.clone(),
        Request::builder()
            .method(Method::POST)
            .uri("/api/v1/episodes")
            .header("host", "127.0.0.1:8080")
            .header("content-type", "application/json")
            .body(Body::from(cramp.to_string()))
            .expect("request"),
    )
    .await;
    assert_eq!(logged.status, StatusCode::CREATED, "{}", logged.body);
    let contradicted = no_cramps(
        serde_json::json!({ "code": code }).to_string(),
        "http://127.0.0.1:8080",
    )
    .await;
    assert_eq!(
        contradicted.status,
        StatusCode::CONFLICT,
        "{}",
        contradicted.body
    );
    let day = chrono::NaiveDate::parse_from_str(&night, "%Y-%m-%d").expect("day");
    assert!(
        !store
            .check_ins(&Owner::local(), None, None)
            .await
            .expect("nights")
            .0
            .contains(&day)
    );
    // A body far too big for a code: refused as JSON, not read.
    let huge = no_cramps("x".repeat(100_000), "http://127.0.0.1:8080").await;
    assert_eq!(huge.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(huge.body.starts_with('{'), "{}", huge.body);

    // The same device under another spelling is the same device, not a second one.
    let shouting = phone.endpoint.replace("http://", "HTTP://");
    let on_again = form(
        &app,
        "/diary/reminders",
        &[
            ("morning", "on"),
            ("morning-at", "07:30"),
            ("endpoint", &shouting),
            ("p256dh", &phone.p256dh),
            ("auth", &phone.auth),
            ("zone", "Europe/London"),
        ],
    )
    .await;
    assert_eq!(on_again.status, StatusCode::SEE_OTHER, "{}", on_again.body);
    assert_eq!(
        store
            .push_devices_of(&Owner::local())
            .await
            .expect("devices"),
        1
    );
    // At most ten devices.
    let turn_on = |d: PushDevice| {
        let app = app.clone();
        async move {
            form(
                &app,
                "/diary/reminders",
                &[
                    ("morning", "on"),
                    ("morning-at", "07:30"),
                    ("endpoint", &d.endpoint),
                    ("p256dh", &d.p256dh),
                    ("auth", &d.auth),
                ],
            )
            .await
        }
    };
    for i in 0..9 {
        let r = turn_on(stand_in.device(&format!("more-{i}"))).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let refused = turn_on(stand_in.device("eleventh")).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(
        refused.body.contains("the most one diary can have"),
        "{}",
        refused.body
    );
    // A key that is not an uncompressed point is named as the problem.
    let mut bad_key = stand_in.device("bad-key");
    bad_key.p256dh = "AAAA".to_owned();
    let r = turn_on(bad_key).await;
    assert!(
        r.body
            .contains("keys that notifications cannot be locked with"),
        "{}",
        r.body
    );

    // Off everywhere: nothing more is sent.
    let off_all = form(&app, "/diary/reminders/off", &[("all", "yes")]).await;
    assert_eq!(
        off_all
            .headers
            .get("location")
            .and_then(|v| v.to_str().ok()),
        Some("/diary/reminders?off=10")
    );
    assert_eq!(
        send_due_reminders(&store, &push, later + 2 * 86_400)
            .await
            .expect("round")
            .sent,
        0
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn turned_off_everywhere_a_code_already_sent_stops_working() {
    let (store, dir) = sqlite().await;
    let key = Push::fresh_key();
    let probe = Push::new(CONTACT, vec![], &key).expect("push");
    let stand_in = StandIn::start(probe.public_key.clone()).await;
    let push = push_for(&stand_in.origin, &key);
    let app = local_app(&store, &push);
    let phone = stand_in.device("phone");
    store
        .set_push_reminders(&Owner::local(), &phone, &[("morning", 450, 1_000)])
        .await
        .expect("set");
    let tried = form(&app, "/diary/reminders/try", &[]).await;
    assert_eq!(
        tried.headers.get("location").and_then(|v| v.to_str().ok()),
        Some("/diary/reminders?tried=1")
    );
    let code = stand_in.received()[0].1["code"]
        .as_str()
        .expect("code")
        .to_owned();
    let off = form(&app, "/diary/reminders/off", &[("all", "yes")]).await;
    assert_eq!(
        off.headers.get("location").and_then(|v| v.to_str().ok()),
        Some("/diary/reminders?off=1")
    );
    let used = send_to(
        app.clone(),
        Request::builder()
            .method(Method::POST)
            .uri("/push/no-cramps")
            .header("host", "127.0.0.1:8080")
            .header("content-type", "application/json")
            .body(Body::from(serde_json::json!({ "code": code }).to_string()))
            .expect("request"),
    )
    .await;
    assert_eq!(used.status, StatusCode::NOT_FOUND);
    // A page address with a number too big is read as none, not as the framework's error.
    let page = send_to(
        app.clone(),
        Request::builder()
            .uri("/diary/reminders?tried=99999999999999999999999")
            .header("host", "127.0.0.1:8080")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("deserialize"));
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn a_narrowed_list_of_push_services_stops_sending_there_but_keeps_the_device() {
    let (store, dir) = sqlite().await;
    let key = Push::fresh_key();
    let probe = Push::new(CONTACT, vec![], &key).expect("push");
    let stand_in = StandIn::start(probe.public_key.clone()).await;
    let elsewhere =
        Arc::new(Push::new(CONTACT, vec!["http://127.0.0.1:1".to_owned()], &key).expect("push"));
    let phone = stand_in.device("phone");
    store
        .set_push_reminders(&Owner::local(), &phone, &[("morning", 450, 1_000)])
        .await
        .expect("set");
    let round = send_due_reminders(&store, &elsewhere, 1_000)
        .await
        .expect("round");
    assert_eq!(
        (round.sent, round.failed, round.gone),
        (0, 1, 0),
        "{round:?}"
    );
    assert!(stand_in.received().is_empty());
    assert_eq!(
        store
            .push_reminders_of(&Owner::local())
            .await
            .expect("kept")
            .len(),
        1
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn a_device_the_push_service_no_longer_knows_is_forgotten_and_a_late_one_waits() {
    let (store, dir) = sqlite().await;
    let key = Push::fresh_key();
    let probe = Push::new(CONTACT, vec![], &key).expect("push");
    let stand_in = StandIn::start(probe.public_key.clone()).await;
    let push = push_for(&stand_in.origin, &key);
    let me = Owner::local();
    let gone = stand_in.device("gone-phone");
    store
        .set_push_reminders(&me, &gone, &[("morning", 450, 1_000)])
        .await
        .expect("set");
    let round = send_due_reminders(&store, &push, 1_000)
        .await
        .expect("round");
    assert_eq!(round.gone, 1, "{round:?}");
    assert!(store.push_reminders_of(&me).await.expect("read").is_empty());
    // Due while every server was stopped, longer ago than the host allows: not sent, moved on.
    let phone = stand_in.device("phone");
    store
        .set_push_reminders(&me, &phone, &[("stretch", 1290, 1_000)])
        .await
        .expect("set");
    let round = send_due_reminders(&store, &push, 1_000 + push.late_seconds + 1)
        .await
        .expect("round");
    assert_eq!((round.sent, round.late), (0, 1), "{round:?}");
    assert!(stand_in.received().is_empty());
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn two_servers_on_one_postgres_database_send_each_reminder_once_even_after_one_stops() {
    use sqlx::Connection;
    let Some(admin) = legcramps_test_pg::admin_url("web push two servers on PostgreSQL") else {
        return;
    };
    let mut conn = sqlx::PgConnection::connect(&admin)
        .await
        .expect("PostgreSQL");
    let db = format!("legcramps_web_push_{}", uuid::Uuid::new_v4().simple());
    sqlx::query(&format!("CREATE DATABASE {db}"))
        .execute(&mut conn)
        .await
        .expect("create");
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
    let one = Store::open_postgres(&format!("{base}/{db}"))
        .await
        .expect("server one");
    let two = Store::open_postgres(&format!("{base}/{db}"))
        .await
        .expect("server two");
    let key = one
        .server_secret("web-push-key", &Push::fresh_key())
        .await
        .expect("key");
    assert_eq!(
        two.server_secret("web-push-key", &Push::fresh_key())
            .await
            .expect("key"),
        key
    );
    let probe = Push::new(CONTACT, vec![], &key).expect("push");
    let stand_in = StandIn::start(probe.public_key.clone()).await;
    let push = push_for(&stand_in.origin, &key);
    let n = 300;
    for i in 0..n {
        let d = stand_in.device(&format!("d{i}"));
        one.set_push_reminders(
            &Owner::named(&format!("person {i}")),
            &d,
            &[("stretch", 1290, 5_000)],
        )
        .await
        .expect("set");
    }
    // Server two took one and stopped before sending it.
    let held = two
        .due_push_reminders(5_000, 1)
        .await
        .expect("due")
        .remove(0);
    assert!(two.lease_push(&held, 5_000, 6_000).await.expect("lease"));
    // Both servers send at once.
    let (a, b) = tokio::join!(
        send_due_reminders(&one, &push, 5_010),
        send_due_reminders(&two, &push, 5_010)
    );
    let (a, b) = (a.expect("one"), b.expect("two"));
    assert_eq!(a.sent + b.sent, n - 1, "{a:?} {b:?}");
    // When its lease ends, the stopped server's reminder is sent by the other.
    let c = send_due_reminders(&one, &push, 6_001)
        .await
        .expect("after the lease");
    assert_eq!(c.sent, 1, "{c:?}");
    let got = stand_in.received();
    let mut devices: Vec<&str> = got.iter().map(|(d, _)| d.as_str()).collect();
    devices.sort_unstable();
    let before = devices.len();
    devices.dedup();
    assert_eq!(
        (before, devices.len()),
        (n, n),
        "each device once, none missed"
    );
    drop((one, two));
    let _ = sqlx::query(&format!("DROP DATABASE {db} WITH (FORCE)"))
        .execute(&mut conn)
        .await;
}
