//! The moderation console's gates, in-process: sign-in through the OAuth form and back,
//! the API's permission and position rules as pages (403), CSRF (422, nothing changed),
//! stale sessions (sign in again), and a few rendered pages.

use woolly_testkit::{TestApp, db_test};

use super::support::{Spec, local, staff};
use crate::oauth::support::{Browser, hidden};

/// Signs `username` in through the console's sign-in form; returns the browser.
async fn signed_in(app: &TestApp, username: &str) -> Browser {
    let mut browser = Browser::default();
    let page = browser.get(app, "/admin/accounts?status=pending").await;
    assert_eq!(page.status, 200, "{}", page.text());
    let text = page.text();
    assert!(text.contains("action=\"/oauth/sign_in\""), "{text}");
    assert_eq!(hidden(&text, "return_to"), "/admin/accounts?status=pending");
    let res = browser
        .sign_in(
            app,
            &text,
            &format!("{username}@example.com"),
            "password123",
        )
        .await;
    assert_eq!(res.status, 302, "{}", res.text());
    assert_eq!(
        res.header("location").as_deref(),
        Some("/admin/accounts?status=pending")
    );
    browser
}

/// The CSRF token of a console page.
async fn csrf(app: &TestApp, browser: &mut Browser, path: &str) -> String {
    let page = browser.get(app, path).await;
    hidden(&page.text(), "authenticity_token")
}

