//! Upstream's 401/403/422 bodies and headers for every kind of bad token or user.

use woolly::domain::time;
use woolly_testkit::{TestApp, db_test};

#[db_test]
async fn verify_credentials_returns_the_credential_account(app: TestApp) {
    let alice = app.user("alice").await;
    let res = app.verify_credentials(&alice.token).await;
    assert_eq!(res.status, 200);
    assert_eq!(
        res.header("cache-control").as_deref(),
        Some("private, no-store")
    );
    let a = res.json();
    assert_eq!(a["username"], "alice");
    assert_eq!(a["source"]["privacy"], "public");
    assert_eq!(a["source"]["language"], serde_json::Value::Null);
    assert_eq!(a["source"]["follow_requests_count"], 0);
    assert_eq!(
        a["role"],
        serde_json::json!({
            "id": "-99", "name": "", "permissions": "65536", "color": "", "highlighted": false,
            "collection_limit": 10,
        })
    );
}

#[db_test]
async fn missing_and_unknown_tokens_are_401(app: TestApp) {
    for token in [None, Some("garbage")] {
        let res = app.get("/api/v1/accounts/verify_credentials", token).await;
        assert_eq!(res.status, 401);
        assert_eq!(res.error(), "The access token is invalid");
        assert_eq!(
            res.header("www-authenticate").as_deref(),
            Some(
                "Bearer realm=\"Doorkeeper\", error=\"invalid_token\", \
                 error_description=\"The access token is invalid\""
            )
        );
    }
}

#[db_test]
async fn revoked_token_is_401_revoked(app: TestApp) {
    let alice = app.user("alice").await;
    woolly::services::operator::reset_password(&app.state, "alice", None)
        .await
        .unwrap_or_default();
    let res = app.verify_credentials(&alice.token).await;
    assert_eq!(res.status, 401);
    assert_eq!(res.error(), "The access token was revoked");
}

#[db_test]
async fn missing_scope_is_403_with_header(app: TestApp) {
    let alice = app.user_with("alice", None, "write").await;
    let res = app.verify_credentials(&alice.token).await;
    assert_eq!(res.status, 403);
    assert_eq!(res.error(), "This action is outside the authorized scopes");
    assert_eq!(
        res.header("www-authenticate").as_deref(),
        Some(
            "Bearer realm=\"Doorkeeper\", error=\"insufficient_scope\", \
             error_description=\"Access to this resource requires scope _profile \
             read read:accounts_.\""
        )
    );
}

#[db_test]
async fn profile_scope_alone_unlocks_verify_credentials(app: TestApp) {
    let alice = app.user_with("alice", None, "profile").await;
    assert_eq!(app.verify_credentials(&alice.token).await.status, 200);
}

#[db_test]
async fn garbage_token_on_optional_endpoint_is_anonymous(app: TestApp) {
    let alice = app.user("alice").await;
    let res = app
        .get(
            &format!("/api/v1/accounts/{}", alice.account_id),
            Some("garbage"),
        )
        .await;
    assert_eq!(res.status, 200);
}

#[db_test]
async fn unconfirmed_pending_disabled_and_suspended_users(app: TestApp) {
    let alice = app.user("alice").await;
    let uid = woolly::services::operator::find_user(&app.state, "alice")
        .await
        .map(|u| u.id)
        .unwrap_or_default();
    let set = async |sql: &str| app.sql_with(sql, &[uid]).await;
    set("UPDATE users SET confirmed_at = NULL WHERE id = $1").await;
    let res = app.verify_credentials(&alice.token).await;
    assert_eq!(
        (res.status.as_u16(), res.error().as_str()),
        (403, "Your login is missing a confirmed e-mail address")
    );
    set("UPDATE users SET confirmed_at = 1, approved = FALSE WHERE id = $1").await;
    let res = app.verify_credentials(&alice.token).await;
    assert_eq!(
        (res.status.as_u16(), res.error().as_str()),
        (403, "Your login is currently pending approval")
    );
    set("UPDATE users SET approved = TRUE, disabled = TRUE WHERE id = $1").await;
    let res = app.verify_credentials(&alice.token).await;
    assert_eq!(
        (res.status.as_u16(), res.error().as_str()),
        (403, "Your login is currently disabled")
    );
    set("UPDATE users SET disabled = FALSE WHERE id = $1").await;
    set(
        "UPDATE accounts SET suspended_at = 1 WHERE id = (SELECT account_id FROM \
         users WHERE id = $1)",
    )
    .await;
    let res = app.get("/api/v1/instance", Some(&alice.token)).await;
    assert_eq!((res.status.as_u16(), res.error().as_str()), (200, ""));
    let res = app
        .get(
            &format!("/api/v1/accounts/{}", alice.account_id),
            Some(&alice.token),
        )
        .await;
    assert_eq!(
        (res.status.as_u16(), res.error().as_str()),
        (403, "Your login is currently disabled")
    );
    let _ = time::now();
}
