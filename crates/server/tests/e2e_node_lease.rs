//! End to end: two processes on one database never share a node id.

mod support;

use std::process::Stdio;
use std::time::{Duration, Instant};

use support::{admin, fail, free_port, serve, woolly};

#[tokio::test]
async fn a_second_server_with_the_same_node_id_refuses_to_start() {
    let dir = tempfile::tempdir().unwrap_or_else(fail);
    let http = reqwest::Client::new();
    let first_port = free_port();
    let mut first = serve(dir.path(), first_port, &http).await;

    // Same SQLite file, the same node id (the first took the lowest free one, 0), another
    // port.
    let second_port = free_port();
    let started = Instant::now();
    let out = woolly(dir.path(), second_port)
        .env("WOOLLY_NODE_ID", "0")
        .arg("serve")
        .stdout(Stdio::null())
        .output()
        .unwrap_or_else(fail);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "the second server started: {stderr}");
    assert!(started.elapsed() < Duration::from_secs(30));
    assert!(
        stderr.contains("node id 0 is in use by another live process"),
        "{stderr}"
    );

    // The CLI meanwhile takes a free id and works.
    let out = admin(
        dir.path(),
        first_port,
        &[
            "create-account",
            "carol",
            "--email",
            "carol@example.com",
            "--confirmed",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // A clean stop releases the id: the next server starts at once.
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &first.0.id().to_string()])
        .status()
        .unwrap_or_else(fail);
    assert!(killed.success());
    let status = first.0.wait().unwrap_or_else(fail);
    assert!(status.success(), "{status}");
    let _second = serve(dir.path(), second_port, &http).await;
}

#[tokio::test]
async fn out_of_range_node_ids_are_refused_at_start() {
    let dir = tempfile::tempdir().unwrap_or_else(fail);
    let out = woolly(dir.path(), free_port())
        .env("WOOLLY_NODE_ID", "64")
        .arg("serve")
        .output()
        .unwrap_or_else(fail);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("node_id 64 is out of range"), "{stderr}");
}

#[tokio::test]
async fn servers_without_a_node_id_lease_distinct_ones() {
    let dir = tempfile::tempdir().unwrap_or_else(fail);
    let http = reqwest::Client::new();
    let _first = serve(dir.path(), free_port(), &http).await;
    // Same SQLite file, no node id configured: the second takes the next free one and runs.
    let _second = serve(dir.path(), free_port(), &http).await;
    let out = std::process::Command::new("sqlite3")
        .arg(dir.path().join("woolly.sqlite3"))
        .arg("SELECT group_concat(node_id) FROM (SELECT node_id FROM node_leases ORDER BY node_id)")
        .output();
    match out {
        Ok(out) if out.status.success() => {
            assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "0,1");
        }
        // Both answering is the point; the lease rows are shown where sqlite3 is installed.
        _ => eprintln!("sqlite3 not installed: node_leases rows not shown"),
    }
}
