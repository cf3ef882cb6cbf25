//! Runs on every `/api` request: resolves the token once (extractors reuse it), applies
//! upstream's throttles, and sets `Vary`, `Cache-Control` and `X-RateLimit-*` headers.

use std::net::IpAddr;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::domain::time;
use crate::error::ApiError;
use crate::http::extract::ClientIp;
use crate::http::extract::auth::token_from_parts;
use crate::ratelimit::Hit;
use crate::ratelimit::throttles::{self, Throttle};
use crate::services::viewer::{self, TokenLookup};
use crate::state::AppState;

/// Groups IPv6 clients by /64 as upstream does.
fn ip_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

fn is_paging(query: Option<&str>) -> bool {
    query.is_some_and(|q| {
        url::form_urlencoded::parse(q.as_bytes())
            .any(|(k, _)| matches!(k.as_ref(), "page" | "min_id" | "max_id" | "since_id"))
    })
}

/// The throttles that apply to a request, each with its key.
fn throttles_for(
    method: &Method,
    path: &str,
    query: Option<&str>,
    lookup: &TokenLookup,
    ip: IpAddr,
) -> Vec<(Throttle, String)> {
    let mut out = Vec::new();
    let ipk = ip_key(ip);
    let user_id = match lookup {
        TokenLookup::Found(v) => v.user.as_ref().map(|u| u.id),
        _ => None,
    };
    if let TokenLookup::Found(v) = lookup {
        out.push((throttles::PER_TOKEN_API, v.token.id.to_string()));
    }
    match user_id {
        Some(uid) => {
            out.push((throttles::AUTHENTICATED_API, uid.to_string()));
            if is_paging(query) {
                out.push((throttles::AUTHENTICATED_PAGING, uid.to_string()));
            }
        }
        None => {
            out.push((throttles::UNAUTHENTICATED_API, ipk.clone()));
            if is_paging(query) {
                out.push((throttles::UNAUTHENTICATED_PAGING, ipk.clone()));
            }
        }
    }
    if method == Method::POST && path == "/api/v1/accounts" {
        out.push((throttles::API_SIGN_UP, ipk.clone()));
    }
    if method == Method::POST && path == "/api/v1/apps" {
        out.push((throttles::APP_REGISTRATIONS, ipk.clone()));
    }
    if method == Method::POST && path == "/api/v1/emails/confirmations" {
        out.push((throttles::EMAIL_CONFIRMATIONS_IP, ipk.clone()));
        if let Some(uid) = user_id {
            out.push((throttles::EMAIL_CONFIRMATIONS_USER, uid.to_string()));
        }
    }
    let is_delete = (method == Method::DELETE && path.starts_with("/api/v1/statuses/"))
        || (method == Method::POST
            && path.starts_with("/api/v1/statuses/")
            && path.ends_with("/unreblog"));
    if is_delete && let Some(uid) = user_id {
        out.push((throttles::API_DELETE, uid.to_string()));
    }
    if method == Method::POST
        && (path == "/api/v1/media" || path == "/api/v2/media")
        && let Some(uid) = user_id
    {
        out.push((throttles::API_MEDIA, uid.to_string()));
    }
    out
}

/// Writes `X-RateLimit-*` from the hit with the least remaining.
pub fn set_rate_limit_headers(headers: &mut HeaderMap, hit: &Hit) {
    let pairs = [
        ("x-ratelimit-limit", hit.limit.to_string()),
        ("x-ratelimit-remaining", hit.remaining().to_string()),
        ("x-ratelimit-reset", time::iso8601_micros(hit.reset_at_ms)),
    ];
    for (name, value) in pairs {
        if let Ok(v) = HeaderValue::from_str(&value) {
            headers.insert(name, v);
        }
    }
}

pub async fn api_layer(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    let ip = ClientIp::of(&parts, state.trusted_proxies());
    let token = token_from_parts(&parts);
    let lookup = match viewer::resolve(&state, token.as_deref(), Some(ip)).await {
        Ok(l) => l,
        Err(e) => return e.into_response(),
    };
    parts.extensions.insert(lookup.clone());
    let had_authorization = parts.headers.contains_key(header::AUTHORIZATION);

    let mut tightest: Option<Hit> = None;
    if state.config().rate_limits {
        let now = time::now();
        let multiplier = state.config().rate_limit_multiplier.max(1);
        for (throttle, key) in throttles_for(
            &parts.method,
            parts.uri.path(),
            parts.uri.query(),
            &lookup,
            ip,
        ) {
            let full_key = format!("{}:{key}", throttle.name);
            let hit = match state
                .limiter()
                .hit(
                    &full_key,
                    throttle.limit.saturating_mul(multiplier),
                    throttle.period_secs,
                    now,
                )
                .await
            {
                Ok(h) => h,
                Err(e) => return ApiError::internal(e).into_response(),
            };
            if hit.exceeded() {
                state.metrics().count_rate_limited(throttle.name);
                let mut response = ApiError::TooManyRequests.into_response();
                set_rate_limit_headers(
                    response.headers_mut(),
                    &Hit {
                        count: hit.limit,
                        ..hit
                    },
                );
                return response;
            }
            if tightest.is_none_or(|t| hit.remaining() < t.remaining()) {
                tightest = Some(hit);
            }
        }
    }

    // Handlers that override the headers with an app-level family (follows) compare with it.
    if let Some(hit) = tightest {
        parts.extensions.insert(hit);
    }
    let mut response = next.run(Request::from_parts(parts, body)).await;
    let keep_cache_control = response.extensions().get::<KeepCacheControl>().is_some();
    let headers = response.headers_mut();
    if let Some(hit) = tightest
        && !headers.contains_key("x-ratelimit-limit")
    {
        set_rate_limit_headers(headers, &hit);
    }
    headers.insert(
        header::VARY,
        HeaderValue::from_static("Authorization, Origin"),
    );
    if (had_authorization && !keep_cache_control) || !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
    }
    response
}

/// A response extension: the handler's `Cache-Control` stands even for authorized requests
/// (Doorkeeper's token responses send `no-store, no-cache`).
#[derive(Debug, Clone, Copy)]
pub struct KeepCacheControl;

/// Handlers of endpoints that are cacheable when anonymous call this on their response.
pub fn public_cache(headers: &mut HeaderMap) {
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(
            "public, max-age=15, stale-while-revalidate=30, stale-if-error=86400",
        ),
    );
}
