//! `GET /api/v1/accounts/verify_credentials`

use axum::Json;
use axum::extract::State;

use crate::api_types::CredentialAccount;
use crate::error::ApiResult;
use crate::http::extract::User;
use crate::http::extract::scopes::ProfileOrReadAccounts;
use crate::services::present;
use crate::state::AppState;

pub async fn verify_credentials(
    State(state): State<AppState>,
    auth: User<ProfileOrReadAccounts>,
) -> ApiResult<Json<CredentialAccount>> {
    let entity = present::render_credential_account_in(
        state.db(),
        &state.base_url(),
        auth.record(),
        auth.user(),
    )
    .await?;
    Ok(Json(entity))
}
