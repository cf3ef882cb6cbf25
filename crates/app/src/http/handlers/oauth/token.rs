//! `POST /oauth/token`

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};

use super::{client_credentials, failure, no_store};
use crate::http::extract::params::Params;
use crate::services::oauth::tokens::{self, TokenRequest};
use crate::state::AppState;

pub async fn create(State(state): State<AppState>, headers: HeaderMap, params: Params) -> Response {
    let request = TokenRequest {
        grant_type: params.str("grant_type"),
        client: client_credentials(&headers, &params),
        code: params.str("code"),
        redirect_uri: params.str("redirect_uri"),
        code_verifier: params.str("code_verifier"),
        scope: params.str("scope"),
    };
    match tokens::exchange(&state, request).await {
        Ok(token) => {
            let mut response = Json(token).into_response();
            no_store(response.headers_mut());
            response
        }
        Err(f) => failure(f, true),
    }
}
