//! `GET /api/v1/accounts/:id/endorsements`: the accounts `:id` features.

use axum::extract::State;
use axum::response::Response;

use super::followers::{DEFAULT_LIMIT, MAX_LIMIT};
use crate::error::ApiResult;
use crate::http::extract::MaybeUser;
use crate::http::extract::PathId;
use crate::http::extract::params::Params;
use crate::http::extract::scopes::ReadAccounts;
use crate::http::middleware::api::public_cache;
use crate::http::pagination::{self, LinkTo};
use crate::services::graph::collections;
use crate::state::AppState;

pub async fn endorsements(
    State(state): State<AppState>,
    auth: MaybeUser<ReadAccounts>,
    PathId(id): PathId,
    params: Params,
) -> ApiResult<Response> {
    let cursor = pagination::cursor(&params, DEFAULT_LIMIT, MAX_LIMIT);
    let page = collections::account_endorsements(&state, id, &cursor).await?;
    let url = format!("{}/api/v1/accounts/{id}/endorsements", state.base_url());
    let mut response = pagination::json_page(page, &LinkTo::accounts(url, &params));
    if auth.viewer.is_none() {
        public_cache(response.headers_mut());
    }
    Ok(response)
}
