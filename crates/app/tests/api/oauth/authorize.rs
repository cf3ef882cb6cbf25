//! The browser flow of `/oauth/authorize`: sign-in, consent, codes, PKCE, OOB and every
//! refusal (error pages never redirect).

use axum::http::Method;
use woolly::domain::secrets;
use woolly_testkit::{TestApp, db_test};

use super::support::{
    Browser, OOB, REDIRECT, authorize_path, code_for, exchange, query_param, register,
};

#[db_test]
async fn full_code_flow_through_the_pages(app: TestApp) {
    app.user("alice").await;
    let client = register(&app, REDIRECT, "read write profile").await;
    let mut browser = Browser::default();
    let path = authorize_path(
        &client,
        REDIRECT,
        &[("scope", "read profile"), ("state", "xyz 1")],
    );

    let page = browser.get(&app, &path).await;
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type").as_deref(),
        Some("text/html; charset=utf-8")
    );
    let html = page.text();
    assert!(html.contains("<html lang=\"en\">"));
    assert!(
        html.contains("<label for=\"user_email\">")
            && html.contains("<label for=\"user_password\">")
    );
    assert!(html.contains("<h1>"));
    assert!(html.contains("Test client"));
    let csrf_cookie = page.header("set-cookie").unwrap_or_default();
    assert!(
        csrf_cookie.contains("HttpOnly") && csrf_cookie.contains("SameSite=Lax"),
        "{csrf_cookie}"
    );

    // A wrong password: the page again, an error, no session.
    let res = browser
        .sign_in(&app, &html, "alice@example.com", "wrong-password")
        .await;
    assert_eq!(res.status, 401);
    assert!(res.text().contains("Invalid E-mail address or password."));
    assert!(res.text().contains("value=\"alice@example.com\""));
    assert!(browser.cookie("_woolly_session").is_none());

    let res = browser
        .sign_in(&app, &html, "alice@example.com", "password123")
        .await;
    assert_eq!(res.status, 302);
    let back = res.location();
    assert!(back.starts_with("/oauth/authorize?"), "{back}");
    let session = res.header("set-cookie").unwrap_or_default();
    assert!(
        session.starts_with("_woolly_session=")
            && session.contains("HttpOnly")
            && session.contains("SameSite=Lax")
    );

    let consent = browser.get(&app, &back).await;
    assert_eq!(consent.status, 200);
    let html = consent.text();
    assert!(
        html.contains("Authorization required")
            && html.contains("Test client")
            && html.contains("@alice")
    );
    assert!(html.contains("<code>read</code>") && html.contains("<code>profile</code>"));
    assert!(html.contains("<button type=\"submit\" id=\"authorize\">Authorize</button>"));
    assert!(html.contains("id=\"deny\">Deny</button>"));

    let res = browser.consent(&app, &html, "/oauth/authorize").await;
    assert_eq!(res.status, 302);
    let location = res.location();
    assert!(
        location.starts_with("https://client.example/callback?code="),
        "{location}"
    );
    assert_eq!(query_param(&location, "state").as_deref(), Some("xyz 1"));
    let code = query_param(&location, "code").unwrap_or_default();

    let res = exchange(&app, &client, &code, &[]).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let j = res.json();
    assert_eq!(j["token_type"], "Bearer");
    assert_eq!(j["scope"], "read profile");
    assert!(j["created_at"].is_i64());
    let token = j["access_token"].as_str().unwrap_or_default().to_owned();
    let me = app.verify_credentials(&token).await;
    assert_eq!(me.status, 200);
    assert_eq!(me.json()["username"], "alice");
    let a = app
        .get("/api/v1/apps/verify_credentials", Some(&token))
        .await;
    assert_eq!(a.json()["name"], "Test client");
}

#[db_test]
async fn codes_are_stored_as_digests_and_live_ten_minutes(app: TestApp) {
    app.user("alice").await;
    let client = register(&app, REDIRECT, "read").await;
    let code = code_for(&app, &client, "alice@example.com", &[]).await;
    let mut conn = app.conn().await;
    let mut ex = conn.exec();
    let grant = woolly::db::repo::oauth::find_grant(&mut ex, &secrets::digest(&code))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("grant stored by digest"));
    let created_at = app
        .scalar_with(
            "SELECT created_at FROM oauth_access_grants WHERE id = $1",
            &[grant.id],
        )
        .await;
    assert_eq!(grant.expires_at - created_at, 10 * 60 * 1000);
    assert!(
        woolly::db::repo::oauth::find_grant(&mut ex, &code)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .is_none()
    );
}

