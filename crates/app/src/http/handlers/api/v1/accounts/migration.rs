//! `POST /api/v1/accounts/alias` and `POST /api/v1/accounts/move`: account migration as
//! GoToSocial offers it to clients (upstream Mastodon has it in its web settings only).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::api_types::CredentialAccount;
use crate::error::ApiResult;
use crate::http::extract::User;
use crate::http::extract::params::Params;
use crate::http::extract::scopes::WriteAccounts;
use crate::services::account_migration;
use crate::state::AppState;

/// `also_known_as_uris[]`: the actor URIs of the accounts this one may be moved from (none
/// clears them). Answers the credential account.
pub async fn alias(
    State(state): State<AppState>,
    auth: User<WriteAccounts>,
    params: Params,
) -> ApiResult<Json<CredentialAccount>> {
    let uris = params.list("also_known_as_uris");
    Ok(Json(
        account_migration::set_aliases(&state, auth.record(), auth.user(), &uris).await?,
    ))
}

/// `password` and `moved_to_uri`: 202 `{"message": "accepted"}`, as GoToSocial answers.
pub async fn move_account(
    State(state): State<AppState>,
    auth: User<WriteAccounts>,
    params: Params,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let password = params.str("password");
    let target = params.str("moved_to_uri");
    account_migration::move_to(
        &state,
        auth.record(),
        auth.user(),
        password.as_deref(),
        target.as_deref(),
    )
    .await?;
    Ok((StatusCode::ACCEPTED, Json(json!({"message": "accepted"}))))
}
