//! `GET /api/v1/preferences` (scopes `read` or `read:accounts`; a user) and
//! `GET /api/v1/custom_emojis` (public).

use axum::Json;
use axum::extract::State;

use crate::api_types::CustomEmoji;
use crate::api_types::preferences::Preferences;
use crate::error::ApiResult;
use crate::http::extract::User;
use crate::http::extract::scopes::ReadAccounts;
use crate::services::{custom_emojis, preferences};
use crate::state::AppState;

pub async fn show(auth: User<ReadAccounts>) -> Json<Preferences> {
    Json(preferences::of(auth.record(), auth.user()))
}

pub async fn custom_emojis(State(state): State<AppState>) -> ApiResult<Json<Vec<CustomEmoji>>> {
    Ok(Json(custom_emojis::listed(&state).await?))
}
