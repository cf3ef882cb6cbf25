//! Cross-origin access as upstream allows it (mastodon config/initializers/cors.rb), so
//! browser clients on their own origin (Elk, Phanpy) can use the API: any origin, no
//! credentials (tokens travel in `Authorization`), any request header, preflight cached for
//! two hours (rack-cors' default). The layers sit outside the API middleware: a preflight
//! needs no token and counts toward no rate limit.

use std::time::Duration;

use axum::http::{HeaderName, Method};
use tower_http::cors::{AllowHeaders, Any, CorsLayer};

const MAX_AGE: Duration = Duration::from_secs(2 * 60 * 60);

fn base(methods: &[Method]) -> CorsLayer {
    CorsLayer::new()
        .allow_origin(Any)
        // `Access-Control-Allow-Headers: *` does not cover `Authorization`: mirror the request.
        .allow_headers(AllowHeaders::mirror_request())
        .allow_methods(methods.to_vec())
        .max_age(MAX_AGE)
}

/// `/api/*` (and `/oauth/userinfo`, which lives with the API routes).
pub fn api() -> CorsLayer {
    base(&[
        Method::POST,
        Method::PUT,
        Method::DELETE,
        Method::GET,
        Method::PATCH,
        Method::OPTIONS,
    ])
    .expose_headers([
        HeaderName::from_static("link"),
        HeaderName::from_static("x-ratelimit-reset"),
        HeaderName::from_static("x-ratelimit-limit"),
        HeaderName::from_static("x-ratelimit-remaining"),
        HeaderName::from_static("x-request-id"),
    ])
}

/// `/oauth/token` and `/oauth/revoke`: the PKCE flow of a browser client.
pub fn oauth_post() -> CorsLayer {
    base(&[Method::POST])
}

/// `/.well-known/*`.
pub fn well_known() -> CorsLayer {
    base(&[Method::GET])
}
