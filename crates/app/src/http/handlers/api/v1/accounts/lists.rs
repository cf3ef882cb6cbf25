//! `GET /api/v1/accounts/:id/lists`: your lists that contain `:id`.

use axum::Json;
use axum::extract::State;

use crate::api_types::list::List;
use crate::error::ApiResult;
use crate::http::extract::PathId;
use crate::http::extract::User;
use crate::http::extract::scopes::ReadLists;
use crate::services::lists;
use crate::state::AppState;

pub async fn lists(
    State(state): State<AppState>,
    auth: User<ReadLists>,
    PathId(id): PathId,
) -> ApiResult<Json<Vec<List>>> {
    Ok(Json(
        lists::containing(&state, auth.account_id(), id).await?,
    ))
}
