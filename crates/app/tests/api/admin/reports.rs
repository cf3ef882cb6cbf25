//! Reports: filing (`POST /api/v1/reports`), staff notifications, and the admin reports API
//! (filters, pagination, assign / unassign / resolve / reopen with audit entries).

use woolly_testkit::{TestApp, db_test, ids};

use super::support::{Spec, local, path, remote, staff};

async fn report(
    app: &TestApp,
    token: &str,
    pairs: &[(&str, &str)],
) -> woolly_testkit::TestResponse {
    app.post("/api/v1/reports", Some(token), pairs).await
}

/// `GET /api/v1/admin/reports/:id` as `token`: the Admin::Report entity.
async fn admin_report(app: &TestApp, token: &str, id: &str) -> serde_json::Value {
    let path = format!("/api/v1/admin/reports/{id}");
    app.get(&path, Some(token)).await.json()
}

#[db_test]
async fn filing_a_report_renders_the_report_entity(app: TestApp) {
    let reporter = app.user("reporter").await;
    let target = local(&app, "troll", Spec::default()).await;
    let status = app.state.next_id();
    app.sql_with(
        &format!(
            "INSERT INTO statuses (id, account_id, text, created_at, updated_at) \
             VALUES ({status}, $1, 'bad', 0, 0)"
        ),
        &[target],
    )
    .await;
    let res = report(
        &app,
        &reporter.token,
        &[
            ("account_id", &target.to_string()),
            ("status_ids[]", &status.to_string()),
            ("comment", "rude"),
            ("category", "spam"),
            ("forward", "true"),
        ],
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let r = res.json();
    assert_eq!(r["action_taken"], false);
    assert_eq!(r["action_taken_at"], serde_json::Value::Null);
    assert_eq!(r["category"], "spam");
    assert_eq!(r["comment"], "rude");
    assert_eq!(r["forwarded"], false, "local targets are never forwarded");
    assert_eq!(r["status_ids"], serde_json::json!([status.to_string()]));
    assert_eq!(r["rule_ids"], serde_json::Value::Null);
    assert_eq!(r["target_account"]["id"], target.to_string());
    let far = remote(&app, "far", "remote.example").await;
    let r = report(
        &app,
        &reporter.token,
        &[("account_id", &far.to_string()), ("forward", "true")],
    )
    .await
    .json();
    assert_eq!(r["forwarded"], true);
    assert_eq!(r["category"], "other");
}

/// Form pairs, expected status, expected error text.
type ErrorCase<'a> = (Vec<(&'a str, &'a str)>, u16, &'a str);

#[db_test]
async fn report_errors(app: TestApp) {
    let reporter = app.user("reporter").await;
    let target = local(&app, "troll", Spec::default()).await.to_string();
    let other = local(&app, "other", Spec::default()).await;
    let foreign_status = app.state.next_id();
    app.sql_with(
        &format!(
            "INSERT INTO statuses (id, account_id, text, created_at, updated_at) \
             VALUES ({foreign_status}, $1, 'x', 0, 0)"
        ),
        &[other],
    )
    .await;
    let long = "x".repeat(1001);
    let foreign = foreign_status.to_string();
    let cases: Vec<ErrorCase> = vec![
        (vec![], 404, "Record not found"),
        (vec![("account_id", "12345")], 404, "Record not found"),
        (
            vec![("account_id", &target), ("status_ids[]", &foreign)],
            404,
            "Record not found",
        ),
        (
            vec![("account_id", &target), ("comment", &long)],
            422,
            "Validation failed: Comment is too long (maximum is 1000 characters)",
        ),
        (
            vec![("account_id", &target), ("category", "bogus")],
            422,
            "Validation failed: Category is not included in the list",
        ),
        (
            vec![("account_id", &target), ("rule_ids[]", "1")],
            422,
            "Validation failed: Rule ids does not reference valid rules",
        ),
    ];
    for (pairs, status, message) in cases {
        let res = report(&app, &reporter.token, &pairs).await;
        assert_eq!(res.status.as_u16(), status, "{pairs:?}");
        assert_eq!(res.error(), message);
    }
    assert_eq!(
        app.scalar_with("SELECT COUNT(*) FROM reports WHERE account_id <> $1", &[0])
            .await,
        0
    );
    let ok = report(
        &app,
        &reporter.token,
        &[("account_id", &target), ("comment", &"y".repeat(1000))],
    )
    .await;
    assert_eq!(ok.status, 200);
}

