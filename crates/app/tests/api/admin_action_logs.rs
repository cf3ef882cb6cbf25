//! GET /api/v1/admin/action_logs (ours): every change and its undo appear in the trail, with
//! filters, pagination and the view_audit_log permission.

use woolly_testkit::db_test;

use crate::admin_support::{Spec, local, path, staff};

db_test!(async fn the_trail_shows_each_action_and_its_undo(app) {
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
        let res = app.post(&path("/api/v1/admin/accounts/:id/action", &id), token, &[("type", act), ("send_email_notification", "0")]).await;
        assert_eq!(res.status, 200, "{act}");
        let res = app.post(&path(&format!("/api/v1/admin/accounts/:id/{undo}"), &id), token, &[]).await;
        assert_eq!(res.status, 200, "{undo}");
    }
    let res = app.get(&format!("/api/v1/admin/action_logs?target_account_id={id}"), token).await;
    assert_eq!(res.status, 200);
    let logs = res.json();
    let actions: Vec<&str> = logs.as_array().map(|a| a.iter().filter_map(|l| l["action"].as_str()).collect()).unwrap_or_default();
    assert_eq!(actions, ["unsuspend", "suspend", "enable", "disable", "unsensitive", "sensitive", "unsilence", "silence"]);
    let first = &logs[0];
    assert_eq!(first["target_type"], "Account");
    assert_eq!(first["target_id"], id.as_str());
    assert_eq!(first["target_account_id"], id.as_str());
    assert_eq!(first["human_identifier"], "target");
    assert_eq!(first["account"]["id"], s.moderator.account_id.as_str());
    assert_eq!(logs[3]["target_type"], "User");
    assert!(first["created_at"].as_str().unwrap_or_default().ends_with('Z'));
    // filters
    let res = app.get("/api/v1/admin/action_logs?action=suspend", token).await;
    assert_eq!(res.json().as_array().map(Vec::len), Some(1));
    let res = app.get(&format!("/api/v1/admin/action_logs?account_id={}", s.owner.account_id), token).await;
    assert_eq!(res.json().as_array().map(Vec::len), Some(0));
    let res = app.get(&format!("/api/v1/admin/action_logs?account_id={}", s.moderator.account_id), token).await;
    assert_eq!(res.json().as_array().map(Vec::len), Some(8));
    // pagination
    let res = app.get("/api/v1/admin/action_logs?limit=3&action=", token).await;
    let page = res.json();
    assert_eq!(page.as_array().map(Vec::len), Some(3));
    let link = res.header("link").unwrap_or_default();
    let last = page[2]["id"].as_str().unwrap_or_default();
    assert!(link.contains(&format!("action_logs?action=&limit=3&max_id={last}>; rel=\"next\"")), "{link}");
    let res = app.get(&format!("/api/v1/admin/action_logs?limit=3&max_id={last}"), token).await;
    assert_eq!(res.json()[0]["action"], "disable");
});

db_test!(async fn needs_view_audit_log_and_admin_read(app) {
    let s = staff(&app).await;
    assert_eq!(app.get("/api/v1/admin/action_logs", None).await.error(), "This action is not allowed");
    assert_eq!(app.get("/api/v1/admin/action_logs", Some(&s.user.token)).await.status, 403);
    let granular = app.user_with("granular", Some("Owner"), "admin:read:accounts").await;
    let res = app.get("/api/v1/admin/action_logs", Some(&granular.token)).await;
    assert_eq!(res.error(), "This action is outside the authorized scopes");
    let custom = woolly::services::operator::create_role(&app.state, "Helper", "manage_users", 5, "", false).await;
    assert!(custom.is_ok());
    let helper = app.user_with("helper", Some("Helper"), "admin:read").await;
    assert_eq!(app.get("/api/v1/admin/action_logs", Some(&helper.token)).await.status, 403);
    assert_eq!(app.get("/api/v1/admin/action_logs", Some(&s.admin.token)).await.status, 200);
});
