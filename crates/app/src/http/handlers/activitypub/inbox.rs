//! `POST /inbox` and `POST /users/:username/inbox`: 202 once the signature is verified and
//! the activity queued; 401 for unsigned or badly signed requests; 413 over 1 MB (the
//! route's body limit).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};

use crate::error::ApiResult;
use crate::services::federation::inbox::{self, Received};
use crate::state::AppState;

/// Upstream's limit on inbox bodies.
pub const MAX_INBOX_BYTES: usize = 1024 * 1024;

fn lowered(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .filter_map(|(n, v)| Some((n.as_str().to_ascii_lowercase(), v.to_str().ok()?.to_owned())))
        .collect()
}

async fn receive(
    state: &AppState,
    username: Option<&str>,
    uri: &Uri,
    headers: &HeaderMap,
    body: &Bytes,
) -> ApiResult<StatusCode> {
    let received = Received {
        username,
        path: uri.path(),
        query: uri.query(),
        headers: lowered(headers),
        body,
    };
    inbox::receive(state, received).await?;
    Ok(StatusCode::ACCEPTED)
}

pub async fn shared(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<StatusCode> {
    receive(&state, None, &uri, &headers, &body).await
}

pub async fn personal(
    State(state): State<AppState>,
    Path(username): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<StatusCode> {
    receive(&state, Some(&username), &uri, &headers, &body).await
}
