//! What every endpoint reads from a request: NUL bytes are refused the same way on both
//! backends (422, nothing looked up or written), and multipart bodies are read everywhere
//! with the same limits as form bodies.

use axum::http::Method;
use serde_json::json;
use woolly_testkit::{TestApp, TestResponse, db_test};

use super::profile::{multipart, patch_multipart};
use super::registration::app_token;

/// `POST /api/v1/lists` as `token` with a multipart body as [`multipart`] makes it.
async fn post_list_multipart(
    app: &TestApp,
    token: &str,
    (ct, body): (String, Vec<u8>),
) -> TestResponse {
    app.request(Method::POST, "/api/v1/lists", Some(token), Some(&ct), body)
        .await
}

fn assert_invalid(r: &woolly_testkit::TestResponse, key: &str) {
    assert_eq!(r.status, 422, "{key}: {}", r.text());
    assert_eq!(
        r.json()["details"][key][0]["error"],
        "ERR_INVALID",
        "{}",
        r.text()
    );
}

#[db_test]
async fn nul_bytes_are_invalid_and_change_nothing(app: TestApp) {
    let alice = app.user("alice").await;
    // anonymous identifiers
    assert_invalid(
        &app.get("/api/v1/accounts/lookup?acct=a%00b", None).await,
        "acct",
    );
    assert_invalid(
        &app.get("/oauth/authorize?client_id=%00&response_type=code", None)
            .await,
        "client_id",
    );
    assert_invalid(
        &app.post(
            "/api/v1/apps",
            None,
            &[
                ("client_name", "a\0"),
                ("redirect_uris", "urn:ietf:wg:oauth:2.0:oob"),
            ],
        )
        .await,
        "client_name",
    );
    assert_invalid(
        &app.post(
            "/oauth/token",
            None,
            &[
                ("grant_type", "client_credentials"),
                ("client_id", "\0"),
                ("client_secret", "x"),
            ],
        )
        .await,
        "client_id",
    );
    assert_invalid(
        &app.post(
            "/oauth/sign_in",
            None,
            &[("email", "a\0@example.com"), ("password", "x")],
        )
        .await,
        "email",
    );
    let token = app_token(&app, "read write", "read write").await;
    assert_invalid(
        &app.post(
            "/api/v1/accounts",
            Some(&token),
            &[
                ("username", "zz\0"),
                ("email", "zz@example.com"),
                ("password", "password1"),
                ("agreement", "true"),
            ],
        )
        .await,
        "username",
    );
    // free text of a signed-in user, as a form, JSON and multipart
    let before = app.verify_credentials(&alice.token).await.json();
    let r = app
        .form(
            Method::PATCH,
            "/api/v1/accounts/update_credentials",
            Some(&alice.token),
            &[("display_name", "x\0y")],
        )
        .await;
    assert_invalid(&r, "display_name");
    let r = app
        .json_request(
            Method::PATCH,
            "/api/v1/accounts/update_credentials",
            Some(&alice.token),
            &json!({"note": "a\u{0}b"}),
        )
        .await;
    assert_invalid(&r, "note");
    let r = app
        .json_request(
            Method::PATCH,
            "/api/v1/accounts/update_credentials",
            Some(&alice.token),
            &json!({"fields_attributes": {"0": {"name": "k", "value": "v\u{0}"}}}),
        )
        .await;
    assert_invalid(&r, "fields_attributes");
    let r = patch_multipart(&app, &alice.token, &[("note", "multi\0part")], &[]).await;
    assert_invalid(&r, "note");
    let after = app.verify_credentials(&alice.token).await.json();
    assert_eq!(before, after);
    assert_invalid(
        &app.post(
            "/api/v1/statuses",
            Some(&alice.token),
            &[("status", "hi\0")],
        )
        .await,
        "status",
    );
    assert_invalid(
        &app.post("/api/v1/lists", Some(&alice.token), &[("title", "l\0")])
            .await,
        "title",
    );
    assert_invalid(
        &app.post(
            "/api/v1/reports",
            Some(&alice.token),
            &[("account_id", "1"), ("comment", "\0")],
        )
        .await,
        "comment",
    );
}

#[db_test]
async fn nul_bytes_in_admin_filters_are_invalid(app: TestApp) {
    let admin = app.owner("boss").await;
    for param in ["username", "display_name", "email", "ip", "by_domain"] {
        let r = app
            .get(
                &format!("/api/v1/admin/accounts?{param}=a%00"),
                Some(&admin.token),
            )
            .await;
        assert_invalid(&r, param);
    }
    let r = app
        .get("/api/v2/admin/accounts?username=%00", Some(&admin.token))
        .await;
    assert_invalid(&r, "username");
}

#[db_test]
async fn registration_takes_multipart_as_masto_js_sends_it(app: TestApp) {
    let token = app_token(&app, "read write", "read write").await;
    let (ct, body) = multipart(
        &[
            ("username", "zz"),
            ("email", "zz@example.com"),
            ("password", "password1"),
            ("agreement", "true"),
            ("locale", "en"),
        ],
        &[],
    );
    let r = app
        .request(
            Method::POST,
            "/api/v1/accounts",
            Some(&token),
            Some(&ct),
            body,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.json()["access_token"].is_string());
}

#[db_test]
async fn multipart_text_is_held_to_the_form_limit(app: TestApp) {
    let alice = app.user("alice").await;
    let big = "a".repeat(woolly::http::extract::params::MAX_BODY_BYTES + 1);
    let r = patch_multipart(&app, &alice.token, &[("note", &big)], &[]).await;
    assert_eq!(r.status, 413, "{}", r.text());
    // split across parts, the total counts
    let half = "b".repeat(woolly::http::extract::params::MAX_BODY_BYTES / 2 + 1);
    let r = post_list_multipart(
        &app,
        &alice.token,
        multipart(&[("note", &half), ("display_name", &half)], &[]),
    )
    .await;
    assert_eq!(r.status, 413, "{}", r.text());
    // a file part sent to an endpoint without files is skipped, the text still read
    let file = ("file", "x.bin", "application/octet-stream", &b"0123"[..]);
    let r = post_list_multipart(
        &app,
        &alice.token,
        multipart(&[("title", "Friends")], &[file]),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["title"], "Friends");
}
