//! `GET /api/v2/instance`

use axum::Json;
use axum::extract::State;

use crate::api_types::instance;
use crate::error::ApiResult;
use crate::state::AppState;

pub async fn show(State(state): State<AppState>) -> ApiResult<Json<serde_json::Value>> {
    let stats = crate::services::instance_stats::load(&state).await?;
    let rules = crate::services::instance_texts::rules(&state);
    Ok(Json(instance::v2(state.config(), &stats, &rules)))
}
