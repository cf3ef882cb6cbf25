//! `GET /api/v1/accounts/:id`

use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};

use crate::domain::ids::parse_id;
use crate::error::{ApiError, ApiResult};
use crate::http::extract::MaybeUser;
use crate::http::extract::scopes::ReadAccounts;
use crate::http::middleware::api::public_cache;
use crate::services::{accounts, present};
use crate::state::AppState;

pub async fn show(
    State(state): State<AppState>,
    auth: MaybeUser<ReadAccounts>,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let id = parse_id(&id).ok_or(ApiError::NotFound)?;
    let record = accounts::find_for_api_in(state.db(), id).await?;
    if !accounts::visible_locally(&record) {
        return Err(ApiError::NotFound);
    }
    let account = present::render_account_in(state.db(), &state.base_url(), &record).await?;
    let mut response = Json(account).into_response();
    if auth.viewer.is_none() {
        public_cache(response.headers_mut());
    }
    Ok(response)
}
