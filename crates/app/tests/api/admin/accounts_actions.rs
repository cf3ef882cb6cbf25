//! Account actions and their real effects: tokens refused, entities rendered suspended /
//! limited / sensitized, strikes, report resolution, notifications, mail, undo.

use woolly_testkit::{TestApp, db_test};

use super::support::{
    ACTION_LOGS, DELETED, DELETION_REQUESTS, EMAIL_BLOCKS, OPEN_REPORTS, SILENCED, Spec,
    account_post, local, path, remote, staff,
};

const WARNING_NOTIFICATIONS: &str =
    "SELECT COUNT(*) FROM notifications WHERE account_id = $1 AND type = 'moderation_warning'";
const FOLLOWERS: &str = "SELECT followers_count FROM accounts WHERE id = $1";
const MUTES: &str = "SELECT COUNT(*) FROM mutes WHERE account_id = $1";

async fn action(
    app: &TestApp,
    token: &str,
    id: impl std::fmt::Display,
    pairs: &[(&str, &str)],
) -> woolly_testkit::TestResponse {
    account_post(app, token, id, "action", pairs).await
}

async fn admin_entity(app: &TestApp, token: &str, id: &str) -> serde_json::Value {
    let res = app
        .get(&path("/api/v1/admin/accounts/:id", id), Some(token))
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    res.json()
}

/// Suspends without mailing the account.
async fn quiet_suspend(
    app: &TestApp,
    token: &str,
    id: impl std::fmt::Display,
) -> woolly_testkit::TestResponse {
    let pairs = [("type", "suspend"), ("send_email_notification", "0")];
    action(app, token, id, &pairs).await
}

fn id_of(s: &str) -> i64 {
    s.parse().unwrap_or_default()
}

#[db_test]
async fn suspend_refuses_the_token_and_unsuspend_restores(app: TestApp) {
    let s = staff(&app).await;
    let victim = app.user("victim").await;
    let vid = id_of(&victim.account_id);
    let res = action(
        &app,
        &s.moderator.token,
        &victim.account_id,
        &[("type", "suspend"), ("text", "bye")],
    )
    .await;
    assert_eq!(res.status, 200);
    assert_eq!(res.json(), serde_json::json!({}));
    let res = app.verify_credentials(&victim.token).await;
    assert_eq!(res.status, 403);
    assert_eq!(res.error(), "Your login is currently disabled");
    let e = admin_entity(&app, &s.moderator.token, &victim.account_id).await;
    assert_eq!(e["suspended"], true);
    assert_eq!(e["account"]["suspended"], true);
    assert_eq!(
        app.get(&path("/api/v1/accounts/:id", vid), None)
            .await
            .json()["suspended"],
        true
    );
    assert_eq!(app.scalar_with(DELETION_REQUESTS, &[vid]).await, 1);
    assert_eq!(app.scalar_with(EMAIL_BLOCKS, &[vid]).await, 1);
    assert_eq!(
        app.scalar_with(
            "SELECT COUNT(*) FROM accounts WHERE id = $1 AND suspension_origin = 'local'",
            &[vid]
        )
        .await,
        1
    );
    assert_eq!(
        app.scalar_with(
            "SELECT COUNT(*) FROM account_warnings WHERE target_account_id = $1 AND \
             action = 4000 AND text = 'bye'",
            &[vid]
        )
        .await,
        1
    );
    let hash = woolly::services::moderation::canonical_email_hash("Vic.tim+x@example.com");
    assert_eq!(
        app.scalar_with(
            &format!(
                "SELECT COUNT(*) FROM canonical_email_blocks WHERE canonical_email_hash \
                 = '{hash}' AND reference_account_id = $1"
            ),
            &[vid]
        )
        .await,
        1
    );
    let res = account_post(&app, &s.moderator.token, vid, "unsuspend", &[]).await;
    assert_eq!(res.status, 200);
    assert_eq!(res.json()["suspended"], false);
    assert_eq!(app.verify_credentials(&victim.token).await.status, 200);
    assert_eq!(app.scalar_with(DELETION_REQUESTS, &[vid]).await, 0);
    assert_eq!(app.scalar_with(EMAIL_BLOCKS, &[vid]).await, 0);
    // not suspended (any more), or suspended by remote origin: 403
    let res = account_post(&app, &s.moderator.token, vid, "unsuspend", &[]).await;
    assert_eq!(res.status, 403);
    assert_eq!(res.error(), "This action is not allowed");
    app.sql_with(
        "UPDATE accounts SET suspended_at = 1, suspension_origin = 'remote' WHERE id = $1",
        &[vid],
    )
    .await;
    let res = account_post(&app, &s.moderator.token, vid, "unsuspend", &[]).await;
    assert_eq!(res.status, 403);
}

