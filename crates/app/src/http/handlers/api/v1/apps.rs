//! `POST /api/v1/apps` and `GET /api/v1/apps/verify_credentials`

use axum::Json;
use axum::extract::State;

use crate::api_types::{Application, CredentialApplication};
use crate::error::ApiResult;
use crate::http::extract::TokenAuth;
use crate::http::extract::params::Params;
use crate::http::extract::scopes::AnyScope;
use crate::services::oauth::apps::{self, NewApp};
use crate::state::AppState;

pub async fn create(
    State(state): State<AppState>,
    params: Params,
) -> ApiResult<Json<CredentialApplication>> {
    // A string of URIs, or an array of them (joined as upstream does).
    let redirect_uris = match params.str("redirect_uris") {
        Some(s) => s,
        None => params.list("redirect_uris").join("\n"),
    };
    let app = NewApp {
        name: params.str("client_name").unwrap_or_default(),
        redirect_uris,
        // An array is not a permitted parameter upstream: it is dropped (default scope).
        scopes: params.str("scopes"),
        website: params.str("website"),
    };
    Ok(Json(apps::register(&state, app).await?))
}

pub async fn verify_credentials(
    State(state): State<AppState>,
    auth: TokenAuth<AnyScope>,
) -> ApiResult<Json<Application>> {
    Ok(Json(
        apps::of_token(&state, auth.0.token.application_id).await?,
    ))
}
