//! `POST /api/v1/accounts`: gate, validations with `details`, the token, approval modes and
//! the sign-up throttle.
#![allow(clippy::unwrap_used, clippy::panic)]

mod confirmation;

use serde_json::{Value, json};
use woolly::config::RegistrationsMode;
use woolly::db::repo::oauth;
use woolly::domain::{secrets, time};
use woolly_testkit::{TestApp, TestResponse, db_test};

/// An app with `scopes` and a client-credentials token of `token_scopes`; returns the token.
pub async fn app_token(app: &TestApp, scopes: &str, token_scopes: &str) -> String {
    let mut conn = app.state.db().conn().await.unwrap();
    let mut ex = conn.exec();
    let app_id = app.state.next_id();
    oauth::insert_app(
        &mut ex,
        &oauth::AppRow {
            id: app_id,
            name: "Signup client".into(),
            website: None,
            redirect_uri: "urn:ietf:wg:oauth:2.0:oob".into(),
            scopes: scopes.into(),
            client_id: format!("client-{app_id}"),
            client_secret_digest: secrets::digest("secret"),
            superapp: false,
            created_at: time::now(),
        },
    )
    .await
    .unwrap();
    let token = secrets::random_token().unwrap();
    oauth::insert_token(
        &mut ex,
        &oauth::NewToken {
            id: app.state.next_id(),
            digest: &secrets::digest(&token),
            application_id: Some(app_id),
            resource_owner_id: None,
            scopes: token_scopes,
            grant_id: None,
            now: time::now(),
        },
    )
    .await
    .unwrap();
    token
}

pub fn valid_form<'a>(username: &'a str, email: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("username", username),
        ("email", email),
        ("password", "correct horse battery"),
        ("agreement", "true"),
        ("locale", "de"),
    ]
}

/// The confirmation token of the first mail to `to`; waits for the background send.
pub async fn confirmation_token(app: &TestApp, to: &str) -> String {
    for _ in 0..100 {
        if let Some(token) = app.confirmation_tokens(to).pop() {
            return token;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("no confirmation mail to {to}");
}

/// Opens the confirmation link of a mail (`/auth/confirmation?confirmation_token=…`).
pub async fn visit_confirmation(app: &TestApp, token: &str) -> TestResponse {
    let path = format!("/auth/confirmation?confirmation_token={token}");
    app.get(&path, None).await
}

async fn sign_up(app: &TestApp, token: &str, form: &[(&str, &str)]) -> TestResponse {
    app.post("/api/v1/accounts", Some(token), form).await
}

#[db_test]
async fn happy_path_token_works_after_confirmation(app: TestApp) {
    let token = app_token(&app, "read write follow", "write").await;
    let res = sign_up(&app, &token, &valid_form("newbie", " NewBie@Example.ORG ")).await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(
        res.header("cache-control").as_deref(),
        Some("no-store, no-cache")
    );
    assert_eq!(res.header("pragma").as_deref(), Some("no-cache"));
    let body = res.json();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["scope"], "read write follow");
    assert!(
        body["created_at"]
            .as_i64()
            .is_some_and(|t| (t - time::now() / 1000).abs() < 60)
    );
    assert_eq!(body.as_object().map(|o| o.len()), Some(4));
    let user_token = body["access_token"].as_str().unwrap().to_owned();

    let res = app.verify_credentials(&user_token).await;
    assert_eq!(res.status, 403);
    assert_eq!(
        res.error(),
        "Your login is missing a confirmed e-mail address"
    );

    let confirm = confirmation_token(&app, "newbie@example.org").await;
    let page = visit_confirmation(&app, &confirm).await;
    assert_eq!(page.status, 200);
    assert!(
        page.header("content-type")
            .unwrap_or_default()
            .starts_with("text/html")
    );
    assert!(page.text().contains("confirmed"));

    let res = app.verify_credentials(&user_token).await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["username"], "newbie");

    // the link works once
    let again = visit_confirmation(&app, &confirm).await;
    assert_eq!(again.status, 404);

    let user = woolly::services::operator::find_user(&app.state, "newbie")
        .await
        .unwrap();
    assert_eq!(user.email, "newbie@example.org");
    assert_eq!(user.locale.as_deref(), Some("de"));
    assert_eq!(user.sign_up_ip.as_deref(), Some("127.0.0.1"));
    assert!(user.created_by_application_id.is_some());
    assert!(user.approved);
}

