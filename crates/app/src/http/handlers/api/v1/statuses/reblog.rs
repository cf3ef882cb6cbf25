//! `POST /api/v1/statuses/:id/reblog` and `/unreblog`.

use axum::extract::State;
use axum::response::Response;
use axum::{Extension, Json};

use super::with_family;
use crate::api_types::Status;
use crate::error::ApiResult;
use crate::http::extract::PathId;
use crate::http::extract::User;
use crate::http::extract::params::Params;
use crate::http::extract::scopes::WriteStatuses;
use crate::ratelimit::Hit;
use crate::services::statuses::actions;
use crate::state::AppState;

pub async fn reblog(
    State(state): State<AppState>,
    auth: User<WriteStatuses>,
    PathId(id): PathId,
    throttle: Option<Extension<Hit>>,
    params: Params,
) -> ApiResult<Response> {
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
    PathId(id): PathId,
) -> ApiResult<Json<Status>> {
    Ok(Json(
        actions::unreblog(&state, auth.account_id(), id).await?,
    ))
}
