//! `POST /api/v1/accounts/:id/endorse` (alias `pin`) and `/unendorse` (alias `unpin`)

use axum::Json;
use axum::extract::State;

use crate::api_types::Relationship;
use crate::error::ApiResult;
use crate::http::extract::PathId;
use crate::http::extract::User;
use crate::http::extract::scopes::WriteAccounts;
use crate::services::graph::notes_and_endorsements;
use crate::state::AppState;

pub async fn endorse(
    State(state): State<AppState>,
    auth: User<WriteAccounts>,
    PathId(id): PathId,
) -> ApiResult<Json<Relationship>> {
    Ok(Json(
        notes_and_endorsements::endorse(&state, auth.account_id(), id).await?,
    ))
}

pub async fn unendorse(
    State(state): State<AppState>,
    auth: User<WriteAccounts>,
    PathId(id): PathId,
) -> ApiResult<Json<Relationship>> {
    Ok(Json(
        notes_and_endorsements::unendorse(&state, auth.account_id(), id).await?,
    ))
}
