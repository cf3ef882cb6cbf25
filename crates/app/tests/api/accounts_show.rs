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

db_test!(async fn identity_proofs_are_gone_but_still_answered(app) {
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    let path = format!("/api/v1/accounts/{}/identity_proofs", bob.account_id);
    let res = app.get(&path, Some(&alice.token)).await;
    assert_eq!(res.status, 200);
    assert_eq!(res.json(), serde_json::json!([]));
    assert_eq!(res.header("deprecation").as_deref(), Some("@1648598400"));
    let res = app.get(&path, None).await;
    assert_eq!(res.status, 422);
    assert_eq!(res.error(), "This method requires an authenticated user");
    assert_eq!(app.get("/api/v1/accounts/12345/identity_proofs", Some(&alice.token)).await.status, 404);
});

db_test!(async fn moved_and_emojis_render_on_the_rest_account(app) {
    let alice = app.user("alice").await;
    let home = app.user("newhome").await;
    let res = app.form(axum::http::Method::PATCH, "/api/v1/accounts/update_credentials", Some(&alice.token), &[("display_name", ":blob: Alice"), ("note", "hi :wave:")]).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let mut conn = app.state.db().conn().await.unwrap();
    let mut ex = conn.exec();
    for (code, disabled) in [("blob", false), ("wave", true)] {
        let sql = format!("INSERT INTO custom_emojis (id, shortcode, image_key, disabled, created_at) VALUES ({}, '{code}', 'emoji/{code}.png', {}, 0)", app.state.next_id(), if disabled { "TRUE" } else { "FALSE" });
        woolly::on!(&mut ex, c => sqlx::query(sqlx::AssertSqlSafe(sql)).execute(c).await.map(|_| ())).unwrap();
    }
    let sql = format!("UPDATE accounts SET moved_to_account_id = {} WHERE id = {}", home.account_id, alice.account_id);
    woolly::on!(&mut ex, c => sqlx::query(sqlx::AssertSqlSafe(sql)).execute(c).await.map(|_| ())).unwrap();
    drop(conn);
    let a = app.get(&format!("/api/v1/accounts/{}", alice.account_id), None).await.json();
    assert_eq!(a["emojis"].as_array().map(Vec::len), Some(1), "disabled emojis are left out: {a}");
    assert_eq!(a["emojis"][0]["shortcode"], "blob");
    assert!(a["emojis"][0]["url"].as_str().unwrap_or_default().ends_with("emoji/blob.png"));
    assert_eq!(a["emojis"][0]["visible_in_picker"], true);
    assert_eq!(a["moved"]["id"], home.account_id.as_str());
    assert!(a["moved"].get("moved").is_none(), "a nested account never has moved");
    // an account that did not move has no `moved` member at all
    let h = app.get(&format!("/api/v1/accounts/{}", home.account_id), None).await.json();
    assert!(h.get("moved").is_none());
});
