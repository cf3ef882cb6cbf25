//! `/oauth/authorize`: GET shows sign-in or consent, POST approves, DELETE (or the deny form)
//! refuses; `/oauth/authorize/native` shows an out-of-band code.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::pages::{self, SignInPage};
use super::web::{self, CSRF_FIELD, SESSION_COOKIE};
use crate::error::ApiError;
use crate::http::extract::params::Params;
use crate::services::oauth::authorize::{self, AuthorizeParams, PreAuth, Refusal};
use crate::services::oauth::sessions::{self, SignedIn};
use crate::state::AppState;

const FIELDS: &[&str] = &[
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "code_challenge",
    "code_challenge_method",
];

fn authorize_params(p: &Params) -> AuthorizeParams {
    AuthorizeParams {
        response_type: p.str("response_type"),
        client_id: p.str("client_id"),
        redirect_uri: p.str("redirect_uri"),
        scope: p.str("scope"),
        state: p.str("state"),
        code_challenge: p.str("code_challenge"),
        code_challenge_method: p.str("code_challenge_method"),
    }
}

/// `/oauth/authorize?…` with the request's parameters: where sign-in returns to.
fn return_to(p: &Params) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    for key in FIELDS.iter().copied().chain(["force_login"]) {
        if let Some(v) = p.str(key) {
            query.append_pair(key, &v);
        }
    }
    format!("/oauth/authorize?{}", query.finish())
}

fn refused(state: &AppState, r: Refusal) -> Response {
    match r {
        Refusal::Page(e) => pages::error(state, StatusCode::BAD_REQUEST, &e),
        Refusal::Redirect(location) => web::redirect(&location, &[]),
        Refusal::Internal(e) => e.into_response(),
    }
}

/// The signed-in browser, if any.
pub async fn signed_in(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<SignedIn>, ApiError> {
    match web::cookie(headers, SESSION_COOKIE) {
        Some(secret) => sessions::current_user(state, &secret).await,
        None => Ok(None),
    }
}

fn sign_in_page(
    state: &AppState,
    headers: &HeaderMap,
    status: StatusCode,
    to: &str,
    app: Option<&str>,
) -> Response {
    let page = SignInPage {
        return_to: to,
        app_name: app,
        email: "",
        error: None,
    };
    pages::sign_in(state, headers, status, &page)
}

/// 422 for a form without a matching CSRF token (Rails' InvalidAuthenticityToken).
fn csrf_refused(state: &AppState) -> Response {
    let e = crate::api_types::oauth::OAuthError::invalid_request();
    pages::error(state, StatusCode::UNPROCESSABLE_ENTITY, &e)
}

pub async fn show(State(state): State<AppState>, headers: HeaderMap, params: Params) -> Response {
    let pre = match authorize::pre_authorize(&state, &authorize_params(&params)).await {
        Ok(pre) => pre,
        Err(r) => return refused(&state, r),
    };
    let who = match signed_in(&state, &headers).await {
        Ok(Some(who)) => who,
        Ok(None) => {
            let to = return_to(&params);
            return sign_in_page(&state, &headers, StatusCode::OK, &to, Some(&pre.app.name));
        }
        Err(e) => return e.into_response(),
    };
    let force_login = params.bool("force_login").unwrap_or(false);
    match authorize::can_skip_consent(&state, &pre, who.user.id, force_login).await {
        Ok(true) => approve_now(&state, &pre, who.user.id).await,
        Ok(false) => pages::consent(&state, &headers, &pre, &who.account.account.username),
        Err(e) => e.into_response(),
    }
}

async fn approve_now(state: &AppState, pre: &PreAuth, user_id: i64) -> Response {
    match authorize::approve(state, pre, user_id).await {
        Ok(location) => web::redirect(&location, &[]),
        Err(e) => e.into_response(),
    }
}

/// The common checks of the consent forms: CSRF, a session, a valid request.
async fn consent_form(
    state: &AppState,
    headers: &HeaderMap,
    params: &Params,
) -> Result<(PreAuth, SignedIn), Response> {
    if !web::csrf_ok(headers, params.str(CSRF_FIELD).as_deref()) {
        return Err(csrf_refused(state));
    }
    let who = match signed_in(state, headers).await {
        Ok(Some(who)) => who,
        Ok(None) => {
            let to = return_to(params);
            return Err(sign_in_page(
                state,
                headers,
                StatusCode::UNAUTHORIZED,
                &to,
                None,
            ));
        }
        Err(e) => return Err(e.into_response()),
    };
    match authorize::pre_authorize(state, &authorize_params(params)).await {
        Ok(pre) => Ok((pre, who)),
        Err(r) => Err(refused(state, r)),
    }
}

/// POST: the user approved (or, with Rails' `_method=delete`, refused).
pub async fn approve(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: Params,
) -> Response {
    let refusing = params
        .str("_method")
        .is_some_and(|m| m.eq_ignore_ascii_case("delete"));
    match consent_form(&state, &headers, &params).await {
        Ok((pre, _)) if refusing => refused(&state, authorize::deny(&pre)),
        Ok((pre, who)) => approve_now(&state, &pre, who.user.id).await,
        Err(response) => response,
    }
}

/// DELETE (or POST to `/oauth/authorize/deny`): the user refused.
pub async fn deny(State(state): State<AppState>, headers: HeaderMap, params: Params) -> Response {
    match consent_form(&state, &headers, &params).await {
        Ok((pre, _)) => refused(&state, authorize::deny(&pre)),
        Err(response) => response,
    }
}

/// GET `/oauth/authorize/native?code=…`: the out-of-band code, for a signed-in browser.
pub async fn native(State(state): State<AppState>, headers: HeaderMap, params: Params) -> Response {
    match signed_in(&state, &headers).await {
        Ok(Some(_)) => pages::native(&state, &params.str("code").unwrap_or_default()),
        Ok(None) => {
            let mut q = url::form_urlencoded::Serializer::new(String::new());
            q.append_pair("code", &params.str("code").unwrap_or_default());
            let to = format!("/oauth/authorize/native?{}", q.finish());
            sign_in_page(&state, &headers, StatusCode::OK, &to, None)
        }
        Err(e) => e.into_response(),
    }
}
