//! `GET /users/:username/{followers,following,outbox,collections/featured}`

use axum::extract::{Path, State};
use axum::response::Response;

use super::activity_json;
use crate::error::ApiResult;
use crate::services::federation::documents::{self, CollectionKind};
use crate::state::AppState;

async fn show(state: &AppState, username: &str, kind: CollectionKind) -> ApiResult<Response> {
    Ok(activity_json(
        &documents::collection(state, username, kind).await?,
    ))
}

pub async fn followers(
    State(state): State<AppState>,
    Path(u): Path<String>,
) -> ApiResult<Response> {
    show(&state, &u, CollectionKind::Followers).await
}

pub async fn following(
    State(state): State<AppState>,
    Path(u): Path<String>,
) -> ApiResult<Response> {
    show(&state, &u, CollectionKind::Following).await
}

pub async fn outbox(State(state): State<AppState>, Path(u): Path<String>) -> ApiResult<Response> {
    show(&state, &u, CollectionKind::Outbox).await
}

pub async fn featured(State(state): State<AppState>, Path(u): Path<String>) -> ApiResult<Response> {
    show(&state, &u, CollectionKind::Featured).await
}
