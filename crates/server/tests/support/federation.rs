//! What the two-server federation tests share: an instance on its own data folder, domain
//! and port with private fetches allowed (the test-only setting), confirmed users with
//! tokens, and polling for what the background delivery worker does.

use std::time::Duration;

use serde_json::Value;

use super::{ServerGuard, admin, fail, free_port, json, token, wait_until_up, woolly};

pub struct Instance {
    pub dir: tempfile::TempDir,
    pub port: u16,
    pub base: String,
    pub domain: String,
    pub server: ServerGuard,
}

pub async fn start(http: &reqwest::Client) -> Instance {
    let dir = tempfile::tempdir().unwrap_or_else(fail);
    let port = free_port();
    let child = woolly(dir.path(), port)
        .env("WOOLLY_ALLOW_PRIVATE_FETCHES", "true")
        .env("WOOLLY_RATE_LIMITS", "false")
        .arg("serve")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap_or_else(fail);
    let mut server = ServerGuard(child);
    let base = format!("http://127.0.0.1:{port}");
    wait_until_up(http, &base, &mut server).await;
    Instance {
        dir,
        port,
        base,
        domain: format!("127.0.0.1:{port}"),
        server,
    }
}

/// A confirmed user with a token; `role` for the moderator.
pub fn user(i: &Instance, name: &str, role: Option<&str>) -> String {
    let mut args = vec!["create-account", name, "--email"];
    let email = format!("{name}@example.com");
    args.push(&email);
    args.push("--confirmed");
    if let Some(r) = role {
        args.extend(["--role", r]);
    }
    let out = admin(i.dir.path(), i.port, &args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let scopes = if role.is_some() {
        "read write follow admin:read admin:write"
    } else {
        "read write follow"
    };
    token(i.dir.path(), i.port, name, scopes)
}

pub async fn get(http: &reqwest::Client, url: &str, token: &str) -> Value {
    json(http.get(url).bearer_auth(token), 200).await
}

pub async fn post(http: &reqwest::Client, url: &str, token: &str) -> Value {
    json(http.post(url).bearer_auth(token), 200).await
}

/// Polls `probe` until it holds (deliveries run in the background worker).
pub async fn eventually<F, Fut>(what: &str, mut probe: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    for _ in 0..150 {
        if probe().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("timed out waiting for {what}");
}

pub async fn resolve(http: &reqwest::Client, on: &Instance, token: &str, handle: &str) -> String {
    let found = json(
        http.get(format!("{}/api/v1/accounts/search", on.base))
            .query(&[("q", handle), ("resolve", "true")])
            .bearer_auth(token),
        200,
    )
    .await;
    assert_eq!(found[0]["acct"], handle, "{found}");
    found[0]["id"].as_str().unwrap_or_default().to_owned()
}

pub async fn rel(http: &reqwest::Client, on: &Instance, token: &str, id: &str) -> Value {
    get(
        http,
        &format!("{}/api/v1/accounts/relationships?id[]={id}", on.base),
        token,
    )
    .await[0]
        .clone()
}
