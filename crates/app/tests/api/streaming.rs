//! The streaming API: health, the advertised URL, server-sent events through the router,
//! a WebSocket over a real socket, errors, and the subscriptions a client leaves behind.

use std::net::SocketAddr;
use std::time::Duration;

use axum::body::{Body, BodyDataStream};
use axum::http::Request;
use futures::{SinkExt, StreamExt};
use serde_json::Value;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tower::ServiceExt;
use woolly_testkit::{TestApp, db_test};

use crate::graph::support::{path, post};
use crate::oauth::support::{REDIRECT, register, revoke};
use crate::statuses::support::{block, mute, status};

/// Enough for an event published after a commit (the issue asks for one second).
const WITHIN: Duration = Duration::from_secs(1);

/// An open SSE response body, read event by event.
struct Sse {
    body: BodyDataStream,
    buffer: String,
}

impl Sse {
    /// The signed-in user's stream (`/api/v1/streaming/user`); panics if refused.
    async fn user(app: &TestApp, token: &str) -> Sse {
        Sse::open(app, "/api/v1/streaming/user", Some(token))
            .await
            .unwrap_or_else(|e| panic!("{e:?}"))
    }

    async fn open(app: &TestApp, uri: &str, token: Option<&str>) -> Result<Sse, (u16, Value)> {
        let mut builder = Request::builder().uri(uri);
        if let Some(t) = token {
            builder = builder.header("authorization", format!("Bearer {t}"));
        }
        let request = builder
            .body(Body::empty())
            .unwrap_or_else(|e| panic!("request: {e}"));
        let response = app
            .router
            .clone()
            .oneshot(request)
            .await
            .unwrap_or_else(|e| panic!("router: {e}"));
        let status = response.status().as_u16();
        if status != 200 {
            let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .unwrap_or_default();
            return Err((
                status,
                serde_json::from_slice(&bytes).unwrap_or(Value::Null),
            ));
        }
        assert_eq!(
            response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some("text/event-stream")
        );
        Ok(Sse {
            body: response.into_body().into_data_stream(),
            buffer: String::new(),
        })
    }

    /// Reads until the buffer holds `needle`, or `None` when the stream ended, or times out.
    async fn read_until(&mut self, needle: &str, within: Duration) -> Option<bool> {
        let deadline = tokio::time::Instant::now() + within;
        while !self.buffer.contains(needle) {
            match tokio::time::timeout_at(deadline, self.body.next()).await {
                Err(_) => return None,
                Ok(None | Some(Err(_))) => return Some(false),
                Ok(Some(Ok(bytes))) => self.buffer.push_str(&String::from_utf8_lossy(&bytes)),
            }
        }
        Some(true)
    }

    /// The next `event:`/`data:` pair, its payload parsed when it is JSON.
    async fn event(&mut self, within: Duration) -> (String, String) {
        let found = self.read_until("\n\n", within).await;
        assert_eq!(
            found,
            Some(true),
            "no event in {:?}: {:?}",
            within,
            self.buffer
        );
        let at = self.buffer.find("\n\n").unwrap_or_default();
        let frame: String = self.buffer.drain(..at + 2).collect();
        let mut event = String::new();
        let mut data = String::new();
        for line in frame.lines() {
            if let Some(v) = line.strip_prefix("event: ") {
                event = v.to_owned();
            } else if let Some(v) = line.strip_prefix("data: ") {
                data = v.to_owned();
            }
        }
        (event, data)
    }

    /// True once the server ends the stream.
    async fn ends_within(&mut self, within: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            match tokio::time::timeout_at(deadline, self.body.next()).await {
                Err(_) => return false,
                Ok(None | Some(Err(_))) => return true,
                Ok(Some(Ok(_))) => {}
            }
        }
    }
}

