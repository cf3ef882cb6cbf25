//! `DELETE /api/v1/profile/avatar` and `/header`: clear the image, return CredentialAccount.

use axum::Json;
use axum::extract::State;

use crate::api_types::CredentialAccount;
use crate::error::ApiResult;
use crate::http::extract::User;
use crate::http::extract::scopes::WriteAccounts;
use crate::services::profile::{self, Image};
use crate::state::AppState;

async fn delete(
    state: &AppState,
    auth: &User<WriteAccounts>,
    which: Image,
) -> ApiResult<Json<CredentialAccount>> {
    let entity = profile::delete_image(state, auth.user().id, auth.account_id(), which).await?;
    Ok(Json(entity))
}

pub async fn delete_avatar(
    State(state): State<AppState>,
    auth: User<WriteAccounts>,
) -> ApiResult<Json<CredentialAccount>> {
    delete(&state, &auth, Image::Avatar).await
}

pub async fn delete_header(
    State(state): State<AppState>,
    auth: User<WriteAccounts>,
) -> ApiResult<Json<CredentialAccount>> {
    delete(&state, &auth, Image::Header).await
}
