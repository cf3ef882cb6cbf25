//! `POST /api/v1/emails/confirmations`: resend the confirmation mail (optionally to a new
//! address) for a user who signed up through the calling app.

use axum::Json;
use axum::extract::State;

use crate::error::ApiResult;
use crate::http::extract::TokenAuth;
use crate::http::extract::params::Params;
use crate::http::extract::scopes::WriteAccounts;
use crate::services::confirmation;
use crate::state::AppState;

pub async fn resend_confirmation(
    State(state): State<AppState>,
    auth: TokenAuth<WriteAccounts>,
    params: Params,
) -> ApiResult<Json<serde_json::Value>> {
    let viewer = auth.0;
    let email = params
        .has("email")
        .then(|| params.str("email").unwrap_or_default());
    confirmation::resend(
        &state,
        viewer.user.as_ref(),
        viewer.token.application_id,
        email.as_deref(),
    )
    .await?;
    Ok(Json(serde_json::json!({})))
}

/// `GET /api/v1/emails/check_confirmation`: whether the caller's e-mail is confirmed.
/// Upstream fails with a 500 without a user; we answer upstream's usual 422 instead.
pub async fn check_confirmation(
    auth: crate::http::extract::MaybeUser<crate::http::extract::scopes::ReadAccounts>,
) -> ApiResult<Json<bool>> {
    match auth.viewer.as_ref().and_then(|v| v.user.as_ref()) {
        Some(user) => Ok(Json(user.confirmed_at.is_some())),
        None => Err(crate::error::ApiError::Unprocessable(
            "This method requires an authenticated user".into(),
        )),
    }
}
