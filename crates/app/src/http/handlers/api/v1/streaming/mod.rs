//! The streaming API on the main listener, as upstream's `streaming/index.js` serves it:
//! `GET /api/v1/streaming` as a WebSocket (any streaming path accepts the upgrade, as
//! upstream's server does), server-sent events on `/api/v1/streaming/<stream>`, and
//! `/api/v1/streaming/health`.

mod sse;
mod ws;

use std::collections::HashMap;

use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::{State, WebSocketUpgrade};
use axum::http::header::{self, HeaderMap};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
use crate::http::extract::auth::token_from_parts;
use crate::state::AppState;

/// `GET /api/v1/streaming/health`
pub async fn health() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/plain")], "OK")
}

/// Every other streaming path: a WebSocket upgrade, or else the SSE stream the path names.
pub async fn serve(
    State(state): State<AppState>,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
    parts: Parts,
) -> Response {
    match upgrade {
        Ok(upgrade) => ws::connect(state, upgrade, &parts).await,
        Err(rejection) if wants_websocket(&parts.headers) => rejection.into_response(),
        Err(_) => sse::stream(state, &parts).await,
    }
}

fn wants_websocket(headers: &HeaderMap) -> bool {
    headers
        .get(header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"))
}

/// The first value of each query parameter (upstream's `firstParam`).
fn query(parts: &Parts) -> HashMap<String, String> {
    let mut out = HashMap::new();
    if let Some(q) = parts.uri.query() {
        for (k, v) in url::form_urlencoded::parse(q.as_bytes()) {
            out.entry(k.into_owned()).or_insert_with(|| v.into_owned());
        }
    }
    out
}

/// Upstream's `isTruthy`.
fn truthy(value: Option<&String>) -> bool {
    value.is_some_and(|v| {
        !matches!(
            v.as_str(),
            "" | "0" | "f" | "F" | "false" | "FALSE" | "off" | "OFF"
        )
    })
}

/// The token: `Authorization: Bearer`, then `access_token`, then (WebSocket only)
/// `Sec-WebSocket-Protocol`.
fn token(parts: &Parts, protocol: Option<&str>) -> Option<String> {
    token_from_parts(parts).or_else(|| protocol.map(str::to_owned))
}

/// Upstream's status and message for an error: its own messages for 400 and 401, a
/// generic one otherwise.
fn status_and_message(e: &ApiError) -> (u16, String) {
    match e {
        ApiError::InvalidToken(m) => (401, (*m).to_owned()),
        ApiError::BadRequest(m) => (400, m.clone()),
        other => {
            if let ApiError::Internal(cause) = other {
                tracing::error!(%cause, "streaming error");
            }
            (500, "An unexpected error occurred".to_owned())
        }
    }
}
