//! `GET /api/v1/instance` (deprecated upstream, still used by clients to detect the version)
//! and its sub-resources.

use axum::Json;
use axum::extract::State;

use crate::api_types::instance;
use crate::api_types::instance_texts::{DatedText, Language, Rule, TermsOfService};
use crate::error::ApiResult;
use crate::http::extract::MaybeUser;
use crate::http::extract::scopes::AnyScope;
use crate::services::instance_texts;
use crate::state::AppState;

pub async fn show(State(state): State<AppState>) -> ApiResult<Json<serde_json::Value>> {
    let stats = crate::services::instance_stats::load(&state).await?;
    let rules = instance_texts::rules(&state);
    Ok(Json(instance::v1(state.config(), &stats, &rules)))
}

/// `GET /api/v1/instance/rules`
pub async fn rules(State(state): State<AppState>) -> Json<Vec<Rule>> {
    Json(instance_texts::rules(&state))
}

/// `GET /api/v1/instance/extended_description`
pub async fn extended_description(State(state): State<AppState>) -> Json<DatedText> {
    Json(instance_texts::extended_description(&state))
}

/// `GET /api/v1/instance/privacy_policy`
pub async fn privacy_policy(State(state): State<AppState>) -> Json<DatedText> {
    Json(instance_texts::privacy_policy(&state))
}

/// `GET /api/v1/instance/terms_of_service`
pub async fn terms_of_service(State(state): State<AppState>) -> ApiResult<Json<TermsOfService>> {
    Ok(Json(instance_texts::terms_of_service(&state)?))
}

/// `GET /api/v1/instance/languages`
pub async fn languages() -> Json<Vec<Language>> {
    Json(instance_texts::languages())
}

/// `GET /api/v1/instance/translation_languages`: no translation service is configured, so
/// no language pairs (upstream's answer then).
pub async fn translation_languages() -> Json<serde_json::Map<String, serde_json::Value>> {
    Json(serde_json::Map::new())
}

/// `GET /api/v1/instance/peers`
pub async fn peers(State(state): State<AppState>) -> ApiResult<Json<Vec<String>>> {
    Ok(Json(instance_texts::peers(&state).await?))
}

/// `GET /api/v1/instance/domain_blocks`: the silenced and suspended domains, when
/// `show_domain_blocks` shows them to this viewer (`users`: a token is needed); upstream
/// answers an empty 404 otherwise, which is its default (`disabled`).
pub async fn domain_blocks(
    State(state): State<AppState>,
    viewer: MaybeUser<AnyScope>,
) -> ApiResult<axum::response::Response> {
    use axum::response::IntoResponse;
    let signed_in = viewer.account_id().is_some();
    Ok(
        match crate::services::domain_blocks::public_list(&state, signed_in).await? {
            Some(blocks) => Json(blocks).into_response(),
            None => axum::http::StatusCode::NOT_FOUND.into_response(),
        },
    )
}

/// `GET /api/v1/instance/activity`
pub async fn activity(
    State(state): State<AppState>,
) -> ApiResult<Json<Vec<crate::services::instance_activity::Week>>> {
    Ok(Json(
        crate::services::instance_activity::weeks(&state).await?,
    ))
}
