//! `GET /api/v2/admin/accounts` (mastodon-behaviour.md §3.3): no defaults; `origin`,
//! `status`, `permissions`, `role_ids[]`, `invited_by` and the text filters.

use axum::extract::State;
use axum::response::Response;

use crate::error::ApiResult;
use crate::http::extract::Admin;
use crate::http::extract::params::Params;
use crate::http::extract::scopes::AdminReadAccounts;
use crate::http::handlers::api::v1::admin::accounts::accounts_list;
use crate::services::moderation::accounts::ApiVersion;
use crate::state::AppState;

pub async fn index(
    State(state): State<AppState>,
    admin: Admin<AdminReadAccounts>,
    params: Params,
) -> ApiResult<Response> {
    let url = format!("{}/api/v2/admin/accounts", state.base_url());
    accounts_list(&state, &admin, ApiVersion::V2, &params, url).await
}
