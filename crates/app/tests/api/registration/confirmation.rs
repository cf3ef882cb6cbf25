//! The confirmation link (`GET /auth/confirmation`) and resending it
//! (`POST /api/v1/emails/confirmations`).
#![allow(clippy::unwrap_used, clippy::panic)]

use serde_json::json;
use woolly::db::repo::users;
use woolly::domain::{secrets, time};
use woolly::services::operator::{self, CreateAccount};
use woolly_testkit::{TestApp, db_test};

use crate::registration::{app_token, confirmation_token, valid_form, visit_confirmation};

/// Signs `username` up through a fresh app; returns the user's token.
async fn signed_up(app: &TestApp, username: &str, email: &str) -> String {
    let token = app_token(app, "read write", "write").await;
    let res = app
        .post(
            "/api/v1/accounts",
            Some(&token),
            &valid_form(username, email),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    res.json()["access_token"].as_str().unwrap().to_owned()
}

#[db_test]
async fn unknown_token_is_an_error_page_and_changes_nothing(app: TestApp) {
    signed_up(&app, "pending", "pending@example.org").await;
    for path in [
        "/auth/confirmation?confirmation_token=nope",
        "/auth/confirmation",
    ] {
        let res = app.get(path, None).await;
        assert_eq!(res.status, 404);
        assert!(
            res.header("content-type")
                .unwrap_or_default()
                .starts_with("text/html")
        );
        assert!(res.text().contains("Confirmation token is invalid."));
    }
    let user = operator::find_user(&app.state, "pending").await.unwrap();
    assert!(user.confirmed_at.is_none());
}

#[db_test]
async fn expired_token_is_refused(app: TestApp) {
    signed_up(&app, "slow", "slow@example.org").await;
    let token = confirmation_token(&app, "slow@example.org").await;
    let user = operator::find_user(&app.state, "slow").await.unwrap();
    let three_days_ago = time::now() - 3 * 24 * 3600 * 1000;
    app.sql_with(
        &format!("UPDATE users SET confirmation_sent_at = {three_days_ago} WHERE id = $1"),
        &[user.id],
    )
    .await;
    let res = visit_confirmation(&app, &token).await;
    assert_eq!(res.status, 422);
    assert!(res.text().contains("within 2 days"));
    let user = operator::find_user(&app.state, "slow").await.unwrap();
    assert!(user.confirmed_at.is_none());
}

#[db_test]
async fn confirming_on_an_open_server_approves(app: TestApp) {
    operator::create_account(
        &app.state,
        CreateAccount {
            username: "waiting".into(),
            email: "waiting@example.org".into(),
            role: None,
            confirmed: false,
            approved: false,
            password: Some("password123".into()),
        },
    )
    .await
    .unwrap();
    let user = operator::find_user(&app.state, "waiting").await.unwrap();
    let token = secrets::random_token().unwrap();
    {
        let mut conn = app.state.db().conn().await.unwrap();
        users::set_confirmation_token(
            &mut conn.exec(),
            user.id,
            &secrets::digest(&token),
            time::now(),
        )
        .await
        .unwrap();
    }
    let res = visit_confirmation(&app, &token).await;
    assert_eq!(res.status, 200);
    let user = operator::find_user(&app.state, "waiting").await.unwrap();
    assert!(user.confirmed_at.is_some());
    assert!(user.approved);
}

#[db_test]
async fn resend_replaces_the_token(app: TestApp) {
    let user_token = signed_up(&app, "resender", "resender@example.org").await;
    let first = confirmation_token(&app, "resender@example.org").await;
    let res = app
        .post("/api/v1/emails/confirmations", Some(&user_token), &[])
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json(), json!({}));
    let mut second = None;
    for _ in 0..100 {
        second = app
            .confirmation_tokens("resender@example.org")
            .into_iter()
            .find(|t| *t != first);
        if second.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let second = second.unwrap();
    assert_ne!(first, second);
    assert_eq!(visit_confirmation(&app, &first).await.status, 404);
    assert_eq!(visit_confirmation(&app, &second).await.status, 200);

    // confirmed now: nothing to resend
    let res = app
        .post("/api/v1/emails/confirmations", Some(&user_token), &[])
        .await;
    assert_eq!(res.status, 403);
    assert_eq!(
        res.error(),
        "This method is only available while the e-mail is awaiting confirmation"
    );
}

#[db_test]
async fn resend_to_a_new_address(app: TestApp) {
    let user_token = signed_up(&app, "typo", "typo@exampel.org").await;
    let res = app
        .post(
            "/api/v1/emails/confirmations",
            Some(&user_token),
            &[("email", "not an email")],
        )
        .await;
    assert_eq!(res.status, 422);
    assert_eq!(
        res.json(),
        json!({"error": "Validation failed: E-mail address is invalid"})
    );

    let res = app
        .post(
            "/api/v1/emails/confirmations",
            Some(&user_token),
            &[("email", " Fixed@Example.org ")],
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let token = confirmation_token(&app, "fixed@example.org").await;
    assert_eq!(visit_confirmation(&app, &token).await.status, 200);
    let user = operator::find_user(&app.state, "typo").await.unwrap();
    assert_eq!(user.email, "fixed@example.org");
    assert!(user.confirmed_at.is_some());
}

const NOT_THE_SIGN_UP_APP: &str =
    "This method is only available to the application the user originally signed-up with";

#[db_test]
async fn resend_needs_the_signing_up_app_and_write_scope(app: TestApp) {
    let alice = app.user("alice").await;
    let res = app
        .post("/api/v1/emails/confirmations", Some(&alice.token), &[])
        .await;
    assert_eq!(res.status, 403);
    assert_eq!(res.error(), NOT_THE_SIGN_UP_APP);

    let app_only = app_token(&app, "read write", "write").await;
    let res = app
        .post("/api/v1/emails/confirmations", Some(&app_only), &[])
        .await;
    assert_eq!(res.status, 403);
    assert_eq!(res.error(), NOT_THE_SIGN_UP_APP);

    let reader = app.user_with("reader", None, "read").await;
    let res = app
        .post("/api/v1/emails/confirmations", Some(&reader.token), &[])
        .await;
    assert_eq!(res.status, 403);
    assert_eq!(res.error(), "This action is outside the authorized scopes");

    assert_eq!(
        app.post("/api/v1/emails/confirmations", None, &[])
            .await
            .status,
        401
    );
}

#[db_test]
async fn resending_is_throttled_per_user(app: TestApp) {
    let user_token = signed_up(&app, "eager", "eager@example.org").await;
    for i in 0..5 {
        let res = app
            .post("/api/v1/emails/confirmations", Some(&user_token), &[])
            .await;
        assert_eq!(res.status, 200, "{}", res.text());
        assert_eq!(
            res.header("x-ratelimit-remaining"),
            Some((4 - i).to_string())
        );
    }
    let res = app
        .post("/api/v1/emails/confirmations", Some(&user_token), &[])
        .await;
    assert_eq!(res.status, 429);
    assert_eq!(res.error(), "Too many requests");
    assert_eq!(res.header("x-ratelimit-limit").as_deref(), Some("5"));
}

#[db_test]
async fn check_confirmation_answers_a_boolean(app: TestApp) {
    let user_token = signed_up(&app, "checker", "checker@example.org").await;
    let res = app
        .get("/api/v1/emails/check_confirmation", Some(&user_token))
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(res.json(), json!(false));
    let token = confirmation_token(&app, "checker@example.org").await;
    assert_eq!(visit_confirmation(&app, &token).await.status, 200);
    assert_eq!(
        app.get("/api/v1/emails/check_confirmation", Some(&user_token))
            .await
            .json(),
        json!(true)
    );
    assert_eq!(
        app.get("/api/v1/emails/check_confirmation", None)
            .await
            .status,
        422
    );
}
