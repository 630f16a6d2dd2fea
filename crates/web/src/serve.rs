//! The serve loop: connections, their limits, and a graceful stop.

use std::future::Future;
use std::io;
use std::sync::Arc;

use tokio::net::TcpListener;

use crate::config::{AppConfig, ClientIp, Limits};
use crate::http::middleware;
use crate::routes::app;

/// Serve the app on `listener` until `shutdown` completes, then finish in-flight requests.
pub async fn serve(
    listener: TcpListener,
    config: AppConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    serve_with(listener, config, Limits::default(), shutdown).await
}

/// Serve with explicit [`Limits`]: connections that send their headers too slowly, or idle,
/// are closed; a request that takes too long gets a 503 with `Retry-After`; no more than
/// `max_connections` are served at once, so slow or idle clients cannot starve `/healthz`.
pub async fn serve_with(
    listener: TcpListener,
    config: AppConfig,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
    use hyper_util::server::conn::auto::Builder;
    use hyper_util::service::TowerToHyperService;

    let timeout = limits.request_timeout;
    // The addresses that carry other people's connections (not limited per address).
    let proxies: Vec<std::net::IpAddr> = match &config.diary {
        crate::config::DiaryAccess::Accounts { site, .. } => site.trusted_proxies.clone(),
        _ => Vec::new(),
    };
    let loopback_proxy = matches!(
        &config.diary,
        crate::config::DiaryAccess::Accounts { site, .. } if site.trust_loopback
    );
    let per_address = PerAddress::default();
    let app = app(config).layer(axum::middleware::from_fn(move |request, next| {
        middleware::request_timeout(timeout, request, next)
    }));
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_buf_size(limits.max_header_bytes.max(8192));
    let builder = builder.http1_only();
    let permits = Arc::new(tokio::sync::Semaphore::new(limits.max_connections.max(1)));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        // Wait for a free slot before accepting, so the backlog holds the rest.
        let permit = tokio::select! {
            p = permits.clone().acquire_owned() => p.map_err(io::Error::other)?,
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                // A connection that failed before it was accepted (reset, out of descriptors
                // for a moment) is that client's problem, not the server's.
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let ip = ClientIp(peer.ip());
        let proxy = proxies.contains(&peer.ip()) || (loopback_proxy && peer.ip().is_loopback());
        let Some(held) = per_address.hold(peer.ip(), proxy, limits.max_connections_per_address)
        else {
            // Too many from this address already: closed at once, the slot freed.
            drop(stream);
            drop(permit);
            continue;
        };
        let service = TowerToHyperService::new(tower::ServiceExt::map_request(
            app.clone(),
            move |mut request: axum::http::Request<hyper::body::Incoming>| {
                request.extensions_mut().insert(ip);
                request
            },
        ));
        // A connection that sends nothing for the idle timeout is closed, whether it is new or
        // kept alive between requests (hyper's own timer only starts once a head begins).
        let first_request = limits.first_request_timeout;
        let idle = limits.idle_timeout;
        let builder = builder.clone();
        let watcher = graceful.watcher();
        tokio::spawn(async move {
            // A new connection must start its first request within a few seconds; one that
            // sends nothing is closed (the idle timeout is for kept-alive connections).
            let mut first = [0u8; 1];
            let started = tokio::time::timeout(first_request, stream.peek(&mut first)).await;
            if !matches!(started, Ok(Ok(n)) if n > 0) {
                drop(held);
                drop(permit);
                return;
            }
            let mut stream = tokio_io_timeout::TimeoutStream::new(stream);
            stream.set_read_timeout(Some(idle));
            let connection = builder
                .serve_connection_with_upgrades(TokioIo::new(Box::pin(stream)), service)
                .into_owned();
            // Errors here are one client's (a timeout, a reset): nothing to log per request.
            let _ = watcher.watch(connection).await;
            drop(held);
            drop(permit);
        });
    }
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(std::time::Duration::from_secs(10)) => {
            tracing::warn!("requests still running after 10 s; stopping anyway");
        }
    }
    Ok(())
}

/// Connections open per client address.
#[derive(Clone, Default)]
struct PerAddress(Arc<std::sync::Mutex<std::collections::HashMap<std::net::IpAddr, usize>>>);

/// One connection held for an address; released when dropped.
struct Held {
    counts: PerAddress,
    ip: Option<std::net::IpAddr>,
}

impl PerAddress {
    /// Hold one more connection for `ip`, unless it has `max` already (a proxy is not counted).
    fn hold(&self, ip: std::net::IpAddr, proxy: bool, max: usize) -> Option<Held> {
        if proxy {
            return Some(Held {
                counts: self.clone(),
                ip: None,
            });
        }
        let mut counts = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let n = counts.entry(ip).or_insert(0);
        if *n >= max.max(1) {
            return None;
        }
        *n += 1;
        Some(Held {
            counts: self.clone(),
            ip: Some(ip),
        })
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        let Some(ip) = self.ip else {
            return;
        };
        let mut counts = self
            .counts
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(n) = counts.get_mut(&ip) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                counts.remove(&ip);
            }
        }
    }
}
