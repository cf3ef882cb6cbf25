//! `POST /api/v1/apps` and `GET /api/v1/apps/verify_credentials`.

use axum::http::Method;
use serde_json::json;
use woolly_testkit::{TestApp, db_test};

use super::support::{REDIRECT, app_token, register};

async fn create(app: &TestApp, pairs: &[(&str, &str)]) -> woolly_testkit::TestResponse {
    app.post("/api/v1/apps", None, pairs).await
}

#[db_test]
async fn registers_an_app_and_shows_the_secret_once(app: TestApp) {
    let res = create(
        &app,
        &[
            ("client_name", "My app"),
            (
                "redirect_uris",
                "https://a.example/cb urn:ietf:wg:oauth:2.0:oob",
            ),
            ("scopes", "read write read"),
            ("website", "https://a.example"),
        ],
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let j = res.json();
    assert_eq!(j["name"], "My app");
    assert_eq!(j["website"], "https://a.example");
    assert_eq!(j["scopes"], json!(["read", "write"]));
    assert_eq!(
        j["redirect_uris"],
        json!(["https://a.example/cb", "urn:ietf:wg:oauth:2.0:oob"])
    );
    assert_eq!(
        j["redirect_uri"],
        "https://a.example/cb\nurn:ietf:wg:oauth:2.0:oob"
    );
    assert_eq!(j["client_secret_expires_at"], 0);
    let secret = j["client_secret"].as_str().unwrap_or_default();
    assert_eq!(secret.len(), 43);
    assert_eq!(j["client_id"].as_str().map(str::len), Some(43));
    assert!(j["id"].is_string());
    // Only the digest is stored.
    let mut conn = app.conn().await;
    let row = woolly::db::repo::oauth::find_app_by_client_id(
        &mut conn.exec(),
        j["client_id"].as_str().unwrap_or_default(),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"))
    .unwrap_or_else(|| panic!("stored"));
    assert_ne!(row.client_secret_digest, secret);
    assert_eq!(
        row.client_secret_digest,
        woolly::domain::secrets::digest(secret)
    );
}

#[db_test]
async fn arrays_of_uris_are_joined_and_array_scopes_ignored(app: TestApp) {
    let res = app.json_request(Method::POST, "/api/v1/apps", None, &json!({
        "client_name": "Arr", "redirect_uris": ["https://a.example/1", "https://a.example/2"],
        "scopes": ["write", "follow"],
    })).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let j = res.json();
    assert_eq!(
        j["redirect_uris"],
        json!(["https://a.example/1", "https://a.example/2"])
    );
    assert_eq!(j["scopes"], json!(["read"]));
    assert_eq!(j["website"], serde_json::Value::Null);
}

#[db_test]
async fn default_scope_is_read(app: TestApp) {
    let res = create(&app, &[("client_name", "x"), ("redirect_uris", REDIRECT)]).await;
    assert_eq!(res.json()["scopes"], json!(["read"]));
}

#[db_test(config = |cfg| { cfg.rate_limits = false; })]
async fn validation_errors_are_rails_messages(app: TestApp) {
    let long_name = "n".repeat(61);
    let long_site = format!("https://a.example/{}", "x".repeat(2000));
    let long_uris = format!("https://a.example/{}", "x".repeat(2000));
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (
            vec![("redirect_uris", REDIRECT)],
            "Validation failed: Application name can't be blank",
        ),
        (
            vec![("client_name", "x")],
            "Validation failed: Redirect URI can't be blank",
        ),
        (
            vec![("client_name", "x"), ("redirect_uris", "")],
            "Validation failed: Redirect URI can't be blank",
        ),
        (
            vec![("client_name", &long_name), ("redirect_uris", REDIRECT)],
            "Validation failed: Application name is too long (maximum is 60 characters)",
        ),
        (
            vec![
                ("client_name", "x"),
                ("redirect_uris", "https://a.example/#frag"),
            ],
            "Validation failed: Redirect URI cannot contain a fragment.",
        ),
        (
            vec![("client_name", "x"), ("redirect_uris", "/callback")],
            "Validation failed: Redirect URI must be an absolute URI.",
        ),
        (
            vec![
                ("client_name", "x"),
                ("redirect_uris", "javascript:alert(1)"),
            ],
            "Validation failed: Redirect URI is forbidden by the server., Redirect \
             URI must specify a scheme.",
        ),
        (
            vec![("client_name", "x"), ("redirect_uris", "data://x/y")],
            "Validation failed: Redirect URI is forbidden by the server.",
        ),
        (
            vec![("client_name", "x"), ("redirect_uris", "vbscript://x")],
            "Validation failed: Redirect URI is forbidden by the server.",
        ),
        (
            vec![
                ("client_name", "x"),
                ("redirect_uris", REDIRECT),
                ("scopes", "read bogus"),
            ],
            "Validation failed: Scopes doesn't match configured on the server.",
        ),
        (
            vec![
                ("client_name", "x"),
                ("redirect_uris", REDIRECT),
                ("website", "not a url"),
            ],
            "Validation failed: Application website is invalid",
        ),
        (
            vec![
                ("client_name", "x"),
                ("redirect_uris", REDIRECT),
                ("website", &long_site),
            ],
            "Validation failed: Application website is too long (maximum is 2000 characters)",
        ),
        (
            vec![("client_name", "x"), ("redirect_uris", &long_uris)],
            "Validation failed: Redirect URI is too long (maximum is 2000 characters)",
        ),
        (
            vec![("redirect_uris", "/rel"), ("scopes", "nope")],
            "Validation failed: Application name can't be blank, Redirect URI must \
             be an absolute URI., Scopes doesn't match configured on the server.",
        ),
    ];
    for (pairs, message) in cases {
        let res = create(&app, &pairs).await;
        assert_eq!(res.status, 422, "{pairs:?}");
        assert_eq!(res.json(), json!({"error": message}), "{pairs:?}");
    }
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM oauth_applications").await,
        0
    );
}

