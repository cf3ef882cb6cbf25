//! `GET /api/v1/follow_requests`, `POST /api/v1/follow_requests/:id/authorize` and `/reject`

use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;

use super::accounts::followers::{page_args, paged};
use crate::api_types::Relationship;
use crate::domain::ids::parse_id;
use crate::error::{ApiError, ApiResult};
use crate::http::extract::User;
use crate::http::extract::params::Params;
use crate::http::extract::scopes::{FollowOrReadFollows, FollowOrWriteFollows};
use crate::services::graph::{collections, requests};
use crate::state::AppState;

pub async fn index(
    State(state): State<AppState>,
    auth: User<FollowOrReadFollows>,
    params: Params,
) -> ApiResult<Response> {
    let args = page_args(&params);
    let base = state.base_url();
    let mut conn = state.db().conn().await?;
    let page = collections::requests_page(&mut conn.exec(), &base, auth.account_id(), args).await?;
    Ok(paged(
        &format!("{base}/api/v1/follow_requests"),
        &params,
        args.limit,
        page,
    ))
}

pub async fn authorize(
    State(state): State<AppState>,
    auth: User<FollowOrWriteFollows>,
    Path(id): Path<String>,
) -> ApiResult<Json<Relationship>> {
    let id = parse_id(&id).ok_or(ApiError::NotFound)?;
    Ok(Json(
        requests::authorize(&state, auth.account_id(), id).await?,
    ))
}

pub async fn reject(
    State(state): State<AppState>,
    auth: User<FollowOrWriteFollows>,
    Path(id): Path<String>,
) -> ApiResult<Json<Relationship>> {
    let id = parse_id(&id).ok_or(ApiError::NotFound)?;
    Ok(Json(requests::reject(&state, auth.account_id(), id).await?))
}
