//! Sending reminders (issue 21): every few seconds each server takes the reminders that are
//! due, one lease each (so of several servers on one database only one sends any one
//! reminder), encrypts a small message to the device (RFC 8291) signed with the server's key
//! (RFC 8292), posts it to the device's push service (RFC 8030), and moves the reminder to its
//! next time. A device its push service no longer knows (404, 410) is forgotten. A reminder
//! that could not be sent is tried again when its lease ends, until it is later than the
//! host allows; then it waits for its next time.
//!
//! No message holds health data: the bedtime one is the stretch reminder, the morning one
//! asks "Any cramps last night?" and carries a one-use code that lets its "No cramps" button
//! record that night, and nothing else.

use std::sync::Arc;

use chrono::{NaiveTime, TimeZone, Utc};
use legcramps_store::{Owner, PushReminder, Store, StoreError};

use crate::config::Push;

/// How long one server holds a reminder it is sending (others leave it alone meanwhile): more
/// than a send can take (the push service has 10 seconds to answer).
const LEASE_SECONDS: i64 = 30;

/// How many reminders one server sends at once.
const AT_ONCE: usize = 4;

/// How long a morning notification's "No cramps" code works (a day: the question is about
/// one night).
pub(crate) const CODE_SECONDS: i64 = 24 * 60 * 60;

/// How long a push service should keep trying to reach a device that is off (RFC 8030 `TTL`).
const KEEP_TRYING: std::time::Duration = std::time::Duration::from_secs(4 * 60 * 60);

/// The next time after `after` (Unix seconds) that the clock in `zone` shows `at_minute`
/// (minutes after midnight). A time the clocks skip (spring forward) is taken as the first
/// moment after the gap; a time they show twice (fall back), the first.
pub(crate) fn next_due(zone: chrono_tz::Tz, at_minute: i32, after: i64) -> i64 {
    let at = NaiveTime::from_num_seconds_from_midnight_opt(
        u32::try_from(at_minute.clamp(0, 24 * 60 - 1)).unwrap_or(0) * 60,
        0,
    )
    .unwrap_or(NaiveTime::MIN);
    let now = Utc
        .timestamp_opt(after, 0)
        .single()
        .unwrap_or_else(Utc::now);
    let today = now.with_timezone(&zone).date_naive();
    for days in 0..=2 {
        let day = today + chrono::Days::new(days);
        let local = day.and_time(at);
        let instant = zone
            .from_local_datetime(&local)
            .earliest()
            .or_else(|| {
                zone.from_local_datetime(&(local + chrono::Duration::hours(1)))
                    .earliest()
            })
            .map(|t| t.timestamp());
        if let Some(t) = instant
            && t > after
        {
            return t;
        }
    }
    after + 24 * 60 * 60
}

/// What one round of sending did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Round {
    /// Accepted by the push service.
    pub sent: usize,
    /// Later than the host allows: moved to their next time unsent.
    pub late: usize,
    /// Devices the push service no longer knows: forgotten.
    pub gone: usize,
    /// Not sent (the push service failed or refused): tried again when the lease ends.
    pub failed: usize,
}

/// How one message went.
pub(crate) enum Outcome {
    Sent,
    /// The push service no longer knows the device (404, 410).
    Gone,
    Failed(String),
}

/// The message of a reminder (JSON, read by the service worker): what to show, and for the
/// morning question the code for "No cramps". Never health data.
pub(crate) async fn message(
    store: &Store,
    owner: &Owner,
    kind: &str,
    zone: chrono_tz::Tz,
    now: i64,
) -> Result<serde_json::Value, StoreError> {
    if kind == "stretch" {
        let body = legcramps_core::content::item("prevention.bedtime").map_or("", |i| i.text);
        return Ok(serde_json::json!({
            "kind": "stretch",
            "title": "Calf stretch before bed",
            "body": body,
            "url": "/stretches",
        }));
    }
    let local = Utc
        .timestamp_opt(now, 0)
        .single()
        .unwrap_or_else(Utc::now)
        .with_timezone(&zone)
        .naive_local();
    let night = legcramps_core::patterns::check_in_night(local);
    let code = legcramps_accounts::Secret::new("lc_push_");
    store
        .add_push_action(&code.hash, owner, night, now + CODE_SECONDS)
        .await?;
    Ok(serde_json::json!({
        "kind": "morning",
        "title": "Any cramps last night?",
        "body": "Tap No cramps if you had none, or Log one to add it to your diary.",
        "night": night.format("%Y-%m-%d").to_string(),
        "code": code.text,
        "url": "/diary",
    }))
}

