//! `POST /api/v1/statuses/:id/reblog` and `/unreblog`.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::{Extension, Json};

use super::with_family;
use crate::api_types::Status;
use crate::domain::ids::parse_id;
use crate::error::{ApiError, ApiResult};
use crate::http::extract::User;
use crate::http::extract::params::Params;
use crate::http::extract::scopes::WriteStatuses;
use crate::ratelimit::Hit;
use crate::services::statuses::actions;
use crate::state::AppState;

pub async fn reblog(
    State(state): State<AppState>,
    auth: User<WriteStatuses>,
    Path(id): Path<String>,
    throttle: Option<Extension<Hit>>,
    params: Params,
) -> ApiResult<Response> {
    let id = parse_id(&id).ok_or(ApiError::NotFound)?;
    let (status, family) = actions::reblog(
        &state,
        auth.record(),
        auth.user(),
        id,
        params.str("visibility"),
    )
    .await?;
    Ok(with_family(status, family, throttle))
}

pub async fn unreblog(
    State(state): State<AppState>,
    auth: User<WriteStatuses>,
    Path(id): Path<String>,
) -> ApiResult<Json<Status>> {
    let id = parse_id(&id).ok_or(ApiError::NotFound)?;
    Ok(Json(
        actions::unreblog(&state, auth.account_id(), id).await?,
    ))
}
