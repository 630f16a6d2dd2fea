//! What the app is started with: whether and how the diary is served, the hosted site's
//! settings, the product settings, and what one connection may take. The bottom of the web
//! crate: everything may read it; it reads nothing of the crate.

use std::sync::Arc;

use legcramps_core::patterns::Settings;
use legcramps_store::Store;

/// Whether the diary is served, and if not, why not (shown on the diary pages).
#[derive(Debug, Clone)]
pub enum DiaryAccess {
    On {
        store: Store,
        /// Which host names a request may name to reach the diary (this defeats DNS-rebinding
        /// pages, whose requests name the attacker's host).
        hosts: HostCheck,
    },
    /// Accounts (`serve --accounts`): each person signs up and in, and sees only their own
    /// diary.
    Accounts {
        store: Store,
        site: Arc<Site>,
    },
    Off(String),
}

/// A hosted site with accounts: where people reach it, and its settings.
#[derive(Debug)]
pub struct Site {
    /// `https://diary.example.org` (or `http://127.0.0.1:8080` on loopback): scheme, host and
    /// port, no path.
    pub origin: String,
    /// The `Host` header requests must carry (host and port as in `origin`, lower case).
    pub host: String,
    /// Whether people reach it over https (then HSTS is sent).
    pub https: bool,
    pub sessions: legcramps_store::SessionLimits,
    /// Waits after failed sign-ins (and between sign-ups), per IP and per username.
    pub backoff: legcramps_accounts::Backoff,
    /// Waits after failed sign-ins as one username from any address (a setting; default:
    /// 10 free, then 1 s doubling to at most 60 s): slows a guesser with many addresses, and
    /// never keeps the owner out longer than a minute.
    pub account_backoff: legcramps_accounts::Backoff,
    /// Waits after wrong codes at the second step, per account from any address (a setting;
    /// default: 5 free, then 60 s doubling to at most an hour). A right password never clears
    /// it; a right code does. A recovery code is never made to wait (it cannot be guessed),
    /// so the owner always has a way in.
    pub second_step_backoff: legcramps_accounts::Backoff,
    /// How recently the person must have proved who they are (signed in, or "Confirm it is
    /// you") to add a way to sign in or make an access token (a setting; default 5 minutes).
    pub reconfirm_seconds: i64,
    /// The most cramps one account's diary keeps (a setting; default 20,000: ten years of
    /// nightly cramps is under 10,000). A cramp beyond it is refused, saying why. Saved checks
    /// have the same cap, counted apart.
    pub episodes_max: i64,
    /// The most changes to one account's diary in a minute, by session or token together (a
    /// setting; default 60). More are refused with a wait (429, `Retry-After`).
    pub writes_per_minute: u32,
    /// The longest an access token may live, in days (a setting; default 365). People choose
    /// from 7, 30, 90 and 365 days, those up to this.
    pub token_max_days: i64,
    /// How long a form sent after its sign-in ended is kept for its person to sign in and
    /// save it (a setting; default 24 hours: a tab left open overnight is saved the next
    /// morning). Only that account, in that browser, can read it back.
    pub unsaved_seconds: i64,
    /// The key for hashing IP addresses in security events.
    pub ip_key: String,
    /// The passkey relying party (`None` where passkeys cannot work: an IP address).
    pub(crate) webauthn: Option<webauthn_rs::Webauthn>,
    /// How many password hashes run at once (a setting; default: one fewer than the cores,
    /// at least one), so that sign-ins cannot take every core from the rest of the site.
    pub(crate) hashing: Arc<tokio::sync::Semaphore>,
    /// Proxies whose `X-Forwarded-For` names the client (besides loopback addresses, which
    /// are always trusted: the documented deployment puts the TLS proxy on the same host).
    /// The backoff and the security events use the address the proxy saw, so one person's
    /// failures never slow everyone else behind the same proxy.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Whether a loopback peer is a trusted proxy (default: yes, the documented deployment;
    /// `serve --no-loopback-proxy` turns it off).
    pub trust_loopback: bool,
}