#[db_test]
async fn disable_and_enable(app: TestApp) {
    let s = staff(&app).await;
    let victim = app.user("victim").await;
    assert_eq!(
        action(
            &app,
            &s.moderator.token,
            &victim.account_id,
            &[("type", "disable")]
        )
        .await
        .status,
        200
    );
    let res = app.verify_credentials(&victim.token).await;
    assert_eq!(res.status, 403);
    assert_eq!(res.error(), "Your login is currently disabled");
    assert_eq!(
        admin_entity(&app, &s.moderator.token, &victim.account_id).await["disabled"],
        true
    );
    let res = account_post(&app, &s.moderator.token, &victim.account_id, "enable", &[]).await;
    assert_eq!(res.status, 200);
    assert_eq!(res.json()["disabled"], false);
    assert_eq!(app.verify_credentials(&victim.token).await.status, 200);
}

#[db_test]
async fn silence_and_sensitive_with_their_undo(app: TestApp) {
    let s = staff(&app).await;
    let id = local(&app, "loud", Spec::default()).await.to_string();
    assert_eq!(
        action(&app, &s.moderator.token, &id, &[("type", "silence")])
            .await
            .status,
        200
    );
    assert_eq!(
        app.get(&path("/api/v1/accounts/:id", &id), None)
            .await
            .json()["limited"],
        true
    );
    assert_eq!(
        admin_entity(&app, &s.moderator.token, &id).await["silenced"],
        true
    );
    let res = account_post(&app, &s.moderator.token, &id, "unsilence", &[]).await;
    assert_eq!(res.json()["silenced"], false);
    assert!(
        app.get(&path("/api/v1/accounts/:id", &id), None)
            .await
            .json()
            .get("limited")
            .is_none()
    );
    assert_eq!(
        action(&app, &s.moderator.token, &id, &[("type", "sensitive")])
            .await
            .status,
        200
    );
    assert_eq!(
        admin_entity(&app, &s.moderator.token, &id).await["sensitized"],
        true
    );
    let res = account_post(&app, &s.moderator.token, &id, "unsensitive", &[]).await;
    assert_eq!(res.json()["sensitized"], false);
    // unsilence of a never-silenced account still succeeds, as upstream
    let res = account_post(&app, &s.moderator.token, &id, "unsilence", &[]).await;
    assert_eq!(res.status, 200);
    // remote accounts can be silenced and suspended
    let far = remote(&app, "far", "remote.example").await.to_string();
    assert_eq!(
        action(&app, &s.moderator.token, &far, &[("type", "suspend")])
            .await
            .status,
        200
    );
    assert_eq!(
        account_post(&app, &s.moderator.token, &far, "unsuspend", &[])
            .await
            .status,
        200
    );
}

#[db_test]
async fn invalid_type_is_422(app: TestApp) {
    let s = staff(&app).await;
    let id = local(&app, "x", Spec::default()).await.to_string();
    for pairs in [vec![], vec![("type", "ban")], vec![("type", "")]] {
        let res = action(&app, &s.moderator.token, &id, &pairs).await;
        assert_eq!(res.status, 422);
        assert_eq!(
            res.json(),
            serde_json::json!({
                "error": "Validation failed: Type can't be blank, Type is not included in the list"
            })
        );
    }
}

