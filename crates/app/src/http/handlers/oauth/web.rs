//! Browser plumbing of the OAuth pages: cookies, the double-submit CSRF token, the session
//! cookie, redirects and HTML responses.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::domain::secrets;
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "_woolly_session";
pub const CSRF_COOKIE: &str = "_woolly_csrf";
/// The form field carrying the CSRF token (Rails' name).
pub const CSRF_FIELD: &str = "authenticity_token";

/// A cookie sent by the browser.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_owned())
}

/// `Set-Cookie` for an HttpOnly, SameSite=Lax cookie (Secure when served over HTTPS).
pub fn set_cookie(state: &AppState, name: &str, value: &str, max_age_secs: i64) -> String {
    let secure = if state.config().scheme == "https" {
        "; Secure"
    } else {
        ""
    };
    format!("{name}={value}; Path=/; Max-Age={max_age_secs}; HttpOnly; SameSite=Lax{secure}")
}

/// The page's CSRF token: the browser's cookie when it has a well-formed one, else a new
/// one (and the cookie to set).
pub fn csrf_token(state: &AppState, headers: &HeaderMap) -> (String, Option<String>) {
    if let Some(existing) = cookie(headers, CSRF_COOKIE).filter(|c| c.len() == 43) {
        return (existing, None);
    }
    let token = secrets::random_token().unwrap_or_default();
    let set = set_cookie(state, CSRF_COOKIE, &token, 14 * 24 * 3600);
    (token, Some(set))
}

/// Double-submit check: the form field equals the cookie (compared in constant time).
pub fn csrf_ok(headers: &HeaderMap, field: Option<&str>) -> bool {
    match (cookie(headers, CSRF_COOKIE), field) {
        (Some(c), Some(f)) if !c.is_empty() => secrets::matches_digest(f, &secrets::digest(&c)),
        _ => false,
    }
}

/// An HTML response with security headers and any cookies to set.
pub fn html(status: StatusCode, body: String, cookies: &[String]) -> Response {
    html_page(status, body, cookies, security_headers)
}

/// An HTML response with the security headers `secure` sets and any cookies to set.
pub fn html_page(
    status: StatusCode,
    body: String,
    cookies: &[String],
    secure: fn(&mut HeaderMap),
) -> Response {
    let mut response = (status, body).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    secure(h);
    add_cookies(h, cookies);
    response
}

/// A 302 redirect (what Rails' `redirect_to` sends).
pub fn redirect(location: &str, cookies: &[String]) -> Response {
    let mut response = StatusCode::FOUND.into_response();
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(location) {
        h.insert(header::LOCATION, v);
    }
    security_headers(h);
    add_cookies(h, cookies);
    response
}

fn add_cookies(h: &mut HeaderMap, cookies: &[String]) {
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(c) {
            h.append(header::SET_COOKIE, v);
        }
    }
}

fn security_headers(h: &mut HeaderMap) {
    private_page_headers(
        h,
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
        "no-referrer",
    );
}

/// The headers of a signed-in HTML page (sign-in, consent, console): never cached, never
/// framed, with the page's own content security and referrer policies.
pub fn private_page_headers(h: &mut HeaderMap, csp: &'static str, referrer: &'static str) {
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(csp),
    );
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static(referrer));
}
