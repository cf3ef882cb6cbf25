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
    /// Extra environment the instance was started with (kept for `restart`).
    pub env: Vec<(String, String)>,
}

pub async fn start(http: &reqwest::Client) -> Instance {
    start_with(http, &[]).await
}

/// [`start`] with extra environment (`WOOLLY_DELIVERY_RETRY_BASE_MS`, …).
pub async fn start_with(http: &reqwest::Client, env: &[(&str, &str)]) -> Instance {
    let dir = tempfile::tempdir().unwrap_or_else(fail);
    let port = free_port();
    let env: Vec<(String, String)> = env
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    let mut server = spawn(dir.path(), port, &env);
    let base = format!("http://127.0.0.1:{port}");
    wait_until_up(http, &base, &mut server).await;
    Instance {
        dir,
        port,
        base,
        domain: format!("127.0.0.1:{port}"),
        server,
        env,
    }
}

fn spawn(dir: &std::path::Path, port: u16, env: &[(String, String)]) -> ServerGuard {
    let child = woolly(dir, port)
        .env("WOOLLY_ALLOW_PRIVATE_FETCHES", "true")
        .env("WOOLLY_RATE_LIMITS", "false")
        .envs(env.iter().map(|(k, v)| (k, v)))
        .arg("serve")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap_or_else(fail);
    ServerGuard(child)
}

/// Kills the instance's process (as a crash would: no graceful shutdown).
pub fn stop(i: &mut Instance) {
    let _ = i.server.0.kill();
    let _ = i.server.0.wait();
}

/// Starts the instance again on the same data folder and port, waited for until it answers.
pub async fn restart(http: &reqwest::Client, i: &mut Instance) {
    stop(i);
    i.server = spawn(i.dir.path(), i.port, &i.env);
    wait_until_up(http, &i.base, &mut i.server).await;
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

/// Follows the remote account `id` (as known on `on`) and waits until its Accept is in.
pub async fn follow_accepted(http: &reqwest::Client, on: &Instance, token: &str, id: &str) {
    post(
        http,
        &format!("{}/api/v1/accounts/{id}/follow", on.base),
        token,
    )
    .await;
    eventually("the Accept of a follow", || async {
        rel(http, on, token, id).await["following"] == true
    })
    .await;
}