/// Encrypt `message` to the device of `r` and post it to its push service (blocking: run on
/// a blocking thread).
pub(crate) fn post(push: &Push, r: &PushReminder, message: &[u8]) -> Outcome {
    use base64::Engine as _;
    use web_push_native::{Auth, WebPushBuilder, p256::PublicKey};
    // Checked again at sending: a host that narrows the list stops sending there, and
    // keeps the device (the host may have narrowed it by mistake).
    if !push.allows(&r.device.endpoint) {
        return Outcome::Failed("not a push service this server may send to".to_owned());
    }
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let keys = (|| {
        let public = b64.decode(r.device.p256dh.trim_end_matches('=')).ok()?;
        let public = PublicKey::from_sec1_bytes(&public).ok()?;
        let auth = b64.decode(r.device.auth.trim_end_matches('=')).ok()?;
        let auth: [u8; 16] = auth.try_into().ok()?;
        let endpoint = r.device.endpoint.parse().ok()?;
        Some((endpoint, public, Auth::from(auth)))
    })();
    let Some((endpoint, public, auth)) = keys else {
        return Outcome::Gone;
    };
    let request = match WebPushBuilder::new(endpoint, public, auth)
        .with_valid_duration(KEEP_TRYING)
        .with_vapid(&push.key, &push.contact)
        .build(message.to_vec())
    {
        Ok(r) => r,
        Err(e) => return Outcome::Failed(format!("could not encrypt: {e}")),
    };
    let (parts, body) = request.into_parts();
    let mut call = push.agent.post(&r.device.endpoint);
    for (name, value) in &parts.headers {
        if let Ok(v) = value.to_str() {
            call = call.set(name.as_str(), v);
        }
    }
    // One pending message of a kind per device: a newer one replaces it at the push service.
    call = call.set("Topic", &r.kind).set("Urgency", "normal");
    match call.send_bytes(&body) {
        Ok(r) if (200..300).contains(&r.status()) => Outcome::Sent,
        Ok(r) => Outcome::Failed(format!("push service answered {}", r.status())),
        Err(ureq::Error::Status(404 | 410, _)) => Outcome::Gone,
        Err(ureq::Error::Status(code, _)) => Outcome::Failed(format!("push service said {code}")),
        Err(ureq::Error::Transport(t)) => {
            Outcome::Failed(format!("push service unreachable: {}", t.kind()))
        }
    }
}

/// A message to post, with the settings to post it by, and where to say how it went.
type Job = (
    Arc<Push>,
    PushReminder,
    Vec<u8>,
    tokio::sync::oneshot::Sender<Outcome>,
);

/// The threads that encrypt, sign and post messages: [`AT_ONCE`] of them for the process
/// (started on first use), each at a lower scheduling priority than the rest of the server
/// (Linux `nice` 10), so that sending thousands of reminders at once never slows the pages
/// people are using or `/healthz`; a reminder may be a few seconds late instead.
struct Posting(std::sync::Mutex<std::sync::mpsc::Sender<Job>>);

static POSTING: std::sync::OnceLock<Posting> = std::sync::OnceLock::new();

impl Posting {
    fn start() -> Posting {
        let (tx, rx) = std::sync::mpsc::channel::<Job>();
        let rx = Arc::new(std::sync::Mutex::new(rx));
        for n in 0..AT_ONCE {
            let rx = rx.clone();
            let started = std::thread::Builder::new()
                .name(format!("push-{n}"))
                .spawn(move || {
                    lower_priority();
                    loop {
                        let job = match rx.lock() {
                            Ok(rx) => rx.recv(),
                            Err(_) => return,
                        };
                        let Ok((push, r, body, done)) = job else {
                            return;
                        };
                        let _ = done.send(post(&push, &r, &body));
                    }
                });
            if let Err(e) = started {
                tracing::warn!(error = %e, "a thread for sending reminders could not start");
            }
        }
        Posting(std::sync::Mutex::new(tx))
    }
}

/// This thread runs after everything else the server does (best effort: a failure changes
/// nothing but the order).
fn lower_priority() {
    // On Linux a thread is a process to `setpriority`: its id names it alone.
    #[cfg(target_os = "linux")]
    let _ = rustix::process::setpriority_process(Some(rustix::thread::gettid()), 10);
}

/// Send one reminder now (it is leased, or the person asked to try it).
pub(crate) async fn send_one(
    store: &Store,
    push: &Arc<Push>,
    r: &PushReminder,
    now: i64,
) -> Result<Outcome, StoreError> {
    let zone = crate::config::parse_time_zone(&r.device.zone).unwrap_or(crate::config::UK_TIME);
    let message = message(store, &r.owner, &r.kind, zone, now).await?;
    let body = message.to_string().into_bytes();
    let posting = POSTING.get_or_init(Posting::start);
    let (done, outcome) = tokio::sync::oneshot::channel();
    let queued = posting
        .0
        .lock()
        .map(|tx| tx.send((push.clone(), r.clone(), body, done)).is_ok())
        .unwrap_or(false);
    let outcome = if queued {
        outcome
            .await
            .unwrap_or_else(|_| Outcome::Failed("sending stopped".to_owned()))
    } else {
        Outcome::Failed("no thread to send with".to_owned())
    };
    if matches!(outcome, Outcome::Gone) {
        store.forget_push_device(&r.device.endpoint).await?;
    }
    Ok(outcome)
}

