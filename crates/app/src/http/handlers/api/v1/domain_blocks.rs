//! `GET`, `POST` and `DELETE /api/v1/domain_blocks` (a user's own domain blocks)

use axum::Json;
use axum::extract::State;
use axum::response::Response;
use serde_json::{Value, json};

use crate::error::ApiResult;
use crate::http::extract::User;
use crate::http::extract::params::Params;
use crate::http::extract::scopes::{FollowOrReadBlocks, FollowOrWriteBlocks};
use crate::http::pagination::{self, LinkTo};
use crate::services::graph::domain_blocks;
use crate::state::AppState;

/// Upstream's `BLOCK_LIMIT`: 100 by default, at most twice that.
const DEFAULT_LIMIT: usize = 100;
const MAX_LIMIT: usize = 200;

pub async fn index(
    State(state): State<AppState>,
    auth: User<FollowOrReadBlocks>,
    params: Params,
) -> ApiResult<Response> {
    let cursor = pagination::cursor(&params, DEFAULT_LIMIT, MAX_LIMIT);
    let domains = domain_blocks::page(&state, auth.account_id(), &cursor).await?;
    let url = format!("{}/api/v1/domain_blocks", state.base_url());
    Ok(pagination::json_page(
        domains,
        &LinkTo::accounts(url, &params),
    ))
}

pub async fn create(
    State(state): State<AppState>,
    auth: User<FollowOrWriteBlocks>,
    params: Params,
) -> ApiResult<Json<Value>> {
    let domain = params.str("domain");
    domain_blocks::block(&state, auth.account_id(), domain.as_deref()).await?;
    Ok(Json(json!({})))
}

pub async fn destroy(
    State(state): State<AppState>,
    auth: User<FollowOrWriteBlocks>,
    params: Params,
) -> ApiResult<Json<Value>> {
    let domain = params.str("domain");
    domain_blocks::unblock(&state, auth.account_id(), domain.as_deref()).await?;
    Ok(Json(json!({})))
}
