//! `GET /api/v1/accounts/:id/endorsements`: the accounts `:id` features.

use axum::extract::{Path, State};
use axum::response::Response;

use super::followers::{DEFAULT_LIMIT, MAX_LIMIT, paged};
use crate::domain::ids::parse_id;
use crate::error::{ApiError, ApiResult};
use crate::http::extract::MaybeUser;
use crate::http::extract::params::Params;
use crate::http::extract::scopes::ReadAccounts;
use crate::http::middleware::api::public_cache;
use crate::http::pagination::Page;
use crate::services::graph::collections;
use crate::state::AppState;

pub async fn endorsements(
    State(state): State<AppState>,
    auth: MaybeUser<ReadAccounts>,
    Path(id): Path<String>,
    params: Params,
) -> ApiResult<Response> {
    let id = parse_id(&id).ok_or(ApiError::NotFound)?;
    let page = Page::from_params(&params, DEFAULT_LIMIT, MAX_LIMIT);
    let base = state.base_url();
    let mut conn = state.db().conn().await?;
    let list = collections::account_endorsements(
        &mut conn.exec(),
        &base,
        id,
        page.max_id,
        page.since_id,
        page.limit,
    )
    .await?;
    let mut response = paged(
        &format!("{base}/api/v1/accounts/{id}/endorsements"),
        &params,
        page.limit,
        list,
    );
    if auth.viewer.is_none() {
        public_cache(response.headers_mut());
    }
    Ok(response)
}
