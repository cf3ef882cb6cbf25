//! `POST /api/v1/accounts/:id/note`

use axum::Json;
use axum::extract::{Path, State};

use crate::api_types::Relationship;
use crate::domain::ids::parse_id;
use crate::error::{ApiError, ApiResult};
use crate::http::extract::User;
use crate::http::extract::params::Params;
use crate::http::extract::scopes::WriteAccounts;
use crate::services::graph::notes_and_endorsements;
use crate::state::AppState;

pub async fn note(
    State(state): State<AppState>,
    auth: User<WriteAccounts>,
    Path(id): Path<String>,
    params: Params,
) -> ApiResult<Json<Relationship>> {
    let id = parse_id(&id).ok_or(ApiError::NotFound)?;
    let comment = params.str("comment");
    Ok(Json(
        notes_and_endorsements::note(&state, auth.account_id(), id, comment.as_deref()).await?,
    ))
}
