//! `POST /api/v1/accounts/:id/endorse` (alias `pin`) and `/unendorse` (alias `unpin`)

use axum::Json;
use axum::extract::{Path, State};

use crate::api_types::Relationship;
use crate::domain::ids::parse_id;
use crate::error::{ApiError, ApiResult};
use crate::http::extract::User;
use crate::http::extract::scopes::WriteAccounts;
use crate::services::graph::notes_and_endorsements;
use crate::state::AppState;

pub async fn endorse(
    State(state): State<AppState>,
    auth: User<WriteAccounts>,
    Path(id): Path<String>,
) -> ApiResult<Json<Relationship>> {
    let id = parse_id(&id).ok_or(ApiError::NotFound)?;
    Ok(Json(
        notes_and_endorsements::endorse(&state, auth.account_id(), id).await?,
    ))
}

pub async fn unendorse(
    State(state): State<AppState>,
    auth: User<WriteAccounts>,
    Path(id): Path<String>,
) -> ApiResult<Json<Relationship>> {
    let id = parse_id(&id).ok_or(ApiError::NotFound)?;
    Ok(Json(
        notes_and_endorsements::unendorse(&state, auth.account_id(), id).await?,
    ))
}
