//! The WebSocket: `subscribe` / `unsubscribe` messages, events as
//! `{"stream": […], "event": …, "payload": …}`, a ping every 30 seconds (a client that did
//! not answer the previous one is dropped).

use std::collections::HashMap;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::WebSocketUpgrade;
use axum::extract::ws::{CloseFrame, Message, WebSocket};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use serde_json::{Value, json};
use tokio::time::{Instant, interval_at};

use super::sse::{still_valid, visible};
use super::{query, status_and_message, token};
use crate::error::ApiError;
use crate::services::streaming::session::{Next, Session};
use crate::services::streaming::streams::{self, Client, StreamRequest};
use crate::state::AppState;

/// Upstream's keep-alive interval for WebSockets.
const PING: Duration = Duration::from_secs(30);

/// Close code and reason upstream uses for binary frames.
const UNSUPPORTED_DATA: u16 = 1003;

/// Authenticates, then upgrades; a refused upgrade answers as upstream's: the status, no
/// body, the message in `X-Error-Message`.
pub async fn connect(state: AppState, upgrade: WebSocketUpgrade, parts: &Parts) -> Response {
    let protocol = parts
        .headers
        .get(header::SEC_WEBSOCKET_PROTOCOL)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let client =
        match streams::authenticate(&state, token(parts, protocol.as_deref()).as_deref()).await {
            Ok(c) => c,
            Err(e) => return refused(&e),
        };
    // The token sent as the protocol is echoed back, as the `ws` library upstream uses does.
    let upgrade = match protocol {
        Some(p) if !p.contains(',') => upgrade.protocols([p]),
        _ => upgrade,
    };
    let params = query(parts);
    upgrade.on_upgrade(move |socket| run(state, client, socket, params))
}

fn refused(e: &ApiError) -> Response {
    let (status, message) = status_and_message(e);
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::UNAUTHORIZED);
    let headers = response.headers_mut();
    headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
    if let Ok(v) = HeaderValue::from_str(&message) {
        headers.insert("x-error-message", v);
    }
    response
}

/// A string parameter of a message (`firstParam`; numbers as their text).
fn param(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::Array(items) => param(items.first()),
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn request_of(name: Option<String>, tag: Option<String>, list: Option<String>) -> StreamRequest {
    StreamRequest {
        name: name.unwrap_or_default(),
        tag,
        list,
    }
}

async fn send_json(socket: &mut WebSocket, value: &Value) -> bool {
    socket
        .send(Message::Text(value.to_string().into()))
        .await
        .is_ok()
}

/// Upstream's `subscribeWebsocketToChannel`: errors go back as `{"error", "status"}`.
async fn subscribe(
    state: &AppState,
    session: &mut Session,
    socket: &mut WebSocket,
    request: StreamRequest,
) -> bool {
    let resolved = match streams::check_scopes(&session.client, &request.name) {
        Ok(()) => streams::resolve(state, &session.client, &request).await,
        Err(e) => Err(e),
    };
    match resolved {
        Ok(r) => {
            session.subscribe(state.bus(), r);
            true
        }
        Err(e) => {
            let (status, message) = status_and_message(&e);
            send_json(socket, &json!({ "error": message, "status": status })).await
        }
    }
}

async fn unsubscribe(
    state: &AppState,
    session: &mut Session,
    socket: &mut WebSocket,
    request: StreamRequest,
) -> bool {
    match streams::resolve(state, &session.client, &request).await {
        Ok(r) => {
            session.unsubscribe(&r);
            true
        }
        Err(_) => {
            send_json(
                socket,
                &json!({ "error": "Error unsubscribing from channel" }),
            )
            .await
        }
    }
}

/// A text message from the client; unknown types and malformed JSON are ignored.
async fn on_text(
    state: &AppState,
    session: &mut Session,
    socket: &mut WebSocket,
    text: &str,
) -> bool {
    let Ok(Value::Object(message)) = serde_json::from_str::<Value>(text) else {
        return true;
    };
    let request = request_of(
        param(message.get("stream")),
        param(message.get("tag")),
        param(message.get("list")),
    );
    match message.get("type").and_then(Value::as_str) {
        Some("subscribe") => subscribe(state, session, socket, request).await,
        Some("unsubscribe") => unsubscribe(state, session, socket, request).await,
        _ => true,
    }
}

async fn run(
    state: AppState,
    client: Client,
    mut socket: WebSocket,
    params: HashMap<String, String>,
) {
    let mut session = Session::new(state.bus(), client, state.stopping());
    if let Some(stream) = params.get("stream") {
        let request = request_of(
            Some(stream.clone()),
            params.get("tag").cloned(),
            params.get("list").cloned(),
        );
        if !subscribe(&state, &mut session, &mut socket, request).await {
            return;
        }
    }
    let recheck_every = Duration::from_secs(state.config().streaming_recheck_secs.max(1));
    let mut recheck = interval_at(Instant::now() + recheck_every, recheck_every);
    let mut ping = interval_at(Instant::now() + PING, PING);
    let mut answered = true;
    loop {
        tokio::select! {
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Text(text))) => {
                    if !on_text(&state, &mut session, &mut socket, text.as_str()).await {
                        break;
                    }
                }
                Some(Ok(Message::Binary(_))) => {
                    let frame = CloseFrame {
                        code: UNSUPPORTED_DATA,
                        reason: "The mastodon streaming server does not support binary messages".into(),
                    };
                    let _ = socket.send(Message::Close(Some(frame))).await;
                    break;
                }
                Some(Ok(Message::Pong(_))) => answered = true,
                Some(Ok(Message::Ping(_))) => {}
                Some(Ok(Message::Close(_)) | Err(_)) | None => break,
            },
            _ = ping.tick() => {
                if !answered || socket.send(Message::Ping(Bytes::new())).await.is_err() {
                    break;
                }
                answered = false;
            }
            _ = recheck.tick() => {
                if !still_valid(&state, &session).await {
                    let _ = socket.send(Message::Close(None)).await;
                    break;
                }
            }
            next = session.next() => match next {
                Next::Event { stream, event, filtered } => {
                    if filtered && !visible(&state, &session, &event).await {
                        continue;
                    }
                    let message = json!({ "stream": stream, "event": event.event, "payload": event.payload });
                    if !send_json(&mut socket, &message).await {
                        break;
                    }
                }
                Next::Kill => {
                    let _ = socket.send(Message::Close(None)).await;
                    break;
                }
            },
        }
    }
}
