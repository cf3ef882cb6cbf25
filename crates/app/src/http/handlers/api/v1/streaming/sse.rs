//! Server-sent events: `:)` on open, `:thump` every 15 seconds, each event as
//! `event: <name>` / `data: <payload>`.

use std::convert::Infallible;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use tokio::time::{Instant, Interval, interval_at};

use super::{query, status_and_message, token, truthy};
use crate::error::ApiError;
use crate::services::streaming::Event;
use crate::services::streaming::session::{Next, Session};
use crate::services::streaming::streams::{self, StreamRequest};
use crate::state::AppState;

/// Upstream's heartbeat interval for event streams.
const HEARTBEAT: Duration = Duration::from_secs(15);

/// The stream a path names (upstream's `channelNameFromPath`).
fn stream_of_path(path: &str, only_media: bool) -> Option<&'static str> {
    let media = |plain, with| Some(if only_media { with } else { plain });
    match path {
        "/api/v1/streaming/user" => Some("user"),
        "/api/v1/streaming/user/notification" => Some("user:notification"),
        "/api/v1/streaming/public" => media("public", "public:media"),
        "/api/v1/streaming/public/local" => media("public:local", "public:local:media"),
        "/api/v1/streaming/public/remote" => media("public:remote", "public:remote:media"),
        "/api/v1/streaming/hashtag" => Some("hashtag"),
        "/api/v1/streaming/hashtag/local" => Some("hashtag:local"),
        "/api/v1/streaming/direct" => Some("direct"),
        "/api/v1/streaming/list" => Some("list"),
        _ => None,
    }
}

/// Errors as upstream's streaming server writes them: `{"error": …}` and the status alone.
fn error(e: &ApiError) -> Response {
    let (status, message) = status_and_message(e);
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, axum::Json(serde_json::json!({ "error": message }))).into_response()
}

pub async fn stream(state: AppState, parts: &Parts) -> Response {
    let params = query(parts);
    let Some(name) = stream_of_path(parts.uri.path(), truthy(params.get("only_media"))) else {
        return error(&ApiError::BadRequest("Unknown channel requested".into()));
    };
    let client = match streams::authenticate(&state, token(parts, None).as_deref()).await {
        Ok(c) => c,
        Err(e) => return error(&e),
    };
    if let Err(e) = streams::check_scopes(&client, name) {
        return error(&e);
    }
    let request = StreamRequest {
        name: name.to_owned(),
        tag: params.get("tag").cloned(),
        list: params.get("list").cloned(),
    };
    let resolved = match streams::resolve(&state, &client, &request).await {
        Ok(r) => r,
        Err(e) => return error(&e),
    };
    let mut session = Session::new(state.bus(), client, state.stopping());
    session.subscribe(state.bus(), resolved);
    let recheck = Duration::from_secs(state.config().streaming_recheck_secs.max(1));
    let open = Open {
        state,
        session,
        heartbeat: interval_at(Instant::now() + HEARTBEAT, HEARTBEAT),
        recheck: interval_at(Instant::now() + recheck, recheck),
        greeted: false,
    };
    let body = futures::stream::unfold(open, |mut open| async move {
        let chunk = open.next_chunk().await?;
        Some((Ok::<_, Infallible>(chunk), open))
    });
    (
        [
            (header::CONTENT_TYPE, "text/event-stream"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        Body::from_stream(body),
    )
        .into_response()
}

/// An open event stream; dropped (with its subscriptions) when the client goes away.
struct Open {
    state: AppState,
    session: Session,
    heartbeat: Interval,
    recheck: Interval,
    greeted: bool,
}

impl Open {
    /// The next bytes to write, or `None` to end the stream.
    async fn next_chunk(&mut self) -> Option<Bytes> {
        if !self.greeted {
            self.greeted = true;
            return Some(Bytes::from_static(b":)\n"));
        }
        loop {
            tokio::select! {
                _ = self.heartbeat.tick() => return Some(Bytes::from_static(b":thump\n")),
                _ = self.recheck.tick() => {
                    if !still_valid(&self.state, &self.session).await {
                        return None;
                    }
                }
                next = self.session.next() => match next {
                    Next::Event { event, filtered, .. } => {
                        if filtered && !visible(&self.state, &self.session, &event).await {
                            continue;
                        }
                        return Some(Bytes::from(format!(
                            "event: {}\ndata: {}\n\n",
                            event.event, event.payload
                        )));
                    }
                    Next::Kill => return None,
                },
            }
        }
    }
}

/// A failed filter check drops the event (it may have been one the client excludes).
pub(super) async fn visible(state: &AppState, session: &Session, event: &Event) -> bool {
    match streams::visible(state, &session.client, event).await {
        Ok(visible) => visible,
        Err(error) => {
            tracing::warn!(%error, "streaming filter check failed");
            false
        }
    }
}

/// A failed check (the database away) keeps the stream; only a definite no ends it.
pub(super) async fn still_valid(state: &AppState, session: &Session) -> bool {
    match streams::still_valid(state, &session.client).await {
        Ok(valid) => valid,
        Err(error) => {
            tracing::warn!(%error, "streaming token check failed");
            true
        }
    }
}