/// Waits until the bus holds `n` live subscriptions (up to two seconds).
async fn live_becomes(app: &TestApp, n: usize) -> usize {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(2);
    loop {
        let live = app.state.bus().live_subscriptions();
        if live == n || tokio::time::Instant::now() > deadline {
            return live;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn parse(payload: &str) -> Value {
    serde_json::from_str(payload).unwrap_or_else(|e| panic!("payload {payload:?}: {e}"))
}

/// Serves the router on a loopback port.
async fn serve(app: &TestApp) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("bind: {e}"));
    let addr = listener
        .local_addr()
        .unwrap_or_else(|e| panic!("addr: {e}"));
    let router = app.router.clone();
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    addr
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn ws_connect(addr: SocketAddr, query: &str, bearer: Option<&str>) -> Socket {
    let mut request = format!("ws://{addr}/api/v1/streaming{query}")
        .into_client_request()
        .unwrap_or_else(|e| panic!("ws request: {e}"));
    if let Some(t) = bearer {
        let value = format!("Bearer {t}")
            .parse()
            .unwrap_or_else(|e| panic!("header: {e}"));
        request.headers_mut().insert("authorization", value);
    }
    tokio_tungstenite::connect_async(request)
        .await
        .unwrap_or_else(|e| panic!("ws connect: {e}"))
        .0
}

/// The next text message as JSON (pings are answered by the client library).
async fn ws_next(socket: &mut Socket, within: Duration) -> Option<Value> {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, socket.next()).await {
            Err(_) | Ok(None | Some(Err(_))) => return None,
            Ok(Some(Ok(Message::Text(text)))) => return Some(parse(text.as_str())),
            Ok(Some(Ok(Message::Close(_)))) => return Some(Value::String("closed".into())),
            Ok(Some(Ok(_))) => {}
        }
    }
}

async fn ws_send(socket: &mut Socket, value: Value) {
    socket
        .send(Message::Text(value.to_string().into()))
        .await
        .unwrap_or_else(|e| panic!("ws send: {e}"));
}

async fn follow(app: &TestApp, from: &str, to: &str) {
    let res = post(app, from, &path(to, "follow")).await;
    assert_eq!(res.status, 200, "{}", res.text());
}

#[db_test]
async fn health_answers_ok(app: TestApp) {
    let res = app.get("/api/v1/streaming/health", None).await;
    assert_eq!((res.status.as_u16(), res.text().as_str()), (200, "OK"));
}

#[db_test]
async fn instance_advertises_the_streaming_url(app: TestApp) {
    let v1 = app.get("/api/v1/instance", None).await.json();
    assert_eq!(v1["urls"]["streaming_api"], "wss://woolly.test");
    let v2 = app.get("/api/v2/instance", None).await.json();
    assert_eq!(
        v2["configuration"]["urls"]["streaming"],
        "wss://woolly.test"
    );
}

#[db_test(config = |cfg| { cfg.scheme = "http".into(); })]
async fn plain_http_advertises_ws(app: TestApp) {
    let v1 = app.get("/api/v1/instance", None).await.json();
    assert_eq!(v1["urls"]["streaming_api"], "ws://woolly.test");
}

#[db_test]
async fn sse_user_stream_receives_a_follow_notification(app: TestApp) {
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    let mut user = Sse::user(&app, &alice.token).await;
    let mut only = Sse::open(
        &app,
        "/api/v1/streaming/user/notification",
        Some(&alice.token),
    )
    .await
    .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(user.read_until(":)\n", WITHIN).await, Some(true));
    follow(&app, &bob.token, &alice.account_id).await;
    for sse in [&mut user, &mut only] {
        let (event, payload) = sse.event(WITHIN).await;
        assert_eq!(event, "notification");
        let n = parse(&payload);
        assert_eq!(n["type"], "follow");
        assert_eq!(n["account"]["id"], bob.account_id.as_str());
        // Rendered as the REST API renders it.
        let rest = app
            .get(
                &format!(
                    "/api/v1/notifications/{}",
                    n["id"].as_str().unwrap_or_default()
                ),
                Some(&alice.token),
            )
            .await
            .json();
        assert_eq!(n, rest);
    }
}

