//! featured tags.

use woolly_testkit::{TestApp, db_test};

#[db_test]
async fn feature_list_and_unfeature_tags(app: TestApp) {
    let me = app.user("me").await;
    let res = app
        .post(
            "/api/v1/featured_tags",
            Some(&me.token),
            &[("name", "#Rust")],
        )
        .await;
    assert_eq!(res.status, 200);
    let t = res.json();
    assert_eq!(t["name"], "Rust");
    assert_eq!(t["url"], "https://woolly.test/@me/tagged/Rust");
    assert_eq!(t["statuses_count"], "0");
    assert_eq!(t["last_status_at"], serde_json::Value::Null);
    let id = t["id"].as_str().unwrap_or_default().to_owned();
    let res = app
        .post(
            "/api/v1/featured_tags",
            Some(&me.token),
            &[("name", "rust")],
        )
        .await;
    assert_eq!(res.status, 422);
    assert_eq!(
        res.error(),
        "Validation failed: Name has already been taken"
    );
    let res = app
        .post(
            "/api/v1/featured_tags",
            Some(&me.token),
            &[("name", "no spaces")],
        )
        .await;
    assert_eq!(res.status, 422);
    assert_eq!(res.error(), "Validation failed: Name is invalid");
    let res = app
        .post("/api/v1/featured_tags", Some(&me.token), &[])
        .await;
    assert_eq!(res.status, 400);
    assert_eq!(res.error(), "param is missing or the value is empty: name");
    // public, no auth at all (even a garbage token is ignored)
    let res = app
        .get(
            &format!("/api/v1/accounts/{}/featured_tags", me.account_id),
            Some("garbage"),
        )
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(res.json()[0]["id"], id.as_str());
    assert_eq!(
        app.get("/api/v1/accounts/777/featured_tags", None)
            .await
            .status,
        404
    );
    assert_eq!(
        app.get("/api/v1/featured_tags", Some(&me.token))
            .await
            .array_len(),
        Some(1)
    );
    // the limit is 10
    for i in 0..9 {
        assert_eq!(
            app.post(
                "/api/v1/featured_tags",
                Some(&me.token),
                &[("name", &format!("tag{i}"))]
            )
            .await
            .status,
            200
        );
    }
    let res = app
        .post(
            "/api/v1/featured_tags",
            Some(&me.token),
            &[("name", "eleventh")],
        )
        .await;
    assert_eq!(res.status, 422);
    assert_eq!(
        res.error(),
        "Validation failed: You have already featured the maximum number of hashtags"
    );
    let other = app.user("other").await;
    assert_eq!(
        app.delete(&format!("/api/v1/featured_tags/{id}"), Some(&other.token))
            .await
            .status,
        404
    );
    let res = app
        .delete(&format!("/api/v1/featured_tags/{id}"), Some(&me.token))
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(res.json(), serde_json::json!({}));
    app.sql(&format!(
        "UPDATE accounts SET suspended_at = 1 WHERE id = {}",
        me.account_id
    ))
    .await;
    assert_eq!(
        app.get(
            &format!("/api/v1/accounts/{}/featured_tags", me.account_id),
            None
        )
        .await
        .json(),
        serde_json::json!([])
    );
}

#[db_test]
async fn suggestions_are_recent_unfeatured_tags(app: TestApp) {
    let me = app.user("me").await;
    let now = woolly::domain::time::now();
    let sid = now << 16;
    app.sql(
        "INSERT INTO tags (id, name, name_lower, created_at) VALUES (1, 'Cats', \
         'cats', 1), (2, 'dogs', 'dogs', 1)",
    )
    .await;
    app.sql(&format!(
        "INSERT INTO statuses (id, account_id, text, created_at, updated_at) \
         VALUES ({sid}, {}, 'x', {now}, {now})",
        me.account_id
    ))
    .await;
    app.sql(&format!(
        "INSERT INTO statuses_tags (status_id, tag_id) VALUES ({sid}, 1), ({sid}, 2)"
    ))
    .await;
    app.post(
        "/api/v1/featured_tags",
        Some(&me.token),
        &[("name", "dogs")],
    )
    .await;
    let res = app
        .get("/api/v1/featured_tags/suggestions", Some(&me.token))
        .await;
    assert_eq!(res.status, 200);
    let list = res.json();
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    assert_eq!(list[0]["name"], "Cats");
    assert_eq!(list[0]["url"], "https://woolly.test/tags/Cats");
    assert_eq!(list[0]["history"].as_array().map(Vec::len), Some(7));
    assert_eq!(list[0]["history"][0]["uses"], "1");
    assert_eq!(list[0]["history"][0]["accounts"], "1");
    // featuring counts the tagged public statuses
    let t = app
        .post(
            "/api/v1/featured_tags",
            Some(&me.token),
            &[("name", "cats")],
        )
        .await
        .json();
    assert_eq!(t["statuses_count"], "1");
    assert!(t["last_status_at"].is_string());
}

#[db_test]
async fn featured_tag_counts_follow_new_and_deleted_statuses(app: TestApp) {
    let me = app.user("me").await;
    assert_eq!(
        app.post(
            "/api/v1/featured_tags",
            Some(&me.token),
            &[("name", "Rust")]
        )
        .await
        .status,
        200
    );
    let path = format!("/api/v1/accounts/{}/featured_tags", me.account_id);
    let tags = || async { app.get(&path, None).await.json()[0].clone() };
    let post = |text: &'static str, visibility: &'static str| {
        let token = me.token.clone();
        let app = &app;
        async move {
            let res = app
                .post(
                    "/api/v1/statuses",
                    Some(&token),
                    &[("status", text), ("visibility", visibility)],
                )
                .await;
            assert_eq!(res.status, 200, "{}", res.text());
            res.json()["id"].as_str().unwrap_or_default().to_owned()
        }
    };
    let first = post("hello #rust", "public").await;
    let _private = post("secret #rust", "private").await;
    let _other = post("no tag here", "public").await;
    let t = tags().await;
    assert_eq!(t["statuses_count"], "1");
    assert!(t["last_status_at"].is_string());
    let second = post("again #Rust", "unlisted").await;
    assert_eq!(tags().await["statuses_count"], "2");
    assert_eq!(
        app.delete(&format!("/api/v1/statuses/{second}"), Some(&me.token))
            .await
            .status,
        200
    );
    assert_eq!(tags().await["statuses_count"], "1");
    assert_eq!(
        app.delete(&format!("/api/v1/statuses/{first}"), Some(&me.token))
            .await
            .status,
        200
    );
    let t = tags().await;
    assert_eq!(t["statuses_count"], "0");
    assert_eq!(t["last_status_at"], serde_json::Value::Null);
}
