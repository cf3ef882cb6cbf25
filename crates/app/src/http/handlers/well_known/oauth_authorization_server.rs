//! `GET /.well-known/oauth-authorization-server` (RFC 8414, as Mastodon 4.4 fills it).

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::api_types::oauth::AuthServerMetadata;
use crate::domain::scopes;
use crate::state::AppState;

pub async fn show(State(state): State<AppState>) -> Response {
    let base = state.base_url();
    let body = AuthServerMetadata {
        issuer: format!("{base}/"),
        authorization_endpoint: format!("{base}/oauth/authorize"),
        token_endpoint: format!("{base}/oauth/token"),
        revocation_endpoint: format!("{base}/oauth/revoke"),
        userinfo_endpoint: format!("{base}/oauth/userinfo"),
        scopes_supported: scopes::SUPPORTED.to_vec(),
        response_types_supported: vec!["code"],
        response_modes_supported: vec!["query", "fragment", "form_post"],
        grant_types_supported: vec!["authorization_code", "client_credentials"],
        token_endpoint_auth_methods_supported: vec!["client_secret_basic", "client_secret_post"],
        code_challenge_methods_supported: vec!["S256"],
        service_documentation: "https://docs.joinmastodon.org/",
        app_registration_endpoint: format!("{base}/api/v1/apps"),
    };
    let mut response = Json(body).into_response();
    // Upstream caches the document for 15 minutes.
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=900"),
    );
    response
}
