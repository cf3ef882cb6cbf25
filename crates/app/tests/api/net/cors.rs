//! CORS as upstream answers it: `/api/*`, `/oauth/token`, `/oauth/revoke` and `/.well-known/*`
//! for any origin, without credentials; preflights need no token and cost no rate limit.

use axum::body::Body;
use axum::http::{Method, Request};
use woolly_testkit::{TestApp, TestResponse, db_test};

async fn preflight(app: &TestApp, path: &str, method: &str) -> TestResponse {
    let request = Request::builder()
        .method(Method::OPTIONS)
        .uri(path)
        .header("origin", "https://elk.zone")
        .header("access-control-request-method", method)
        .header(
            "access-control-request-headers",
            "authorization, content-type",
        )
        .body(Body::empty())
        .unwrap_or_else(|e| panic!("{e}"));
    app.send(request).await
}

async fn get_with_origin(app: &TestApp, path: &str, token: Option<&str>) -> TestResponse {
    let mut builder = Request::get(path).header("origin", "https://elk.zone");
    if let Some(t) = token {
        builder = builder.header("authorization", format!("Bearer {t}"));
    }
    app.send(
        builder
            .body(Body::empty())
            .unwrap_or_else(|e| panic!("{e}")),
    )
    .await
}

fn methods(res: &TestResponse) -> String {
    res.header("access-control-allow-methods")
        .unwrap_or_default()
}

#[db_test]
async fn api_preflight_answers_without_a_token(app: TestApp) {
    let res = preflight(&app, "/api/v1/accounts/verify_credentials", "GET").await;
    assert!(res.status.is_success(), "{}", res.status);
    assert_eq!(
        res.header("access-control-allow-origin").as_deref(),
        Some("*")
    );
    assert_eq!(res.header("access-control-allow-credentials"), None);
    for m in ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] {
        assert!(methods(&res).contains(m), "{}", methods(&res));
    }
    let allowed = res
        .header("access-control-allow-headers")
        .unwrap_or_default()
        .to_ascii_lowercase();
    assert!(
        allowed.contains("authorization") && allowed.contains("content-type"),
        "{allowed}"
    );
    assert_eq!(
        res.header("access-control-max-age").as_deref(),
        Some("7200")
    );
    // Not seen by the API middleware: no rate-limit headers, nothing counted.
    assert_eq!(res.header("x-ratelimit-limit"), None);
}

#[db_test]
async fn preflights_do_not_count_toward_rate_limits(app: TestApp) {
    for _ in 0..301 {
        let res = preflight(&app, "/api/v1/instance", "GET").await;
        assert!(res.status.is_success(), "{}", res.status);
    }
    let res = app.get("/api/v1/instance", None).await;
    assert_eq!(res.status, 200);
    assert_eq!(res.header("x-ratelimit-remaining").as_deref(), Some("299"));
}

#[db_test]
async fn api_responses_allow_any_origin_and_expose_upstream_headers(app: TestApp) {
    let alice = app.user("alice").await;
    let res = get_with_origin(
        &app,
        "/api/v1/accounts/verify_credentials",
        Some(&alice.token),
    )
    .await;
    assert_eq!(res.status, 200);
    assert_eq!(
        res.header("access-control-allow-origin").as_deref(),
        Some("*")
    );
    let exposed = res
        .header("access-control-expose-headers")
        .unwrap_or_default()
        .to_ascii_lowercase();
    for h in [
        "link",
        "x-ratelimit-reset",
        "x-ratelimit-limit",
        "x-ratelimit-remaining",
        "x-request-id",
    ] {
        assert!(exposed.contains(h), "{exposed}");
    }
    // Errors too, so the browser client can read them.
    let res = get_with_origin(&app, "/api/v1/accounts/verify_credentials", None).await;
    assert_eq!(res.status, 401);
    assert_eq!(
        res.header("access-control-allow-origin").as_deref(),
        Some("*")
    );
}

#[db_test]
async fn oauth_token_revoke_and_well_known_allow_cross_origin_calls(app: TestApp) {
    for path in ["/oauth/token", "/oauth/revoke"] {
        let res = preflight(&app, path, "POST").await;
        assert!(res.status.is_success(), "{path}: {}", res.status);
        assert_eq!(
            res.header("access-control-allow-origin").as_deref(),
            Some("*"),
            "{path}"
        );
        assert_eq!(methods(&res), "POST", "{path}");
    }
    let res = get_with_origin(&app, "/.well-known/oauth-authorization-server", None).await;
    assert_eq!(res.status, 200);
    assert_eq!(
        res.header("access-control-allow-origin").as_deref(),
        Some("*")
    );
}

#[db_test]
async fn pages_outside_the_api_get_no_cors_headers(app: TestApp) {
    let res = get_with_origin(
        &app,
        "/oauth/authorize?client_id=x&response_type=code&redirect_uri=urn:ietf:wg:oauth:2.0:oob",
        None,
    )
    .await;
    assert_eq!(res.header("access-control-allow-origin"), None);
    let res = preflight(&app, "/oauth/authorize", "POST").await;
    assert_eq!(res.header("access-control-allow-origin"), None);
    let res = get_with_origin(&app, "/health", None).await;
    assert_eq!(res.header("access-control-allow-origin"), None);
}
