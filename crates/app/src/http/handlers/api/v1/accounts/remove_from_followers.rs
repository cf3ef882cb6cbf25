//! `POST /api/v1/accounts/:id/remove_from_followers`

use axum::Json;
use axum::extract::State;

use crate::api_types::Relationship;
use crate::error::ApiResult;
use crate::http::extract::PathId;
use crate::http::extract::User;
use crate::http::extract::scopes::FollowOrWriteFollows;
use crate::services::graph::follow;
use crate::state::AppState;

pub async fn remove_from_followers(
    State(state): State<AppState>,
    auth: User<FollowOrWriteFollows>,
    PathId(id): PathId,
) -> ApiResult<Json<Relationship>> {
    Ok(Json(
        follow::remove_from_followers(&state, auth.account_id(), id).await?,
    ))
}
