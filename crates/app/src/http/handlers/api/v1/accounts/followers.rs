//! `GET /api/v1/accounts/:id/followers`, and the limits the account lists share.

use axum::extract::State;
use axum::response::Response;

use crate::error::ApiResult;
use crate::http::extract::params::Params;
use crate::http::extract::scopes::ReadAccounts;
use crate::http::extract::{MaybeUser, PathId};
use crate::http::middleware::api::public_cache;
use crate::http::pagination::{self, LinkTo};
use crate::services::graph::collections::{self, FollowSide};
use crate::state::AppState;

/// Accounts lists: 40 by default, at most 80.
pub const DEFAULT_LIMIT: usize = 40;
pub const MAX_LIMIT: usize = 80;

/// `GET /api/v1/accounts/:id/followers` or `/following`.
pub async fn follow_collection(
    state: &AppState,
    auth: &MaybeUser<ReadAccounts>,
    id: i64,
    side: FollowSide,
    params: &Params,
) -> ApiResult<Response> {
    let cursor = pagination::cursor(params, DEFAULT_LIMIT, MAX_LIMIT);
    let page = collections::follow_page(state, side, id, auth.account_id(), &cursor).await?;
    let segment = match side {
        FollowSide::Followers => "followers",
        FollowSide::Following => "following",
    };
    let url = format!("{}/api/v1/accounts/{id}/{segment}", state.base_url());
    let mut response = pagination::rendered_page(page, &LinkTo::accounts(url, params));
    if auth.viewer.is_none() {
        public_cache(response.headers_mut());
    }
    Ok(response)
}

pub async fn followers(
    State(state): State<AppState>,
    auth: MaybeUser<ReadAccounts>,
    PathId(id): PathId,
    params: Params,
) -> ApiResult<Response> {
    follow_collection(&state, &auth, id, FollowSide::Followers, &params).await
}
