//! `GET /api/v1/suggestions` (accounts) and `DELETE /api/v1/suggestions/:id`; the v2 list
//! (`{source, sources, account}`) shares the parsing.

use axum::Json;
use axum::extract::{Path, State};
use serde_json::{Value, json};

use super::accounts::followers::{DEFAULT_LIMIT, MAX_LIMIT};
use crate::api_types::Account;
use crate::domain::ids::parse_id;
use crate::domain::params::{limit, ruby_to_i};
use crate::error::ApiResult;
use crate::http::extract::User;
use crate::http::extract::params::Params;
use crate::http::extract::scopes::{ReadAccounts, WriteAccounts};
use crate::services::suggestions;
use crate::state::AppState;

/// `limit` (40 by default, at most 80) and, for v2, `offset` (Ruby's `to_i`).
pub fn page_params(params: &Params) -> (usize, i64) {
    let limit = limit(params.str("limit").as_deref(), DEFAULT_LIMIT, MAX_LIMIT);
    let offset = params.str("offset").map_or(0, |o| ruby_to_i(&o));
    (limit, offset)
}

pub async fn index(
    State(state): State<AppState>,
    auth: User<ReadAccounts>,
    params: Params,
) -> ApiResult<Json<Vec<Account>>> {
    let (limit, _) = page_params(&params);
    let page = suggestions::get(&state, auth.account_id(), limit, 0).await?;
    Ok(Json(page.into_iter().map(|s| s.account).collect()))
}

pub async fn destroy(
    State(state): State<AppState>,
    auth: User<WriteAccounts>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    suggestions::dismiss(&state, auth.account_id(), parse_id(&id)).await?;
    Ok(Json(json!({})))
}
