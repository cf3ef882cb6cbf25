//! The sign-in form of the authorization pages: CSRF, refusals by user state, password
//! rehashing, sessions stored as digests, sign-in tracking and the return path.

use woolly_testkit::{TestApp, db_test};

use super::support::{Browser, REDIRECT, authorize_path, hidden, register, user_id};

async fn sign_in_page(app: &TestApp, browser: &mut Browser) -> String {
    let client = register(app, REDIRECT, "read").await;
    browser
        .get(app, &authorize_path(&client, REDIRECT, &[]))
        .await
        .text()
}

#[db_test]
async fn sign_in_without_or_with_a_forged_csrf_token_is_422(app: TestApp) {
    app.user("alice").await;
    let mut browser = Browser::default();
    let page = sign_in_page(&app, &mut browser).await;
    let to = hidden(&page, "return_to");
    for token in ["", "forged-token-forged-token-forged-token-000"] {
        let res = browser
            .sign_in_with(&app, token, &to, "alice@example.com", "password123")
            .await;
        assert_eq!(res.status, 422);
        assert!(res.header("location").is_none());
        assert!(browser.cookie("_woolly_session").is_none());
    }
    // The right token but no cookie (another site's form).
    let mut other = Browser::default();
    let res = other
        .sign_in_with(
            &app,
            &hidden(&page, "authenticity_token"),
            &to,
            "alice@example.com",
            "password123",
        )
        .await;
    assert_eq!(res.status, 422);
}

#[db_test]
async fn unknown_email_is_the_same_error_as_a_wrong_password(app: TestApp) {
    app.user("alice").await;
    let mut browser = Browser::default();
    let page = sign_in_page(&app, &mut browser).await;
    let res = browser
        .sign_in(&app, &page, "nobody@example.com", "password123")
        .await;
    assert_eq!(res.status, 401);
    let html = res.text();
    assert!(html.contains("role=\"alert\""));
    assert!(html.contains("Invalid E-mail address or password."));
    assert!(html.contains("aria-invalid=\"true\""));
}

#[db_test]
async fn an_unknown_email_costs_a_password_hash_too(app: TestApp) {
    app.user("alice").await;
    app.sql_with(
        "UPDATE users SET encrypted_password = '' WHERE id = $1",
        &[user_id(&app, "alice").await],
    )
    .await;
    app.user("bob").await;
    // unknown, without a password, wrong password: each runs one hash verification, so the
    // answer takes as long as for a registered e-mail
    for email in ["nobody@example.com", "alice@example.com", "bob@example.com"] {
        let mut browser = Browser::default();
        let page = sign_in_page(&app, &mut browser).await;
        let before = app.state.password_checks();
        let res = browser.sign_in(&app, &page, email, "wrong-password").await;
        assert_eq!(res.status, 401, "{email}");
        assert_eq!(app.state.password_checks(), before + 1, "{email}");
    }
}

#[db_test]
async fn users_who_cannot_sign_in_get_a_clear_message(app: TestApp) {
    app.user("alice").await;
    let uid = user_id(&app, "alice").await;
    let cases = [
        (
            "UPDATE users SET confirmed_at = NULL WHERE id = $1",
            "You have to confirm your email address before continuing.",
        ),
        (
            "UPDATE users SET confirmed_at = 1, approved = FALSE WHERE id = $1",
            "Your account is still under review.",
        ),
        (
            "UPDATE users SET approved = TRUE, disabled = TRUE WHERE id = $1",
            "Your login is currently disabled.",
        ),
        (
            "UPDATE accounts SET suspended_at = 1 WHERE id = (SELECT account_id FROM \
             users WHERE id = $1)",
            "Your account has been suspended.",
        ),
    ];
    for (sql, message) in cases {
        app.sql_with("UPDATE users SET disabled = FALSE WHERE id = $1", &[uid])
            .await;
        if message.contains("disabled") {
            app.sql_with("UPDATE users SET disabled = TRUE WHERE id = $1", &[uid])
                .await;
        }
        app.sql_with(sql, &[uid]).await;
        let mut browser = Browser::default();
        let page = sign_in_page(&app, &mut browser).await;
        let res = browser
            .sign_in(&app, &page, "alice@example.com", "password123")
            .await;
        assert_eq!(res.status, 401, "{message}");
        assert!(res.text().contains(message), "{message}: {}", res.text());
        assert!(browser.cookie("_woolly_session").is_none());
    }
}

