//! `POST /oauth/token`: client authentication, both grant types and every error body.

use base64::Engine;
use woolly_testkit::{TestApp, TestResponse, db_test};

use super::support::{Client, REDIRECT, client_credentials, code_for, exchange, register};

const INVALID_GRANT: &str = "The provided authorization grant is invalid, expired, revoked, \
                             does not match the redirection URI used in the authorization \
                             request, or was issued to another client.";
const INVALID_CLIENT: &str = "Client authentication failed due to unknown client, no client \
                              authentication included, or unsupported authentication method.";

fn assert_oauth_error(res: &TestResponse, status: u16, error: &str, description: &str) {
    assert_eq!(res.status.as_u16(), status, "{}", res.text());
    assert_eq!(
        res.json(),
        serde_json::json!({"error": error, "error_description": description})
    );
    assert_eq!(
        res.header("www-authenticate"),
        Some(format!(
            "Bearer realm=\"Doorkeeper\", error=\"{error}\", error_description=\"{description}\""
        ))
    );
    assert_eq!(
        res.header("cache-control").as_deref(),
        Some("no-store, no-cache")
    );
}

#[db_test]
async fn client_credentials_issue_app_tokens(app: TestApp) {
    let client = register(&app, REDIRECT, "read write").await;
    let res = client_credentials(&app, &client, None).await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(
        res.header("cache-control").as_deref(),
        Some("no-store, no-cache")
    );
    assert_eq!(res.header("pragma").as_deref(), Some("no-cache"));
    let j = res.json();
    assert_eq!(j["scope"], "read");
    assert_eq!(j["token_type"], "Bearer");
    assert_eq!(j.as_object().map(|o| o.len()), Some(4));
    let token = j["access_token"].as_str().unwrap_or_default();
    // No user behind it.
    let res = app.verify_credentials(token).await;
    assert_eq!(
        (res.status.as_u16(), res.error().as_str()),
        (422, "This method requires an authenticated user")
    );
    assert_eq!(
        app.get("/api/v1/apps/verify_credentials", Some(token))
            .await
            .status,
        200
    );

    let res = client_credentials(&app, &client, Some("write")).await;
    assert_eq!(res.json()["scope"], "write");
    for scope in ["follow", "read bogus", "admin:read"] {
        assert_oauth_error(
            &client_credentials(&app, &client, Some(scope)).await,
            400,
            "invalid_scope",
            "The requested scope is invalid, unknown, or malformed.",
        );
    }
    // Default `read` outside the app's scopes.
    let write_only = register(&app, REDIRECT, "write").await;
    assert_eq!(
        client_credentials(&app, &write_only, None).await.json()["error"],
        "invalid_scope"
    );
}

/// The app's tokens without a user (client_credentials), revoked ones included.
async fn app_token_rows(app: &TestApp, client: &Client) -> i64 {
    let id: i64 = client.id.parse().unwrap_or_default();
    app.scalar_with(
        "SELECT COUNT(*) FROM oauth_access_tokens \
         WHERE application_id = $1 AND resource_owner_id IS NULL",
        &[id],
    )
    .await
}

#[db_test]
async fn client_credentials_reuse_the_live_token_for_the_same_scopes(app: TestApp) {
    let client = register(&app, REDIRECT, "read write follow").await;
    let first = client_credentials(&app, &client, Some("read write"))
        .await
        .json();
    assert_eq!(first["scope"], "read write");
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    // the same token, with its own created_at, and no new row (as Doorkeeper's
    // reuse_access_token); the same scopes in another order are the same scopes
    for scope in ["read write", "write read"] {
        let again = client_credentials(&app, &client, Some(scope)).await.json();
        assert_eq!(again, first, "{scope}");
    }
    assert_eq!(app_token_rows(&app, &client).await, 1);
    // other scopes: another token
    let read = client_credentials(&app, &client, None).await.json();
    assert_eq!(read["scope"], "read");
    assert_ne!(read["access_token"], first["access_token"]);
    assert_eq!(
        client_credentials(&app, &client, Some("read")).await.json(),
        read
    );
    assert_eq!(app_token_rows(&app, &client).await, 2);
    // another app with the same scopes: its own token
    let other = register(&app, REDIRECT, "read write follow").await;
    let theirs = client_credentials(&app, &other, Some("read write"))
        .await
        .json();
    assert_ne!(theirs["access_token"], first["access_token"]);
    // a revoked token is not handed out again
    let token = first["access_token"].as_str().unwrap_or_default();
    let res = app
        .post(
            "/oauth/revoke",
            None,
            &[
                ("client_id", client.client_id.as_str()),
                ("client_secret", client.secret.as_str()),
                ("token", token),
            ],
        )
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(
        app.get("/api/v1/apps/verify_credentials", Some(token))
            .await
            .status,
        401
    );
    let fresh = client_credentials(&app, &client, Some("read write"))
        .await
        .json();
    assert_ne!(fresh["access_token"], first["access_token"]);
    let fresh_token = fresh["access_token"].as_str().unwrap_or_default();
    assert_eq!(
        app.get("/api/v1/apps/verify_credentials", Some(fresh_token))
            .await
            .status,
        200
    );
    assert_eq!(
        client_credentials(&app, &client, Some("read write"))
            .await
            .json(),
        fresh
    );
    assert_eq!(app_token_rows(&app, &client).await, 3);
}

