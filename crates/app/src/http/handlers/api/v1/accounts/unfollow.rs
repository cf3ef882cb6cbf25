//! `POST /api/v1/accounts/:id/unfollow`

use axum::Json;
use axum::extract::{Path, State};

use crate::api_types::Relationship;
use crate::domain::ids::parse_id;
use crate::error::{ApiError, ApiResult};
use crate::http::extract::User;
use crate::http::extract::scopes::FollowOrWriteFollows;
use crate::services::graph::follow;
use crate::state::AppState;

pub async fn unfollow(
    State(state): State<AppState>,
    auth: User<FollowOrWriteFollows>,
    Path(id): Path<String>,
) -> ApiResult<Json<Relationship>> {
    let id = parse_id(&id).ok_or(ApiError::NotFound)?;
    Ok(Json(follow::unfollow(&state, auth.account_id(), id).await?))
}