#[db_test]
async fn pkce_s256_success_mismatch_and_missing_verifier(app: TestApp) {
    app.user("alice").await;
    let client = register(&app, REDIRECT, "read").await;
    let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    let challenge = secrets::pkce_s256(verifier);
    let pkce = [
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];

    let code = code_for(&app, &client, "alice@example.com", &pkce).await;
    let res = exchange(&app, &client, &code, &[]).await;
    assert_eq!(res.status, 400);
    assert_eq!(res.json()["error"], "invalid_request");
    assert_eq!(
        res.json()["error_description"],
        "Missing required parameter: code_verifier."
    );
    let res = exchange(
        &app,
        &client,
        &code,
        &[(
            "code_verifier",
            "not-the-verifier-not-the-verifier-000000000",
        )],
    )
    .await;
    assert_eq!(res.status, 400);
    assert_eq!(res.json()["error"], "invalid_grant");
    let res = exchange(&app, &client, &code, &[("code_verifier", verifier)]).await;
    assert_eq!(res.status, 200, "{}", res.text());

    // A verifier for a grant without a challenge is refused, as Doorkeeper does.
    let code = code_for(
        &app,
        &client,
        "alice@example.com",
        &[("force_login", "true")],
    )
    .await;
    let res = exchange(&app, &client, &code, &[("code_verifier", verifier)]).await;
    assert_eq!(res.json()["error"], "invalid_grant");
}

#[db_test]
async fn plain_or_missing_challenge_method_redirects_with_an_error(app: TestApp) {
    let client = register(&app, REDIRECT, "read").await;
    for extra in [
        vec![
            ("code_challenge", "abc"),
            ("code_challenge_method", "plain"),
            ("state", "s1"),
        ],
        vec![("code_challenge", "abc"), ("state", "s1")],
    ] {
        let res = app
            .get(&authorize_path(&client, REDIRECT, &extra), None)
            .await;
        assert_eq!(res.status, 302);
        let location = res.location();
        assert!(location.starts_with(REDIRECT), "{location}");
        assert_eq!(
            query_param(&location, "error").as_deref(),
            Some("invalid_code_challenge_method")
        );
        assert_eq!(
            query_param(&location, "error_description").as_deref(),
            Some("The code_challenge_method must be S256.")
        );
        assert_eq!(query_param(&location, "state").as_deref(), Some("s1"));
    }
}

#[db_test]
async fn out_of_band_code_is_shown_on_a_page(app: TestApp) {
    app.user("alice").await;
    let client = register(&app, OOB, "read").await;
    let mut browser = Browser::default();
    let location = browser
        .authorize(
            &app,
            &authorize_path(&client, OOB, &[]),
            "alice@example.com",
        )
        .await;
    assert!(
        location.starts_with("https://woolly.test/oauth/authorize/native?code="),
        "{location}"
    );
    let code = query_param(&location, "code").unwrap_or_default();
    let page = browser
        .get(&app, location.trim_start_matches("https://woolly.test"))
        .await;
    assert_eq!(page.status, 200);
    assert!(page.text().contains(&code));
    assert!(page.text().contains("Copy this authorization code"));
    // Without a session the native page asks to sign in.
    let res = app
        .get(location.trim_start_matches("https://woolly.test"), None)
        .await;
    assert!(res.text().contains("action=\"/oauth/sign_in\""));
    assert!(!res.text().contains(&format!(">{code}<")));
    let res = exchange(&app, &client, &code, &[("redirect_uri", OOB)]).await;
    assert_eq!(res.status, 200, "{}", res.text());
}

#[db_test]
async fn untrusted_client_or_redirect_uri_shows_an_error_page(app: TestApp) {
    let client = register(&app, REDIRECT, "read").await;
    let unknown = crate::oauth::support::Client {
        client_id: "nope".into(),
        ..client.clone()
    };
    let cases = [
        (
            authorize_path(&client, "https://evil.example/callback", &[]),
            "invalid_redirect_uri",
        ),
        (
            authorize_path(&client, "https://client.example/callback/", &[]),
            "invalid_redirect_uri",
        ),
        (authorize_path(&unknown, REDIRECT, &[]), "invalid_client"),
        (
            "/oauth/authorize?response_type=code".to_owned(),
            "invalid_request",
        ),
        (
            format!(
                "/oauth/authorize?response_type=code&client_id={}",
                client.client_id
            ),
            "invalid_redirect_uri",
        ),
    ];
    for (path, error) in cases {
        let res = app.get(&path, None).await;
        assert_eq!(res.status, 400, "{path}");
        assert!(res.header("location").is_none(), "{path}");
        assert!(
            res.text()
                .contains(&format!("<span id=\"error-code\">{error}</span>")),
            "{path}: {}",
            res.text()
        );
    }
}