/// One round: every reminder due at `now` that no other server holds is sent (or skipped as
/// too late) and moved to its next time. Each is leased just before it is sent, at most
/// [`AT_ONCE`] at a time, so a server that stops mid-round holds only those few until their
/// leases end; leases are timed from `now` plus the time the round has taken.
pub async fn send_due(store: &Store, push: &Arc<Push>, now: i64) -> Result<Round, StoreError> {
    let started = std::time::Instant::now();
    let clock = move || now + i64::try_from(started.elapsed().as_secs()).unwrap_or(0);
    let stopping = || push.stopping.load(std::sync::atomic::Ordering::SeqCst);
    let mut round = Round::default();
    store.forget_expired_push_actions(now).await?;
    let mut pace =
        tokio::time::interval(std::time::Duration::from_secs(1) / push.per_second.max(1));
    pace.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        if stopping() {
            return Ok(round);
        }
        let mut due = store.due_push_reminders(clock(), 256).await?;
        if due.is_empty() {
            return Ok(round);
        }
        // Servers reading the same batch start at different places in it, so they seldom
        // reach for the same reminder.
        let start = usize::from(uuid::Uuid::new_v4().as_bytes()[0]) % due.len();
        due.rotate_left(start);
        let mut taken = 0;
        let mut tasks = tokio::task::JoinSet::new();
        let mut rest = due.into_iter();
        loop {
            while tasks.len() < AT_ONCE && !stopping() {
                let Some(r) = rest.next() else { break };
                let at = clock();
                if !store.lease_push(&r, at, at + LEASE_SECONDS).await? {
                    // Another server has it.
                    continue;
                }
                taken += 1;
                // Only what this server sends counts towards its pace.
                pace.tick().await;
                let (store, push) = (store.clone(), push.clone());
                tasks.spawn(async move {
                    let zone = crate::config::parse_time_zone(&r.device.zone)
                        .unwrap_or(crate::config::UK_TIME);
                    let next = next_due(zone, r.at_minute, now.max(r.next_utc));
                    if now - r.next_utc > push.late_seconds {
                        store.push_sent(&r, next).await?;
                        return Ok::<_, StoreError>(None);
                    }
                    let outcome = send_one(&store, &push, &r, now).await?;
                    if matches!(outcome, Outcome::Sent) {
                        store.push_sent(&r, next).await?;
                    }
                    Ok(Some(outcome))
                });
            }
            let Some(done) = tasks.join_next().await else {
                break;
            };
            match done {
                Ok(Ok(None)) => round.late += 1,
                Ok(Ok(Some(outcome))) => match outcome {
                    Outcome::Sent => round.sent += 1,
                    Outcome::Gone => round.gone += 1,
                    Outcome::Failed(why) => {
                        tracing::warn!(%why, "a reminder was not sent; it is tried again shortly");
                        round.failed += 1;
                    }
                },
                Ok(Err(e)) => return Err(e),
                Err(e) => {
                    tracing::warn!(error = %e, "sending a reminder stopped");
                    round.failed += 1;
                }
            }
        }
        if taken == 0 {
            return Ok(round);
        }
    }
}

