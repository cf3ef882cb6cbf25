//! `GET /api/v1/mutes` (MutedAccount entities)

use axum::extract::State;
use axum::response::Response;

use super::accounts::followers::{DEFAULT_LIMIT, MAX_LIMIT};
use crate::error::ApiResult;
use crate::http::extract::User;
use crate::http::extract::params::Params;
use crate::http::extract::scopes::FollowOrReadMutes;
use crate::http::pagination::{self, LinkTo};
use crate::services::graph::collections;
use crate::state::AppState;

pub async fn index(
    State(state): State<AppState>,
    auth: User<FollowOrReadMutes>,
    params: Params,
) -> ApiResult<Response> {
    let cursor = pagination::cursor(&params, DEFAULT_LIMIT, MAX_LIMIT);
    let page = collections::mutes_page(&state, auth.account_id(), &cursor).await?;
    let url = format!("{}/api/v1/mutes", state.base_url());
    Ok(pagination::json_page(page, &LinkTo::accounts(url, &params)))
}