#[db_test]
async fn bad_scope_or_response_type_redirects_with_error_and_state(app: TestApp) {
    let client = register(&app, REDIRECT, "read write").await;
    let cases = [
        (
            vec![("scope", "read bogus"), ("state", "st")],
            "invalid_scope",
        ),
        (vec![("scope", "follow"), ("state", "st")], "invalid_scope"),
    ];
    for (extra, error) in cases {
        let res = app
            .get(&authorize_path(&client, REDIRECT, &extra), None)
            .await;
        assert_eq!(res.status, 302);
        let location = res.location();
        assert_eq!(query_param(&location, "error").as_deref(), Some(error));
        assert_eq!(
            query_param(&location, "error_description").as_deref(),
            Some("The requested scope is invalid, unknown, or malformed.")
        );
        assert_eq!(query_param(&location, "state").as_deref(), Some("st"));
    }
    let path = format!(
        "/oauth/authorize?response_type=token&client_id={}&redirect_uri={}",
        client.client_id, REDIRECT
    );
    let location = app.get(&path, None).await.location();
    assert_eq!(
        query_param(&location, "error").as_deref(),
        Some("unsupported_response_type")
    );
    assert!(query_param(&location, "state").is_none());
    let path = format!(
        "/oauth/authorize?client_id={}&redirect_uri={}",
        client.client_id, REDIRECT
    );
    let location = app.get(&path, None).await.location();
    assert_eq!(
        query_param(&location, "error_description").as_deref(),
        Some("Missing required parameter: response_type.")
    );
    // An OOB client gets the error on a page instead.
    let oob = register(&app, OOB, "read").await;
    let res = app
        .get(&authorize_path(&oob, OOB, &[("scope", "write")]), None)
        .await;
    assert_eq!(res.status, 400);
    assert!(res.header("location").is_none());
}

#[db_test]
async fn deny_redirects_with_access_denied(app: TestApp) {
    app.user("alice").await;
    let client = register(&app, REDIRECT, "read").await;
    for (method, action) in [
        (Method::POST, "/oauth/authorize/deny"),
        (Method::DELETE, "/oauth/authorize"),
        (Method::POST, "/oauth/authorize?_method=delete"),
    ] {
        let mut browser = Browser::default();
        let consent = browser
            .alice_consent_page(&app, &client, &[("state", "q")])
            .await;
        let csrf = crate::oauth::support::hidden(&consent, "authenticity_token");
        let res = browser
            .send(
                &app,
                method,
                action,
                Some(&[
                    ("authenticity_token", &csrf),
                    ("client_id", &client.client_id),
                    ("redirect_uri", REDIRECT),
                    ("response_type", "code"),
                    ("state", "q"),
                ]),
            )
            .await;
        assert_eq!(res.status, 302);
        let location = res.location();
        assert_eq!(
            query_param(&location, "error").as_deref(),
            Some("access_denied")
        );
        assert_eq!(
            query_param(&location, "error_description").as_deref(),
            Some("The resource owner or authorization server denied the request.")
        );
        assert_eq!(query_param(&location, "state").as_deref(), Some("q"));
        assert!(query_param(&location, "code").is_none());
    }
}

#[db_test]
async fn consent_needs_csrf_and_a_session(app: TestApp) {
    app.user("alice").await;
    let client = register(&app, REDIRECT, "read").await;
    let mut browser = Browser::default();
    let consent = browser.alice_consent_page(&app, &client, &[]).await;
    // No token, and a token that is not the cookie's.
    for token in ["", "forged-token-forged-token-forged-token-000"] {
        let pairs = [
            ("authenticity_token", token),
            ("response_type", "code"),
            ("client_id", client.client_id.as_str()),
            ("redirect_uri", REDIRECT),
        ];
        let res = browser.post(&app, "/oauth/authorize", &pairs).await;
        assert_eq!(res.status, 422);
        assert!(res.header("location").is_none());
    }
    // A valid form without the session cookie: sign in first.
    let mut stranger = Browser {
        cookies: browser
            .cookies
            .iter()
            .filter(|(k, _)| k != "_woolly_session")
            .cloned()
            .collect(),
    };
    let res = stranger.consent(&app, &consent, "/oauth/authorize").await;
    assert_eq!(res.status, 401);
    assert!(res.text().contains("action=\"/oauth/sign_in\""));
    // Still works for the real browser.
    assert_eq!(
        browser
            .consent(&app, &consent, "/oauth/authorize")
            .await
            .status,
        302
    );
}

#[db_test]
async fn consent_is_skipped_for_a_matching_live_token_unless_force_login(app: TestApp) {
    app.user("alice").await;
    let client = register(&app, REDIRECT, "read write").await;
    let mut browser = Browser::default();
    let location = browser
        .authorize(
            &app,
            &authorize_path(&client, REDIRECT, &[]),
            "alice@example.com",
        )
        .await;
    let code = query_param(&location, "code").unwrap_or_default();
    assert_eq!(exchange(&app, &client, &code, &[]).await.status, 200);
    // Same app, user and scopes: straight back with a new code.
    let res = browser
        .get(
            &app,
            &authorize_path(&client, REDIRECT, &[("state", "again")]),
        )
        .await;
    assert_eq!(res.status, 302);
    let location = res.location();
    assert!(query_param(&location, "code").is_some());
    assert_eq!(query_param(&location, "state").as_deref(), Some("again"));
    // Other scopes, or force_login: the consent page.
    let res = browser
        .get(
            &app,
            &authorize_path(&client, REDIRECT, &[("scope", "read write")]),
        )
        .await;
    assert_eq!(res.status, 200);
    let res = browser
        .get(
            &app,
            &authorize_path(&client, REDIRECT, &[("force_login", "true")]),
        )
        .await;
    assert_eq!(res.status, 200);
    assert!(res.text().contains("Authorization required"));
}
