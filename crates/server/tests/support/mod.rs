//! What the end-to-end tests share: the real `woolly` binary on a free loopback port, its
//! operator CLI, and a guard that stops the server when a test ends (panics included).
#![allow(dead_code)]

pub mod federation;

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_woolly");

/// Panics with the error: tests only.
pub fn fail<T>(e: impl std::fmt::Display) -> T {
    panic!("{e}")
}

/// Kills the server when the test ends, panics included.
pub struct ServerGuard(pub Child);

impl Drop for ServerGuard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("free port: {e}"))
}

/// The binary configured for a data folder and a port, on the embedded SQLite default.
pub fn woolly(dir: &Path, port: u16) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env("WOOLLY_DATA_DIR", dir)
        .env("WOOLLY_DOMAIN", format!("127.0.0.1:{port}"))
        .env("WOOLLY_SCHEME", "http")
        .env("WOOLLY_LISTEN", format!("127.0.0.1:{port}"))
        .env_remove("DATABASE_URL")
        .env_remove("WOOLLY_DATABASE_URL")
        .env_remove("WOOLLY_CONFIG");
    cmd
}

pub fn admin(dir: &Path, port: u16, args: &[&str]) -> Output {
    woolly(dir, port)
        .arg("admin")
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("running woolly admin: {e}"))
}

/// `woolly admin create-account NAME --email NAME@example.com --confirmed` with `extra`
/// options; panics unless it succeeds.
pub fn create_account(dir: &Path, port: u16, name: &str, extra: &[&str]) -> Output {
    let email = format!("{name}@example.com");
    let mut args = vec!["create-account", name, "--email", &email, "--confirmed"];
    args.extend_from_slice(extra);
    let out = admin(dir, port, &args);
    assert!(out.status.success(), "{out:?}");
    out
}

/// `woolly admin token NAME --scopes SCOPES`: the printed token.
pub fn token(dir: &Path, port: u16, name: &str, scopes: &str) -> String {
    let out = admin(dir, port, &["token", name, "--scopes", scopes]);
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// `woolly serve`, waited for (through `http`) until it answers.
pub async fn serve(dir: &Path, port: u16, http: &reqwest::Client) -> ServerGuard {
    let mut server = spawn(dir, port, &[]);
    wait_until_up(http, &format!("http://127.0.0.1:{port}"), &mut server).await;
    server
}

/// `woolly serve` with extra environment `env`, waited for until it answers.
pub async fn serve_with(dir: &Path, port: u16, env: &[(&str, &str)]) -> ServerGuard {
    let mut server = spawn(dir, port, env);
    let http = reqwest::Client::new();
    wait_until_up(&http, &format!("http://127.0.0.1:{port}"), &mut server).await;
    server
}

fn spawn(dir: &Path, port: u16, env: &[(&str, &str)]) -> ServerGuard {
    let child = woolly(dir, port)
        .envs(env.iter().copied())
        .arg("serve")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("starting woolly: {e}"));
    ServerGuard(child)
}

pub async fn wait_until_up(http: &reqwest::Client, base: &str, server: &mut ServerGuard) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Ok(Some(status)) = server.0.try_wait() {
            panic!("woolly exited early: {status}");
        }
        if let Ok(res) = http.get(format!("{base}/api/v1/instance")).send().await
            && res.status() == 200
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("woolly did not start");
}

pub async fn send(request: reqwest::RequestBuilder) -> reqwest::Response {
    request.send().await.unwrap_or_else(fail)
}

/// Sends and reads the JSON body, checking the status.
pub async fn json(request: reqwest::RequestBuilder, status: u16) -> serde_json::Value {
    let res = send(request).await;
    let got = res.status().as_u16();
    let text = res.text().await.unwrap_or_default();
    assert_eq!(got, status, "{text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}
