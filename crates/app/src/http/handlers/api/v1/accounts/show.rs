//! `GET /api/v1/accounts/:id`

use axum::extract::State;
use axum::response::Response;

use crate::error::ApiResult;
use crate::http::extract::MaybeUser;
use crate::http::extract::PathId;
use crate::http::extract::scopes::ReadAccounts;
use crate::http::json_body::rendered_json;
use crate::http::middleware::api::public_cache;
use crate::services::account_json;
use crate::state::AppState;

pub async fn show(
    State(state): State<AppState>,
    auth: MaybeUser<ReadAccounts>,
    PathId(id): PathId,
) -> ApiResult<Response> {
    let mut response = rendered_json(account_json::show(&state, id).await?);
    if auth.viewer.is_none() {
        public_cache(response.headers_mut());
    }
    Ok(response)
}
