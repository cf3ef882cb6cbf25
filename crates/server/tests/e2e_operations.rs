//! End to end: what an operator sees when the database is away, and the log format.

mod support;

use std::process::Stdio;
use std::time::{Duration, Instant};

use support::{ServerGuard, fail, free_port, wait_until_up, woolly};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;
use woolly_testkit::needs_env;

#[tokio::test]
async fn serve_with_an_unreachable_database_says_why_within_seconds() {
    let dir = tempfile::tempdir().unwrap_or_else(fail);
    let closed = free_port();
    let started = Instant::now();
    let out = woolly(dir.path(), free_port())
        .env(
            "DATABASE_URL",
            format!("postgres://postgres@127.0.0.1:{closed}/woolly"),
        )
        .arg("serve")
        .output()
        .unwrap_or_else(fail);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert!(
        stderr.contains(&format!("connection refused at 127.0.0.1:{closed}")),
        "{stderr}"
    );
}

/// A TCP relay to PostgreSQL that a test can cut and restore.
struct Relay {
    port: u16,
    target: String,
    running: Option<tokio::task::JoinHandle<()>>,
}

impl Relay {
    async fn start(target: String) -> Self {
        let mut relay = Self {
            port: free_port(),
            target,
            running: None,
        };
        relay.resume().await;
        relay
    }

    async fn resume(&mut self) {
        let listener = TcpListener::bind(("127.0.0.1", self.port))
            .await
            .unwrap_or_else(fail);
        let target = self.target.clone();
        self.running = Some(tokio::spawn(async move {
            let mut connections = JoinSet::new();
            loop {
                let Ok((mut inbound, _)) = listener.accept().await else {
                    return;
                };
                let target = target.clone();
                connections.spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(&target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
            }
        }));
    }

    /// Refuses new connections and drops the open ones.
    async fn cut(&mut self) {
        if let Some(running) = self.running.take() {
            running.abort();
            let _ = running.await;
        }
    }
}

fn psql(url: &str, sql: &str) {
    let status = std::process::Command::new("psql")
        .args([url, "-qc", sql])
        .env("PGOPTIONS", "--client-min-messages=warning")
        .stdout(Stdio::null())
        .status()
        .unwrap_or_else(fail);
    assert!(status.success(), "psql {sql}");
}

#[needs_env("TEST_DATABASE_URL")]
#[tokio::test]
async fn health_is_503_while_the_database_is_away_and_recovers_by_itself() {
    let Some(admin_url) = std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        eprintln!("skipped: TEST_DATABASE_URL is not set");
        return;
    };
    let url = url::Url::parse(&admin_url).unwrap_or_else(fail);
    let target = format!(
        "{}:{}",
        url.host_str().unwrap_or("127.0.0.1"),
        url.port().unwrap_or(5432)
    );
    // A schema of its own (dropping a database waits for a checkpoint: slow on a busy host).
    let schema = format!("woolly_e2e_health_{}", std::process::id());
    psql(
        &admin_url,
        &format!("DROP SCHEMA IF EXISTS {schema} CASCADE"),
    );
    psql(&admin_url, &format!("CREATE SCHEMA {schema}"));
    let mut relay = Relay::start(target).await;
    let mut through_relay = url.clone();
    through_relay
        .set_host(Some("127.0.0.1"))
        .unwrap_or_else(fail);
    assert!(through_relay.set_port(Some(relay.port)).is_ok());
    through_relay.set_query(Some(&format!("options=-csearch_path%3D{schema}")));

    let dir = tempfile::tempdir().unwrap_or_else(fail);
    let port = free_port();
    let child = woolly(dir.path(), port)
        .env("DATABASE_URL", through_relay.as_str())
        .env("WOOLLY_LOG_FORMAT", "json")
        .arg("serve")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(fail);
    let mut server = ServerGuard(child);
    let http = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{port}");
    let t0 = Instant::now();
    wait_until_up(&http, &base, &mut server).await;
    eprintln!("{:?}: up", t0.elapsed());
    let health = || async {
        let res = http
            .get(format!("{base}/health"))
            .send()
            .await
            .unwrap_or_else(fail);
        (res.status().as_u16(), res.text().await.unwrap_or_default())
    };
    assert_eq!(health().await, (200, "OK".to_owned()));

    relay.cut().await;
    eprintln!("{:?}: database cut off", t0.elapsed());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (status, body) = health().await;
        if status == 503 {
            assert_eq!(body, "database unreachable");
            break;
        }
        assert!(Instant::now() < deadline, "/health kept answering {status}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    eprintln!("{:?}: 503", t0.elapsed());

    relay.resume().await;
    let deadline = Instant::now() + Duration::from_secs(15);
    while health().await.0 != 200 {
        assert!(Instant::now() < deadline, "/health never recovered");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let res = http
        .get(format!("{base}/api/v1/instance"))
        .send()
        .await
        .unwrap_or_else(fail);
    assert_eq!(res.status(), 200);
    eprintln!("{:?}: recovered and serving", t0.elapsed());

    // Logs were JSON, one object per line.
    let _ = server.0.kill();
    let out = std::mem::replace(
        &mut server.0,
        std::process::Command::new("true")
            .spawn()
            .unwrap_or_else(fail),
    )
    .wait_with_output()
    .unwrap_or_else(fail);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<serde_json::Value> = stderr
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    assert!(
        lines
            .iter()
            .any(|l| l["message"] == "woolly listening" && l["level"] == "INFO"),
        "{stderr}"
    );
    assert!(
        lines.iter().any(|l| l["message"]
            .as_str()
            .unwrap_or_default()
            .contains("does not answer")),
        "{stderr}"
    );
    eprintln!("{:?}: logs checked", t0.elapsed());
    psql(
        &admin_url,
        &format!("DROP SCHEMA IF EXISTS {schema} CASCADE"),
    );
}
