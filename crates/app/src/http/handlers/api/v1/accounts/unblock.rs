//! `POST /api/v1/accounts/:id/unblock`

use axum::Json;
use axum::extract::{Path, State};

use crate::api_types::Relationship;
use crate::domain::ids::parse_id;
use crate::error::{ApiError, ApiResult};
use crate::http::extract::User;
use crate::http::extract::scopes::FollowOrWriteBlocks;
use crate::services::graph::blocks_and_mutes;
use crate::state::AppState;

pub async fn unblock(
    State(state): State<AppState>,
    auth: User<FollowOrWriteBlocks>,
    Path(id): Path<String>,
) -> ApiResult<Json<Relationship>> {
    let id = parse_id(&id).ok_or(ApiError::NotFound)?;
    Ok(Json(
        blocks_and_mutes::unblock(&state, auth.account_id(), id).await?,
    ))
}
