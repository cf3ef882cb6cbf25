//! `POST /api/v1/accounts/alias` and `POST /api/v1/accounts/move` (GoToSocial's client API
//! for upstream Mastodon's account migration): the alias lands in the actor's
//! `alsoKnownAs`; a move needs the password, a target that lists the account, and 30 days
//! since the last move; then the account shows `moved`, its actor `movedTo`, and its local
//! followers, blocks and mutes carry over to the target.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use axum::body::Body;
use axum::http::Request;
use woolly_testkit::{Fixture, TestApp, TestResponse, db_test};

/// The actor URI of a local user (its profile URL is `<base>/@name`).
async fn uri_of(app: &TestApp, who: &Fixture) -> String {
    let r = app.verify_credentials(&who.token).await.json();
    let url = r["url"].as_str().expect("url");
    url.replace("/@", "/users/")
}

async fn actor(app: &TestApp, username: &str) -> serde_json::Value {
    app.send(
        Request::builder()
            .uri(format!("/users/{username}"))
            .header("accept", "application/activity+json")
            .body(Body::empty())
            .expect("request"),
    )
    .await
    .json()
}

async fn move_to(app: &TestApp, who: &Fixture, password: &str, target: &str) -> TestResponse {
    app.post(
        "/api/v1/accounts/move",
        Some(&who.token),
        &[("password", password), ("moved_to_uri", target)],
    )
    .await
}

async fn alias(app: &TestApp, who: &Fixture, uris: &[&str]) -> TestResponse {
    let pairs: Vec<(&str, &str)> = uris.iter().map(|u| ("also_known_as_uris[]", *u)).collect();
    app.post("/api/v1/accounts/alias", Some(&who.token), &pairs)
        .await
}

#[db_test]
async fn aliases_are_the_actors_also_known_as(app: TestApp) {
    let old = app.user("old").await;
    let new = app.user("new").await;
    let old_uri = uri_of(&app, &old).await;
    let new_uri = uri_of(&app, &new).await;

    let r = alias(&app, &new, &[&old_uri, "https://elsewhere.example/users/x"]).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["id"], new.account_id);
    assert_eq!(
        actor(&app, "new").await["alsoKnownAs"],
        serde_json::json!([old_uri, "https://elsewhere.example/users/x"])
    );

    let r = alias(&app, &new, &["not a uri"]).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.error(), "Validation failed: Also known as is invalid");
    let r = alias(&app, &new, &[&new_uri]).await;
    assert_eq!(r.status, 422);
    assert_eq!(
        r.error(),
        "Validation failed: Handle of the old account can't be current account"
    );
    // unchanged by the refused requests; an empty list clears them
    assert_eq!(actor(&app, "new").await["alsoKnownAs"][0], old_uri);
    let r = alias(&app, &new, &[]).await;
    assert_eq!(r.status, 200);
    assert!(actor(&app, "new").await.get("alsoKnownAs").is_none());
    // no token: 401
    let r = app
        .post(
            "/api/v1/accounts/alias",
            None,
            &[("also_known_as_uris[]", "x")],
        )
        .await;
    assert_eq!(r.status, 401);
}

#[db_test]
async fn a_move_needs_password_alias_and_no_cooldown(app: TestApp) {
    let old = app.user("old").await;
    let new = app.user("new").await;
    let other = app.user("other").await;
    let fan = app.user("fan").await;
    let hater = app.user("hater").await;
    let old_uri = uri_of(&app, &old).await;
    let new_uri = uri_of(&app, &new).await;
    let other_uri = uri_of(&app, &other).await;
    app.post(
        &format!("/api/v1/accounts/{}/follow", old.account_id),
        Some(&fan.token),
        &[],
    )
    .await;
    app.post(
        &format!("/api/v1/accounts/{}/block", old.account_id),
        Some(&hater.token),
        &[],
    )
    .await;
    alias(&app, &new, &[&old_uri]).await;

    let r = move_to(&app, &old, "wrong-password", &new_uri).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.error(), "Validation failed: Current password is invalid");
    let r = move_to(&app, &old, "password123", &other_uri).await;
    assert_eq!(r.status, 422);
    assert_eq!(
        r.error(),
        "Validation failed: Handle of the new account is not an alias of this account"
    );
    let r = move_to(&app, &old, "password123", &old_uri).await;
    assert_eq!(r.status, 422);
    let r = move_to(&app, &old, "password123", "https://127.0.0.1/users/nobody").await;
    assert_eq!(r.status, 422);
    assert_eq!(
        r.error(),
        "Validation failed: Handle of the new account could not be found"
    );
    // nothing changed
    let shown = app
        .get(&format!("/api/v1/accounts/{}", old.account_id), None)
        .await
        .json();
    assert!(shown.get("moved").is_none(), "{shown}");

    let r = move_to(&app, &old, "password123", &new_uri).await;
    assert_eq!(r.status, 202, "{}", r.text());
    assert_eq!(r.json(), serde_json::json!({"message": "accepted"}));
    let shown = app
        .get(&format!("/api/v1/accounts/{}", old.account_id), None)
        .await
        .json();
    assert_eq!(shown["moved"]["id"], new.account_id, "{shown}");
    assert_eq!(actor(&app, "old").await["movedTo"], new_uri);
    // the follower follows the new account; the block carried over
    let rel = &app.relationships(&fan.token, &new.account_id).await[0];
    assert_eq!(rel["following"], true, "{rel}");
    let rel = &app.relationships(&fan.token, &old.account_id).await[0];
    assert_eq!(rel["following"], false, "{rel}");
    let rel = &app.relationships(&hater.token, &new.account_id).await[0];
    assert_eq!(rel["blocking"], true, "{rel}");
    // a moved account's login is disabled, as upstream
    let r = move_to(&app, &old, "password123", &new_uri).await;
    assert_eq!(r.status, 403);

    // redirect cancelled (as upstream's settings allow): the cooldown still holds
    app.sql(&format!(
        "UPDATE accounts SET moved_to_account_id = NULL WHERE id = {}",
        old.account_id
    ))
    .await;
    let r = move_to(&app, &old, "password123", &new_uri).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.error(), "Validation failed: You are on cooldown");
    // 31 days later it may move again
    app.sql(&format!(
        "UPDATE account_migrations SET created_at = created_at - {} WHERE account_id = {}",
        31_i64 * 24 * 3600 * 1000,
        old.account_id
    ))
    .await;
    let r = move_to(&app, &old, "password123", &new_uri).await;
    assert_eq!(r.status, 202, "{}", r.text());
}