#[db_test]
async fn presets_reports_and_rollback(app: TestApp) {
    let s = staff(&app).await;
    let reporter = app.user("reporter").await;
    let id = local(&app, "spammer", Spec::default()).await;
    let preset =
        woolly::services::operator::create_warning_preset(&app.state, "Spam", "Please stop.")
            .await
            .unwrap_or_default();
    let mut reports = Vec::new();
    for _ in 0..2 {
        let res = app
            .post(
                "/api/v1/reports",
                Some(&reporter.token),
                &[("account_id", &id.to_string())],
            )
            .await;
        reports.push(res.json()["id"].as_str().unwrap_or_default().to_owned());
    }
    // unknown preset: 404 and nothing changed
    let res = action(
        &app,
        &s.moderator.token,
        id,
        &[("type", "silence"), ("warning_preset_id", "999")],
    )
    .await;
    assert_eq!(res.status, 404);
    assert_eq!(app.scalar_with(SILENCED, &[id]).await, 0);
    assert_eq!(app.scalar_with(ACTION_LOGS, &[id]).await, 0);
    // none with a report: only that report, strike text preset + text
    let res = action(
        &app,
        &s.moderator.token,
        id,
        &[
            ("type", "none"),
            ("report_id", &reports[0]),
            ("warning_preset_id", &preset.to_string()),
            ("text", "Last warning."),
        ],
    )
    .await;
    assert_eq!(res.status, 200);
    assert_eq!(
        app.scalar_with(
            "SELECT COUNT(*) FROM account_warnings WHERE target_account_id = $1 AND \
             action = 0 AND text = 'Please stop.\n\nLast warning.' AND report_id IS \
             NOT NULL",
            &[id]
        )
        .await,
        1
    );
    assert_eq!(app.scalar_with(OPEN_REPORTS, &[id]).await, 1);
    assert_eq!(
        app.scalar_with(
            "SELECT COUNT(*) FROM admin_action_logs WHERE target_account_id = $1 AND \
             action = 'create' AND target_type = 'AccountWarning'",
            &[id]
        )
        .await,
        1
    );
    // a non-none action resolves every open report against the account
    assert_eq!(
        action(&app, &s.moderator.token, id, &[("type", "silence")])
            .await
            .status,
        200
    );
    assert_eq!(app.scalar_with(OPEN_REPORTS, &[id]).await, 0);
    assert_eq!(
        app.scalar_with(
            "SELECT COUNT(*) FROM admin_action_logs WHERE target_account_id = $1 AND \
             action = 'resolve'",
            &[id]
        )
        .await,
        2
    );
    assert_eq!(
        app.scalar_with(
            "SELECT COUNT(*) FROM admin_action_logs WHERE target_account_id = $1 AND \
             action = 'silence'",
            &[id]
        )
        .await,
        1
    );
    // unknown report: 404
    let res = action(
        &app,
        &s.moderator.token,
        id,
        &[("type", "none"), ("report_id", "42")],
    )
    .await;
    assert_eq!(res.status, 404);
}

