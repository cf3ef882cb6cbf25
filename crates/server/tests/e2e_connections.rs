//! End to end: connection deadlines and the shutdown grace period of the real binary. Idle
//! or half-sent connections are closed, and neither a client stalled mid-body nor an open
//! stream can hold SIGTERM.

mod support;

use std::process::Command;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use support::{ServerGuard, create_account, fail, free_port, serve_with, token};

/// Reads until the peer closes; the time it took, or `None` if it stayed open past `limit`.
async fn closed_within(stream: &mut TcpStream, limit: Duration) -> Option<Duration> {
    let started = Instant::now();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout_at((started + limit).into(), stream.read(&mut buf)).await {
            Err(_) => return None,
            Ok(Ok(0) | Err(_)) => return Some(started.elapsed()),
            Ok(Ok(_)) => {}
        }
    }
}

#[tokio::test]
async fn idle_and_half_sent_connections_are_closed() {
    let dir = tempfile::tempdir().unwrap_or_else(fail);
    let port = free_port();
    let _server = serve_with(
        dir.path(),
        port,
        &[
            ("WOOLLY_KEEP_ALIVE_TIMEOUT_SECS", "2"),
            ("WOOLLY_HEADER_READ_TIMEOUT_SECS", "1"),
        ],
    )
    .await;
    let addr = format!("127.0.0.1:{port}");

    // A keep-alive connection that served a request, then sends nothing.
    let mut idle = TcpStream::connect(&addr).await.unwrap_or_else(fail);
    idle.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap_or_else(fail);
    let mut buf = [0u8; 1024];
    let n = idle.read(&mut buf).await.unwrap_or_else(fail);
    assert!(
        buf[..n].starts_with(b"HTTP/1.1 200"),
        "{:?}",
        String::from_utf8_lossy(&buf[..n])
    );
    let after = closed_within(&mut idle, Duration::from_secs(10)).await;
    let after = after.unwrap_or_else(|| panic!("an idle keep-alive connection stayed open"));
    assert!(
        after >= Duration::from_millis(1500),
        "closed too early: {after:?}"
    );

    // A connection that never sends a byte, and one that stops mid-head.
    let mut silent = TcpStream::connect(&addr).await.unwrap_or_else(fail);
    let mut half = TcpStream::connect(&addr).await.unwrap_or_else(fail);
    half.write_all(b"GET /health HTTP/1.1\r\nHost:")
        .await
        .unwrap_or_else(fail);
    assert!(
        closed_within(&mut silent, Duration::from_secs(10))
            .await
            .is_some(),
        "silent connection kept"
    );
    assert!(
        closed_within(&mut half, Duration::from_secs(10))
            .await
            .is_some(),
        "half-sent head kept"
    );

    // The server still answers.
    let mut fresh = TcpStream::connect(&addr).await.unwrap_or_else(fail);
    fresh
        .write_all(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap_or_else(fail);
    let n = fresh.read(&mut buf).await.unwrap_or_else(fail);
    assert!(buf[..n].starts_with(b"HTTP/1.1 200"));
}

const STALLED_POST: &[u8] = b"POST /api/v1/apps HTTP/1.1\r\nHost: x\r\n\
Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nclient_name=a";

#[tokio::test]
async fn a_body_that_stops_coming_fails_its_request() {
    let dir = tempfile::tempdir().unwrap_or_else(fail);
    let port = free_port();
    let _server = serve_with(dir.path(), port, &[("WOOLLY_BODY_READ_TIMEOUT_SECS", "1")]).await;
    let mut stalled = TcpStream::connect(format!("127.0.0.1:{port}"))
        .await
        .unwrap_or_else(fail);
    stalled.write_all(STALLED_POST).await.unwrap_or_else(fail);
    let mut buf = [0u8; 1024];
    let n = tokio::time::timeout(Duration::from_secs(10), stalled.read(&mut buf))
        .await
        .unwrap_or_else(|_| panic!("a stalled body held its request"))
        .unwrap_or_else(fail);
    let head = String::from_utf8_lossy(&buf[..n]);
    assert!(head.starts_with("HTTP/1.1 4"), "{head}");
}

#[tokio::test]
async fn sigterm_finishes_within_the_grace_period_despite_a_stalled_body() {
    let dir = tempfile::tempdir().unwrap_or_else(fail);
    let port = free_port();
    let mut server = serve_with(dir.path(), port, &[("WOOLLY_SHUTDOWN_GRACE_SECS", "2")]).await;
    let mut stalled = TcpStream::connect(format!("127.0.0.1:{port}"))
        .await
        .unwrap_or_else(fail);
    stalled.write_all(STALLED_POST).await.unwrap_or_else(fail);
    tokio::time::sleep(Duration::from_millis(500)).await;

    let took = stop(&mut server).await;
    assert!(
        took >= Duration::from_millis(1500),
        "dropped the request before the grace period: {took:?}"
    );
    assert!(took < Duration::from_secs(8), "took {took:?}");
    // The stalled client sees its connection closed.
    assert!(
        closed_within(&mut stalled, Duration::from_secs(2))
            .await
            .is_some()
    );
}

/// Sends SIGTERM and waits (up to 15 s) for the exit; how long it took.
async fn stop(server: &mut ServerGuard) -> Duration {
    let signalled = Instant::now();
    let killed = Command::new("kill")
        .args(["-TERM", &server.0.id().to_string()])
        .status()
        .unwrap_or_else(fail);
    assert!(killed.success());
    loop {
        if let Some(status) = server.0.try_wait().unwrap_or_else(fail) {
            assert!(status.success(), "{status}");
            return signalled.elapsed();
        }
        assert!(
            signalled.elapsed() < Duration::from_secs(15),
            "woolly did not stop after SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn sigterm_ends_open_streams_instead_of_waiting_the_grace_period() {
    let dir = tempfile::tempdir().unwrap_or_else(fail);
    let port = free_port();
    create_account(dir.path(), port, "zed", &[]);
    let token = token(dir.path(), port, "zed", "read");
    let mut server = serve_with(dir.path(), port, &[("WOOLLY_SHUTDOWN_GRACE_SECS", "10")]).await;
    let mut stream = TcpStream::connect(format!("127.0.0.1:{port}"))
        .await
        .unwrap_or_else(fail);
    let request = format!(
        "GET /api/v1/streaming/user HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\n\r\n"
    );
    stream
        .write_all(request.as_bytes())
        .await
        .unwrap_or_else(fail);
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).await.unwrap_or_else(fail);
    assert_eq!(&head, b"HTTP/1.1 200");

    let took = stop(&mut server).await;
    assert!(took < Duration::from_secs(5), "took {took:?}");
    assert!(
        closed_within(&mut stream, Duration::from_secs(2))
            .await
            .is_some()
    );
}
