//! A quick first connection before the pool is opened: a pool retries a refused connection
//! until its acquire timeout (30 s) and then reports only that it timed out, so an operator
//! who mistyped the host waited half a minute to learn nothing. One direct attempt, bounded
//! by [`CONNECT_WITHIN`], names the cause and the address instead.

use std::str::FromStr;
use std::time::Duration;

use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection};

/// How long the first connection may take before start-up gives up.
pub const CONNECT_WITHIN: Duration = Duration::from_secs(5);

/// Connects once to the PostgreSQL database at `url` (other URLs pass), or says why not:
/// "connection refused at 127.0.0.1:5432".
pub async fn check(url: &str) -> Result<(), String> {
    if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        return Ok(());
    }
    let options = PgConnectOptions::from_str(url).map_err(|e| format!("database URL: {e}"))?;
    let at = format!("{}:{}", options.get_host(), options.get_port());
    match tokio::time::timeout(CONNECT_WITHIN, PgConnection::connect_with(&options)).await {
        Ok(Ok(conn)) => {
            let _ = conn.close().await;
            Ok(())
        }
        Ok(Err(error)) => Err(describe(&error, &at)),
        Err(_) => Err(format!(
            "no answer from {at} within {} s",
            CONNECT_WITHIN.as_secs()
        )),
    }
}

/// The cause of a failed connection, in words an operator can act on.
pub fn describe(error: &sqlx::Error, at: &str) -> String {
    match error {
        sqlx::Error::Io(io) => match io.kind() {
            std::io::ErrorKind::ConnectionRefused => format!("connection refused at {at}"),
            std::io::ErrorKind::TimedOut => format!("connection to {at} timed out"),
            _ => format!("cannot connect to {at}: {io}"),
        },
        sqlx::Error::Database(db) => format!("{at} refused the connection: {}", db.message()),
        sqlx::Error::Tls(tls) => format!("TLS with {at} failed: {tls}"),
        other => format!("cannot connect to {at}: {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_closed_port_is_named_at_once() {
        // Bind and drop: nothing listens on this port now.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap();
        let started = std::time::Instant::now();
        let refused = check(&format!("postgres://postgres@127.0.0.1:{port}/x"))
            .await
            .unwrap_err();
        assert_eq!(refused, format!("connection refused at 127.0.0.1:{port}"));
        assert!(started.elapsed() < CONNECT_WITHIN);
    }

    #[tokio::test]
    async fn sqlite_urls_are_not_probed() {
        assert_eq!(check("sqlite:///nonexistent/dir/x.sqlite3").await, Ok(()));
    }
}
