//! GET /api/v1/admin/account_warnings and POST …/:id/overrule (ours): the strikes against an
//! account, newest first and paginated, and their withdrawal with an `overrule` audit entry.

use woolly_testkit::{TestApp, db_test, ids};

use super::support::{Spec, local, path, remote, staff};

/// Strikes `target` with `type=none` and `text` (no mail) as `token`.
async fn strike(app: &TestApp, token: &str, target: &str, kind: &str, text: &str) {
    let res = app
        .post(
            &path("/api/v1/admin/accounts/:id/action", target),
            Some(token),
            &[
                ("type", kind),
                ("text", text),
                ("send_email_notification", "0"),
            ],
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
}

fn list_path(target: &str) -> String {
    format!("/api/v1/admin/account_warnings?account_id={target}")
}

/// The id of the newest strike against `target`.
async fn newest(app: &TestApp, token: &str, target: &str) -> String {
    let res = app.get(&list_path(target), Some(token)).await;
    assert_eq!(res.status, 200, "{}", res.text());
    res.json()[0]["id"].as_str().unwrap_or_default().to_owned()
}

fn overrule_path(id: &str) -> String {
    path("/api/v1/admin/account_warnings/:id/overrule", id)
}

#[db_test]
async fn lists_the_strikes_of_an_account_newest_first(app: TestApp) {
    let s = staff(&app).await;
    let token = s.moderator.token.as_str();
    let id = local(&app, "target", Spec::default()).await.to_string();
    let other = local(&app, "other", Spec::default()).await.to_string();
    strike(&app, token, &id, "none", "Be nice.").await;
    strike(&app, token, &id, "silence", "Last warning.").await;
    strike(&app, token, &other, "none", "Elsewhere.").await;
    let res = app.get(&list_path(&id), Some(token)).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let list = res.json();
    assert_eq!(list.as_array().map(Vec::len), Some(2));
    let first = &list[0];
    assert_eq!(first["action"], "silence");
    assert_eq!(first["text"], "Last warning.");
    assert_eq!(first["status_ids"], serde_json::Value::Null);
    assert_eq!(first["target_account"]["id"], id.as_str());
    assert_eq!(first["target_account"]["username"], "target");
    assert_eq!(first["appeal"], serde_json::Value::Null);
    assert_eq!(first["overruled_at"], serde_json::Value::Null);
    assert!(
        first["created_at"]
            .as_str()
            .unwrap_or_default()
            .ends_with('Z')
    );
    let keys: Vec<&str> = first
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    assert_eq!(keys.len(), 8, "{keys:?}");
    assert_eq!(list[1]["action"], "none");
    assert_eq!(list[1]["text"], "Be nice.");
    // a remote account without strikes, an unknown account, no account at all
    let far = remote(&app, "far", "remote.test").await.to_string();
    assert_eq!(
        app.get(&list_path(&far), Some(token)).await.json(),
        serde_json::json!([])
    );
    assert_eq!(
        app.get(&list_path("12345"), Some(token)).await.error(),
        "Record not found"
    );
    assert_eq!(app.get(&list_path("abc"), Some(token)).await.status, 404);
    let res = app.get("/api/v1/admin/account_warnings", Some(token)).await;
    assert_eq!(res.status, 400);
    assert_eq!(
        res.error(),
        "param is missing or the value is empty: account_id"
    );
}

#[db_test]
async fn pages_by_id_with_link_headers(app: TestApp) {
    let s = staff(&app).await;
    let token = s.admin.token.as_str();
    let id = local(&app, "target", Spec::default()).await.to_string();
    for n in 0..5 {
        strike(&app, token, &id, "none", &format!("strike {n}")).await;
    }
    let all = app.get(&list_path(&id), Some(token)).await.json();
    let all_ids = ids(&all);
    assert_eq!(all_ids.len(), 5);
    assert_eq!(all[0]["text"], "strike 4");
    let res = app
        .get(&format!("{}&limit=2", list_path(&id)), Some(token))
        .await;
    let page = res.json();
    assert_eq!(ids(&page), all_ids[..2]);
    let link = res.header("link").unwrap_or_default();
    let base = "https://woolly.test/api/v1/admin/account_warnings";
    let next = format!(
        "<{base}?account_id={id}&limit=2&max_id={}>; rel=\"next\"",
        all_ids[1]
    );
    let prev = format!(
        "<{base}?account_id={id}&limit=2&min_id={}>; rel=\"prev\"",
        all_ids[0]
    );
    assert!(link.contains(&next), "{link}");
    assert!(link.contains(&prev), "{link}");
    let res = app
        .get(
            &format!("{}&limit=2&max_id={}", list_path(&id), all_ids[1]),
            Some(token),
        )
        .await;
    assert_eq!(ids(&res.json()), all_ids[2..4]);
    let res = app
        .get(
            &format!("{}&limit=2&min_id={}", list_path(&id), all_ids[4]),
            Some(token),
        )
        .await;
    assert_eq!(
        ids(&res.json()),
        all_ids[2..4],
        "min_id: the oldest newer ones, newest first"
    );
    let res = app
        .get(
            &format!("{}&since_id={}", list_path(&id), all_ids[2]),
            Some(token),
        )
        .await;
    assert_eq!(ids(&res.json()), all_ids[..2]);
    // the last page has no next link
    let res = app
        .get(
            &format!("{}&limit=2&max_id={}", list_path(&id), all_ids[3]),
            Some(token),
        )
        .await;
    assert_eq!(ids(&res.json()), all_ids[4..]);
    assert!(
        !res.header("link")
            .unwrap_or_default()
            .contains("rel=\"next\"")
    );
    // limit is capped at 80
    let res = app
        .get(&format!("{}&limit=1000", list_path(&id)), Some(token))
        .await;
    assert_eq!(res.json().as_array().map(Vec::len), Some(5));
}

#[db_test]
async fn overrule_is_idempotent_and_audited(app: TestApp) {
    let s = staff(&app).await;
    let token = s.admin.token.as_str();
    let id = local(&app, "target", Spec::default()).await.to_string();
    strike(&app, token, &id, "silence", "Too loud.").await;
    let strike_id = newest(&app, token, &id).await;
    let res = app.post(&overrule_path(&strike_id), Some(token), &[]).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let first = res.json();
    assert_eq!(first["id"], strike_id.as_str());
    assert_eq!(first["action"], "silence");
    assert_eq!(first["text"], "Too loud.");
    assert_eq!(first["target_account"]["id"], id.as_str());
    let at = first["overruled_at"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(at.ends_with('Z'), "{first}");
    // a second call changes nothing
    let res = app.post(&overrule_path(&strike_id), Some(token), &[]).await;
    assert_eq!(res.status, 200);
    assert_eq!(res.json(), first);
    // the list shows it overruled
    let list = app.get(&list_path(&id), Some(token)).await.json();
    assert_eq!(list[0]["overruled_at"], at.as_str());
    // one overrule entry, with the strike text, on the strike
    let res = app
        .get("/api/v1/admin/action_logs?action=overrule", Some(token))
        .await;
    assert_eq!(res.status, 200);
    let logs = res.json();
    assert_eq!(logs.as_array().map(Vec::len), Some(1), "{logs}");
    assert_eq!(logs[0]["target_type"], "AccountWarning");
    assert_eq!(logs[0]["target_id"], strike_id.as_str());
    assert_eq!(logs[0]["target_account_id"], id.as_str());
    assert_eq!(logs[0]["human_identifier"], "target");
    assert_eq!(logs[0]["text"], "Too loud.");
    assert_eq!(logs[0]["account"]["id"], s.admin.account_id.as_str());
    // the account-level effect stays: unsilence is its undo
    let account = app
        .get(&path("/api/v1/admin/accounts/:id", &id), Some(token))
        .await
        .json();
    assert_eq!(account["silenced"], true);
    // unknown and malformed ids
    let res = app.post(&overrule_path("12345"), Some(token), &[]).await;
    assert_eq!(res.status, 404);
    assert_eq!(res.error(), "Record not found");
    assert_eq!(
        app.post(&overrule_path("abc"), Some(token), &[])
            .await
            .status,
        404
    );
}

#[db_test]
async fn needs_admin_scopes_manage_users_and_a_higher_role(app: TestApp) {
    let s = staff(&app).await;
    let owner = s.owner.token.as_str();
    let id = local(&app, "target", Spec::default()).await.to_string();
    strike(&app, owner, &id, "none", "Plain strike.").await;
    strike(&app, owner, &s.admin.account_id, "none", "Admin strike.").await;
    let plain_strike = newest(&app, owner, &id).await;
    let admin_strike = newest(&app, owner, &s.admin.account_id).await;
    let list = list_path(&id);
    // no token: the nobody role
    assert_eq!(
        app.get(&list, None).await.error(),
        "This action is not allowed"
    );
    let res = app.post(&overrule_path(&plain_strike), None, &[]).await;
    assert_eq!(res.status, 403);
    assert_eq!(res.error(), "This action is not allowed");
    // a token without admin scopes
    let user = app.user("alice").await;
    let res = app.get(&list, Some(&user.token)).await;
    assert_eq!(res.status, 403);
    assert_eq!(res.error(), "This action is outside the authorized scopes");
    let res = app
        .post(&overrule_path(&plain_strike), Some(&user.token), &[])
        .await;
    assert_eq!(res.error(), "This action is outside the authorized scopes");
    // read scopes do not overrule; granular scopes work
    let reader = app
        .user_with("reader", Some("Owner"), "admin:read:accounts")
        .await;
    assert_eq!(app.get(&list, Some(&reader.token)).await.status, 200);
    let res = app
        .post(&overrule_path(&plain_strike), Some(&reader.token), &[])
        .await;
    assert_eq!(res.error(), "This action is outside the authorized scopes");
    // a plain user with admin scopes
    assert_eq!(
        app.get(&list, Some(&s.user.token)).await.error(),
        "This action is not allowed"
    );
    let res = app
        .post(&overrule_path(&plain_strike), Some(&s.user.token), &[])
        .await;
    assert_eq!(res.error(), "This action is not allowed");
    // a Moderator reads every strike but cannot overrule an Admin's; nor an Admin another Admin's
    assert_eq!(
        app.get(&list_path(&s.admin.account_id), Some(&s.moderator.token))
            .await
            .status,
        200
    );
    let res = app
        .post(&overrule_path(&admin_strike), Some(&s.moderator.token), &[])
        .await;
    assert_eq!(res.error(), "This action is not allowed");
    let res = app
        .post(&overrule_path(&admin_strike), Some(&s.admin.token), &[])
        .await;
    assert_eq!(res.status, 403);
    // nothing was overruled nor logged by the refusals
    let strikes = app
        .get(&list_path(&s.admin.account_id), Some(owner))
        .await
        .json();
    assert_eq!(strikes[0]["overruled_at"], serde_json::Value::Null);
    let logs = app
        .get("/api/v1/admin/action_logs?action=overrule", Some(owner))
        .await
        .json();
    assert_eq!(logs.as_array().map(Vec::len), Some(0));
    // the Admin overrules a plain user's strike, the Owner the Admin's
    let res = app
        .post(&overrule_path(&plain_strike), Some(&s.admin.token), &[])
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let res = app
        .post(&overrule_path(&admin_strike), Some(owner), &[])
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert!(res.json()["overruled_at"].is_string());
}
