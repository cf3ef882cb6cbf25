//! `POST /api/v1/accounts/:id/unfollow`

use axum::Json;
use axum::extract::State;

use crate::api_types::Relationship;
use crate::error::ApiResult;
use crate::http::extract::PathId;
use crate::http::extract::User;
use crate::http::extract::scopes::FollowOrWriteFollows;
use crate::services::graph::follow;
use crate::state::AppState;

pub async fn unfollow(
    State(state): State<AppState>,
    auth: User<FollowOrWriteFollows>,
    PathId(id): PathId,
) -> ApiResult<Json<Relationship>> {
    Ok(Json(follow::unfollow(&state, auth.account_id(), id).await?))
}
