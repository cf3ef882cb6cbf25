//! `POST /oauth/revoke` (RFC 7009 as Doorkeeper answers it).

use serde_json::json;
use woolly_testkit::{TestApp, TestResponse, db_test};

use super::support::{Client, REDIRECT, app_token, register, revoke};

const REFUSED: &str = "You are not authorized to revoke this token";

/// A refused revocation: 403 with Doorkeeper's body.
fn assert_refused(res: &TestResponse) {
    assert_eq!(res.status, 403);
    assert_eq!(
        res.json(),
        json!({"error": "unauthorized_client", "error_description": REFUSED})
    );
}

/// The status `GET /api/v1/apps/verify_credentials` answers `token` with.
async fn app_token_status(app: &TestApp, token: &str) -> u16 {
    app.get("/api/v1/apps/verify_credentials", Some(token))
        .await
        .status
        .as_u16()
}

#[db_test]
async fn revokes_its_own_token(app: TestApp) {
    let client = register(&app, REDIRECT, "read").await;
    let token = app_token(&app, &client, None).await;
    let res = revoke(&app, &client, &token).await;
    assert_eq!(res.status, 200);
    assert_eq!(res.json(), json!({}));
    let res = app
        .get("/api/v1/apps/verify_credentials", Some(&token))
        .await;
    assert_eq!(
        (res.status.as_u16(), res.error().as_str()),
        (401, "The access token was revoked")
    );
    // Revoking again is fine.
    assert_eq!(revoke(&app, &client, &token).await.status, 200);
}

#[db_test]
async fn unknown_or_missing_token_is_200(app: TestApp) {
    let client = register(&app, REDIRECT, "read").await;
    let res = revoke(&app, &client, "no-such-token").await;
    assert_eq!((res.status.as_u16(), res.json()), (200, json!({})));
    let res = app
        .post(
            "/oauth/revoke",
            None,
            &[
                ("client_id", &client.client_id),
                ("client_secret", &client.secret),
            ],
        )
        .await;
    assert_eq!((res.status.as_u16(), res.json()), (200, json!({})));
}

#[db_test]
async fn without_client_authentication_is_403(app: TestApp) {
    let client = register(&app, REDIRECT, "read").await;
    let token = app_token(&app, &client, None).await;
    let wrong = Client {
        secret: "wrong".into(),
        ..client.clone()
    };
    for res in [
        app.post("/oauth/revoke", None, &[("token", &token)]).await,
        revoke(&app, &wrong, &token).await,
        app.post(
            "/oauth/revoke",
            None,
            &[("client_id", &client.client_id), ("token", &token)],
        )
        .await,
    ] {
        assert_refused(&res);
    }
    assert_eq!(app_token_status(&app, &token).await, 200);
}

#[db_test]
async fn another_apps_token_is_403(app: TestApp) {
    let mine = register(&app, REDIRECT, "read").await;
    let theirs = register(&app, REDIRECT, "read").await;
    let token = app_token(&app, &theirs, None).await;
    let res = revoke(&app, &mine, &token).await;
    assert_refused(&res);
    assert_eq!(app_token_status(&app, &token).await, 200);
}

#[db_test]
async fn tokens_without_an_app_can_be_revoked_by_any_client(app: TestApp) {
    let alice = app.user("alice").await;
    let client = register(&app, REDIRECT, "read").await;
    assert_eq!(revoke(&app, &client, &alice.token).await.status, 200);
    assert_eq!(app.verify_credentials(&alice.token).await.status, 401);
}
