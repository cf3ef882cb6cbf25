//! `GET /users/:username` (the actor, or a redirect to the profile page for browsers) and
//! `GET /actor` (the instance actor).

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};

use super::{activity_json, wants_activity_json};
use crate::error::ApiResult;
use crate::services::federation::documents;
use crate::state::AppState;

pub async fn show(
    State(state): State<AppState>,
    Path(username): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    if !wants_activity_json(&headers) {
        return Ok(Redirect::to(&format!("{}/@{username}", state.base_url())).into_response());
    }
    Ok(activity_json(&documents::actor(&state, &username).await?))
}

pub async fn instance(State(state): State<AppState>) -> ApiResult<Response> {
    Ok(activity_json(&documents::instance_actor(&state).await?))
}
