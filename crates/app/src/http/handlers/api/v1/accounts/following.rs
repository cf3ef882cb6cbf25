//! `GET /api/v1/accounts/:id/following`

use axum::extract::{Path, State};
use axum::response::Response;

use super::followers::follow_collection;
use crate::error::ApiResult;
use crate::http::extract::MaybeUser;
use crate::http::extract::params::Params;
use crate::http::extract::scopes::ReadAccounts;
use crate::services::graph::collections::FollowSide;
use crate::state::AppState;

pub async fn following(
    State(state): State<AppState>,
    auth: MaybeUser<ReadAccounts>,
    Path(id): Path<String>,
    params: Params,
) -> ApiResult<Response> {
    follow_collection(&state, &auth, &id, FollowSide::Following, &params).await
}