#[db_test]
async fn a_session_ends_when_the_user_is_disabled(app: TestApp) {
    app.user("alice").await;
    let client = register(&app, REDIRECT, "read").await;
    let mut browser = Browser::default();
    let page = browser.authorize_page(&app, &client, &[]).await;
    browser
        .sign_in(&app, &page, "alice@example.com", "password123")
        .await;
    app.sql_with(
        "UPDATE users SET disabled = TRUE WHERE id = $1",
        &[user_id(&app, "alice").await],
    )
    .await;
    let res = browser
        .get(&app, &authorize_path(&client, REDIRECT, &[]))
        .await;
    assert!(res.text().contains("action=\"/oauth/sign_in\""));
}

#[db_test]
async fn sign_in_rehashes_bcrypt_and_records_the_session(app: TestApp) {
    app.user("alice").await;
    let uid = user_id(&app, "alice").await;
    let legacy = bcrypt::hash("password123", 4).unwrap_or_default();
    {
        let mut conn = app.conn().await;
        let mut ex = conn.exec();
        woolly::db::repo::users::set_password(&mut ex, uid, &legacy, 1)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let mut browser = Browser::default();
    let page = sign_in_page(&app, &mut browser).await;
    let res = browser
        .sign_in(&app, &page, "Alice@Example.com", "password123")
        .await;
    assert_eq!(res.status, 302, "{}", res.text());
    let session = browser.cookie("_woolly_session").unwrap_or_default();
    assert_eq!(session.len(), 43);

    let mut conn = app.conn().await;
    let mut ex = conn.exec();
    let user = woolly::db::repo::users::find(&mut ex, uid)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("user"));
    assert!(
        user.encrypted_password.starts_with("$argon2id$"),
        "rehashed"
    );
    assert!(user.current_sign_in_at.is_some());
    let stored =
        woolly::db::repo::sessions::find(&mut ex, &woolly::domain::secrets::digest(&session), 0)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(stored.map(|s| s.user_id), Some(uid));
    assert!(
        woolly::db::repo::sessions::find(&mut ex, &session, 0)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .is_none()
    );
    let ips = woolly::db::repo::users::ips(&mut ex, &[uid])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(ips.iter().any(|r| r.ip == "127.0.0.1"));
}

#[db_test]
async fn return_to_only_goes_back_to_the_authorize_page(app: TestApp) {
    app.user("alice").await;
    for (to, expected) in [
        ("https://evil.example/", "/oauth/authorize"),
        ("//evil.example/oauth/authorize?x", "/oauth/authorize"),
        (
            "/oauth/authorize?client_id=a",
            "/oauth/authorize?client_id=a",
        ),
    ] {
        let mut browser = Browser::default();
        let page = sign_in_page(&app, &mut browser).await;
        let res = browser
            .sign_in_with(
                &app,
                &hidden(&page, "authenticity_token"),
                to,
                "alice@example.com",
                "password123",
            )
            .await;
        assert_eq!(res.status, 302);
        assert_eq!(res.header("location").as_deref(), Some(expected));
    }
}

#[db_test]
async fn sign_in_attempts_are_throttled(app: TestApp) {
    app.user("alice").await;
    let mut browser = Browser::default();
    let page = sign_in_page(&app, &mut browser).await;
    // The throttle's 5-minute window must not end between the attempts (a flake once).
    woolly_testkit::clear_of_window_end(300, 20).await;
    // Unknown e-mails count against the address too (and skip the slow hash).
    for i in 0..25 {
        let email = format!("nobody{i}@example.com");
        assert_eq!(
            browser
                .sign_in(&app, &page, &email, "bad-password")
                .await
                .status,
            401
        );
    }
    let res = browser
        .sign_in(&app, &page, "alice@example.com", "password123")
        .await;
    assert_eq!(res.status, 429);
    assert!(browser.cookie("_woolly_session").is_none());
}