#[db_test]
async fn staff_who_manage_reports_are_notified_once_per_open_case(app: TestApp) {
    let s = staff(&app).await;
    let reporter = app.user("reporter").await;
    let target = local(&app, "troll", Spec::default()).await.to_string();
    let report_target = async || {
        report(&app, &reporter.token, &[("account_id", &target)])
            .await
            .status
    };
    assert_eq!(report_target().await, 200);
    let notified = async |id: &str| {
        let id: i64 = id.parse().unwrap_or_default();
        app.scalar_with(
            "SELECT COUNT(*) FROM notifications WHERE account_id = $1 AND type = 'admin.report'",
            &[id],
        )
        .await
    };
    assert_eq!(notified(&s.moderator.account_id).await, 1);
    assert_eq!(notified(&s.admin.account_id).await, 1);
    assert_eq!(notified(&s.owner.account_id).await, 1);
    assert_eq!(notified(&s.user.account_id).await, 0);
    // a second report while the first is open: no new notification
    assert_eq!(report_target().await, 200);
    assert_eq!(notified(&s.moderator.account_id).await, 1);
}

#[db_test]
async fn sign_up_notifications_go_to_user_managers(app: TestApp) {
    let s = staff(&app).await;
    let newbie = local(&app, "newbie", Spec::pending()).await;
    let mut conn = app.conn().await;
    woolly::services::moderation::notify_staff_sign_up(&mut conn.exec(), &app.state, newbie)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let q = "SELECT COUNT(*) FROM notifications WHERE type = 'admin.sign_up' AND account_id = $1";
    assert_eq!(
        app.scalar_with(q, &[s.moderator.account_id.parse().unwrap_or_default()])
            .await,
        1
    );
    assert_eq!(
        app.scalar_with(q, &[s.owner.account_id.parse().unwrap_or_default()])
            .await,
        1
    );
    assert_eq!(
        app.scalar_with(q, &[s.user.account_id.parse().unwrap_or_default()])
            .await,
        0
    );
}

