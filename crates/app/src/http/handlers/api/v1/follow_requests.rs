//! `GET /api/v1/follow_requests`, `POST /api/v1/follow_requests/:id/authorize` and `/reject`

use axum::Json;
use axum::extract::State;
use axum::response::Response;

use super::accounts::followers::{DEFAULT_LIMIT, MAX_LIMIT};
use crate::api_types::Relationship;
use crate::error::ApiResult;
use crate::http::extract::PathId;
use crate::http::extract::User;
use crate::http::extract::params::Params;
use crate::http::extract::scopes::{FollowOrReadFollows, FollowOrWriteFollows};
use crate::http::pagination::{self, LinkTo};
use crate::services::graph::{collections, requests};
use crate::state::AppState;

pub async fn index(
    State(state): State<AppState>,
    auth: User<FollowOrReadFollows>,
    params: Params,
) -> ApiResult<Response> {
    let cursor = pagination::cursor(&params, DEFAULT_LIMIT, MAX_LIMIT);
    let page = collections::requests_page(&state, auth.account_id(), &cursor).await?;
    let url = format!("{}/api/v1/follow_requests", state.base_url());
    Ok(pagination::json_page(page, &LinkTo::accounts(url, &params)))
}

pub async fn authorize(
    State(state): State<AppState>,
    auth: User<FollowOrWriteFollows>,
    PathId(id): PathId,
) -> ApiResult<Json<Relationship>> {
    Ok(Json(
        requests::authorize(&state, auth.account_id(), id).await?,
    ))
}

pub async fn reject(
    State(state): State<AppState>,
    auth: User<FollowOrWriteFollows>,
    PathId(id): PathId,
) -> ApiResult<Json<Relationship>> {
    Ok(Json(requests::reject(&state, auth.account_id(), id).await?))
}
