//! lists and list members.

use axum::http::Method;
use woolly_testkit::{TestApp, db_test};

use super::support::{path, post};

#[db_test]
async fn lists_crud_and_validation(app: TestApp) {
    let me = app.user("me").await;
    let other = app.user("other").await;
    let res = app
        .post(
            "/api/v1/lists",
            Some(&me.token),
            &[
                ("title", "Friends"),
                ("replies_policy", "followed"),
                ("exclusive", "true"),
            ],
        )
        .await;
    assert_eq!(res.status, 200);
    let l = res.json();
    assert_eq!(l["title"], "Friends");
    assert_eq!(l["replies_policy"], "followed");
    assert_eq!(l["exclusive"], true);
    let id = l["id"].as_str().unwrap_or_default().to_owned();
    let res = app
        .post("/api/v1/lists", Some(&me.token), &[("title", "")])
        .await;
    assert_eq!(res.status, 422);
    assert_eq!(res.error(), "Validation failed: Title can't be blank");
    let res = app
        .post(
            "/api/v1/lists",
            Some(&me.token),
            &[("title", "x"), ("replies_policy", "all")],
        )
        .await;
    assert_eq!(res.status, 422);
    assert_eq!(
        res.error(),
        "Validation failed: Replies policy is not included in the list"
    );
    let res = app
        .form(
            Method::PUT,
            &format!("/api/v1/lists/{id}"),
            Some(&me.token),
            &[("title", "Close friends")],
        )
        .await;
    assert_eq!(res.json()["title"], "Close friends");
    assert_eq!(res.json()["replies_policy"], "followed");
    assert_eq!(
        app.get(&format!("/api/v1/lists/{id}"), Some(&me.token))
            .await
            .json()["title"],
        "Close friends"
    );
    assert_eq!(
        app.get(&format!("/api/v1/lists/{id}"), Some(&other.token))
            .await
            .status,
        404
    );
    assert_eq!(
        app.get("/api/v1/lists", Some(&me.token)).await.array_len(),
        Some(1)
    );
    assert_eq!(
        app.delete(&format!("/api/v1/lists/{id}"), Some(&other.token))
            .await
            .status,
        404
    );
    let res = app
        .delete(&format!("/api/v1/lists/{id}"), Some(&me.token))
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(res.json(), serde_json::json!({}));
    assert_eq!(
        app.get("/api/v1/lists", Some(&me.token)).await.json(),
        serde_json::json!([])
    );
    // at most 50 lists
    for i in 0..50 {
        app.sql(&format!(
            "INSERT INTO lists (id, account_id, title, created_at) VALUES ({}, {}, 'l{i}', 1)",
            1000 + i,
            me.account_id
        ))
        .await;
    }
    let res = app
        .post("/api/v1/lists", Some(&me.token), &[("title", "one more")])
        .await;
    assert_eq!(res.status, 422);
    assert_eq!(
        res.error(),
        "Validation failed: You have reached the maximum number of lists"
    );
    let reader = app.user_with("reader", None, "read:lists").await;
    assert_eq!(
        app.get("/api/v1/lists", Some(&reader.token)).await.status,
        200
    );
    assert_eq!(
        app.post("/api/v1/lists", Some(&reader.token), &[("title", "x")])
            .await
            .status,
        403
    );
}

#[db_test]
async fn list_members_only_followed(app: TestApp) {
    let me = app.user("me").await;
    let f1 = app.user("fone").await;
    let f2 = app.user("ftwo").await;
    let stranger = app.user("stranger").await;
    for u in [&f1, &f2] {
        post(&app, &me.token, &path(&u.account_id, "follow")).await;
    }
    let id = app
        .post("/api/v1/lists", Some(&me.token), &[("title", "L")])
        .await
        .json()["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let url = format!("/api/v1/lists/{id}/accounts");
    let res = app
        .post(
            &url,
            Some(&me.token),
            &[
                ("account_ids[]", &f1.account_id),
                ("account_ids[]", &f2.account_id),
            ],
        )
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(res.json(), serde_json::json!({}));
    let res = app
        .post(
            &url,
            Some(&me.token),
            &[("account_ids[]", &stranger.account_id)],
        )
        .await;
    assert_eq!(res.status, 404);
    let res = app
        .post(&url, Some(&me.token), &[("account_ids[]", "999999")])
        .await;
    assert_eq!(res.status, 404);
    let res = app
        .post(&url, Some(&me.token), &[("account_ids[]", &f1.account_id)])
        .await;
    assert_eq!(res.status, 422);
    assert_eq!(
        res.error(),
        "Validation failed: Account has already been taken"
    );
    let res = app.get(&format!("{url}?limit=1"), Some(&me.token)).await;
    let top = if f1.account_id > f2.account_id {
        &f1
    } else {
        &f2
    };
    assert_eq!(res.json()[0]["id"], top.account_id.as_str());
    assert!(
        res.header("link")
            .unwrap_or_default()
            .contains(&format!("max_id={}", top.account_id))
    );
    let all = app.get(&format!("{url}?limit=0"), Some(&me.token)).await;
    assert_eq!(all.json().as_array().map(Vec::len), Some(2));
    assert!(all.header("link").is_none());
    // the lists that hold an account
    let held = app
        .get(
            &format!("/api/v1/accounts/{}/lists", f1.account_id),
            Some(&me.token),
        )
        .await
        .json();
    assert_eq!(held[0]["id"], id.as_str());
    assert_eq!(
        app.get(
            &format!("/api/v1/accounts/{}/lists", stranger.account_id),
            Some(&me.token)
        )
        .await
        .json(),
        serde_json::json!([])
    );
    assert_eq!(
        app.get("/api/v1/accounts/4242/lists", Some(&me.token))
            .await
            .status,
        404
    );
    // unfollowing removes the account from lists; DELETE removes explicitly
    post(&app, &me.token, &path(&f1.account_id, "unfollow")).await;
    assert_eq!(app.get(&url, Some(&me.token)).await.array_len(), Some(1));
    let res = app
        .form(
            Method::DELETE,
            &url,
            Some(&me.token),
            &[("account_ids[]", &f2.account_id)],
        )
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(
        app.get(&url, Some(&me.token)).await.json(),
        serde_json::json!([])
    );
}
