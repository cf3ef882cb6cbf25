//! `POST /api/v1/accounts/:id/unmute`

use axum::Json;
use axum::extract::State;

use crate::api_types::Relationship;
use crate::error::ApiResult;
use crate::http::extract::PathId;
use crate::http::extract::User;
use crate::http::extract::scopes::FollowOrWriteMutes;
use crate::services::graph::blocks_and_mutes;
use crate::state::AppState;

pub async fn unmute(
    State(state): State<AppState>,
    auth: User<FollowOrWriteMutes>,
    PathId(id): PathId,
) -> ApiResult<Json<Relationship>> {
    Ok(Json(
        blocks_and_mutes::unmute(&state, auth.account_id(), id).await?,
    ))
}