#[db_test]
async fn statuses_reach_followers_and_public_streams(app: TestApp) {
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    follow(&app, &bob.token, &alice.account_id).await;
    let mut home = Sse::user(&app, &bob.token).await;
    let mut public = Sse::open(&app, "/api/v1/streaming/public/local", Some(&bob.token))
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let mut tag = Sse::open(&app, "/api/v1/streaming/hashtag?tag=Cats", Some(&bob.token))
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    // Unlisted: home only.
    let quiet = status(&app, &alice.token, "quiet #cats", "unlisted").await;
    let (event, payload) = home.event(WITHIN).await;
    assert_eq!(
        (event.as_str(), parse(&payload)["id"].as_str()),
        ("update", Some(quiet.as_str()))
    );
    let id = status(&app, &alice.token, "hello #cats", "public").await;
    for sse in [&mut home, &mut public, &mut tag] {
        let (event, payload) = sse.event(WITHIN).await;
        let s = parse(&payload);
        assert_eq!(
            (event.as_str(), s["id"].as_str()),
            ("update", Some(id.as_str()))
        );
        assert_eq!(s["account"]["id"], alice.account_id.as_str());
    }
    let res = app
        .delete(&format!("/api/v1/statuses/{id}"), Some(&alice.token))
        .await;
    assert_eq!(res.status, 200);
    for sse in [&mut home, &mut public, &mut tag] {
        assert_eq!(sse.event(WITHIN).await, ("delete".to_owned(), id.clone()));
    }
}

#[db_test]
async fn sse_errors_are_upstreams(app: TestApp) {
    let alice = app.user("alice").await;
    let writer = app.user_with("writer", None, "write").await;
    let err = |r: Result<Sse, (u16, Value)>| match r {
        Ok(_) => (200, String::new()),
        Err((status, body)) => (
            status,
            body["error"].as_str().unwrap_or_default().to_owned(),
        ),
    };
    let no_scope = "Access token does not have the required scopes";
    let (as_alice, as_writer) = (Some(alice.token.as_str()), Some(writer.token.as_str()));
    let cases: [(&str, Option<&str>, u16, &str); 7] = [
        ("/api/v1/streaming/user", None, 401, "Missing access token"),
        (
            "/api/v1/streaming/user",
            Some("nope"),
            401,
            "Invalid access token",
        ),
        ("/api/v1/streaming/user", as_writer, 401, no_scope),
        (
            "/api/v1/streaming/user/notification",
            as_writer,
            401,
            no_scope,
        ),
        (
            "/api/v1/streaming/nope",
            as_alice,
            400,
            "Unknown channel requested",
        ),
        (
            "/api/v1/streaming/hashtag",
            as_alice,
            400,
            "Missing tag name parameter",
        ),
        (
            "/api/v1/streaming/list?list=1",
            as_alice,
            401,
            "Not authorized to stream this list",
        ),
    ];
    for (uri, token, status, message) in cases {
        assert_eq!(
            err(Sse::open(&app, uri, token).await),
            (status, message.to_owned()),
            "{uri}"
        );
    }
    // Public streams need a token, not a scope.
    assert_eq!(
        err(Sse::open(&app, "/api/v1/streaming/public", Some(&writer.token)).await).0,
        200
    );
}

#[db_test]
async fn websocket_subscribes_receives_and_unsubscribes(app: TestApp) {
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    let carol = app.user("carol").await;
    let addr = serve(&app).await;
    let mut socket = ws_connect(addr, "", Some(&alice.token)).await;
    // Two system channels, then the two channels of `user`.
    assert_eq!(live_becomes(&app, 2).await, 2);
    ws_send(
        &mut socket,
        serde_json::json!({"type": "subscribe", "stream": "user"}),
    )
    .await;
    assert_eq!(live_becomes(&app, 4).await, 4);
    follow(&app, &bob.token, &alice.account_id).await;
    let message = ws_next(&mut socket, WITHIN).await.unwrap_or_default();
    assert_eq!(message["stream"], serde_json::json!(["user"]));
    assert_eq!(message["event"], "notification");
    let payload = message["payload"].as_str().unwrap_or_default();
    assert_eq!(parse(payload)["account"]["id"], bob.account_id.as_str());
    ws_send(
        &mut socket,
        serde_json::json!({"type": "unsubscribe", "stream": "user"}),
    )
    .await;
    assert_eq!(live_becomes(&app, 2).await, 2);
    follow(&app, &carol.token, &alice.account_id).await;
    assert_eq!(ws_next(&mut socket, Duration::from_millis(500)).await, None);
    drop(socket);
    assert_eq!(live_becomes(&app, 0).await, 0);
}