#[db_test]
async fn json_body_and_normalised_locale_and_zone(app: TestApp) {
    let token = app_token(&app, "read write", "write:accounts").await;
    let res = app
        .json_request(
            axum::http::Method::POST,
            "/api/v1/accounts",
            Some(&token),
            &json!({
                "username": "jsonny", "email": "j@example.org", "password": "12345678",
                "agreement": true, "locale": "xx-nope", "time_zone": "Mars/Base",
                "date_of_birth": "garbage",
            }),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let user = woolly::services::operator::find_user(&app.state, "jsonny")
        .await
        .unwrap();
    assert_eq!(user.locale, None);
    assert_eq!(user.time_zone, None);

    let res = sign_up(
        &app,
        &token,
        &[
            ("username", "zoned"),
            ("email", "z@example.org"),
            ("password", "12345678"),
            ("agreement", "1"),
            ("time_zone", "Europe/Berlin"),
        ],
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let user = woolly::services::operator::find_user(&app.state, "zoned")
        .await
        .unwrap();
    assert_eq!(user.time_zone.as_deref(), Some("Europe/Berlin"));
}

/// Parameter overrides, detail key, (code, description), full message.
type Case<'a> = (
    Vec<(&'a str, &'a str)>,
    &'a str,
    (&'a str, &'a str),
    &'a str,
);

fn detail(body: &Value, key: &str) -> Vec<(String, String)> {
    body["details"][key]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| {
                    (
                        e["error"].as_str().unwrap_or("").to_owned(),
                        e["description"].as_str().unwrap_or("").to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[db_test]
async fn blank_everything(app: TestApp) {
    let token = app_token(&app, "read write", "write").await;
    let res = sign_up(&app, &token, &[]).await;
    assert_eq!(res.status, 422);
    let body = res.json();
    assert_eq!(
        body["error"],
        "Validation failed: E-mail address can't be blank, E-mail address is \
         invalid, Password can't be blank, Username can't be blank, Service \
         agreement must be accepted"
    );
    assert_eq!(
        detail(&body, "email"),
        vec![
            ("ERR_BLANK".into(), "can't be blank".into()),
            ("ERR_INVALID".into(), "is invalid".into())
        ]
    );
    assert_eq!(
        detail(&body, "password"),
        vec![("ERR_BLANK".into(), "can't be blank".into())]
    );
    assert_eq!(
        detail(&body, "username"),
        vec![("ERR_BLANK".into(), "can't be blank".into())]
    );
    assert_eq!(
        detail(&body, "agreement"),
        vec![("ERR_ACCEPTED".into(), "must be accepted".into())]
    );
    assert_eq!(body["details"].as_object().map(|o| o.len()), Some(4));
}

#[db_test(config = |cfg| { cfg.rate_limits = false; })]
async fn each_validation_error(app: TestApp) {
    let token = app_token(&app, "read write", "write").await;
    app.user("taken").await;
    let long_name = "a".repeat(31);
    let long_email = format!("{}@example.org", "e".repeat(320));
    let long_password = "p".repeat(73);
    let long_reason = "r".repeat(421);
    let cases: Vec<Case> = vec![
        (
            vec![("username", "bad-name")],
            "username",
            (
                "ERR_INVALID",
                "must contain only letters, numbers and underscores",
            ),
            "Username must contain only letters, numbers and underscores",
        ),
        (
            vec![("username", &long_name)],
            "username",
            ("ERR_TOO_LONG", "is too long (maximum is 30 characters)"),
            "Username is too long (maximum is 30 characters)",
        ),
        (
            vec![("username", "TAKEN")],
            "username",
            ("ERR_TAKEN", "has already been taken"),
            "Username has already been taken",
        ),
        (
            vec![("username", "admin")],
            "username",
            ("ERR_RESERVED", "is reserved"),
            "Username is reserved",
        ),
        (
            vec![("email", "not-an-email")],
            "email",
            ("ERR_INVALID", "is invalid"),
            "E-mail address is invalid",
        ),
        (
            vec![("email", "a%b@example.org")],
            "email",
            ("ERR_INVALID", "is invalid"),
            "E-mail address is invalid",
        ),
        (
            vec![("email", &long_email)],
            "email",
            ("ERR_TOO_LONG", "is too long (maximum is 320 characters)"),
            "E-mail address is too long (maximum is 320 characters)",
        ),
        (
            vec![("email", "Taken@Example.com")],
            "email",
            ("ERR_TAKEN", "has already been taken"),
            "E-mail address has already been taken",
        ),
        (
            vec![("password", "short")],
            "password",
            ("ERR_TOO_SHORT", "is too short (minimum is 8 characters)"),
            "Password is too short (minimum is 8 characters)",
        ),
        (
            vec![("password", &long_password)],
            "password",
            ("ERR_TOO_LONG", "is too long (maximum is 72 characters)"),
            "Password is too long (maximum is 72 characters)",
        ),
        (
            vec![("agreement", "false")],
            "agreement",
            ("ERR_ACCEPTED", "must be accepted"),
            "Service agreement must be accepted",
        ),
        (
            vec![("agreement", "yes")],
            "agreement",
            ("ERR_ACCEPTED", "must be accepted"),
            "Service agreement must be accepted",
        ),
        (
            vec![("reason", &long_reason)],
            "reason",
            ("ERR_TOO_LONG", "is too long (maximum is 420 characters)"),
            "Reason is too long (maximum is 420 characters)",
        ),
    ];
    for (overrides, key, (code, description), message) in cases {
        let mut form = valid_form("fresh", "fresh@example.org");
        for (k, v) in overrides {
            form.retain(|(fk, _)| *fk != k);
            form.push((k, v));
        }
        let res = sign_up(&app, &token, &form).await;
        assert_eq!(res.status, 422, "{key}: {}", res.text());
        let body = res.json();
        assert_eq!(body["error"], format!("Validation failed: {message}"));
        assert_eq!(
            detail(&body, key),
            vec![(code.to_owned(), description.to_owned())]
        );
        assert_eq!(body["details"].as_object().map(|o| o.len()), Some(1));
    }
    // nothing was created
    assert!(
        woolly::services::operator::find_user(&app.state, "fresh")
            .await
            .is_err()
    );
}

#[db_test]
async fn blocked_email_domains_and_canonical_blocks(app: TestApp) {
    let token = app_token(&app, "read write", "write").await;
    app.sql(
        "INSERT INTO email_domain_blocks (id, domain, allow_with_approval, created_at) \
         VALUES (1, 'spam.example', FALSE, 0), (2, 'meh.example', TRUE, 0)",
    )
    .await;
    let hash = woolly::services::registration::canonical_email_hash("banned@example.org");
    app.sql(&format!(
        "INSERT INTO canonical_email_blocks (id, canonical_email_hash, created_at) \
         VALUES (1, '{hash}', 0)"
    ))
    .await;
    let res = sign_up(&app, &token, &valid_form("spammer", "x@mail.spam.example")).await;
    assert_eq!(res.status, 422);
    assert_eq!(
        detail(&res.json(), "email"),
        vec![(
            "ERR_BLOCKED".into(),
            "uses a disallowed e-mail provider".into()
        )]
    );
    assert_eq!(
        res.error(),
        "Validation failed: E-mail address uses a disallowed e-mail provider"
    );

    let res = sign_up(&app, &token, &valid_form("banned", "B.anned+x@example.org")).await;
    assert_eq!(res.status, 422);
    assert_eq!(
        detail(&res.json(), "email"),
        vec![("ERR_TAKEN".into(), "has already been taken".into())]
    );

    // allow-with-approval: created, but pending
    let res = sign_up(&app, &token, &valid_form("meh", "x@meh.example")).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let user = woolly::services::operator::find_user(&app.state, "meh")
        .await
        .unwrap();
    assert!(!user.approved);
}

#[db_test(config = |cfg| { cfg.registrations = RegistrationsMode::Approval; })]
async fn approval_mode_keeps_users_pending_with_their_reason(app: TestApp) {
    let token = app_token(&app, "read write", "write").await;
    let mut form = valid_form("hopeful", "hopeful@example.org");
    form.push(("reason", "  I like sheep  "));
    let res = sign_up(&app, &token, &form).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let user_token = res.json()["access_token"].as_str().unwrap().to_owned();
    app.user_with("sheriff", Some("Moderator"), "read").await;
    app.user("bystander").await;
    let confirm = confirmation_token(&app, "hopeful@example.org").await;
    assert_eq!(visit_confirmation(&app, &confirm).await.status, 200);
    let res = app.verify_credentials(&user_token).await;
    assert_eq!(res.status, 403);
    assert_eq!(res.error(), "Your login is currently pending approval");
    let user = woolly::services::operator::find_user(&app.state, "hopeful")
        .await
        .unwrap();
    assert!(!user.approved);
    let reason =
        "SELECT COUNT(*) FROM user_invite_requests WHERE user_id = $1 AND text = 'I like sheep'";
    assert_eq!(app.scalar_with(reason, &[user.id]).await, 1);
    // staff who can manage users hear about it, others do not
    let mut review = Vec::new();
    for _ in 0..100 {
        review = app.mails_to("sheriff@example.com");
        if !review.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(review.len(), 1);
    assert!(
        review[0].contains("New account up for review on woolly.test (hopeful)"),
        "{}",
        review[0]
    );
    assert!(review[0].contains("Reason: I like sheep"));
    assert!(app.mails_to("bystander@example.com").is_empty());
}

#[db_test(config = |cfg| {
    cfg.registrations = RegistrationsMode::Approval;
    cfg.require_invite_text = true;
})]
async fn required_reason_in_approval_mode(app: TestApp) {
    let token = app_token(&app, "read write", "write").await;
    let res = sign_up(&app, &token, &valid_form("quiet", "quiet@example.org")).await;
    assert_eq!(res.status, 422);
    assert_eq!(res.error(), "Validation failed: Reason can't be blank");
    assert_eq!(
        detail(&res.json(), "reason"),
        vec![("ERR_BLANK".into(), "can't be blank".into())]
    );
}

#[db_test(config = |cfg| {
    cfg.registrations = RegistrationsMode::Closed;
    cfg.rate_limits = false;
})]
async fn closed_mode_is_forbidden_without_a_valid_invite(app: TestApp) {
    let token = app_token(&app, "read write", "write").await;
    let res = sign_up(&app, &token, &valid_form("outsider", "o@example.org")).await;
    assert_eq!(res.status, 403);
    assert_eq!(res.json(), json!({"error": "Forbidden"}));

    app.user("inviter").await;
    app.user_with("boss", Some("Owner"), "read").await;
    let inviter = woolly::services::operator::find_user(&app.state, "inviter")
        .await
        .unwrap();
    let boss = woolly::services::operator::find_user(&app.state, "boss")
        .await
        .unwrap();
    app.sql_with(
        "INSERT INTO invites (id, user_id, code, max_uses, uses, created_at) \
         VALUES (1, $1, 'GOODCODE', 1, 0, 0), (2, $1, 'OLDCODE', NULL, 0, 0), \
         (3, $2, 'BOSSCODE', NULL, 0, 0)",
        &[inviter.id, boss.id],
    )
    .await;
    app.sql("UPDATE invites SET expires_at = 1 WHERE code = 'OLDCODE'")
        .await;
    let mut form = valid_form("expired", "e@example.org");
    form.push(("invite_code", "OLDCODE"));
    assert_eq!(sign_up(&app, &token, &form).await.status, 403);

    // an invite from a user whose role cannot bypass approval: created, pending
    let mut form = valid_form("invited", "i@example.org");
    form.push(("invite_code", "GOODCODE"));
    let res = sign_up(&app, &token, &form).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let user = woolly::services::operator::find_user(&app.state, "invited")
        .await
        .unwrap();
    assert_eq!(user.invite_id, Some(1));
    assert!(!user.approved);

    // the owner's invite skips approval
    let mut form = valid_form("welcomed", "w@example.org");
    form.push(("invite_code", "BOSSCODE"));
    assert_eq!(sign_up(&app, &token, &form).await.status, 200);
    let user = woolly::services::operator::find_user(&app.state, "welcomed")
        .await
        .unwrap();
    assert!(user.approved);

    // an allow-with-approval e-mail domain still holds an invited user back; a blocked
    // one does not stop an invited user
    app.sql(
        "INSERT INTO email_domain_blocks (id, domain, allow_with_approval, created_at) \
         VALUES (1, 'meh.example', TRUE, 0), (2, 'spam.example', FALSE, 0)",
    )
    .await;
    for (name, email, approved) in [
        ("held", "held@meh.example", false),
        ("spammy", "s@spam.example", true),
    ] {
        let mut form = valid_form(name, email);
        form.push(("invite_code", "BOSSCODE"));
        assert_eq!(sign_up(&app, &token, &form).await.status, 200, "{name}");
        let user = woolly::services::operator::find_user(&app.state, name)
            .await
            .unwrap();
        assert_eq!(user.approved, approved, "{name}");
    }

    // used up
    let mut form = valid_form("second", "s@example.org");
    form.push(("invite_code", "GOODCODE"));
    assert_eq!(sign_up(&app, &token, &form).await.status, 403);
}

