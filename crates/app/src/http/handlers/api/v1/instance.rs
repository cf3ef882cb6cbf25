//! `GET /api/v1/instance` (deprecated upstream, still used by clients to detect the version).

use axum::Json;
use axum::extract::State;

use crate::api_types::instance;
use crate::error::ApiResult;
use crate::state::AppState;

pub async fn show(State(state): State<AppState>) -> ApiResult<Json<serde_json::Value>> {
    let stats = crate::services::instance_stats::load(&state).await?;
    Ok(Json(instance::v1(state.config(), &stats)))
}