/// Send due reminders every [`Push::every_seconds`] until `shutdown` completes; then the
/// reminders in flight are finished and marked sent before this returns (await it before the
/// process ends, so that a restart neither repeats nor loses one).
pub async fn run(
    store: Store,
    push: Arc<Push>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) {
    let every = std::time::Duration::from_secs(push.every_seconds.max(1));
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let flag = push.clone();
    tokio::spawn(async move {
        shutdown.await;
        flag.stopping
            .store(true, std::sync::atomic::Ordering::SeqCst);
    });
    loop {
        tick.tick().await;
        if push.stopping.load(std::sync::atomic::Ordering::SeqCst) {
            return;
        }
        match send_due(&store, &push, legcramps_store::unix_seconds()).await {
            Ok(r) if r != Round::default() => {
                tracing::info!(
                    sent = r.sent,
                    late = r.late,
                    gone = r.gone,
                    failed = r.failed,
                    "reminders"
                );
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "reminders could not be read; trying again"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::next_due;
    use chrono::TimeZone;

    fn at(zone: chrono_tz::Tz, s: &str) -> i64 {
        let t = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("time");
        zone.from_local_datetime(&t)
            .earliest()
            .expect("exists")
            .timestamp()
    }

    #[test]
    fn the_next_time_is_the_next_time_the_clock_shows_it() {
        let london = chrono_tz::Europe::London;
        // Later today, or tomorrow once passed (never the same moment again).
        assert_eq!(
            next_due(london, 21 * 60 + 30, at(london, "2026-12-03 13:00")),
            at(london, "2026-12-03 21:30")
        );
        assert_eq!(
            next_due(london, 21 * 60 + 30, at(london, "2026-12-03 21:30")),
            at(london, "2026-12-04 21:30")
        );
        // Across the change to summer time the clock time stays the same.
        assert_eq!(
            next_due(london, 7 * 60 + 30, at(london, "2026-03-28 08:00")),
            at(london, "2026-03-29 07:30")
        );
        // A time the clocks skip (01:30 on 29 March) comes just after the gap.
        assert_eq!(
            next_due(london, 60 + 30, at(london, "2026-03-28 12:00")),
            at(london, "2026-03-29 02:30")
        );
        // Another zone: 07:30 in Auckland.
        let auckland = chrono_tz::Pacific::Auckland;
        assert_eq!(
            next_due(auckland, 7 * 60 + 30, at(auckland, "2026-12-03 07:31")),
            at(auckland, "2026-12-04 07:30")
        );
    }
}

#[cfg(test)]
mod allowed {
    use crate::config::{PUSH_SERVICES, Push};

    #[test]
    fn only_the_push_services_allowed_are_posted_to() {
        let push = Push::new(
            "mailto:ops@example.org",
            PUSH_SERVICES.iter().map(|s| (*s).to_owned()).collect(),
            &Push::fresh_key(),
        )
        .expect("settings");
        for ok in [
            "https://fcm.googleapis.com/fcm/send/abc",
            "https://updates.push.services.mozilla.com/wpush/v2/abc",
            "https://web.push.apple.com/QAbc",
            "https://db5p.notify.windows.com/w/?token=abc",
        ] {
            assert!(push.allows(ok), "{ok}");
        }
        for refused in [
            "http://fcm.googleapis.com/fcm/send/abc",
            "https://fcm.googleapis.com:8443/fcm/send/abc",
            "https://fcm.googleapis.com.evil.example/abc",
            "https://evilpush.apple.com/abc",
            "https://push.apple.com/abc",
            "https://user@fcm.googleapis.com/abc",
            "http://169.254.169.254/latest/meta-data",
            "http://127.0.0.1:5432/",
            "not a url",
            "",
        ] {
            assert!(!push.allows(refused), "{refused}");
        }
        assert!(Push::new("ops@example.org", vec![], &Push::fresh_key()).is_err());
    }
}

#[cfg(test)]
mod spelling {
    use crate::config::Push;

    #[test]
    fn one_device_has_one_spelling_and_odd_ones_are_refused() {
        for same in [
            "http://127.0.0.1:9101/ep/x",
            "HTTP://127.0.0.1:9101/ep/x",
            "http://127.0.0.1:09101/ep/x",
        ] {
            assert_eq!(
                Push::canonical(same).as_deref(),
                Some("http://127.0.0.1:9101/ep/x"),
                "{same}"
            );
        }
        assert_eq!(
            Push::canonical("https://FCM.googleapis.com:443/fcm/send/a").as_deref(),
            Some("https://fcm.googleapis.com/fcm/send/a")
        );
        for refused in [
            "http://127.0.0.1:9101/../ep/x",
            "http://127.0.0.1:9101/ep/%2e%2e/x",
            "http://127.0.0.1:9101/./ep",
            "http://a..example.com/x",
            "http://.example.com/x",
            "http://_a.example.com/x",
            "http://*.example.com/x",
            "http://localhost/x",
            "ftp://fcm.googleapis.com/x",
            "https://u@fcm.googleapis.com/x",
        ] {
            assert_eq!(Push::canonical(refused), None, "{refused}");
        }
    }

    #[test]
    fn a_push_service_setting_that_could_match_nothing_or_anything_is_refused() {
        let key = Push::fresh_key();
        for bad in [
            "ftp://x.example.com",
            "https://*",
            "http://*",
            "https://*.*.com",
            "https://*.com",
            "http://127.0.0.1:9101/path",
            "https://*.127.0.0.1",
            "fcm.googleapis.com",
        ] {
            assert!(
                Push::new("mailto:ops@example.org", vec![bad.to_owned()], &key).is_err(),
                "{bad}"
            );
        }
        for good in [
            "https://fcm.googleapis.com",
            "https://*.push.apple.com",
            "http://127.0.0.1:9101",
        ] {
            assert!(
                Push::new("mailto:ops@example.org", vec![good.to_owned()], &key).is_ok(),
                "{good}"
            );
        }
        assert!(Push::new("mailto:a@b.example\nX: y", vec![], &key).is_err());
    }
}