#[db_test]
async fn registrations_are_throttled_per_ip(app: TestApp) {
    for _ in 0..5 {
        assert_eq!(
            create(&app, &[("client_name", "x"), ("redirect_uris", REDIRECT)])
                .await
                .status,
            200
        );
    }
    let res = create(&app, &[("client_name", "x"), ("redirect_uris", REDIRECT)]).await;
    assert_eq!(res.status, 429);
    assert_eq!(res.error(), "Too many requests");
}

#[db_test]
async fn verify_credentials_takes_any_valid_token(app: TestApp) {
    let client = register(&app, REDIRECT, "read write").await;
    let token = app_token(&app, &client, Some("write")).await;
    let res = app
        .get("/api/v1/apps/verify_credentials", Some(&token))
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let j = res.json();
    assert_eq!(j["name"], "Test client");
    assert_eq!(j["id"], client.id.as_str());
    assert_eq!(j["scopes"], json!(["read", "write"]));
    assert!(j.get("client_secret").is_none());
    assert!(j.get("client_id").is_none());

    for token in [None, Some("garbage")] {
        let res = app.get("/api/v1/apps/verify_credentials", token).await;
        assert_eq!(res.status, 401);
        assert_eq!(res.error(), "The access token is invalid");
    }
    // An operator token belongs to no app.
    let alice = app.user("alice").await;
    assert_eq!(
        app.get("/api/v1/apps/verify_credentials", Some(&alice.token))
            .await
            .status,
        404
    );
}

#[db_test]
async fn multipart_form_data_is_accepted(app: TestApp) {
    let boundary = "woollyboundary";
    let mut body = String::new();
    for (k, v) in [
        ("client_name", "Multipart app"),
        ("redirect_uris[]", REDIRECT),
        ("redirect_uris[]", "urn:ietf:wg:oauth:2.0:oob"),
        ("scopes", "read write"),
    ] {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
        ));
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    let ct = format!("multipart/form-data; boundary={boundary}");
    let res = app
        .request(
            Method::POST,
            "/api/v1/apps",
            None,
            Some(&ct),
            body.into_bytes(),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let j = res.json();
    assert_eq!(j["name"], "Multipart app");
    assert_eq!(j["scopes"], json!(["read", "write"]));
    assert_eq!(
        j["redirect_uris"],
        json!([REDIRECT, "urn:ietf:wg:oauth:2.0:oob"])
    );
}
