//! `GET /api/v1/accounts/:id/lists`: your lists that contain `:id`.

use axum::Json;
use axum::extract::{Path, State};

use crate::api_types::list::List;
use crate::domain::ids::parse_id;
use crate::error::{ApiError, ApiResult};
use crate::http::extract::User;
use crate::http::extract::scopes::ReadLists;
use crate::services::lists;
use crate::state::AppState;

pub async fn lists(
    State(state): State<AppState>,
    auth: User<ReadLists>,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<List>>> {
    let id = parse_id(&id).ok_or(ApiError::NotFound)?;
    Ok(Json(
        lists::containing(&state, auth.account_id(), id).await?,
    ))
}