#[db_test]
async fn websocket_takes_the_token_as_protocol_and_stream_from_the_query(app: TestApp) {
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    let addr = serve(&app).await;
    let mut request = format!("ws://{addr}/api/v1/streaming/?stream=user:notification")
        .into_client_request()
        .unwrap_or_else(|e| panic!("ws request: {e}"));
    let protocol = alice
        .token
        .parse()
        .unwrap_or_else(|e| panic!("header: {e}"));
    request
        .headers_mut()
        .insert("sec-websocket-protocol", protocol);
    let (mut socket, response) = tokio_tungstenite::connect_async(request)
        .await
        .unwrap_or_else(|e| panic!("ws connect: {e}"));
    let echoed = response
        .headers()
        .get("sec-websocket-protocol")
        .and_then(|v| v.to_str().ok());
    assert_eq!(echoed, Some(alice.token.as_str()));
    assert_eq!(live_becomes(&app, 3).await, 3);
    follow(&app, &bob.token, &alice.account_id).await;
    let message = ws_next(&mut socket, WITHIN).await.unwrap_or_default();
    assert_eq!(
        (message["stream"].clone(), message["event"].clone()),
        (
            serde_json::json!(["user:notification"]),
            Value::from("notification")
        )
    );
}

#[db_test]
async fn websocket_refuses_bad_tokens_scopes_and_streams(app: TestApp) {
    let alice = app.user("alice").await;
    let writer = app.user_with("writer", None, "write").await;
    let addr = serve(&app).await;
    let refused =
        tokio_tungstenite::connect_async(format!("ws://{addr}/api/v1/streaming?access_token=nope"))
            .await;
    let Err(tokio_tungstenite::tungstenite::Error::Http(response)) = refused else {
        panic!("a bad token was accepted");
    };
    assert_eq!(response.status().as_u16(), 401);
    let message = response
        .headers()
        .get("x-error-message")
        .and_then(|v| v.to_str().ok());
    assert_eq!(message, Some("Invalid access token"));
    // A write-only token connects, but may not read the user stream.
    let mut socket = ws_connect(addr, "?stream=user", Some(&writer.token)).await;
    let error = ws_next(&mut socket, WITHIN).await.unwrap_or_default();
    assert_eq!(
        error,
        serde_json::json!({
            "error": "Access token does not have the required scopes",
            "status": 401,
        })
    );
    ws_send(
        &mut socket,
        serde_json::json!({"type": "subscribe", "stream": "public"}),
    )
    .await;
    // Scopes are checked before the name, as upstream: an unknown stream needs `read` too.
    ws_send(
        &mut socket,
        serde_json::json!({"type": "subscribe", "stream": "public:nope"}),
    )
    .await;
    let error = ws_next(&mut socket, WITHIN).await.unwrap_or_default();
    assert_eq!(error["status"], 401);
    let mut reader = ws_connect(addr, "", Some(&alice.token)).await;
    ws_send(
        &mut reader,
        serde_json::json!({"type": "subscribe", "stream": "public:nope"}),
    )
    .await;
    let error = ws_next(&mut reader, WITHIN).await.unwrap_or_default();
    assert_eq!(
        error,
        serde_json::json!({"error": "Unknown stream type", "status": 400})
    );
    // Held: the public subscription and each socket's two system channels.
    assert_eq!(live_becomes(&app, 5).await, 5);
}

#[db_test]
async fn clients_that_disconnect_leave_no_subscription(app: TestApp) {
    let alice = app.user("alice").await;
    let sse = Sse::user(&app, &alice.token).await;
    assert_eq!(app.state.bus().live_subscriptions(), 4);
    drop(sse);
    assert_eq!(live_becomes(&app, 0).await, 0);
    let addr = serve(&app).await;
    let sockets = [
        ws_connect(addr, "?stream=user", Some(&alice.token)).await,
        ws_connect(addr, "?stream=public", Some(&alice.token)).await,
    ];
    assert_eq!(live_becomes(&app, 7).await, 7);
    // Gone without a close frame: the TCP connections just drop.
    drop(sockets);
    assert_eq!(live_becomes(&app, 0).await, 0);
}