#[db_test]
async fn the_console_asks_for_the_oauth_sign_in_and_returns_to_the_page(app: TestApp) {
    let s = staff(&app).await;
    local(
        &app,
        "newbie",
        Spec {
            pending: true,
            ..Spec::default()
        },
    )
    .await;
    let mut owner = signed_in(&app, "own").await;
    let list = owner.get(&app, "/admin/accounts?status=pending").await;
    assert_eq!(list.status, 200);
    let html = list.text();
    assert!(html.contains("@newbie"), "{html}");
    assert!(
        html.contains("<option value=\"pending\" selected>"),
        "the form keeps its values"
    );
    assert!(html.contains("Pending</span>"));
    assert_eq!(
        list.header("content-type").as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert!(
        list.header("content-security-policy")
            .unwrap_or_default()
            .contains("default-src 'none'")
    );
    assert_eq!(owner.get(&app, "/admin/console.css").await.status, 200);
    // the owner's own page: the sign-in put an address in the IP history
    let page = owner
        .get(&app, &format!("/admin/accounts/{}", s.owner.account_id))
        .await;
    assert_eq!(page.status, 200, "{}", page.text());
    assert!(
        page.text().contains("Accounts from this IP"),
        "{}",
        page.text()
    );
}

#[db_test]
async fn a_plain_user_sees_no_console_page(app: TestApp) {
    staff(&app).await;
    let target = local(&app, "target", Spec::default()).await;
    let mut plain = signed_in(&app, "plain").await;
    for path in [
        "/admin".to_owned(),
        "/admin/accounts".to_owned(),
        format!("/admin/accounts/{target}"),
        "/admin/reports".to_owned(),
        "/admin/action_logs".to_owned(),
    ] {
        let res = plain.get(&app, &path).await;
        assert_eq!(res.status, 403, "{path}");
        assert!(res.text().contains("This action is not allowed"), "{path}");
    }
    let token = csrf(&app, &mut plain, "/admin").await;
    assert!(
        !token.is_empty(),
        "the sign-out form of the refusal page carries the token"
    );
    let res = plain
        .post(
            &app,
            &format!("/admin/accounts/{target}/action"),
            &[("authenticity_token", &token), ("type", "suspend")],
        )
        .await;
    assert_eq!(res.status, 403);
    let suspended = app
        .scalar_with(
            "SELECT COUNT(*) FROM accounts WHERE id = $1 AND suspended_at IS NOT NULL",
            &[target],
        )
        .await;
    assert_eq!(suspended, 0);
}

#[db_test]
async fn a_moderator_may_not_act_on_an_admin_or_delete_data(app: TestApp) {
    let s = staff(&app).await;
    let admin_id: i64 = s.admin.account_id.parse().unwrap_or_default();
    let target = local(&app, "target", Spec::default()).await;
    let mut moderator = signed_in(&app, "mod").await;
    let token = csrf(&app, &mut moderator, "/admin/accounts").await;
    for kind in ["silence", "suspend", "disable", "sensitive"] {
        let res = moderator
            .post(
                &app,
                &format!("/admin/accounts/{admin_id}/action"),
                &[("authenticity_token", &token), ("type", kind)],
            )
            .await;
        assert_eq!(res.status, 403, "{kind}");
    }
    assert_eq!(
        app.scalar_with(
            "SELECT COUNT(*) FROM account_warnings WHERE target_account_id = $1",
            &[admin_id]
        )
        .await,
        0
    );
    // on a plain user the same form works and lands on the account page
    let res = moderator
        .post(
            &app,
            &format!("/admin/accounts/{target}/action"),
            &[
                ("authenticity_token", &token),
                ("type", "suspend"),
                ("text", "spam"),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text());
    assert_eq!(
        res.header("location"),
        Some(format!("/admin/accounts/{target}?done=suspend"))
    );
    let page = moderator
        .get(&app, &format!("/admin/accounts/{target}?done=suspend"))
        .await;
    assert!(page.text().contains("account suspended"));
    assert!(page.text().contains("Suspended</span>"));
    // deleting data needs delete_user_data, which Moderators lack
    let res = moderator
        .post(
            &app,
            &format!("/admin/accounts/{target}/delete"),
            &[("authenticity_token", &token)],
        )
        .await;
    assert_eq!(res.status, 403);
    assert_eq!(
        app.scalar_with(
            "SELECT COUNT(*) FROM accounts WHERE id = $1 AND suspended_at IS NOT NULL",
            &[target]
        )
        .await,
        1
    );
}

#[db_test]
async fn forms_without_the_csrf_token_change_nothing(app: TestApp) {
    staff(&app).await;
    let pending = local(
        &app,
        "newbie",
        Spec {
            pending: true,
            ..Spec::default()
        },
    )
    .await;
    let mut owner = signed_in(&app, "own").await;
    let path = format!("/admin/accounts/{pending}/approve");
    for form in [
        vec![],
        vec![(
            "authenticity_token",
            "forged-token-forged-token-forged-token-000",
        )],
    ] {
        let res = owner.post(&app, &path, &form).await;
        assert_eq!(res.status, 422);
        assert!(res.text().contains("Invalid authenticity token"));
    }
    // the right token without the cookie (another site's form)
    let token = csrf(&app, &mut owner, "/admin/accounts").await;
    let mut other = Browser {
        cookies: owner
            .cookies
            .iter()
            .filter(|(k, _)| k != "_woolly_csrf")
            .cloned()
            .collect(),
    };
    let res = other
        .post(&app, &path, &[("authenticity_token", &token)])
        .await;
    assert_eq!(res.status, 422);
    assert_eq!(
        app.scalar_with(
            "SELECT COUNT(*) FROM users WHERE account_id = $1 AND approved = TRUE",
            &[pending]
        )
        .await,
        0
    );
    // and with it, the approval goes through
    let res = owner
        .post(&app, &path, &[("authenticity_token", &token)])
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(
        app.scalar_with(
            "SELECT COUNT(*) FROM users WHERE account_id = $1 AND approved = TRUE",
            &[pending]
        )
        .await,
        1
    );
}

#[db_test]
async fn a_stale_session_must_sign_in_again_and_sign_out_ends_it(app: TestApp) {
    staff(&app).await;
    let mut owner = signed_in(&app, "own").await;
    assert_eq!(owner.get(&app, "/admin/accounts").await.status, 200);
    let user = woolly::services::operator::find_user(&app.state, "own")
        .await
        .map(|u| u.id)
        .unwrap_or_default();
    // signed in 13 hours ago: the web session lives on, the console wants a new sign-in
    app.sql_with(
        "UPDATE web_sessions SET created_at = created_at - 46800000 WHERE user_id = $1",
        &[user],
    )
    .await;
    let res = owner.get(&app, "/admin/accounts").await;
    assert_eq!(res.status, 401);
    assert!(res.text().contains("Your session has expired"));
    let mut owner = signed_in(&app, "own").await;
    let token = csrf(&app, &mut owner, "/admin").await;
    let res = owner
        .post(&app, "/admin/sign_out", &[("authenticity_token", &token)])
        .await;
    assert_eq!(res.status, 302);
    let res = owner.get(&app, "/admin/accounts").await;
    assert_eq!(res.status, 200);
    assert!(res.text().contains("action=\"/oauth/sign_in\""));
}

#[db_test]
async fn unknown_or_malformed_ids_are_404_pages(app: TestApp) {
    staff(&app).await;
    let mut owner = signed_in(&app, "own").await;
    for path in [
        "/admin/accounts/123456789",
        "/admin/accounts/abc",
        "/admin/reports/42",
    ] {
        let res = owner.get(&app, path).await;
        assert_eq!(res.status, 404, "{path}");
        assert!(res.text().contains("Record not found"));
    }
    let res = owner.get(&app, "/admin/accounts?origin=mars").await;
    assert_eq!(res.status, 400);
    assert!(res.text().contains("Unknown origin: mars"));
}

#[db_test]
async fn staff_notes_are_written_by_report_managers_and_removed_by_author_or_a_higher_role(
    app: TestApp,
) {
    staff(&app).await;
    let target = local(&app, "target", Spec::default()).await;
    let notes_path = format!("/admin/accounts/{target}/notes");
    let page_path = format!("/admin/accounts/{target}");
    let mut owner = signed_in(&app, "own").await;
    let owner_token = csrf(&app, &mut owner, &page_path).await;
    let res = owner
        .post(
            &app,
            &notes_path,
            &[("authenticity_token", &owner_token), ("content", "  ")],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(
        res.text().contains("Content can&#x27;t be blank")
            || res.text().contains("Content can't be blank"),
        "{}",
        res.text()
    );
    let long = "x".repeat(2001);
    let res = owner
        .post(
            &app,
            &notes_path,
            &[("authenticity_token", &owner_token), ("content", &long)],
        )
        .await;
    assert_eq!(res.status, 422);
    let res = owner
        .post(
            &app,
            &notes_path,
            &[
                ("authenticity_token", &owner_token),
                ("content", "Known spammer <b>elsewhere</b>"),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    let html = owner.get(&app, &page_path).await.text();
    assert!(
        html.contains("Known spammer &lt;b&gt;elsewhere&lt;&#x2f;b&gt;"),
        "escaped: {html}"
    );
    let mut moderator = signed_in(&app, "mod").await;
    let mod_token = csrf(&app, &mut moderator, &page_path).await;
    let res = moderator
        .post(
            &app,
            &notes_path,
            &[("authenticity_token", &mod_token), ("content", "Watching")],
        )
        .await;
    assert_eq!(res.status, 303);
    let owner_note = app
        .scalar_with(
            "SELECT MIN(id) FROM account_moderation_notes WHERE target_account_id = $1",
            &[target],
        )
        .await;
    let mod_note = app
        .scalar_with(
            "SELECT MAX(id) FROM account_moderation_notes WHERE target_account_id = $1",
            &[target],
        )
        .await;
    // a Moderator is below the Owner: the Owner's note stays
    let res = moderator
        .post(
            &app,
            &format!("/admin/notes/{owner_note}/delete"),
            &[("authenticity_token", &mod_token)],
        )
        .await;
    assert_eq!(res.status, 403);
    let res = owner
        .post(
            &app,
            &format!("/admin/notes/{mod_note}/delete"),
            &[("authenticity_token", &owner_token)],
        )
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(
        res.header("location"),
        Some(format!("/admin/accounts/{target}?done=note_deleted"))
    );
    let res = owner
        .post(
            &app,
            &format!("/admin/notes/{mod_note}/delete"),
            &[("authenticity_token", &owner_token)],
        )
        .await;
    assert_eq!(res.status, 404);
    // a plain user writes none
    let mut plain = signed_in(&app, "plain").await;
    let plain_token = csrf(&app, &mut plain, "/admin").await;
    let res = plain
        .post(
            &app,
            &notes_path,
            &[("authenticity_token", &plain_token), ("content", "hi")],
        )
        .await;
    assert_eq!(res.status, 403);
    assert_eq!(
        app.scalar_with(
            "SELECT COUNT(*) FROM account_moderation_notes WHERE target_account_id = $1",
            &[target]
        )
        .await,
        1
    );
}

#[db_test]
async fn sign_in_returns_only_to_console_paths(app: TestApp) {
    staff(&app).await;
    for (to, expect) in [
        ("/admin", "/admin"),
        ("/admin/reports?resolved=1", "/admin/reports?resolved=1"),
        ("/administrator", "/oauth/authorize"),
        ("https://evil.example/admin", "/oauth/authorize"),
    ] {
        let mut browser = Browser::default();
        let page = browser.get(&app, "/admin").await.text();
        let res = browser
            .sign_in_with(
                &app,
                &hidden(&page, "authenticity_token"),
                to,
                "own@example.com",
                "password123",
            )
            .await;
        assert_eq!(res.status, 302, "{to}");
        assert_eq!(res.header("location").as_deref(), Some(expect), "{to}");
    }
}

#[db_test]
async fn the_report_queue_filters_by_the_targets_origin(app: TestApp) {
    let s = staff(&app).await;
    let near = local(&app, "near", Spec::default()).await.to_string();
    let far = app.remote_account("far", "remote.example", false).await;
    let mut report_ids = Vec::new();
    for target in [&near, &far] {
        let res = app
            .post(
                "/api/v1/reports",
                Some(&s.user.token),
                &[("account_id", target.as_str()), ("comment", "spam")],
            )
            .await;
        assert_eq!(res.status, 200, "{}", res.text());
        report_ids.push(res.json()["id"].as_str().unwrap_or_default().to_owned());
    }
    let mut owner = signed_in(&app, "own").await;
    for (origin, shown, hidden_id) in [
        ("local", &report_ids[0], &report_ids[1]),
        ("remote", &report_ids[1], &report_ids[0]),
    ] {
        let page = owner
            .get(&app, &format!("/admin/reports?target_origin={origin}"))
            .await;
        assert_eq!(page.status, 200);
        let text = page.text();
        assert!(
            text.contains(&format!("Report {shown}<")),
            "{origin}: {text}"
        );
        assert!(!text.contains(&format!("Report {hidden_id}<")), "{origin}");
        assert!(
            text.contains(&format!("value=\"{origin}\" selected")),
            "the form keeps the filter"
        );
    }
    let all = owner
        .get(&app, "/admin/reports?target_origin=")
        .await
        .text();
    assert!(
        report_ids
            .iter()
            .all(|id| all.contains(&format!("Report {id}<")))
    );
}
