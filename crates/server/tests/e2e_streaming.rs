//! End to end: the streaming API over a WebSocket to the real binary. The connection is
//! upgraded past the HTTP deadlines (a quiet stream outlives the keep-alive and header
//! timeouts) and a new follower's notification arrives on it.

mod support;

use std::time::Duration;

use futures::StreamExt;
use serde_json::Value;
use tokio_tungstenite::tungstenite::Message;

use support::{create_account, fail, free_port, json, serve_with, token};

fn token_for(dir: &std::path::Path, port: u16, name: &str) -> String {
    create_account(dir, port, name, &[]);
    token(dir, port, name, "read write follow")
}

/// The next `notification` event's payload, within `limit`.
async fn next_notification<S>(ws: &mut S, limit: Duration) -> Value
where
    S: futures::Stream<Item = Result<Message, tokio_tungstenite::tungstenite::Error>> + Unpin,
{
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        let msg = tokio::time::timeout_at(deadline, ws.next())
            .await
            .unwrap_or_else(|_| panic!("no notification within {limit:?}"));
        let Some(Ok(Message::Text(text))) = msg else {
            continue;
        };
        let event: Value = serde_json::from_str(&text).unwrap_or_else(fail);
        if event["event"] == "notification" {
            let payload = event["payload"].as_str().unwrap_or_default();
            return serde_json::from_str(payload).unwrap_or_else(fail);
        }
    }
}

#[tokio::test]
async fn a_websocket_outlives_http_deadlines_and_receives_follows() {
    let dir = tempfile::tempdir().unwrap_or_else(fail);
    let port = free_port();
    let alice = token_for(dir.path(), port, "alice");
    let bob = token_for(dir.path(), port, "bob");
    let carol = token_for(dir.path(), port, "carol");
    let env = [
        ("WOOLLY_KEEP_ALIVE_TIMEOUT_SECS", "1"),
        ("WOOLLY_HEADER_READ_TIMEOUT_SECS", "1"),
        ("WOOLLY_RATE_LIMITS", "false"),
    ];
    let _server = serve_with(dir.path(), port, &env).await;
    let http = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{port}");

    let instance = json(http.get(format!("{base}/api/v2/instance")), 200).await;
    let streaming = instance["configuration"]["urls"]["streaming"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(streaming, format!("ws://127.0.0.1:{port}"));
    let url = format!("{streaming}/api/v1/streaming?stream=user&access_token={alice}");
    let (mut ws, response) = tokio_tungstenite::connect_async(url)
        .await
        .unwrap_or_else(fail);
    assert_eq!(response.status().as_u16(), 101);

    let me = json(
        http.get(format!("{base}/api/v1/accounts/verify_credentials"))
            .bearer_auth(&alice),
        200,
    )
    .await;
    let alice_id = me["id"].as_str().unwrap_or_default().to_owned();
    for (follower, name) in [(&bob, "bob"), (&carol, "carol")] {
        let r = http
            .post(format!("{base}/api/v1/accounts/{alice_id}/follow"))
            .bearer_auth(follower)
            .send()
            .await
            .unwrap_or_else(fail);
        assert_eq!(r.status().as_u16(), 200);
        let n = next_notification(&mut ws, Duration::from_secs(5)).await;
        assert_eq!(n["type"], "follow");
        assert_eq!(n["account"]["username"], name);
        // Quiet for longer than the keep-alive and header deadlines: the socket stays.
        tokio::time::sleep(Duration::from_secs(3)).await;
    }
}
