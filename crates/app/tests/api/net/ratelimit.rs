//! Upstream's API throttles: headers on every API response, 429 bodies and headers.

use woolly_testkit::{TestApp, db_test};

#[db_test]
async fn api_responses_carry_rate_limit_headers(app: TestApp) {
    let alice = app.user("alice").await;
    let res = app.verify_credentials(&alice.token).await;
    assert_eq!(res.header("x-ratelimit-limit").as_deref(), Some("300"));
    assert_eq!(res.header("x-ratelimit-remaining").as_deref(), Some("299"));
    let reset = res.header("x-ratelimit-reset").unwrap_or_default();
    assert_eq!(reset.len(), "2024-05-01T12:05:00.000000Z".len(), "{reset}");
    assert!(reset.ends_with("00.000000Z"), "{reset}");
    assert_eq!(res.header("vary").as_deref(), Some("Authorization, Origin"));
}

#[db_test]
async fn anonymous_requests_are_limited_per_ip(app: TestApp) {
    for _ in 0..300 {
        assert_eq!(app.get("/api/v1/instance", None).await.status, 200);
    }
    let res = app.get("/api/v1/instance", None).await;
    assert_eq!(res.status, 429);
    assert_eq!(res.error(), "Too many requests");
    assert_eq!(res.header("x-ratelimit-remaining").as_deref(), Some("0"));
    assert_eq!(res.header("x-ratelimit-limit").as_deref(), Some("300"));
}

#[db_test]
async fn deletes_are_limited_to_30_per_30_minutes(app: TestApp) {
    let alice = app.user("alice").await;
    for _ in 0..30 {
        let res = app.delete("/api/v1/statuses/1", Some(&alice.token)).await;
        assert_eq!(res.status, 404);
    }
    let res = app.delete("/api/v1/statuses/1", Some(&alice.token)).await;
    assert_eq!(res.status, 429);
    assert_eq!(res.header("x-ratelimit-limit").as_deref(), Some("30"));
}

#[db_test(config = |cfg| { cfg.rate_limits = false; })]
async fn limits_can_be_switched_off(app: TestApp) {
    let res = app.get("/api/v1/instance", None).await;
    assert_eq!(res.status, 200);
    assert!(res.header("x-ratelimit-limit").is_none());
}

#[db_test(config = |cfg| { cfg.rate_limit_multiplier = 4; })]
async fn the_multiplier_scales_every_api_throttle(app: TestApp) {
    let alice = app.user("alice").await;
    let res = app.verify_credentials(&alice.token).await;
    assert_eq!(res.header("x-ratelimit-limit").as_deref(), Some("1200"));
    assert_eq!(res.header("x-ratelimit-remaining").as_deref(), Some("1199"));
    let res = app.get("/api/v1/instance", None).await;
    assert_eq!(res.header("x-ratelimit-limit").as_deref(), Some("1200"));
}
