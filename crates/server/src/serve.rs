//! The HTTP server loop: accepts connections and serves the router on each with the
//! connection deadlines of `conn_watch` and a request-body timeout; on shutdown it stops
//! accepting, lets open connections finish their requests for the grace period, then drops
//! the rest, so one stalled client cannot hold a SIGTERM.

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tower::ServiceExt;
use tower_http::timeout::RequestBodyTimeoutLayer;
use woolly::config::Config;

use crate::conn_watch::{Activity, Deadlines, Watched};

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub deadlines: Deadlines,
    pub body_read: Duration,
    pub shutdown_grace: Duration,
}

impl Limits {
    pub fn from_config(config: &Config) -> Self {
        Self {
            deadlines: Deadlines {
                header_read: Duration::from_secs(config.header_read_timeout_secs),
                keep_alive: Duration::from_secs(config.keep_alive_timeout_secs),
            },
            body_read: Duration::from_secs(config.body_read_timeout_secs),
            shutdown_grace: Duration::from_secs(config.shutdown_grace_secs),
        }
    }
}

/// Serves `router` on `listener` until `shutdown` resolves, then drains for the grace period.
pub async fn run(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) {
    // A body that sends nothing for `body_read` fails its request (the handler answers).
    let router = router.layer(RequestBodyTimeoutLayer::new(limits.body_read));
    let (draining_tx, draining) = watch::channel(false);
    let mut connections = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    connections.spawn(connection(
                        stream,
                        peer,
                        router.clone(),
                        limits.deadlines,
                        draining.clone(),
                    ));
                }
                Err(error) => {
                    // Out of file descriptors and the like: let connections close first.
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    let open = connections.len();
    tracing::info!(open, grace = ?limits.shutdown_grace, "shutting down: finishing open requests");
    let _ = draining_tx.send(true);
    let drained = tokio::time::timeout(limits.shutdown_grace, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tracing::warn!(
            dropped = connections.len(),
            "shutdown grace period over: dropping the connections still open"
        );
        connections.shutdown().await;
    }
}

async fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    router: Router,
    deadlines: Deadlines,
    mut draining: watch::Receiver<bool>,
) {
    let activity = Activity::new();
    let io = TokioIo::new(Watched::new(stream, activity.clone()));
    let watch = activity.clone();
    let service = hyper::service::service_fn(move |mut request: hyper::Request<_>| {
        request.extensions_mut().insert(ConnectInfo(peer));
        let in_flight = watch.request();
        let response = router.clone().oneshot(request.map(axum::body::Body::new));
        async move {
            let response = response.await;
            drop(in_flight);
            response
        }
    });
    let builder = auto::Builder::new(TokioExecutor::new());
    // With upgrades: the streaming API's WebSockets take over the connection after a 101.
    let conn = builder.serve_connection_with_upgrades(io, service);
    tokio::pin!(conn);
    let mut shutting_down = *draining.borrow();
    if shutting_down {
        conn.as_mut().graceful_shutdown();
    }
    loop {
        let Some(check_at) = activity.next_check(deadlines) else {
            tracing::debug!(%peer, "closing a slow or idle connection");
            return;
        };
        tokio::select! {
            served = conn.as_mut() => {
                if let Err(error) = served {
                    tracing::debug!(%peer, %error, "connection ended with an error");
                }
                return;
            }
            () = tokio::time::sleep_until(check_at) => {}
            changed = draining.changed(), if !shutting_down => {
                shutting_down = true;
                if changed.is_ok() {
                    conn.as_mut().graceful_shutdown();
                }
            }
        }
    }
}