impl Site {
    /// A site at `origin` (scheme://host[:port]) with default session limits and backoff.
    /// `ip_key` keys the IP hashes in security events (keep it the same across processes).
    pub fn new(origin: &str, ip_key: &str) -> Site {
        let origin = origin.trim_end_matches('/').to_ascii_lowercase();
        let webauthn = relying_party(&origin);
        let https = origin.starts_with("https://");
        let host = origin
            .split_once("://")
            .map_or(origin.as_str(), |(_, h)| h)
            .to_owned();
        Site {
            origin,
            host,
            https,
            sessions: legcramps_store::SessionLimits::default(),
            backoff: legcramps_accounts::Backoff::default(),
            account_backoff: legcramps_accounts::Backoff {
                free: 10,
                first_seconds: 1,
                max_seconds: 60,
            },
            second_step_backoff: legcramps_accounts::Backoff {
                free: 5,
                first_seconds: 60,
                max_seconds: 60 * 60,
            },
            reconfirm_seconds: 5 * 60,
            episodes_max: 20_000,
            writes_per_minute: 60,
            token_max_days: 365,
            unsaved_seconds: 24 * 60 * 60,
            ip_key: ip_key.to_owned(),
            webauthn,
            hashing: Arc::new(tokio::sync::Semaphore::new(default_hashing())),
            trusted_proxies: Vec::new(),
            trust_loopback: true,
        }
    }
}

/// One fewer password hash at a time than there are cores (at least one).
fn default_hashing() -> usize {
    std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .saturating_sub(1)
        .max(1)
}

impl Site {
    /// Run at most `n` password hashes at once (at least one).
    pub fn with_hashing(mut self, n: usize) -> Site {
        self.hashing = Arc::new(tokio::sync::Semaphore::new(n.max(1)));
        self
    }
}

/// The client's address, put on each request by [`serve_with`] (absent in tests that call
/// the router directly).
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub std::net::IpAddr);

/// The host names the diary answers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostCheck {
    /// The server listens on a loopback address: only `localhost` and loopback IPs (always,
    /// whatever the flags).
    Loopback,
    /// `--single-user` on an address others can reach: only these names (lower case).
    Allowed(Vec<String>),
}

/// What the app serves.
#[derive(Debug, Clone)]
pub struct AppConfig {
    pub diary: DiaryAccess,
    /// Product settings for the diary's patterns (not clinical facts).
    pub settings: Settings,
    /// The zone the diary's forms read and show times in (`serve --time-zone`; default
    /// Europe/London, shown as "UK time").
    pub time_zone: chrono_tz::Tz,
    /// The address of the NHS online urgent service of the host's nation (`111 online`
    /// differs by nation: England's, NHS 24's for Scotland, ...), shown beside the phone
    /// number 111; `None` (the default) shows no address, only the number (docs/product.md,
    /// "Settings a host owns").
    pub nhs_111_online: Option<Arc<str>>,
    /// Reminders sent to people's phones by Web Push (`serve --push-contact`); `None`: this
    /// server sends none, and the reminders page offers the calendar file only.
    pub push: Option<Arc<Push>>,
}

/// The host's Web Push settings (RFC 8030, 8291, 8292). The server's key is kept in the
/// database (every server on one database signs with the same one); people's devices are
/// told its public half when they turn reminders on.
pub struct Push {
    /// Who runs this server, for the push services (RFC 8292 `sub`: `mailto:` or `https:`).
    pub contact: String,
    /// The push services this server may send to: origins (`https://fcm.googleapis.com`), or
    /// `https://*.push.apple.com` for any host under a domain. A device whose push address is
    /// elsewhere is refused, so the server cannot be made to post to any address it is given.
    pub services: Vec<String>,
    /// How late a reminder may still be sent (a setting; default 2 hours): one due while
    /// every server was stopped is sent on restart if within it, else skipped to its next time.
    pub late_seconds: i64,
    /// How often each server looks for due reminders (a setting; default 30 seconds).
    pub every_seconds: u64,
    /// The most reminders one server sends in a second (a setting; default 100): a burst is
    /// spread out so that the pages people are using stay quick; two servers send 10,000 in
    /// under a minute.
    pub per_second: u32,
    pub(crate) key: web_push_native::jwt_simple::algorithms::ES256KeyPair,
    /// The key's public half (uncompressed point, base64url), for `applicationServerKey`.
    pub public_key: String,
    pub(crate) agent: ureq::Agent,
    /// Set when the server is stopping: no new reminder is taken, those in flight finish and
    /// are marked sent, so a restart neither repeats nor loses one.
    pub(crate) stopping: std::sync::atomic::AtomicBool,
}

