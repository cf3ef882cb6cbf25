//! `GET /.well-known/oauth-authorization-server` and `/oauth/userinfo`.

use axum::http::Method;
use serde_json::json;
use woolly_testkit::{TestApp, db_test};

#[db_test]
async fn authorization_server_metadata(app: TestApp) {
    let res = app
        .get("/.well-known/oauth-authorization-server", None)
        .await;
    assert_eq!(res.status, 200);
    let j = res.json();
    assert_eq!(j["issuer"], "https://woolly.test/");
    assert_eq!(
        j["authorization_endpoint"],
        "https://woolly.test/oauth/authorize"
    );
    assert_eq!(j["token_endpoint"], "https://woolly.test/oauth/token");
    assert_eq!(j["revocation_endpoint"], "https://woolly.test/oauth/revoke");
    assert_eq!(j["userinfo_endpoint"], "https://woolly.test/oauth/userinfo");
    assert_eq!(
        j["app_registration_endpoint"],
        "https://woolly.test/api/v1/apps"
    );
    assert_eq!(j["scopes_supported"][0], "read");
    assert_eq!(j["scopes_supported"][1], "profile");
    assert_eq!(
        j["scopes_supported"].as_array().map(Vec::len),
        Some(woolly::domain::scopes::SUPPORTED.len())
    );
    assert_eq!(j["response_types_supported"], json!(["code"]));
    assert_eq!(
        j["response_modes_supported"],
        json!(["query", "fragment", "form_post"])
    );
    assert_eq!(
        j["grant_types_supported"],
        json!(["authorization_code", "client_credentials"])
    );
    assert_eq!(
        j["token_endpoint_auth_methods_supported"],
        json!(["client_secret_basic", "client_secret_post"])
    );
    assert_eq!(j["code_challenge_methods_supported"], json!(["S256"]));
    assert_eq!(j["service_documentation"], "https://docs.joinmastodon.org/");
}

#[db_test]
async fn userinfo_needs_the_profile_scope(app: TestApp) {
    let alice = app.user_with("alice", None, "profile").await;
    for method in [Method::GET, Method::POST] {
        let res = app
            .request(
                method,
                "/oauth/userinfo",
                Some(&alice.token),
                None,
                Vec::new(),
            )
            .await;
        assert_eq!(res.status, 200, "{}", res.text());
        assert_eq!(
            res.json(),
            json!({
                "iss": "https://woolly.test/",
                "sub": "https://woolly.test/users/alice",
                "name": "",
                "preferred_username": "alice",
                "profile": "https://woolly.test/@alice",
                "picture": "https://woolly.test/avatars/original/missing.png",
            })
        );
    }
    let bob = app.user_with("bob", None, "read write").await;
    let res = app.get("/oauth/userinfo", Some(&bob.token)).await;
    assert_eq!(
        (res.status.as_u16(), res.error().as_str()),
        (403, "This action is outside the authorized scopes")
    );
    let res = app.get("/oauth/userinfo", None).await;
    assert_eq!(
        (res.status.as_u16(), res.error().as_str()),
        (401, "The access token is invalid")
    );
}
