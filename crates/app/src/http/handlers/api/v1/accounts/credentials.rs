//! `GET /api/v1/accounts/verify_credentials`

use axum::extract::State;
use axum::response::Response;

use crate::error::ApiResult;
use crate::http::extract::User;
use crate::http::extract::scopes::ProfileOrReadAccounts;
use crate::http::json_body::rendered_json;
use crate::services::account_json;
use crate::state::AppState;

pub async fn verify_credentials(
    State(state): State<AppState>,
    auth: User<ProfileOrReadAccounts>,
) -> ApiResult<Response> {
    let json =
        account_json::credentials(&state, auth.record(), auth.user(), auth.viewer.read_at).await?;
    Ok(rendered_json(json))
}
