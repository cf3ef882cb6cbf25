//! `POST /oauth/sign_in`: the sign-in form of the authorization pages.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::pages::{self, SignInPage};
use super::web::{self, CSRF_FIELD, SESSION_COOKIE};
use crate::http::extract::ClientIp;
use crate::http::extract::params::Params;
use crate::services::oauth::sessions::{self, SESSION_TTL_MS, SignInError};
use crate::state::AppState;

/// Only the authorization pages and the moderation console are places to return to (no
/// open redirect).
fn safe_return_to(to: Option<String>) -> String {
    match to {
        Some(t)
            if (t.starts_with("/oauth/authorize?")
                || t.starts_with("/oauth/authorize/native?")
                || t == "/admin"
                || t.starts_with("/admin/")
                || t.starts_with("/admin?"))
                && !t.contains(['\r', '\n', '\\']) =>
        {
            t
        }
        _ => "/oauth/authorize".to_owned(),
    }
}

pub async fn create(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    params: Params,
) -> Response {
    let to = safe_return_to(params.str("return_to"));
    if !web::csrf_ok(&headers, params.str(CSRF_FIELD).as_deref()) {
        let e = crate::api_types::oauth::OAuthError::invalid_request();
        return pages::error(&state, StatusCode::UNPROCESSABLE_ENTITY, &e);
    }
    let email = params.str("email").unwrap_or_default();
    let password = params.str("password").unwrap_or_default();
    match sessions::sign_in(&state, &email, &password, ip).await {
        Ok(secret) => {
            let cookie = web::set_cookie(&state, SESSION_COOKIE, &secret, SESSION_TTL_MS / 1000);
            web::redirect(&to, &[cookie])
        }
        Err(SignInError::Refused(refusal)) => {
            let page = SignInPage {
                return_to: &to,
                app_name: None,
                email: &email,
                error: Some(refusal.message()),
            };
            let status = match refusal {
                sessions::SignInRefusal::Throttled => StatusCode::TOO_MANY_REQUESTS,
                _ => StatusCode::UNAUTHORIZED,
            };
            pages::sign_in(&state, &headers, status, &page)
        }
        Err(SignInError::Internal(e)) => e.into_response(),
    }
}
