//! `POST /api/v1/accounts/:id/note`

use axum::Json;
use axum::extract::State;

use crate::api_types::Relationship;
use crate::error::ApiResult;
use crate::http::extract::PathId;
use crate::http::extract::User;
use crate::http::extract::params::Params;
use crate::http::extract::scopes::WriteAccounts;
use crate::services::graph::notes_and_endorsements;
use crate::state::AppState;

pub async fn note(
    State(state): State<AppState>,
    auth: User<WriteAccounts>,
    PathId(id): PathId,
    params: Params,
) -> ApiResult<Json<Relationship>> {
    let comment = params.str("comment");
    Ok(Json(
        notes_and_endorsements::note(&state, auth.account_id(), id, comment.as_deref()).await?,
    ))
}