impl std::fmt::Debug for Push {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Push")
            .field("contact", &self.contact)
            .field("services", &self.services)
            .field("public_key", &self.public_key)
            .finish_non_exhaustive()
    }
}

/// A host name of letters, digits and hyphens in non-empty labels (at least two), or an IP
/// address.
fn host_valid(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if bare.parse::<std::net::IpAddr>().is_ok() {
        return true;
    }
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// A `--push-service`: `http(s)://host[:port]`, the host plain or `*.` and a domain of at least
/// two labels; nothing after the port.
fn service_valid(service: &str) -> bool {
    let Some((scheme, rest)) = service.split_once("://") else {
        return false;
    };
    if !(scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http")) {
        return false;
    }
    let host = match rest.rsplit_once(':') {
        Some((h, p)) if !rest.ends_with(']') => {
            if p.parse::<u16>().is_err() {
                return false;
            }
            h
        }
        _ => rest,
    };
    let host = host.to_ascii_lowercase();
    match host.strip_prefix("*.") {
        Some(domain) => host_valid(domain) && domain.parse::<std::net::IpAddr>().is_err(),
        None => host_valid(&host),
    }
}

/// The push services a browser may use, by default: Chrome's and Edge's (Firebase), Firefox's,
/// Safari's and Windows'.
pub const PUSH_SERVICES: &[&str] = &[
    "https://fcm.googleapis.com",
    "https://updates.push.services.mozilla.com",
    "https://*.push.apple.com",
    "https://*.notify.windows.com",
];

impl Push {
    /// A fresh server key (its private half, base64url), to be kept in the database.
    pub fn fresh_key() -> String {
        use base64::Engine as _;
        let key = web_push_native::jwt_simple::algorithms::ES256KeyPair::generate();
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(key.to_bytes())
    }

    /// The settings with the server key `key` (from [`Push::fresh_key`]); an error names what
    /// is wrong with the contact or the key.
    pub fn new(contact: &str, services: Vec<String>, key: &str) -> Result<Push, String> {
        use base64::Engine as _;
        use web_push_native::jwt_simple::algorithms::ECDSAP256PublicKeyLike as _;
        let contact = contact.trim().to_owned();
        if !(contact.starts_with("mailto:") || contact.starts_with("https://"))
            || contact.len() < 10
            || contact.chars().any(|c| c.is_control() || c.is_whitespace())
        {
            return Err(format!(
                "--push-contact {contact:?}: give a mailto: or https: address where the push services can reach whoever runs this server"
            ));
        }
        if let Some(bad) = services.iter().find(|s| !service_valid(s)) {
            return Err(format!(
                "--push-service {bad:?}: give an origin such as https://fcm.googleapis.com (scheme, host and port only), or https://*.push.apple.com for the hosts under a domain"
            ));
        }
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(key.trim())
            .map_err(|_| "the push key kept in the database is not base64url".to_owned())?;
        let key = web_push_native::jwt_simple::algorithms::ES256KeyPair::from_bytes(&bytes)
            .map_err(|_| "the push key kept in the database is not a P-256 key".to_owned())?;
        let public_key = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(key.public_key().public_key().to_bytes_uncompressed());
        let agent = ureq::AgentBuilder::new()
            .timeout(std::time::Duration::from_secs(10))
            .redirects(0)
            .build();
        Ok(Push {
            contact,
            services,
            late_seconds: 2 * 60 * 60,
            every_seconds: 30,
            per_second: 100,
            key,
            public_key,
            agent,
            stopping: std::sync::atomic::AtomicBool::new(false),
        })
    }

    /// A push address in one spelling (scheme and host in lower case, a default port left
    /// out, no `.` or `..` path segments), or `None` if it is not an `http(s)` address with a
    /// plain host name or IP address: the same device is never kept twice under two spellings.
    pub fn canonical(endpoint: &str) -> Option<String> {
        let uri = endpoint.trim().parse::<axum::http::Uri>().ok()?;
        let scheme = uri.scheme_str()?.to_ascii_lowercase();
        if scheme != "https" && scheme != "http" {
            return None;
        }
        let authority = uri.authority()?;
        if authority.as_str().contains('@') {
            return None;
        }
        let host = authority.host().to_ascii_lowercase();
        if !host_valid(&host) {
            return None;
        }
        let port = match (authority.port_u16(), scheme.as_str()) {
            (Some(443), "https") | (Some(80), "http") | (None, _) => String::new(),
            (Some(p), _) => format!(":{p}"),
        };
        let path = uri.path_and_query().map_or("/", |p| p.as_str());
        let dotted = |seg: &str| {
            let seg = seg.to_ascii_lowercase().replace("%2e", ".");
            seg == "." || seg == ".."
        };
        if path.split(['/', '?']).any(dotted) {
            return None;
        }
        Some(format!("{scheme}://{host}{port}{path}"))
    }

    /// Whether `endpoint` is at one of [`Push::services`] (scheme, host and port).
    pub fn allows(&self, endpoint: &str) -> bool {
        let Some(endpoint) = Push::canonical(endpoint) else {
            return false;
        };
        let Ok(uri) = endpoint.parse::<axum::http::Uri>() else {
            return false;
        };
        let (Some(scheme), Some(host)) = (uri.scheme_str(), uri.host()) else {
            return false;
        };
        let host = host.to_ascii_lowercase();
        let port = uri.port_u16();
        self.services.iter().any(|s| {
            let Some((s_scheme, rest)) = s.split_once("://") else {
                return false;
            };
            let (s_host, s_port) = match rest.rsplit_once(':') {
                Some((h, p)) => (h, p.parse::<u16>().ok()),
                None => (rest, None),
            };
            let s_host = s_host.to_ascii_lowercase();
            let host_ok = match s_host.strip_prefix("*.") {
                Some(domain) => host.ends_with(&format!(".{domain}")),
                None => host == s_host,
            };
            s_scheme.eq_ignore_ascii_case(scheme) && host_ok && s_port == port
        })
    }
}

/// The default zone: UK time.
pub const UK_TIME: chrono_tz::Tz = chrono_tz::Europe::London;

/// A time zone by its IANA name ("Europe/London"), for `serve --time-zone`.
pub fn parse_time_zone(name: &str) -> Option<chrono_tz::Tz> {
    name.trim().parse().ok()
}

pub(crate) type Shared = Arc<AppConfig>;

/// What one connection and one request may take: settings, with defaults that suit a
/// service on the internet behind a TLS proxy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// How long a client has to send a request's headers once it has started them.
    pub header_read_timeout: std::time::Duration,
    /// How long a connection may send nothing at all (a new one, or one kept alive between
    /// requests) before it is closed.
    pub idle_timeout: std::time::Duration,
    /// How long one request may take from its headers to its response.
    pub request_timeout: std::time::Duration,
    /// How long a new connection may take to send the first byte of its first request before
    /// it is closed (issue 20, finding 10: 520 connections that sent nothing held every slot
    /// for the idle timeout).
    pub first_request_timeout: std::time::Duration,
    /// How many connections are served at once; more wait to be accepted.
    pub max_connections: usize,
    /// How many of them one client address may hold at once; more are closed at once. A
    /// trusted proxy (with accounts: loopback, unless `--no-loopback-proxy`, and
    /// `--trusted-proxy`) is not limited: it carries everyone's connections.
    pub max_connections_per_address: usize,
    /// The largest request head (request line and headers); larger gets 431.
    pub max_header_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_read_timeout: std::time::Duration::from_secs(10),
            idle_timeout: std::time::Duration::from_secs(60),
            request_timeout: std::time::Duration::from_secs(30),
            first_request_timeout: std::time::Duration::from_secs(5),
            max_connections: 512,
            max_connections_per_address: 32,
            max_header_bytes: 64 * 1024,
        }
    }
}

/// The relying party for `origin`, or `None` where passkeys cannot work (an IP address).
pub(crate) fn relying_party(origin: &str) -> Option<webauthn_rs::Webauthn> {
    let url = webauthn_rs::prelude::Url::parse(origin).ok()?;
    let domain = url.domain()?.to_owned();
    webauthn_rs::WebauthnBuilder::new(&domain, &url)
        .ok()?
        .rp_name("Leg cramps diary")
        .build()
        .ok()
}

/// The largest request body accepted by the API, in bytes (the contract's own limit).
pub const MAX_API_BODY_BYTES: usize = legcramps_contract::MAX_BODY_BYTES;