#[db_test]
async fn http_basic_client_authentication(app: TestApp) {
    let client = register(&app, REDIRECT, "read").await;
    let basic = base64::engine::general_purpose::STANDARD
        .encode(format!("{}:{}", client.client_id, client.secret));
    let req = axum::http::Request::builder()
        .method("POST")
        .uri("/oauth/token")
        .header("authorization", format!("Basic {basic}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(axum::body::Body::from("grant_type=client_credentials"))
        .unwrap_or_else(|e| panic!("{e}"));
    let res = app.send(req).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let bad =
        base64::engine::general_purpose::STANDARD.encode(format!("{}:wrong", client.client_id));
    let req = axum::http::Request::builder()
        .method("POST")
        .uri("/oauth/token")
        .header("authorization", format!("Basic {bad}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(axum::body::Body::from(format!(
            "grant_type=client_credentials&client_id={}&client_secret={}",
            client.client_id, client.secret
        )))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_oauth_error(&app.send(req).await, 401, "invalid_client", INVALID_CLIENT);
}

#[db_test]
async fn wrong_missing_or_unknown_client_is_401(app: TestApp) {
    let client = register(&app, REDIRECT, "read").await;
    let wrong = Client {
        secret: "wrong".into(),
        ..client.clone()
    };
    let unknown = Client {
        client_id: "unknown".into(),
        ..client.clone()
    };
    for bad in [&wrong, &unknown] {
        let res = client_credentials(&app, bad, None).await;
        assert_oauth_error(&res, 401, "invalid_client", INVALID_CLIENT);
    }
    let res = app
        .post(
            "/oauth/token",
            None,
            &[("grant_type", "client_credentials")],
        )
        .await;
    assert_oauth_error(&res, 401, "invalid_client", INVALID_CLIENT);
    app.user("alice").await;
    let code = code_for(&app, &client, "alice@example.com", &[]).await;
    assert_oauth_error(
        &exchange(&app, &wrong, &code, &[]).await,
        401,
        "invalid_client",
        INVALID_CLIENT,
    );
    // The code survives a failed client authentication.
    assert_eq!(exchange(&app, &client, &code, &[]).await.status, 200);
}

#[db_test]
async fn unsupported_and_missing_grant_types(app: TestApp) {
    let client = register(&app, REDIRECT, "read").await;
    for grant in [
        "password",
        "refresh_token",
        "implicit",
        "urn:ietf:params:oauth:grant-type:device_code",
    ] {
        let res = app
            .post(
                "/oauth/token",
                None,
                &[
                    ("grant_type", grant),
                    ("client_id", &client.client_id),
                    ("client_secret", &client.secret),
                    ("username", "alice@example.com"),
                    ("password", "password123"),
                    ("refresh_token", "x"),
                ],
            )
            .await;
        assert_oauth_error(
            &res,
            400,
            "unsupported_grant_type",
            "The authorization grant type is not supported by the authorization server.",
        );
    }
    let res = app
        .post(
            "/oauth/token",
            None,
            &[
                ("client_id", &client.client_id),
                ("client_secret", &client.secret),
            ],
        )
        .await;
    assert_oauth_error(
        &res,
        400,
        "invalid_request",
        "Missing required parameter: grant_type.",
    );
}

#[db_test]
async fn authorization_code_errors(app: TestApp) {
    app.user("alice").await;
    let client = register(
        &app,
        &format!("{REDIRECT} https://client.example/other"),
        "read write",
    )
    .await;
    let other = register(&app, REDIRECT, "read").await;
    let code = code_for(&app, &client, "alice@example.com", &[("scope", "write")]).await;

    let res = exchange(
        &app,
        &client,
        &code,
        &[("redirect_uri", "https://client.example/other")],
    )
    .await;
    assert_oauth_error(&res, 400, "invalid_grant", INVALID_GRANT);
    let res = exchange(&app, &client, &code, &[("redirect_uri", "")]).await;
    assert_oauth_error(
        &res,
        400,
        "invalid_request",
        "Missing required parameter: redirect_uri.",
    );
    assert_oauth_error(
        &exchange(&app, &other, &code, &[]).await,
        400,
        "invalid_grant",
        INVALID_GRANT,
    );
    assert_oauth_error(
        &exchange(&app, &client, "not-a-code", &[]).await,
        400,
        "invalid_grant",
        INVALID_GRANT,
    );
    assert_oauth_error(
        &exchange(&app, &client, "", &[]).await,
        400,
        "invalid_grant",
        INVALID_GRANT,
    );

    // The grant's scopes, whatever `scope` says.
    let res = exchange(&app, &client, &code, &[("scope", "read")]).await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["scope"], "write");
}