#[db_test]
async fn user_tokens_and_missing_tokens_are_refused(app: TestApp) {
    let alice = app.user("alice").await;
    let res = sign_up(&app, &alice.token, &valid_form("sneaky", "s@example.org")).await;
    assert_eq!(res.status, 403);
    assert_eq!(
        res.error(),
        "This method requires an client credentials authentication"
    );

    let res = app
        .post(
            "/api/v1/accounts",
            None,
            &valid_form("anon", "a@example.org"),
        )
        .await;
    assert_eq!(res.status, 401);
    assert_eq!(res.error(), "The access token is invalid");

    let read_only = app_token(&app, "read", "read").await;
    let res = sign_up(&app, &read_only, &valid_form("reader", "r@example.org")).await;
    assert_eq!(res.status, 403);
    assert_eq!(res.error(), "This action is outside the authorized scopes");
}

#[db_test]
async fn sign_up_is_throttled_per_ip(app: TestApp) {
    let token = app_token(&app, "read write", "write").await;
    for i in 0..5 {
        let name = format!("user{i}");
        let email = format!("u{i}@example.org");
        let res = sign_up(&app, &token, &valid_form(&name, &email)).await;
        assert_eq!(res.status, 200, "{}", res.text());
        assert_eq!(res.header("x-ratelimit-limit").as_deref(), Some("5"));
        assert_eq!(
            res.header("x-ratelimit-remaining"),
            Some((4 - i).to_string())
        );
    }
    let res = sign_up(&app, &token, &valid_form("user5", "u5@example.org")).await;
    assert_eq!(res.status, 429);
    assert_eq!(res.error(), "Too many requests");
    assert_eq!(res.header("x-ratelimit-limit").as_deref(), Some("5"));
    assert_eq!(res.header("x-ratelimit-remaining").as_deref(), Some("0"));
    assert!(
        res.header("x-ratelimit-reset")
            .is_some_and(|r| r.ends_with('Z'))
    );
}

#[db_test]
async fn blank_and_unparseable_emails(app: TestApp) {
    let token = app_token(&app, "read write", "write").await;
    let base = [
        ("username", "zed"),
        ("password", "password1"),
        ("agreement", "true"),
    ];
    let with = |email: &'static str| {
        let mut pairs = base.to_vec();
        pairs.push(("email", email));
        pairs
    };
    let res = sign_up(&app, &token, &with("   ")).await;
    assert_eq!(res.status, 422);
    let body = res.json();
    assert_eq!(
        body["error"],
        "Validation failed: E-mail address can't be blank, E-mail address is invalid"
    );
    assert_eq!(
        detail(&body, "email"),
        vec![
            ("ERR_BLANK".into(), "can't be blank".into()),
            ("ERR_INVALID".into(), "is invalid".into())
        ]
    );
    let res = sign_up(&app, &token, &with("a b@example.com")).await;
    assert_eq!(res.status, 422);
    assert_eq!(
        detail(&res.json(), "email"),
        vec![("ERR_INVALID".into(), "is invalid".into())]
    );
    // surrounding spaces are stripped, as upstream normalises
    let res = sign_up(&app, &token, &with("  zed@example.com ")).await;
    assert_eq!(res.status, 200, "{}", res.text());
}