#[db_test]
async fn warning_notification_and_mail_unless_opted_out(app: TestApp) {
    let s = staff(&app).await;
    let id = local(&app, "warned", Spec::default()).await;
    assert_eq!(
        action(
            &app,
            &s.moderator.token,
            id,
            &[
                ("type", "none"),
                ("text", "careful"),
                ("send_email_notification", "false")
            ]
        )
        .await
        .status,
        200
    );
    assert_eq!(app.scalar_with(WARNING_NOTIFICATIONS, &[id]).await, 0);
    assert_eq!(
        action(
            &app,
            &s.moderator.token,
            id,
            &[("type", "none"), ("text", "careful")]
        )
        .await
        .status,
        200
    );
    assert_eq!(
        app.scalar_with(
            "SELECT COUNT(*) FROM notifications WHERE account_id = $1 AND type = \
             'moderation_warning' AND account_warning_id IS NOT NULL",
            &[id]
        )
        .await,
        1
    );
    let mut mails = Vec::new();
    for _ in 0..50 {
        mails = app.mails();
        if !mails.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(mails.len(), 1);
    assert!(mails[0].contains("warned@example.com"));
    assert!(mails[0].contains("has received a warning"));
}

#[db_test]
async fn approve_and_reject_pending_users(app: TestApp) {
    let s = staff(&app).await;
    let pending = local(&app, "newbie", Spec::pending()).await;
    let res = account_post(&app, &s.moderator.token, pending, "approve", &[]).await;
    assert_eq!(res.status, 200);
    assert_eq!(res.json()["approved"], true);
    let res = account_post(&app, &s.moderator.token, pending, "approve", &[]).await;
    assert_eq!(res.status, 403);
    assert_eq!(res.error(), "This action is not allowed");
    let res = account_post(&app, &s.moderator.token, pending, "reject", &[]).await;
    assert_eq!(res.status, 403, "only pending users");
    let other = local(&app, "spambot", Spec::pending()).await;
    let res = account_post(&app, &s.moderator.token, other, "reject", &[]).await;
    assert_eq!(res.status, 200);
    assert_eq!(res.json(), serde_json::json!({}));
    assert_eq!(
        app.get(
            &path("/api/v1/admin/accounts/:id", other),
            Some(&s.moderator.token)
        )
        .await
        .status,
        404
    );
    assert_eq!(
        app.scalar_with("SELECT COUNT(*) FROM users WHERE account_id = $1", &[other])
            .await,
        0
    );
    assert_eq!(
        app.scalar_with(
            "SELECT COUNT(*) FROM admin_action_logs WHERE target_account_id = $1 AND \
             action = 'reject' AND target_type = 'User'",
            &[other]
        )
        .await,
        1
    );
    // the username is free again
    local(&app, "spambot", Spec::default()).await;
}

#[db_test]
async fn delete_purges_a_suspended_account_keeping_a_tombstone(app: TestApp) {
    let s = staff(&app).await;
    let id = local(&app, "gone", Spec::default()).await;
    let friend = local(&app, "friend", Spec::default()).await;
    app.sql_with(
        &format!(
            "INSERT INTO statuses (id, account_id, text, created_at, updated_at) \
             VALUES ({}, $1, 'hi', 0, 0)",
            app.state.next_id()
        ),
        &[id],
    )
    .await;
    app.follow_row(id, friend).await;
    let res = app
        .delete(
            &path("/api/v1/admin/accounts/:id", id),
            Some(&s.admin.token),
        )
        .await;
    assert_eq!(res.status, 403, "not suspended");
    assert_eq!(
        action(&app, &s.admin.token, id, &[("type", "suspend")])
            .await
            .status,
        200
    );
    let res = app
        .delete(
            &path("/api/v1/admin/accounts/:id", id),
            Some(&s.moderator.token),
        )
        .await;
    assert_eq!(res.status, 403, "moderators lack delete_user_data");
    let res = app
        .delete(
            &path("/api/v1/admin/accounts/:id", id),
            Some(&s.admin.token),
        )
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(res.json(), serde_json::json!({}));
    assert_eq!(
        app.scalar_with("SELECT COUNT(*) FROM statuses WHERE account_id = $1", &[id])
            .await,
        0
    );
    assert_eq!(
        app.scalar_with("SELECT COUNT(*) FROM follows WHERE account_id = $1", &[id])
            .await,
        0
    );
    assert_eq!(
        app.scalar_with(
            "SELECT COUNT(*) FROM accounts WHERE id = $1 AND deleted_at IS NOT NULL \
             AND suspended_at IS NOT NULL",
            &[id]
        )
        .await,
        1
    );
    assert_eq!(
        app.scalar_with(
            "SELECT COUNT(*) FROM users WHERE account_id = $1 AND disabled = TRUE",
            &[id]
        )
        .await,
        1
    );
    let e = admin_entity(&app, &s.admin.token, &id.to_string()).await;
    assert_eq!(e["suspended"], true);
    // the deletion request is consumed: a second delete is refused
    assert_eq!(
        app.delete(
            &path("/api/v1/admin/accounts/:id", id),
            Some(&s.admin.token)
        )
        .await
        .status,
        403
    );
}

#[db_test]
async fn admin_account_entity_fields(app: TestApp) {
    let s = staff(&app).await;
    let id = local(
        &app,
        "shown",
        Spec {
            ip: Some("192.168.1.7"),
            unconfirmed: true,
            ..Spec::default()
        },
    )
    .await;
    app.sql_with(
        &format!(
            "INSERT INTO user_invite_requests (id, user_id, text, created_at) SELECT \
             {}, id, 'let me in', 0 FROM users WHERE account_id = $1",
            app.state.next_id()
        ),
        &[id],
    )
    .await;
    let e = admin_entity(&app, &s.moderator.token, &id.to_string()).await;
    assert_eq!(e["username"], "shown");
    assert_eq!(e["domain"], serde_json::Value::Null);
    assert_eq!(e["email"], "shown@example.com");
    assert_eq!(e["ip"], "192.168.1.7");
    assert_eq!(e["ips"][0]["ip"], "192.168.1.7");
    assert!(
        e["ips"][0]["used_at"]
            .as_str()
            .unwrap_or_default()
            .ends_with('Z')
    );
    assert_eq!(e["confirmed"], false);
    assert_eq!(e["approved"], true);
    assert_eq!(e["disabled"], false);
    assert_eq!(e["invite_request"], "let me in");
    assert_eq!(e["role"]["id"], "-99");
    assert_eq!(e["account"]["id"], id.to_string());
    assert_ne!(
        e["created_at"], e["account"]["created_at"],
        "full precision, not midnight"
    );
    assert!(e.get("created_by_application_id").is_none());
    assert!(e.get("invited_by_account_id").is_none());
    let staff_e = admin_entity(&app, &s.moderator.token, &s.owner.account_id).await;
    assert_eq!(staff_e["role"]["name"], "Owner");
    assert_eq!(staff_e["role"]["permissions"], "8388607");
    let far = remote(&app, "far", "remote.example").await;
    let r = admin_entity(&app, &s.moderator.token, &far.to_string()).await;
    for key in [
        "email",
        "ip",
        "confirmed",
        "approved",
        "disabled",
        "role",
        "ips",
        "locale",
    ] {
        assert_eq!(r[key], serde_json::Value::Null, "{key}");
    }
    assert_eq!(r["domain"], "remote.example");
}

#[db_test]
async fn nested_accounts_carry_emojis_and_moved(app: TestApp) {
    let s = staff(&app).await;
    let id = local(
        &app,
        "shiny",
        Spec {
            display_name: ":blob: Shiny",
            ..Spec::default()
        },
    )
    .await;
    let new_home = local(&app, "newhome", Spec::default()).await;
    app.sql_with(
        &format!(
            "INSERT INTO custom_emojis (id, shortcode, image_key, created_at) VALUES \
             ({}, 'blob', 'emoji/blob.png', 0)",
            app.state.next_id()
        ),
        &[0],
    )
    .await;
    app.sql_with(
        &format!("UPDATE accounts SET moved_to_account_id = {new_home} WHERE id = $1"),
        &[id],
    )
    .await;
    let res = app
        .get(
            "/api/v2/admin/accounts?username=shiny",
            Some(&s.moderator.token),
        )
        .await;
    let e = &res.json()[0];
    assert_eq!(e["account"]["emojis"][0]["shortcode"], "blob");
    assert_eq!(e["account"]["moved"]["id"], new_home.to_string());
    let single = admin_entity(&app, &s.moderator.token, &id.to_string()).await;
    assert_eq!(single["account"], e["account"]);
}

#[db_test]
async fn moderation_warning_notifications_carry_the_strike(app: TestApp) {
    let s = staff(&app).await;
    let reporter = app.user("reporter").await;
    let warned = app.user("warned").await;
    let status = app.state.next_id();
    app.sql_with(
        &format!(
            "INSERT INTO statuses (id, account_id, text, created_at, updated_at) \
             VALUES ({status}, $1, 'bad', 0, 0)"
        ),
        &[id_of(&warned.account_id)],
    )
    .await;
    let res = app
        .post(
            "/api/v1/reports",
            Some(&reporter.token),
            &[
                ("account_id", &warned.account_id),
                ("status_ids[]", &status.to_string()),
            ],
        )
        .await;
    let report_id = res.json()["id"].as_str().unwrap_or_default().to_owned();
    let res = action(
        &app,
        &s.moderator.token,
        &warned.account_id,
        &[
            ("type", "sensitive"),
            ("report_id", &report_id),
            ("text", "mark your media"),
        ],
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let res = app.get("/api/v1/notifications", Some(&warned.token)).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let n = &res.json()[0];
    assert_eq!(n["type"], "moderation_warning");
    assert!(n.get("report").is_none());
    let w = &n["moderation_warning"];
    assert_eq!(w["action"], "sensitive");
    assert_eq!(w["text"], "mark your media");
    assert_eq!(w["status_ids"], serde_json::json!([status.to_string()]));
    assert_eq!(w["target_account"]["id"], warned.account_id.as_str());
    assert_eq!(w["appeal"], serde_json::Value::Null);
    assert!(w["created_at"].as_str().unwrap_or_default().ends_with('Z'));
    let keys: Vec<&str> = w
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    // upstream's serializer order
    assert_eq!(
        keys,
        [
            "id",
            "action",
            "text",
            "status_ids",
            "created_at",
            "target_account",
            "appeal"
        ]
    );
    // a warning without a report has no status ids
    assert_eq!(
        action(
            &app,
            &s.moderator.token,
            &warned.account_id,
            &[("type", "none"), ("text", "again")]
        )
        .await
        .status,
        200
    );
    let n = &app
        .get("/api/v1/notifications", Some(&warned.token))
        .await
        .json()[0];
    assert_eq!(n["moderation_warning"]["action"], "none");
    assert_eq!(
        n["moderation_warning"]["status_ids"],
        serde_json::Value::Null
    );
}

/// Posts a status; its id.
async fn post_status(app: &TestApp, token: &str, pairs: &[(&str, &str)]) -> String {
    let res = app.post("/api/v1/statuses", Some(token), pairs).await;
    assert_eq!(res.status, 200, "{}", res.text());
    res.json()["id"].as_str().unwrap_or_default().to_owned()
}

#[db_test]
async fn delete_fixes_other_accounts_counters_and_removes_files(app: TestApp) {
    let s = staff(&app).await;
    let gone = app.user("gone").await;
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    let (g, a, b) = (
        id_of(&gone.account_id),
        id_of(&alice.account_id),
        id_of(&bob.account_id),
    );
    for (token, target) in [
        (&gone.token, &alice.account_id),
        (&bob.token, &gone.account_id),
        (&alice.token, &bob.account_id),
    ] {
        let res = app
            .post(
                &path("/api/v1/accounts/:id/follow", target),
                Some(token),
                &[],
            )
            .await;
        assert_eq!(res.status, 200, "{}", res.text());
    }
    let alices = post_status(&app, &alice.token, &[("status", "hello")]).await;
    let gones = post_status(&app, &gone.token, &[("status", "mine")]).await;
    post_status(
        &app,
        &gone.token,
        &[("status", "a reply"), ("in_reply_to_id", &alices)],
    )
    .await;
    post_status(
        &app,
        &bob.token,
        &[("status", "bob's reply"), ("in_reply_to_id", &alices)],
    )
    .await;
    for (token, id) in [
        (&gone.token, &alices),
        (&bob.token, &gones),
        (&bob.token, &alices),
    ] {
        let res = app
            .post(&path("/api/v1/statuses/:id/reblog", id), Some(token), &[])
            .await;
        assert_eq!(res.status, 200, "{}", res.text());
    }
    let key = format!("media_attachments/{g}/original/gone.png");
    app.state
        .media()
        .put(&key, vec![1, 2, 3], "image/png")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    app.sql_with(
        &format!(
            "INSERT INTO media_attachments (id, account_id, file_key, created_at, \
             updated_at) VALUES ({}, $1, '{key}', 0, 0)",
            app.state.next_id()
        ),
        &[g],
    )
    .await;
    let avatar = format!("accounts/avatars/{g}/original/a.png");
    app.state
        .media()
        .put(&avatar, vec![1], "image/png")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    app.sql_with(
        &format!("UPDATE accounts SET avatar_key = '{avatar}' WHERE id = $1"),
        &[g],
    )
    .await;
    let alice_status: i64 = alices.parse().unwrap_or_default();
    let col = |table: &'static str, column: &'static str, id: i64| {
        let sql = format!("SELECT {column} FROM {table} WHERE id = $1");
        let app = &app;
        async move { app.scalar_with(&sql, &[id]).await }
    };
    // before: the follows, reblogs and replies are counted
    assert_eq!(col("accounts", "followers_count", a).await, 1);
    assert_eq!(col("accounts", "following_count", b).await, 1);
    assert_eq!(col("accounts", "statuses_count", b).await, 3);
    assert_eq!(col("statuses", "reblogs_count", alice_status).await, 2);
    assert_eq!(col("statuses", "replies_count", alice_status).await, 2);
    assert_eq!(
        quiet_suspend(&app, &s.admin.token, &gone.account_id)
            .await
            .status,
        200
    );
    assert_eq!(
        app.delete(&path("/api/v1/admin/accounts/:id", g), Some(&s.admin.token))
            .await
            .status,
        200
    );
    // after: only what the purged account contributed is gone
    assert_eq!(
        col("accounts", "followers_count", a).await,
        0,
        "gone followed alice"
    );
    assert_eq!(
        col("accounts", "following_count", a).await,
        1,
        "alice still follows bob"
    );
    assert_eq!(
        col("accounts", "following_count", b).await,
        0,
        "bob followed gone"
    );
    assert_eq!(
        col("accounts", "followers_count", b).await,
        1,
        "alice still follows bob"
    );
    assert_eq!(
        col("accounts", "statuses_count", b).await,
        2,
        "bob's reblog of gone's status cascaded"
    );
    assert_eq!(col("accounts", "statuses_count", a).await, 1);
    assert_eq!(
        col("statuses", "reblogs_count", alice_status).await,
        1,
        "gone's reblog went"
    );
    assert_eq!(
        col("statuses", "replies_count", alice_status).await,
        1,
        "gone's reply went"
    );
    assert_eq!(
        app.scalar_with("SELECT COUNT(*) FROM statuses WHERE account_id = $1", &[b])
            .await,
        2
    );
    for k in [&key, &avatar] {
        let stored = app
            .state
            .media()
            .get(k)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(stored.is_none(), "{k} deleted");
    }
    let res = app
        .get(&path("/api/v1/accounts/:id", a), Some(&alice.token))
        .await;
    assert_eq!(res.json()["followers_count"], 0);
}

#[db_test]
async fn maintenance_purges_after_the_grace_period_and_drops_expired_mutes(app: TestApp) {
    use woolly::services::moderation::maintenance;
    let s = staff(&app).await;
    let old = local(&app, "old", Spec::default()).await;
    let recent = local(&app, "recent", Spec::default()).await;
    let friend = local(&app, "friend", Spec::default()).await;
    for id in [old, recent] {
        assert_eq!(quiet_suspend(&app, &s.admin.token, id).await.status, 200);
        app.follow_row(id, friend).await;
    }
    app.sql_with(
        "UPDATE accounts SET followers_count = 2 WHERE id = $1",
        &[friend],
    )
    .await;
    let now = woolly::domain::time::now();
    let day = 24 * 60 * 60 * 1000;
    app.sql_with(
        &format!(
            "UPDATE account_deletion_requests SET created_at = {} WHERE account_id = $1",
            now - 31 * day
        ),
        &[old],
    )
    .await;
    app.sql_with(
        &format!(
            "UPDATE account_deletion_requests SET created_at = {} WHERE account_id = $1",
            now - 29 * day
        ),
        &[recent],
    )
    .await;
    app.mute_row(friend, &s.user.account_id, now - 1).await;
    app.mute_row(friend, &s.moderator.account_id, now + day)
        .await;
    // two processes at once: exactly one purges
    let (a, b) = tokio::join!(
        maintenance::run(&app.state, now),
        maintenance::run(&app.state, now)
    );
    let (a, b) = (
        a.unwrap_or_else(|e| panic!("{e}")),
        b.unwrap_or_else(|e| panic!("{e}")),
    );
    let mut purged = [a.purged.clone(), b.purged.clone()].concat();
    purged.sort_unstable();
    assert_eq!(purged, vec![old]);
    assert_eq!(a.expired_mutes + b.expired_mutes, 1);
    assert_eq!(app.scalar_with(DELETED, &[old]).await, 1);
    assert_eq!(app.scalar_with(DELETED, &[recent]).await, 0);
    assert_eq!(app.scalar_with(DELETION_REQUESTS, &[recent]).await, 1);
    assert_eq!(app.scalar_with(FOLLOWERS, &[friend]).await, 1);
    assert_eq!(app.scalar_with(MUTES, &[friend]).await, 1);
    assert_eq!(
        app.scalar_with(
            "SELECT COUNT(*) FROM admin_action_logs WHERE target_account_id = $1 AND \
             action = 'destroy' AND account_id IS NULL",
            &[old]
        )
        .await,
        1
    );
    // idempotent: a second run finds nothing; the recent one goes once it is 30 days old
    let again = maintenance::run(&app.state, now)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again, maintenance::Swept::default());
    let later = maintenance::run(&app.state, now + 2 * day)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(later.purged, vec![recent]);
    // an unsuspended account is never purged
    let back = local(&app, "back", Spec::default()).await;
    assert_eq!(quiet_suspend(&app, &s.admin.token, back).await.status, 200);
    assert_eq!(
        account_post(&app, &s.admin.token, back, "unsuspend", &[])
            .await
            .status,
        200
    );
    let far_future = maintenance::run(&app.state, now + 60 * day)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(far_future.purged.is_empty());
}

/// A request from `ip` (as the TCP peer) with `token`.
async fn get_from(
    app: &TestApp,
    ip: [u8; 4],
    path: &str,
    token: &str,
) -> woolly_testkit::TestResponse {
    let mut request = axum::http::Request::get(path)
        .header("authorization", format!("Bearer {token}"))
        .body(axum::body::Body::empty())
        .unwrap_or_else(|e| panic!("{e}"));
    let peer = std::net::SocketAddr::from((ip, 40000));
    request
        .extensions_mut()
        .insert(axum::extract::ConnectInfo(peer));
    app.send(request).await
}

#[db_test]
async fn sign_up_and_token_use_record_ips_once_a_day(app: TestApp) {
    let s = staff(&app).await;
    let app_token = crate::registration::app_token(&app, "read write", "write").await;
    let mut request = axum::http::Request::post("/api/v1/accounts")
        .header("authorization", format!("Bearer {app_token}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(axum::body::Body::from(
            serde_urlencoded::to_string(crate::registration::valid_form(
                "ipuser",
                "ipuser@example.org",
            ))
            .unwrap(),
        ))
        .unwrap();
    request
        .extensions_mut()
        .insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
            [203, 0, 113, 5],
            40000,
        ))));
    let res = app.send(request).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let user_token = res.json()["access_token"].as_str().unwrap().to_owned();
    let id = app
        .get(
            "/api/v2/admin/accounts?username=ipuser",
            Some(&s.moderator.token),
        )
        .await
        .json()[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let ips = |e: serde_json::Value| -> Vec<String> {
        e["ips"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["ip"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        ips(admin_entity(&app, &s.moderator.token, &id).await),
        vec!["203.0.113.5"]
    );
    // the first use of the token records its address; later uses that day write nothing
    get_from(
        &app,
        [198, 51, 100, 7],
        "/api/v1/accounts/verify_credentials",
        &user_token,
    )
    .await;
    get_from(
        &app,
        [192, 0, 2, 9],
        "/api/v1/accounts/verify_credentials",
        &user_token,
    )
    .await;
    let mut seen = ips(admin_entity(&app, &s.moderator.token, &id).await);
    seen.sort();
    assert_eq!(seen, vec!["198.51.100.7", "203.0.113.5"]);
}