#[db_test]
async fn admin_reports_flow(app: TestApp) {
    let s = staff(&app).await;
    let reporter = app.user("reporter").await;
    let troll = local(&app, "troll", Spec::default()).await.to_string();
    let spammer = local(&app, "spammer", Spec::default()).await.to_string();
    let r1 = report(
        &app,
        &reporter.token,
        &[("account_id", &troll), ("comment", "one")],
    )
    .await
    .json()["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let r2 = report(&app, &reporter.token, &[("account_id", &spammer)])
        .await
        .json()["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let token = Some(s.moderator.token.as_str());
    let res = app.get("/api/v1/admin/reports", token).await;
    assert_eq!(ids(&res.json()), vec![r2.clone(), r1.clone()]);
    let q = format!("/api/v1/admin/reports?target_account_id={troll}");
    assert_eq!(ids(&app.get(&q, token).await.json()), vec![r1.clone()]);
    let q = format!("/api/v1/admin/reports?account_id={}", reporter.account_id);
    assert_eq!(ids(&app.get(&q, token).await.json()).len(), 2);
    let res = app.get("/api/v1/admin/reports?limit=1", token).await;
    let link = res.header("link").unwrap_or_default();
    assert!(
        link.contains(&format!(
            "/api/v1/admin/reports?limit=1&max_id={r2}>; rel=\"next\""
        )),
        "{link}"
    );
    assert!(
        link.contains(&format!(
            "/api/v1/admin/reports?limit=1&min_id={r2}>; rel=\"prev\""
        )),
        "{link}"
    );
    // show
    let e = app
        .get(&path("/api/v1/admin/reports/:id", &r1), token)
        .await
        .json();
    assert_eq!(e["comment"], "one");
    assert_eq!(e["account"]["id"], reporter.account_id.as_str());
    assert_eq!(e["account"]["email"], "reporter@example.com");
    assert_eq!(e["target_account"]["username"], "troll");
    assert_eq!(e["assigned_account"], serde_json::Value::Null);
    assert_eq!(e["statuses"], serde_json::json!([]));
    assert_eq!(e["rules"], serde_json::json!([]));
    for key in [
        "id",
        "action_taken",
        "action_taken_at",
        "category",
        "forwarded",
        "created_at",
        "updated_at",
        "action_taken_by_account",
    ] {
        assert!(e.get(key).is_some(), "{key}");
    }
    // assign / unassign / resolve / reopen
    let e = app
        .post(
            &path("/api/v1/admin/reports/:id/assign_to_self", &r1),
            token,
            &[],
        )
        .await
        .json();
    assert_eq!(e["assigned_account"]["id"], s.moderator.account_id.as_str());
    let e = app
        .post(&path("/api/v1/admin/reports/:id/unassign", &r1), token, &[])
        .await
        .json();
    assert_eq!(e["assigned_account"], serde_json::Value::Null);
    let e = app
        .post(&path("/api/v1/admin/reports/:id/resolve", &r1), token, &[])
        .await
        .json();
    assert_eq!(e["action_taken"], true);
    assert_eq!(
        e["action_taken_by_account"]["id"],
        s.moderator.account_id.as_str()
    );
    assert_eq!(
        ids(&app.get("/api/v1/admin/reports", token).await.json()),
        vec![r2.clone()]
    );
    assert_eq!(
        ids(&app
            .get("/api/v1/admin/reports?resolved=true", token)
            .await
            .json()),
        vec![r1.clone()]
    );
    let e = app
        .post(&path("/api/v1/admin/reports/:id/reopen", &r1), token, &[])
        .await
        .json();
    assert_eq!(e["action_taken"], false);
    assert_eq!(e["action_taken_at"], serde_json::Value::Null);
    let r1_id: i64 = r1.parse().unwrap_or_default();
    for action in ["assigned_to_self", "unassigned", "resolve", "reopen"] {
        assert_eq!(
            app.scalar_with(
                &format!(
                    "SELECT COUNT(*) FROM admin_action_logs WHERE target_type = 'Report' AND \
                     action = '{action}' AND target_id = $1"
                ),
                &[r1_id]
            )
            .await,
            1,
            "{action}"
        );
    }
}

#[db_test]
async fn admin_report_notifications_carry_the_report(app: TestApp) {
    let s = staff(&app).await;
    let reporter = app.user("reporter").await;
    let target = local(&app, "troll", Spec::default()).await.to_string();
    let res = report(
        &app,
        &reporter.token,
        &[("account_id", &target), ("comment", "rude")],
    )
    .await;
    let report_id = res.json()["id"].as_str().unwrap_or_default().to_owned();
    let res = app
        .get(
            "/api/v1/notifications?types[]=admin.report",
            Some(&s.moderator.token),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let n = &res.json()[0];
    assert_eq!(n["type"], "admin.report");
    assert_eq!(n["account"]["id"], reporter.account_id.as_str());
    assert_eq!(n["report"]["id"], report_id.as_str());
    assert_eq!(n["report"]["comment"], "rude");
    assert_eq!(n["report"]["target_account"]["id"], target.as_str());
    assert_eq!(n["report"]["account"]["id"], reporter.account_id.as_str());
    assert!(n.get("moderation_warning").is_none());
    let keys: Vec<&str> = n
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    // upstream's serializer order
    assert_eq!(
        keys,
        ["id", "type", "created_at", "group_key", "account", "report"]
    );
    let one = app
        .get(
            &format!(
                "/api/v1/notifications/{}",
                n["id"].as_str().unwrap_or_default()
            ),
            Some(&s.moderator.token),
        )
        .await;
    assert_eq!(&one.json(), n);
}

#[db_test]
async fn admin_report_embeds_the_reported_statuses(app: TestApp) {
    let s = staff(&app).await;
    let reporter = app.user("reporter").await;
    let troll = app.user("troll").await;
    let res = app
        .post(
            "/api/v1/statuses",
            Some(&troll.token),
            &[("status", "something rude")],
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let status_id = res.json()["id"].as_str().unwrap_or_default().to_owned();
    let r = report(
        &app,
        &reporter.token,
        &[
            ("account_id", &troll.account_id),
            ("status_ids[]", &status_id),
        ],
    )
    .await
    .json();
    let id = r["id"].as_str().unwrap_or_default().to_owned();
    let e = admin_report(&app, &s.moderator.token, &id).await;
    assert_eq!(e["statuses"].as_array().map(Vec::len), Some(1), "{e}");
    assert_eq!(e["statuses"][0]["id"], status_id.as_str());
    assert!(
        e["statuses"][0]["content"]
            .as_str()
            .unwrap_or_default()
            .contains("something rude")
    );
    assert_eq!(e["statuses"][0]["account"]["id"], troll.account_id.as_str());
    // a deleted status drops out of the report's rendering
    assert_eq!(
        app.delete(&format!("/api/v1/statuses/{status_id}"), Some(&troll.token))
            .await
            .status,
        200
    );
    let e = admin_report(&app, &s.moderator.token, &id).await;
    assert_eq!(e["statuses"], serde_json::json!([]));
}
