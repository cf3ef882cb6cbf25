//! notifications: list with filters and pagination, show, dismiss, clear.

use woolly_testkit::{TestApp, db_test};

use super::support::{path, post};

#[db_test]
async fn notifications_list_filter_and_paginate(app: TestApp) {
    let me = app.user("me").await;
    let a = app.user("fa").await;
    let b = app.user("fb").await;
    let c = app.user("fc").await;
    for u in [&a, &b] {
        post(&app, &u.token, &path(&me.account_id, "follow")).await;
    }
    app.sql(&format!(
        "UPDATE accounts SET locked = TRUE WHERE id = {}",
        me.account_id
    ))
    .await;
    post(&app, &c.token, &path(&me.account_id, "follow")).await;
    let res = app.get("/api/v1/notifications", Some(&me.token)).await;
    assert_eq!(res.status, 200);
    let list = res.json();
    assert_eq!(list.as_array().map(Vec::len), Some(3));
    assert_eq!(list[0]["type"], "follow_request");
    assert_eq!(list[0]["account"]["id"], c.account_id.as_str());
    let id0 = list[0]["id"].as_str().unwrap_or_default().to_owned();
    assert_eq!(list[0]["group_key"], format!("ungrouped-{id0}"));
    assert!(
        list[0]["created_at"]
            .as_str()
            .unwrap_or_default()
            .ends_with('Z')
    );
    // filters
    let only = app
        .get("/api/v1/notifications?types[]=follow", Some(&me.token))
        .await
        .json();
    assert_eq!(only.as_array().map(Vec::len), Some(2));
    let ex = app
        .get(
            "/api/v1/notifications?exclude_types[]=follow",
            Some(&me.token),
        )
        .await
        .json();
    assert_eq!(ex.as_array().map(Vec::len), Some(1));
    let from = app
        .get(
            &format!("/api/v1/notifications?account_id={}", a.account_id),
            Some(&me.token),
        )
        .await
        .json();
    assert_eq!(from.as_array().map(Vec::len), Some(1));
    assert_eq!(from[0]["account"]["id"], a.account_id.as_str());
    let none = app
        .get("/api/v1/notifications?types[]=bogus", Some(&me.token))
        .await
        .json();
    assert_eq!(none, serde_json::json!([]));
    // pagination: next = max_id, prev = min_id, filters carried
    let res = app
        .get(
            "/api/v1/notifications?limit=2&types[]=follow&types[]=follow_request",
            Some(&me.token),
        )
        .await;
    let link = res.header("link").unwrap_or_default();
    assert!(link.contains("max_id="), "{link}");
    assert!(link.contains("min_id="), "{link}");
    assert!(link.contains("types%5B%5D=follow"), "{link}");
    let page = res.json();
    let last = page[1]["id"].as_str().unwrap_or_default().to_owned();
    let rest = app
        .get(
            &format!("/api/v1/notifications?max_id={last}"),
            Some(&me.token),
        )
        .await
        .json();
    assert_eq!(rest.as_array().map(Vec::len), Some(1));
    let newer = app
        .get(
            &format!("/api/v1/notifications?min_id={last}&limit=1"),
            Some(&me.token),
        )
        .await
        .json();
    assert_eq!(newer[0]["id"], page[0]["id"]);
    // show, dismiss, clear
    let one = app
        .get(&format!("/api/v1/notifications/{id0}"), Some(&me.token))
        .await;
    assert_eq!(one.status, 200);
    assert_eq!(one.json()["id"], id0.as_str());
    assert_eq!(
        app.get(&format!("/api/v1/notifications/{id0}"), Some(&a.token))
            .await
            .status,
        404
    );
    let res = post(
        &app,
        &me.token,
        &format!("/api/v1/notifications/{id0}/dismiss"),
    )
    .await;
    assert_eq!(res.status, 200);
    assert_eq!(res.json(), serde_json::json!({}));
    assert_eq!(
        post(
            &app,
            &me.token,
            &format!("/api/v1/notifications/{id0}/dismiss")
        )
        .await
        .status,
        404
    );
    assert_eq!(
        app.get(&format!("/api/v1/notifications/{id0}"), Some(&me.token))
            .await
            .status,
        404
    );
    // from suspended accounts: hidden
    app.sql(&format!(
        "UPDATE accounts SET suspended_at = 1 WHERE id = {}",
        a.account_id
    ))
    .await;
    assert_eq!(
        app.get("/api/v1/notifications", Some(&me.token))
            .await
            .array_len(),
        Some(1)
    );
    assert_eq!(
        post(&app, &me.token, "/api/v1/notifications/clear")
            .await
            .status,
        200
    );
    assert_eq!(
        app.get("/api/v1/notifications", Some(&me.token))
            .await
            .json(),
        serde_json::json!([])
    );
    assert!(
        app.get("/api/v1/notifications", Some(&me.token))
            .await
            .header("link")
            .is_none()
    );
    // scopes
    let reader = app.user_with("reader", None, "read:notifications").await;
    assert_eq!(
        app.get("/api/v1/notifications", Some(&reader.token))
            .await
            .status,
        200
    );
    assert_eq!(
        post(&app, &reader.token, "/api/v1/notifications/clear")
            .await
            .status,
        403
    );
}

#[db_test]
async fn mention_notifications_carry_their_status(app: TestApp) {
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    let r = app
        .post(
            "/api/v1/statuses",
            Some(&alice.token),
            &[("status", "hello @bob"), ("visibility", "direct")],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let status_id = r.json()["id"].as_str().unwrap_or_default().to_owned();
    let list = app
        .get("/api/v1/notifications?types[]=mention", Some(&bob.token))
        .await
        .json();
    assert_eq!(list[0]["type"], "mention", "{list}");
    assert_eq!(list[0]["status"]["id"], status_id.as_str());
    assert_eq!(list[0]["status"]["visibility"], "direct");
    assert_eq!(list[0]["account"]["username"], "alice");
    let keys: Vec<&str> = list[0]
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    assert_eq!(
        keys,
        ["id", "type", "created_at", "group_key", "account", "status"]
    );
    let id = list[0]["id"].as_str().unwrap_or_default().to_owned();
    let one = app
        .get(&format!("/api/v1/notifications/{id}"), Some(&bob.token))
        .await
        .json();
    assert_eq!(one["status"]["id"], status_id.as_str());
    // a follow notification has no status member
    app.post(
        &format!("/api/v1/accounts/{}/follow", bob.account_id),
        Some(&alice.token),
        &[],
    )
    .await;
    let list = app
        .get("/api/v1/notifications?types[]=follow", Some(&bob.token))
        .await
        .json();
    assert!(list[0].get("status").is_none(), "{list}");
    // once the status is deleted, its notification is left out
    assert_eq!(
        app.delete(&format!("/api/v1/statuses/{status_id}"), Some(&alice.token))
            .await
            .status,
        200
    );
    let list = app
        .get("/api/v1/notifications?types[]=mention", Some(&bob.token))
        .await
        .json();
    assert_eq!(list, serde_json::json!([]));
}
