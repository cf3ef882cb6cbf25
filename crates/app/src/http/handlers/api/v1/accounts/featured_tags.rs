//! `GET /api/v1/accounts/:id/featured_tags` (upstream checks no token or scope here).

use axum::Json;
use axum::extract::{Path, State};

use crate::api_types::featured_tag::FeaturedTag;
use crate::domain::ids::parse_id;
use crate::error::{ApiError, ApiResult};
use crate::services::featured_tags;
use crate::state::AppState;

pub async fn featured_tags(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<FeaturedTag>>> {
    let id = parse_id(&id).ok_or(ApiError::NotFound)?;
    Ok(Json(featured_tags::of_account(&state, id).await?))
}
