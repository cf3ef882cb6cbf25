//! `/oauth/…`: the authorization pages, the token and revocation endpoints, userinfo.

pub mod authorize;
pub mod pages;
pub mod revoke;
pub mod scope_text;
pub mod sign_in;
pub mod token;
pub mod userinfo;
pub mod web;

use axum::Json;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::api_types::oauth::OAuthError;
use crate::http::extract::params::Params;
use crate::services::oauth::OAuthFailure;
use crate::services::oauth::clients::ClientCredentials;

/// Doorkeeper's JSON error with `Cache-Control: no-store` and `Pragma: no-cache`; the token
/// endpoint adds `WWW-Authenticate`.
pub fn oauth_error(e: &OAuthError, www_authenticate: bool) -> Response {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST);
    let mut response = (status, Json(e)).into_response();
    let h = response.headers_mut();
    no_store(h);
    if www_authenticate {
        let value = format!(
            "Bearer realm=\"Doorkeeper\", error=\"{}\", error_description=\"{}\"",
            e.error,
            e.error_description.replace('"', "_")
        );
        if let Ok(v) = HeaderValue::from_str(&value) {
            h.insert(header::WWW_AUTHENTICATE, v);
        }
    }
    response
}

pub fn failure(f: OAuthFailure, www_authenticate: bool) -> Response {
    match f {
        OAuthFailure::OAuth(e) => oauth_error(&e, www_authenticate),
        OAuthFailure::Api(e) => e.into_response(),
    }
}

/// `Cache-Control: no-store, no-cache` and `Pragma: no-cache`.
pub fn no_store(h: &mut HeaderMap) {
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-store, no-cache"),
    );
    h.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
}

/// Client credentials from HTTP Basic when sent, else from the parameters.
pub fn client_credentials(headers: &HeaderMap, params: &Params) -> ClientCredentials {
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let v = v.trim();
            (v.len() > 6 && v[..6].eq_ignore_ascii_case("basic ")).then(|| v[6..].trim())
        })
        .and_then(|b64| STANDARD.decode(b64).ok())
        .and_then(|raw| String::from_utf8(raw).ok())
        .and_then(|pair| {
            pair.split_once(':')
                .map(|(id, secret)| (decode(id), decode(secret)))
        });
    match basic {
        Some((id, secret)) => ClientCredentials {
            client_id: Some(id),
            client_secret: Some(secret),
        },
        None => ClientCredentials {
            client_id: params.str("client_id"),
            client_secret: params.str("client_secret"),
        },
    }
}

/// RFC 6749 §2.3.1: Basic credentials are form-encoded first.
fn decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={s}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}
