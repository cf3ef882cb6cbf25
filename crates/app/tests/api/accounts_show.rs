use woolly_testkit::db_test;

db_test!(async fn shows_the_account_entity(app) {
    let alice = app.user("alice").await;
    let res = app.get(&format!("/api/v1/accounts/{}", alice.account_id), None).await;
    assert_eq!(res.status, 200);
    assert!(res.header("cache-control").unwrap_or_default().starts_with("public"));
    let a = res.json();
    assert_eq!(a["id"], alice.account_id.as_str());
    assert_eq!(a["username"], "alice");
    assert_eq!(a["acct"], "alice");
    assert_eq!(a["url"], "https://woolly.test/@alice");
    assert!(a["created_at"].as_str().unwrap_or_default().ends_with("T00:00:00.000Z"));
    assert_eq!(a["avatar"], "https://woolly.test/avatars/original/missing.png");
    assert_eq!(a["followers_count"], 0);
    assert_eq!(a["last_status_at"], serde_json::Value::Null);
    assert_eq!(a["roles"], serde_json::json!([]));
    assert_eq!(a["noindex"], false);
    assert!(a.get("suspended").is_none());
    assert!(a.get("moved").is_none());
    for key in ["display_name", "locked", "bot", "discoverable", "indexable", "group", "note", "uri", "avatar_static", "header", "header_static", "statuses_count", "following_count", "emojis", "fields", "hide_collections"] {
        assert!(a.get(key).is_some(), "missing {key}");
    }
});

db_test!(async fn unknown_and_non_numeric_ids_are_404(app) {
    for path in ["/api/v1/accounts/12345", "/api/v1/accounts/abc"] {
        let res = app.get(path, None).await;
        assert_eq!(res.status, 404);
        assert_eq!(res.error(), "Record not found");
    }
});

db_test!(async fn staff_role_badge_is_shown_when_highlighted(app) {
    let owner = app.user_with("boss", Some("Owner"), "read").await;
    let a = app.get(&format!("/api/v1/accounts/{}", owner.account_id), None).await.json();
    assert_eq!(a["roles"], serde_json::json!([{"id": "3", "name": "Owner", "color": ""}]));
});
