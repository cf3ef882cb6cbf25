//! `POST /api/v1/statuses/:id/pin` and `/unpin`.

use axum::Json;
use axum::extract::State;

use crate::api_types::Status;
use crate::error::ApiResult;
use crate::http::extract::PathId;
use crate::http::extract::User;
use crate::http::extract::scopes::WriteAccounts;
use crate::services::statuses::actions;
use crate::state::AppState;

pub async fn pin(
    State(state): State<AppState>,
    auth: User<WriteAccounts>,
    PathId(id): PathId,
) -> ApiResult<Json<Status>> {
    Ok(Json(actions::pin(&state, auth.record(), id).await?))
}

pub async fn unpin(
    State(state): State<AppState>,
    auth: User<WriteAccounts>,
    PathId(id): PathId,
) -> ApiResult<Json<Status>> {
    Ok(Json(actions::unpin(&state, auth.account_id(), id).await?))
}
