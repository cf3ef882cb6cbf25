//! Every route answers with and without one trailing slash, for every method, as Rails
//! routes do (Mastodon.py asks for `/api/v1/instance/` and `/api/v1/reports/`).

use axum::http::Method;
use woolly_testkit::{TestApp, db_test};

#[db_test]
async fn routes_ignore_a_trailing_slash(app: TestApp) {
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    for path in [
        "/api/v1/instance/",
        "/api/v2/instance/",
        "/health/",
        "/.well-known/oauth-authorization-server/",
    ] {
        let r = app.get(path, None).await;
        assert_eq!(r.status, 200, "{path}: {}", r.text());
    }
    let r = app
        .get("/api/v1/accounts/verify_credentials/", Some(&alice.token))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["username"], "alice");
    let r = app
        .post(
            "/api/v1/reports/",
            Some(&alice.token),
            &[("account_id", &bob.account_id), ("comment", "spam")],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let r = app
        .form(
            Method::PATCH,
            "/api/v1/accounts/update_credentials/",
            Some(&alice.token),
            &[("display_name", "Alice")],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let list = app
        .post("/api/v1/lists/", Some(&alice.token), &[("title", "L")])
        .await
        .json();
    let id = list["id"].as_str().unwrap_or_default().to_owned();
    let r = app
        .form(
            Method::PUT,
            &format!("/api/v1/lists/{id}/"),
            Some(&alice.token),
            &[("title", "M")],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let r = app
        .delete(&format!("/api/v1/lists/{id}/"), Some(&alice.token))
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    // a query string survives the trim
    let r = app
        .get(
            &format!("/api/v1/accounts/relationships/?id[]={}", bob.account_id),
            Some(&alice.token),
        )
        .await;
    assert_eq!(r.json()[0]["id"], bob.account_id.as_str());
    // unknown paths are still 404, with or without the slash
    assert_eq!(app.get("/api/v1/nothing/", None).await.status, 404);
}
