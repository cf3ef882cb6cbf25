//! GET /api/v1/admin/action_logs (ours): every change and its undo appear in the trail, with
//! filters, pagination and the view_audit_log permission.

use woolly_testkit::{TestApp, db_test};

use super::support::{Spec, account_post, local, path, staff};

#[db_test]
async fn the_trail_shows_each_action_and_its_undo(app: TestApp) {
    let s = staff(&app).await;
    let id = local(&app, "target", Spec::default()).await.to_string();
    let token = Some(s.moderator.token.as_str());
    let steps = [
        ("action", "silence", "unsilence"),
        ("action", "sensitive", "unsensitive"),
        ("action", "disable", "enable"),
        ("action", "suspend", "unsuspend"),
    ];
    for (_, act, undo) in steps {
        let res = app
            .post(
                &path("/api/v1/admin/accounts/:id/action", &id),
                token,
                &[("type", act), ("send_email_notification", "0")],
            )
            .await;
        assert_eq!(res.status, 200, "{act}");
        let res = app
            .post(
                &path(&format!("/api/v1/admin/accounts/:id/{undo}"), &id),
                token,
                &[],
            )
            .await;
        assert_eq!(res.status, 200, "{undo}");
    }
    let res = app
        .get(
            &format!("/api/v1/admin/action_logs?target_account_id={id}"),
            token,
        )
        .await;
    assert_eq!(res.status, 200);
    let logs = res.json();
    let actions: Vec<&str> = logs
        .as_array()
        .map(|a| a.iter().filter_map(|l| l["action"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        actions,
        [
            "unsuspend",
            "suspend",
            "enable",
            "disable",
            "unsensitive",
            "sensitive",
            "unsilence",
            "silence"
        ]
    );
    let first = &logs[0];
    assert_eq!(first["target_type"], "Account");
    assert_eq!(first["target_id"], id.as_str());
    assert_eq!(first["target_account_id"], id.as_str());
    assert_eq!(first["human_identifier"], "target");
    assert_eq!(first["account"]["id"], s.moderator.account_id.as_str());
    assert_eq!(logs[3]["target_type"], "User");
    assert!(
        first["created_at"]
            .as_str()
            .unwrap_or_default()
            .ends_with('Z')
    );
    // filters
    let res = app
        .get("/api/v1/admin/action_logs?action=suspend", token)
        .await;
    assert_eq!(res.json().as_array().map(Vec::len), Some(1));
    let res = app
        .get(
            &format!(
                "/api/v1/admin/action_logs?account_id={}",
                s.owner.account_id
            ),
            token,
        )
        .await;
    assert_eq!(res.json().as_array().map(Vec::len), Some(0));
    let res = app
        .get(
            &format!(
                "/api/v1/admin/action_logs?account_id={}",
                s.moderator.account_id
            ),
            token,
        )
        .await;
    assert_eq!(res.json().as_array().map(Vec::len), Some(8));
    // pagination
    let res = app
        .get("/api/v1/admin/action_logs?limit=3&action=", token)
        .await;
    let page = res.json();
    assert_eq!(page.as_array().map(Vec::len), Some(3));
    let link = res.header("link").unwrap_or_default();
    let last = page[2]["id"].as_str().unwrap_or_default();
    assert!(
        link.contains(&format!(
            "action_logs?action=&limit=3&max_id={last}>; rel=\"next\""
        )),
        "{link}"
    );
    let res = app
        .get(
            &format!("/api/v1/admin/action_logs?limit=3&max_id={last}"),
            token,
        )
        .await;
    assert_eq!(res.json()[0]["action"], "disable");
}

#[db_test]
async fn needs_view_audit_log_and_admin_read(app: TestApp) {
    let s = staff(&app).await;
    assert_eq!(
        app.get("/api/v1/admin/action_logs", None).await.error(),
        "This action is not allowed"
    );
    assert_eq!(
        app.get("/api/v1/admin/action_logs", Some(&s.user.token))
            .await
            .status,
        403
    );
    let granular = app
        .user_with("granular", Some("Owner"), "admin:read:accounts")
        .await;
    let res = app
        .get("/api/v1/admin/action_logs", Some(&granular.token))
        .await;
    assert_eq!(res.error(), "This action is outside the authorized scopes");
    let custom =
        woolly::services::operator::create_role(&app.state, "Helper", "manage_users", 5, "", false)
            .await;
    assert!(custom.is_ok());
    let helper = app.user_with("helper", Some("Helper"), "admin:read").await;
    assert_eq!(
        app.get("/api/v1/admin/action_logs", Some(&helper.token))
            .await
            .status,
        403
    );
    assert_eq!(
        app.get("/api/v1/admin/action_logs", Some(&s.admin.token))
            .await
            .status,
        200
    );
}

/// `(action, text)` of the trail entries about `target`, newest first.
async fn trail(app: &TestApp, token: &str, target: &str) -> Vec<(String, String)> {
    let res = app
        .get(
            &format!("/api/v1/admin/action_logs?target_account_id={target}"),
            Some(token),
        )
        .await;
    assert_eq!(res.status, 200);
    res.json()
        .as_array()
        .map(|a| {
            a.iter()
                .map(|l| {
                    (
                        l["action"].as_str().unwrap_or_default().to_owned(),
                        l["text"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[db_test]
async fn entries_carry_the_strike_text_and_the_report_comment(app: TestApp) {
    let s = staff(&app).await;
    let reporter = app.user("reporter").await;
    let id = local(&app, "target", Spec::default()).await.to_string();
    let token = s.admin.token.as_str();
    let preset =
        woolly::services::operator::create_warning_preset(&app.state, "Spam", "No spam here.")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    let res = app
        .post(
            "/api/v1/reports",
            Some(&reporter.token),
            &[("account_id", &id), ("comment", "posts ads")],
        )
        .await;
    assert_eq!(res.status, 200);
    let report_id = res.json()["id"].as_str().unwrap_or_default().to_owned();
    let res = app
        .post(
            &path("/api/v1/admin/reports/:id/assign_to_self", &report_id),
            Some(token),
            &[],
        )
        .await;
    assert_eq!(res.status, 200);
    let res = app
        .post(
            &path("/api/v1/admin/accounts/:id/action", &id),
            Some(token),
            &[
                ("type", "silence"),
                ("warning_preset_id", &preset.to_string()),
                ("text", "Last warning."),
                ("send_email_notification", "0"),
            ],
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let res = account_post(
        &app,
        token,
        &id,
        "action",
        &[("type", "none"), ("text", "Be nice.")],
    )
    .await;
    assert_eq!(res.status, 200);
    let strike = "No spam here.\n\nLast warning.";
    let t = trail(&app, token, &id).await;
    let expect: Vec<(String, String)> = [
        ("create", "Be nice."),
        ("resolve", strike),
        ("silence", strike),
        ("assigned_to_self", "posts ads"),
    ]
    .iter()
    .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
    .collect();
    assert_eq!(t, expect);
    // an unknown preset rolls everything back, and a refused action writes nothing
    let res = account_post(
        &app,
        token,
        &id,
        "action",
        &[("type", "suspend"), ("warning_preset_id", "12345")],
    )
    .await;
    assert_eq!(res.status, 404);
    let res = account_post(
        &app,
        token,
        &s.owner.account_id,
        "action",
        &[("type", "suspend"), ("warning_preset_id", "12345")],
    )
    .await;
    assert_eq!(
        res.status, 403,
        "the position check comes before the preset lookup"
    );
    assert_eq!(trail(&app, token, &id).await.len(), 4);
}

#[db_test]
async fn delete_writes_a_destroy_entry(app: TestApp) {
    let s = staff(&app).await;
    let id = local(&app, "gone", Spec::default()).await.to_string();
    let token = s.admin.token.as_str();
    let res = account_post(
        &app,
        token,
        &id,
        "action",
        &[("type", "suspend"), ("send_email_notification", "0")],
    )
    .await;
    assert_eq!(res.status, 200);
    assert_eq!(
        app.delete(&path("/api/v1/admin/accounts/:id", &id), Some(token))
            .await
            .status,
        200
    );
    let res = app
        .get("/api/v1/admin/action_logs?action=destroy", Some(token))
        .await;
    let logs = res.json();
    assert_eq!(logs.as_array().map(Vec::len), Some(1));
    assert_eq!(logs[0]["target_type"], "Account");
    assert_eq!(logs[0]["target_id"], id.as_str());
    assert_eq!(logs[0]["human_identifier"], "gone");
    assert_eq!(logs[0]["account"]["id"], s.admin.account_id.as_str());
    // a refused delete writes nothing
    assert_eq!(
        app.delete(&path("/api/v1/admin/accounts/:id", &id), Some(token))
            .await
            .status,
        403
    );
    assert_eq!(
        trail(&app, token, &id)
            .await
            .iter()
            .filter(|(a, _)| a == "destroy")
            .count(),
        1
    );
}
