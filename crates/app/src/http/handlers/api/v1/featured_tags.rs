//! `GET/POST /api/v1/featured_tags`, `DELETE /api/v1/featured_tags/:id`,
//! `GET /api/v1/featured_tags/suggestions`

use axum::Json;
use axum::extract::State;

use crate::api_types::featured_tag::{FeaturedTag, Tag};
use crate::error::{ApiError, ApiResult};
use crate::http::extract::PathId;
use crate::http::extract::User;
use crate::http::extract::params::Params;
use crate::http::extract::scopes::{ReadAccounts, WriteAccounts};
use crate::services::featured_tags;
use crate::state::AppState;

pub async fn index(
    State(state): State<AppState>,
    auth: User<ReadAccounts>,
) -> ApiResult<Json<Vec<FeaturedTag>>> {
    Ok(Json(featured_tags::mine(&state, auth.record()).await?))
}

pub async fn create(
    State(state): State<AppState>,
    auth: User<WriteAccounts>,
    params: Params,
) -> ApiResult<Json<FeaturedTag>> {
    let name = params.present("name").ok_or_else(|| {
        ApiError::BadRequest("param is missing or the value is empty: name".into())
    })?;
    Ok(Json(
        featured_tags::create(&state, auth.record(), &name).await?,
    ))
}

pub async fn destroy(
    State(state): State<AppState>,
    auth: User<WriteAccounts>,
    PathId(id): PathId,
) -> ApiResult<Json<serde_json::Value>> {
    featured_tags::destroy(&state, auth.account_id(), id).await?;
    Ok(Json(serde_json::json!({})))
}

pub async fn suggestions(
    State(state): State<AppState>,
    auth: User<ReadAccounts>,
) -> ApiResult<Json<Vec<Tag>>> {
    Ok(Json(
        featured_tags::suggestions(&state, auth.account_id()).await?,
    ))
}
