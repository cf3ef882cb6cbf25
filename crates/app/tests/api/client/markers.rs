//! `/api/v1/markers`: saving, versions, reading, errors, scopes.

use axum::http::Method;
use serde_json::json;
use woolly_testkit::{TestApp, TestResponse, db_test};

/// `POST /api/v1/markers` as `token`.
async fn save(app: &TestApp, token: &str, pairs: &[(&str, &str)]) -> TestResponse {
    app.post("/api/v1/markers", Some(token), pairs).await
}

/// `GET /api/v1/markers?timeline[]=home` as `token`.
async fn home_marker(app: &TestApp, token: &str) -> TestResponse {
    app.get("/api/v1/markers?timeline[]=home", Some(token))
        .await
}

#[db_test]
async fn markers_are_saved_and_versioned(app: TestApp) {
    let alice = app.user("alice").await;
    assert_eq!(home_marker(&app, &alice.token).await.json(), json!({}));
    let r = save(&app, &alice.token, &[("home[last_read_id]", "105")]).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let m = r.json();
    assert_eq!(m["home"]["last_read_id"], "105");
    assert_eq!(m["home"]["version"], 0);
    assert!(
        m["home"]["updated_at"]
            .as_str()
            .unwrap_or_default()
            .ends_with('Z')
    );
    assert!(m.get("notifications").is_none());
    // a move bumps the version; the same position again does not
    let m = app
        .post(
            "/api/v1/markers",
            Some(&alice.token),
            &[
                ("home[last_read_id]", "110"),
                ("notifications[last_read_id]", "7"),
            ],
        )
        .await
        .json();
    assert_eq!(m["home"]["last_read_id"], "110");
    assert_eq!(m["home"]["version"], 1);
    assert_eq!(m["notifications"]["last_read_id"], "7");
    assert_eq!(m["notifications"]["version"], 0);
    let m = app
        .json_request(
            Method::POST,
            "/api/v1/markers",
            Some(&alice.token),
            &json!({"home": {"last_read_id": 110}}),
        )
        .await
        .json();
    assert_eq!(m["home"]["version"], 1);
    // reading: only the asked timelines, unknown names ignored
    let m = app
        .get(
            "/api/v1/markers?timeline[]=home&timeline[]=notifications&timeline[]=public",
            Some(&alice.token),
        )
        .await
        .json();
    assert_eq!(m["home"]["last_read_id"], "110");
    assert_eq!(m["notifications"]["last_read_id"], "7");
    assert_eq!(m.as_object().map(|o| o.len()), Some(2));
    let m = app
        .get("/api/v1/markers?timeline=notifications", Some(&alice.token))
        .await
        .json();
    assert_eq!(m.as_object().map(|o| o.len()), Some(1));
    assert_eq!(
        app.get("/api/v1/markers", Some(&alice.token)).await.json(),
        json!({})
    );
    // markers are the user's own
    let bob = app.user("bob").await;
    assert_eq!(home_marker(&app, &bob.token).await.json(), json!({}));
}

#[db_test]
async fn marker_errors_and_scopes(app: TestApp) {
    let alice = app.user("alice").await;
    // a new marker needs an id
    let r = save(&app, &alice.token, &[("home[last_read_id]", "")]).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.error(), "Validation failed: Last read can't be blank");
    let r = save(&app, &alice.token, &[("home[other]", "1")]).await;
    assert_eq!(r.status, 422);
    // the transaction is all or nothing
    let r = app
        .post(
            "/api/v1/markers",
            Some(&alice.token),
            &[
                ("home[last_read_id]", "5"),
                ("notifications[last_read_id]", " "),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(home_marker(&app, &alice.token).await.json(), json!({}));
    // a scalar timeline is dropped; nothing to save answers {}
    let r = save(&app, &alice.token, &[("home", "5")]).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json(), json!({}));
    // an existing marker given no id stays as it is
    save(&app, &alice.token, &[("home[last_read_id]", "5")]).await;
    let r = save(&app, &alice.token, &[("home[last_read_id]", "")]).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["home"]["last_read_id"], "5");
    // scopes
    assert_eq!(app.get("/api/v1/markers", None).await.status, 401);
    let reader = app.user_with("reader", None, "read:statuses").await;
    assert_eq!(home_marker(&app, &reader.token).await.status, 200);
    assert_eq!(
        save(&app, &reader.token, &[("home[last_read_id]", "1")])
            .await
            .status,
        403
    );
    let writer = app.user_with("writer", None, "write:statuses").await;
    assert_eq!(
        save(&app, &writer.token, &[("home[last_read_id]", "1")])
            .await
            .status,
        200
    );
    assert_eq!(
        app.get("/api/v1/markers", Some(&writer.token)).await.status,
        403
    );
}
