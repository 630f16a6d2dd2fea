//! `legcramps serve`: the web app and API, until Ctrl-C or SIGTERM.

use std::io::IsTerminal;
use std::process::ExitCode;

use anyhow::{Context, Result};
use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

use legcramps_core::patterns::Settings;
use legcramps_web::{AppConfig, DiaryAccess, HostCheck};

use crate::BadInput;
use crate::cli::ServeArgs;

/// The origin people use with `--accounts`: the `--public-url` (https, or http on a loopback
/// host), else on a loopback socket the socket's own address; anything else is a startup
/// error naming the flag.
fn accounts_origin(args: &ServeArgs, local: std::net::SocketAddr) -> Result<String> {
    match &args.public_url {
        Some(url) => {
            let host = url.host_str().unwrap_or("");
            let loopback_host = host == "localhost"
                || host
                    .trim_start_matches('[')
                    .trim_end_matches(']')
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback());
            if url.scheme() != "https" && !(url.scheme() == "http" && loopback_host) {
                return Err(BadInput(format!(
                    "--public-url {url}: accounts need https (a TLS proxy in front of this server), because sign-in cookies are only sent over https; http is allowed only for localhost"
                ))
                .into());
            }
            Ok(url.origin().ascii_serialization())
        }
        None if local.ip().is_loopback() => Ok(format!("http://{local}")),
        None => Err(BadInput(
            "--accounts on an address other computers can reach needs --public-url https://... (the address people use, for the sign-in cookie and the host check)".to_owned(),
        )
        .into()),
    }
}

/// The host names the diary may be reached by with `--single-user` on an address others can
/// reach: `--allowed-host`, else the `--public-url` host; neither is a startup error.
fn allowed_hosts(args: &ServeArgs) -> Result<Vec<String>> {
    let mut hosts: Vec<String> = args
        .allowed_hosts
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .filter(|h| !h.is_empty())
        .collect();
    if hosts.is_empty()
        && let Some(host) = args.public_url.as_ref().and_then(|u| u.host_str())
    {
        hosts.push(
            host.trim_start_matches('[')
                .trim_end_matches(']')
                .to_ascii_lowercase(),
        );
    }
    if hosts.is_empty() {
        return Err(BadInput(
            "--single-user on an address other computers can reach needs the host names people use, so that pages on other sites cannot reach the diary: give --allowed-host NAME (repeatable) or --public-url URL".to_owned(),
        )
        .into());
    }
    Ok(hosts)
}