#[db_test(config = |cfg| { cfg.streaming_recheck_secs = 1; })]
async fn a_revoked_tokens_stream_ends(app: TestApp) {
    let alice = app.user("alice").await;
    let mut sse = Sse::user(&app, &alice.token).await;
    let addr = serve(&app).await;
    let mut socket = ws_connect(addr, "?stream=user", Some(&alice.token)).await;
    assert_eq!(live_becomes(&app, 8).await, 8);
    let digest = woolly::domain::secrets::digest(&alice.token);
    app.sql(&format!(
        "UPDATE oauth_access_tokens SET revoked_at = 1 WHERE token_digest = '{digest}'"
    ))
    .await;
    let ended = sse.ends_within(Duration::from_secs(3)).await;
    assert!(ended, "the event stream goes on");
    assert_eq!(
        ws_next(&mut socket, Duration::from_secs(3)).await,
        Some(Value::String("closed".into()))
    );
    assert_eq!(live_becomes(&app, 0).await, 0);
    // And it cannot start again.
    assert_eq!(
        Sse::open(&app, "/api/v1/streaming/user", Some(&alice.token))
            .await
            .err()
            .map(|e| e.0),
        Some(401)
    );
}

#[db_test(config = |cfg| { cfg.streaming_recheck_secs = 1; })]
async fn a_suspended_users_stream_ends(app: TestApp) {
    let alice = app.user("alice").await;
    let mut sse = Sse::user(&app, &alice.token).await;
    app.sql(&format!(
        "UPDATE accounts SET suspended_at = 1 WHERE id = {}",
        alice.account_id
    ))
    .await;
    let ended = sse.ends_within(Duration::from_secs(3)).await;
    assert!(ended, "the event stream goes on");
}

#[db_test]
async fn public_streams_skip_blocked_and_muted_authors(app: TestApp) {
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    let carol = app.user("carol").await;
    block(&app, &carol.account_id, &alice.account_id).await;
    mute(&app, &carol.account_id, &bob.account_id, None).await;
    let mut public = Sse::open(&app, "/api/v1/streaming/public", Some(&carol.token))
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    status(&app, &alice.token, "from a blocked author", "public").await;
    status(&app, &bob.token, "from a muted author", "public").await;
    let own = status(&app, &carol.token, "mine", "public").await;
    let (event, payload) = public.event(WITHIN).await;
    assert_eq!(
        (event.as_str(), parse(&payload)["id"].as_str()),
        ("update", Some(own.as_str()))
    );
}

#[db_test]
async fn revoking_a_token_ends_its_streams_at_once(app: TestApp) {
    let alice = app.user("alice").await;
    let mut sse = Sse::user(&app, &alice.token).await;
    let client = register(&app, REDIRECT, "read").await;
    let res = revoke(&app, &client, &alice.token).await;
    assert_eq!(res.status, 200);
    // Well before the periodic re-check (10 s by default).
    assert!(sse.ends_within(WITHIN).await, "the event stream goes on");
    assert_eq!(live_becomes(&app, 0).await, 0);
}

#[db_test]
async fn streams_end_when_the_process_begins_stopping(app: TestApp) {
    // Otherwise an open stream holds `serve`'s shutdown grace period to its end.
    let alice = app.user("alice").await;
    let mut sse = Sse::user(&app, &alice.token).await;
    let addr = serve(&app).await;
    let mut socket = ws_connect(addr, "?stream=user", Some(&alice.token)).await;
    assert_eq!(live_becomes(&app, 8).await, 8);
    app.state.begin_stopping();
    assert!(sse.ends_within(WITHIN).await, "the event stream goes on");
    assert_eq!(
        ws_next(&mut socket, WITHIN).await,
        Some(Value::String("closed".into()))
    );
    assert_eq!(live_becomes(&app, 0).await, 0);
    // A stream opened while stopping ends at once.
    let mut late = Sse::user(&app, &alice.token).await;
    assert!(
        late.ends_within(WITHIN).await,
        "a late event stream goes on"
    );
}
