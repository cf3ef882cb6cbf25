//! `GET /api/v1/blocks`

use axum::extract::State;
use axum::response::Response;

use super::accounts::followers::{page_args, paged};
use crate::error::ApiResult;
use crate::http::extract::User;
use crate::http::extract::params::Params;
use crate::http::extract::scopes::FollowOrReadBlocks;
use crate::services::graph::collections;
use crate::state::AppState;

pub async fn index(
    State(state): State<AppState>,
    auth: User<FollowOrReadBlocks>,
    params: Params,
) -> ApiResult<Response> {
    let args = page_args(&params);
    let base = state.base_url();
    let mut conn = state.db().conn().await?;
    let page = collections::blocks_page(&mut conn.exec(), &base, auth.account_id(), args).await?;
    Ok(paged(
        &format!("{base}/api/v1/blocks"),
        &params,
        args.limit,
        page,
    ))
}