pub(crate) fn run(args: &ServeArgs) -> Result<ExitCode> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(
            std::io::stderr().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        )
        .init();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    // Checked before anything starts: a bad combination of flags never serves a page.
    let allowed = if args.single_user && !args.addr.ip().is_loopback() {
        Some(allowed_hosts(args)?)
    } else {
        None
    };
    runtime.block_on(async {
        let listener = TcpListener::bind(args.addr)
            .await
            .map_err(|e| BadInput(format!("cannot listen on {}: {e}", args.addr)))?;
        let local = listener
            .local_addr()
            .context("reading the listening address")?;
        let loopback = local.ip().is_loopback();
        let origin = if args.accounts {
            Some(accounts_origin(args, local)?)
        } else {
            None
        };
        let diary = if loopback || args.single_user || args.accounts {
            let dir = match &args.store.data_dir {
                Some(d) => d.clone(),
                None => legcramps_store::default_data_dir().ok_or_else(|| {
                    BadInput("cannot find a data directory: set --data-dir or LEGCRAMPS_DATA_DIR".into())
                })?,
            };
            let store = legcramps_store::Store::open(&dir, args.store.database_url.as_deref())
                .await
                .map_err(|e| BadInput(e.to_string()))?;
            // Where the diary is kept, said once at start (the database URL is never logged:
            // it may hold a password).
            let kept_in = if args.store.database_url.is_some() {
                "the PostgreSQL database in DATABASE_URL".to_owned()
            } else {
                dir.display().to_string()
            };
            if let Some(origin) = origin {
                let key = store
                    .server_secret("ip-hash-key", &legcramps_accounts::Secret::new("").text)
                    .await
                    .map_err(|e| BadInput(e.to_string()))?;
                tracing::info!(backend = store.backend(), kept_in = %kept_in, origin = %origin, "diary on, with accounts");
                let mut site = legcramps_web::Site::new(&origin, &key);
                site.trusted_proxies.clone_from(&args.trusted_proxy);
                site.trust_loopback = !args.no_loopback_proxy;
                site.reconfirm_seconds = i64::from(args.reconfirm_minutes) * 60;
                site.token_max_days = i64::from(args.token_max_days);
                site.unsaved_seconds = i64::from(args.keep_unsaved_hours) * 60 * 60;
                site.episodes_max = i64::from(args.max_cramps_per_account);
                site.writes_per_minute = args.max_writes_per_minute;
                if let Some(n) = args.hashing_threads {
                    site = site.with_hashing(usize::try_from(n).unwrap_or(1));
                }
                let site = std::sync::Arc::new(site);
                DiaryAccess::Accounts { store, site }
            } else {
            let hosts = if loopback {
                // Whatever the flags: a loopback socket answers only to loopback names, which
                // stops DNS-rebinding pages.
                HostCheck::Loopback
            } else {
                let hosts = match &allowed {
                    Some(hosts) => hosts.clone(),
                    None => allowed_hosts(args)?,
                };
                tracing::warn!(
                    addr = %local,
                    hosts = %hosts.join(","),
                    "--single-user: THE DIARY IS SERVED WITHOUT A LOGIN TO ANYONE WHO CAN REACH THIS ADDRESS. It holds personal health information. Use this only on a network you trust."
                );
                HostCheck::Allowed(hosts)
            };
            tracing::info!(backend = store.backend(), kept_in = %kept_in, "diary on");
            DiaryAccess::On { store, hosts }
            }
        } else {
            tracing::warn!("diary off: this address can be reached by other computers; to serve the diary, start with --accounts --public-url https://... (each person signs in to their own diary)");
            DiaryAccess::Off(format!(
                "the server listens on {local}, which other computers can reach, and was not started with --single-user"
            ))
        };
        // Reminders by Web Push: the server's key is kept in the database, the same for every
        // server on it; one sender per server, sharing the work through leases.
        let push = match (&args.push_contact, diary_store(&diary)) {
            (Some(contact), Some(store)) => {
                let key = store
                    .server_secret("web-push-key", &legcramps_web::Push::fresh_key())
                    .await
                    .map_err(|e| BadInput(e.to_string()))?;
                let services = if args.push_services.is_empty() {
                    legcramps_web::PUSH_SERVICES.iter().map(|s| (*s).to_owned()).collect()
                } else {
                    args.push_services.clone()
                };
                let mut push = legcramps_web::Push::new(contact, services, &key).map_err(BadInput)?;
                push.late_seconds = i64::from(args.push_late_minutes) * 60;
                push.every_seconds = u64::from(args.push_every_seconds);
                push.per_second = args.push_per_second;
                let push = std::sync::Arc::new(push);
                let sender = tokio::spawn(legcramps_web::send_reminders(
                    store.clone(),
                    push.clone(),
                    shutdown(),
                ));
                tracing::info!(services = %push.services.join(","), "reminders by Web Push on");
                Some((push, sender))
            }
            (Some(_), None) => {
                return Err(BadInput("--push-contact needs the diary on (reminders belong to a diary)".to_owned()).into());
            }
            (None, _) => None,
        };
        let (push, sender) = push.unzip();
        let config = AppConfig {
            push,
            diary,
            settings: Settings {
                frequent_per_week: args.settings.frequent_per_week,
                disturbed_nights_per_week: args.settings.disturbed_nights_per_week,
                medicine_compare_weeks: args.settings.medicine_compare_weeks,
                ..Settings::default()
            },
            time_zone: args.time_zone,
            nhs_111_online: args.nhs_111_online.as_deref().map(Into::into),
        };
        tracing::info!(
            addr = %local,
            design_system = legcramps_web::DESIGN_SYSTEM,
            "legcramps is serving on http://{local}"
        );
        let limits = legcramps_web::Limits {
            header_read_timeout: std::time::Duration::from_secs(args.header_read_timeout),
            idle_timeout: std::time::Duration::from_secs(args.idle_timeout),
            request_timeout: std::time::Duration::from_secs(args.request_timeout),
            max_connections: usize::try_from(args.max_connections).unwrap_or(usize::MAX),
            first_request_timeout: std::time::Duration::from_secs(args.first_request_timeout),
            max_connections_per_address: usize::try_from(args.max_connections_per_address)
                .unwrap_or(usize::MAX),
            ..legcramps_web::Limits::default()
        };
        legcramps_web::serve_with(listener, config, limits, shutdown())
            .await
            .context("serving")?;
        // Reminders in flight are finished and marked sent (a send has 10 s at most).
        if let Some(sender) = sender {
            let _ = tokio::time::timeout(std::time::Duration::from_secs(20), sender).await;
        }
        tracing::info!("stopped");
        Ok(ExitCode::SUCCESS)
    })
}

/// The diary's store, if the diary is on.
fn diary_store(diary: &DiaryAccess) -> Option<&legcramps_store::Store> {
    match diary {
        DiaryAccess::On { store, .. } | DiaryAccess::Accounts { store, .. } => Some(store),
        DiaryAccess::Off(_) => None,
    }
}

/// Completes on Ctrl-C or SIGTERM.
async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
