//! `/admin` (the console's start page), `POST /admin/sign_out` and the stylesheet.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use minijinja::context;

use super::view::{self, STYLESHEET};
use super::{Console, ConsolePost};
use crate::domain::permissions::{MANAGE_REPORTS, MANAGE_USERS, VIEW_AUDIT_LOG};
use crate::error::ApiError;
use crate::http::handlers::oauth::web::{self, SESSION_COOKIE};
use crate::services::console::session;
use crate::state::AppState;

/// The sections the role opens; a role that opens none gets 403 (a plain user).
pub async fn home(State(state): State<AppState>, console: Console) -> Response {
    let s = console.staff.standing;
    if ![MANAGE_USERS, MANAGE_REPORTS, VIEW_AUDIT_LOG]
        .iter()
        .any(|bit| s.can(*bit))
    {
        return view::error_page(&state, Some(&console), &ApiError::not_allowed());
    }
    view::render(&state, &console, StatusCode::OK, "home.html", context! {})
}

/// Ends the web session and clears its cookie.
pub async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
    post: ConsolePost,
) -> Response {
    let secret = web::cookie(&headers, SESSION_COOKIE).unwrap_or_default();
    if let Err(e) = session::sign_out(&state, &secret).await {
        return view::error_page(&state, Some(&post.console), &e);
    }
    web::redirect("/admin", &[web::set_cookie(&state, SESSION_COOKIE, "", 0)])
}

pub async fn stylesheet() -> Response {
    let mut response = STYLESHEET.into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    response
}
