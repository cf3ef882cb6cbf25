//! `POST /api/v1/accounts/:id/mute`

use axum::Json;
use axum::extract::State;

use crate::api_types::Relationship;
use crate::domain::params::ruby_to_i;
use crate::error::ApiResult;
use crate::http::extract::PathId;
use crate::http::extract::User;
use crate::http::extract::params::Params;
use crate::http::extract::scopes::FollowOrWriteMutes;
use crate::services::graph::blocks_and_mutes;
use crate::state::AppState;

pub async fn mute(
    State(state): State<AppState>,
    auth: User<FollowOrWriteMutes>,
    PathId(id): PathId,
    params: Params,
) -> ApiResult<Json<Relationship>> {
    let notifications = params.bool("notifications").unwrap_or(true);
    let duration = params.str("duration").map_or(0, |d| ruby_to_i(&d));
    Ok(Json(
        blocks_and_mutes::mute(&state, auth.account_id(), id, notifications, duration).await?,
    ))
}
