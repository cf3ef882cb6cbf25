//! `GET /api/v1/blocks`

use axum::extract::State;
use axum::response::Response;

use super::accounts::followers::{DEFAULT_LIMIT, MAX_LIMIT};
use crate::error::ApiResult;
use crate::http::extract::User;
use crate::http::extract::params::Params;
use crate::http::extract::scopes::FollowOrReadBlocks;
use crate::http::pagination::{self, LinkTo};
use crate::services::graph::collections;
use crate::state::AppState;

pub async fn index(
    State(state): State<AppState>,
    auth: User<FollowOrReadBlocks>,
    params: Params,
) -> ApiResult<Response> {
    let cursor = pagination::cursor(&params, DEFAULT_LIMIT, MAX_LIMIT);
    let page = collections::blocks_page(&state, auth.account_id(), &cursor).await?;
    let url = format!("{}/api/v1/blocks", state.base_url());
    Ok(pagination::json_page(page, &LinkTo::accounts(url, &params)))
}
