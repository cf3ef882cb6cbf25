//! `/api/v1/lists` and `/api/v1/lists/:id/accounts`

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

use super::accounts::followers::{DEFAULT_LIMIT, MAX_LIMIT};
use crate::api_types::list::List;
use crate::error::ApiResult;
use crate::http::extract::params::Params;
use crate::http::extract::scopes::{ReadLists, WriteLists};
use crate::http::extract::{PathId, User};
use crate::http::pagination::{self, LinkTo};
use crate::services::lists::{self, ListParams};
use crate::state::AppState;

fn list_params(params: &Params) -> ListParams {
    ListParams {
        title: params.str("title"),
        replies_policy: params.str("replies_policy"),
        exclusive: params.bool("exclusive"),
    }
}

pub async fn index(
    State(state): State<AppState>,
    auth: User<ReadLists>,
) -> ApiResult<Json<Vec<List>>> {
    Ok(Json(lists::index(&state, auth.account_id()).await?))
}

pub async fn show(
    State(state): State<AppState>,
    auth: User<ReadLists>,
    PathId(id): PathId,
) -> ApiResult<Json<List>> {
    Ok(Json(lists::show(&state, auth.account_id(), id).await?))
}

pub async fn create(
    State(state): State<AppState>,
    auth: User<WriteLists>,
    params: Params,
) -> ApiResult<Json<List>> {
    Ok(Json(
        lists::create(&state, auth.account_id(), &list_params(&params)).await?,
    ))
}

pub async fn update(
    State(state): State<AppState>,
    auth: User<WriteLists>,
    PathId(id): PathId,
    params: Params,
) -> ApiResult<Json<List>> {
    Ok(Json(
        lists::update(&state, auth.account_id(), id, &list_params(&params)).await?,
    ))
}

pub async fn destroy(
    State(state): State<AppState>,
    auth: User<WriteLists>,
    PathId(id): PathId,
) -> ApiResult<Json<serde_json::Value>> {
    lists::destroy(&state, auth.account_id(), id).await?;
    Ok(Json(serde_json::json!({})))
}

/// Members, paginated by account id; `limit=0` returns all without links.
pub async fn accounts(
    State(state): State<AppState>,
    auth: User<ReadLists>,
    PathId(id): PathId,
    params: Params,
) -> ApiResult<Response> {
    if params.str("limit").as_deref() == Some("0") {
        let all = lists::members(&state, auth.account_id(), id, None).await?;
        return Ok(Json(all.items).into_response());
    }
    let cursor = pagination::cursor(&params, DEFAULT_LIMIT, MAX_LIMIT);
    let page = lists::members(&state, auth.account_id(), id, Some(&cursor)).await?;
    let url = format!("{}/api/v1/lists/{id}/accounts", state.base_url());
    Ok(pagination::json_page(page, &LinkTo::accounts(url, &params)))
}

pub async fn add_accounts(
    State(state): State<AppState>,
    auth: User<WriteLists>,
    PathId(id): PathId,
    params: Params,
) -> ApiResult<Json<serde_json::Value>> {
    lists::add_members(&state, auth.account_id(), id, &params.list("account_ids")).await?;
    Ok(Json(serde_json::json!({})))
}

pub async fn remove_accounts(
    State(state): State<AppState>,
    auth: User<WriteLists>,
    PathId(id): PathId,
    params: Params,
) -> ApiResult<Json<serde_json::Value>> {
    lists::remove_members(&state, auth.account_id(), id, &params.list("account_ids")).await?;
    Ok(Json(serde_json::json!({})))
}
