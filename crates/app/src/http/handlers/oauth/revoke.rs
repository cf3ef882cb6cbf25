//! `POST /oauth/revoke` (RFC 7009)

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};

use super::{client_credentials, failure};
use crate::http::extract::params::Params;
use crate::services::oauth::tokens;
use crate::state::AppState;

pub async fn create(State(state): State<AppState>, headers: HeaderMap, params: Params) -> Response {
    let client = client_credentials(&headers, &params);
    match tokens::revoke(&state, &client, params.str("token").as_deref()).await {
        Ok(()) => Json(serde_json::json!({})).into_response(),
        Err(f) => failure(f, false),
    }
}
