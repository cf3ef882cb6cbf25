//! End to end: the server keeps rendered accounts in memory between commits, and a commit
//! made by another process — the `woolly admin` CLI on the same SQLite file — is served by
//! the running server within the data-version poll interval (50 ms; this allows 5 s).

mod support;

use std::time::{Duration, Instant};

use serde_json::json;

use support::{admin, fail, free_port, serve};

#[tokio::test]
async fn a_cli_change_is_served_by_the_running_server() {
    let dir = tempfile::tempdir().unwrap_or_else(fail);
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let args = [
        "create-account",
        "carol",
        "--email",
        "carol@example.com",
        "--confirmed",
        "--password",
        "correct-horse-battery",
    ];
    let out = admin(dir.path(), port, &args);
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let id: String = stdout
        .split("account id ")
        .nth(1)
        .map(|rest| rest.chars().take_while(char::is_ascii_digit).collect())
        .unwrap_or_else(|| panic!("no account id in {stdout}"));

    let http = reqwest::Client::new();
    let _server = serve(dir.path(), port, &http).await;
    let url = format!("{base}/api/v1/accounts/{id}");
    let first = support::json(http.get(&url), 200).await;
    assert_eq!(first["roles"], json!([]));
    assert_eq!(support::json(http.get(&url), 200).await, first);

    let out = admin(dir.path(), port, &["set-role", "carol", "Owner"]);
    assert!(out.status.success(), "{out:?}");
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let account = support::json(http.get(&url), 200).await;
        if account["roles"] != json!([]) {
            assert_eq!(account["roles"][0]["name"], "Owner");
            break;
        }
        assert!(Instant::now() < deadline, "the role is still not shown");
        // 100 reads at most: well under the anonymous rate limit (300 per 5 minutes)
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