#[db_test]
async fn a_replayed_code_is_refused_and_revokes_its_token(app: TestApp) {
    app.user("alice").await;
    let client = register(&app, REDIRECT, "read").await;
    let code = code_for(&app, &client, "alice@example.com", &[]).await;
    let first = exchange(&app, &client, &code, &[]).await;
    assert_eq!(first.status, 200);
    let token = first.json()["access_token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(app.verify_credentials(&token).await.status, 200);

    assert_oauth_error(
        &exchange(&app, &client, &code, &[]).await,
        400,
        "invalid_grant",
        INVALID_GRANT,
    );
    let res = app.verify_credentials(&token).await;
    assert_eq!(
        (res.status.as_u16(), res.error().as_str()),
        (401, "The access token was revoked")
    );
}

#[db_test]
async fn an_expired_code_is_invalid(app: TestApp) {
    app.user("alice").await;
    let client = register(&app, REDIRECT, "read").await;
    let code = code_for(&app, &client, "alice@example.com", &[]).await;
    app.sql_with(
        "UPDATE oauth_access_grants SET expires_at = $1",
        &[woolly::domain::time::now() - 1],
    )
    .await;
    assert_oauth_error(
        &exchange(&app, &client, &code, &[]).await,
        400,
        "invalid_grant",
        INVALID_GRANT,
    );
}

#[db_test]
async fn tokens_are_stored_as_digests(app: TestApp) {
    let client = register(&app, REDIRECT, "read").await;
    let token = client_credentials(&app, &client, None).await.json()["access_token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let mut conn = app.conn().await;
    let mut ex = conn.exec();
    let row =
        woolly::db::repo::oauth::find_token(&mut ex, &woolly::domain::secrets::digest(&token))
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("stored"));
    assert_eq!(row.resource_owner_id, None);
    assert_eq!(
        row.application_id.map(|i| i.to_string()),
        Some(client.id.clone())
    );
    assert!(
        woolly::db::repo::oauth::find_token(&mut ex, &token)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .is_none()
    );
}

#[db_test]
async fn concurrent_exchanges_of_one_code_count_as_a_replay(app: TestApp) {
    app.user("alice").await;
    let client = register(&app, REDIRECT, "read").await;
    let code = code_for(&app, &client, "alice@example.com", &[]).await;
    let (a, b) = tokio::join!(
        exchange(&app, &client, &code, &[]),
        exchange(&app, &client, &code, &[])
    );
    let mut statuses = [a.status.as_u16(), b.status.as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 400]);
    let winner = if a.status == 200 { &a } else { &b };
    let token = winner.json()["access_token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let res = app.verify_credentials(&token).await;
    assert_eq!(
        (res.status.as_u16(), res.error().as_str()),
        (401, "The access token was revoked")
    );
}
