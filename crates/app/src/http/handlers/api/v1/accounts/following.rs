//! `GET /api/v1/accounts/:id/following`

use axum::extract::State;
use axum::response::Response;

use super::followers::follow_collection;
use crate::error::ApiResult;
use crate::http::extract::params::Params;
use crate::http::extract::scopes::ReadAccounts;
use crate::http::extract::{MaybeUser, PathId};
use crate::services::graph::collections::FollowSide;
use crate::state::AppState;

pub async fn following(
    State(state): State<AppState>,
    auth: MaybeUser<ReadAccounts>,
    PathId(id): PathId,
    params: Params,
) -> ApiResult<Response> {
    follow_collection(&state, &auth, id, FollowSide::Following, &params).await
}
