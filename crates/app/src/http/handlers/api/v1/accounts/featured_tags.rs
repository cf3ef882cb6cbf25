//! `GET /api/v1/accounts/:id/featured_tags` (upstream checks no token or scope here).

use axum::Json;
use axum::extract::State;

use crate::api_types::featured_tag::FeaturedTag;
use crate::error::ApiResult;
use crate::http::extract::PathId;
use crate::services::featured_tags;
use crate::state::AppState;

pub async fn featured_tags(
    State(state): State<AppState>,
    PathId(id): PathId,
) -> ApiResult<Json<Vec<FeaturedTag>>> {
    Ok(Json(featured_tags::of_account(&state, id).await?))
}
