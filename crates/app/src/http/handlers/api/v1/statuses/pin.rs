//! `POST /api/v1/statuses/:id/pin` and `/unpin`.

use axum::Json;
use axum::extract::{Path, State};

use crate::api_types::Status;
use crate::domain::ids::parse_id;
use crate::error::{ApiError, ApiResult};
use crate::http::extract::User;
use crate::http::extract::scopes::WriteAccounts;
use crate::services::statuses::actions;
use crate::state::AppState;

pub async fn pin(
    State(state): State<AppState>,
    auth: User<WriteAccounts>,
    Path(id): Path<String>,
) -> ApiResult<Json<Status>> {
    let id = parse_id(&id).ok_or(ApiError::NotFound)?;
    Ok(Json(actions::pin(&state, auth.record(), id).await?))
}

pub async fn unpin(
    State(state): State<AppState>,
    auth: User<WriteAccounts>,
    Path(id): Path<String>,
) -> ApiResult<Json<Status>> {
    let id = parse_id(&id).ok_or(ApiError::NotFound)?;
    Ok(Json(actions::unpin(&state, auth.account_id(), id).await?))
}
