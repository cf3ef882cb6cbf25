//! followers / following / endorsements lists.

use woolly_testkit::{TestApp, db_test, ids};

use super::support::{path, post};

#[db_test]
async fn followers_paginate_by_follow_row_id(app: TestApp) {
    let target = app.user("target").await;
    let mut followers = Vec::new();
    for name in ["f1", "f2", "f3"] {
        let u = app.user(name).await;
        post(&app, &u.token, &path(&target.account_id, "follow")).await;
        followers.push(u);
    }
    let url = format!(
        "/api/v1/accounts/{}/followers?limit=2&min_id=1",
        target.account_id
    );
    let res = app.get(&url, None).await;
    assert_eq!(res.status, 200);
    assert!(
        res.header("cache-control")
            .unwrap_or_default()
            .starts_with("public")
    );
    assert_eq!(
        ids(&res.json()),
        vec![
            followers[2].account_id.clone(),
            followers[1].account_id.clone()
        ]
    );
    let link = res.header("link").unwrap_or_default();
    let base = format!(
        "https://woolly.test/api/v1/accounts/{}/followers?limit=2&",
        target.account_id
    );
    assert!(link.starts_with(&format!("<{base}max_id=")), "{link}");
    assert!(link.contains(&format!("<{base}since_id=")), "{link}");
    assert!(!link.contains("min_id"));
    let next = woolly_testkit::first_link_path(&link);
    let res = app.get(&next, None).await;
    assert_eq!(ids(&res.json()), vec![followers[0].account_id.clone()]);
    let link = res.header("link").unwrap_or_default();
    assert!(!link.contains("rel=\"next\""));
    assert!(link.contains("rel=\"prev\""));
    // following of a follower
    let res = app
        .get(
            &format!("/api/v1/accounts/{}/following", followers[0].account_id),
            Some(&target.token),
        )
        .await;
    assert_eq!(ids(&res.json()), vec![target.account_id.clone()]);
    assert!(
        res.header("cache-control")
            .unwrap_or_default()
            .starts_with("private")
    );
    // limit values: abc = 0 results, -1 = 1, over the max = 80
    for (limit, expected) in [("abc", 0), ("-1", 1), ("500", 3)] {
        let path = format!(
            "/api/v1/accounts/{}/followers?limit={limit}",
            target.account_id
        );
        let res = app.get(&path, None).await;
        assert_eq!(ids(&res.json()).len(), expected, "limit={limit}");
    }
    // empty page: no Link header
    let res = app
        .get(
            &format!("/api/v1/accounts/{}/followers", followers[1].account_id),
            None,
        )
        .await;
    assert_eq!(res.json(), serde_json::json!([]));
    assert!(res.header("link").is_none());
    assert_eq!(
        app.get("/api/v1/accounts/987654/followers", None)
            .await
            .status,
        404
    );
}

#[db_test]
async fn hidden_blocked_and_excluded_collections(app: TestApp) {
    let target = app.user("target").await;
    let viewer = app.user("viewer").await;
    let f1 = app.user("fone").await;
    let f2 = app.user("ftwo").await;
    post(&app, &f1.token, &path(&target.account_id, "follow")).await;
    post(&app, &f2.token, &path(&target.account_id, "follow")).await;
    let url = format!("/api/v1/accounts/{}/followers", target.account_id);
    // viewer-side exclusions: muted and blocked accounts are left out; the owner sees all
    post(&app, &viewer.token, &path(&f1.account_id, "mute")).await;
    assert_eq!(
        ids(&app.get(&url, Some(&viewer.token)).await.json()),
        vec![f2.account_id.clone()]
    );
    post(&app, &f2.token, &path(&viewer.account_id, "block")).await;
    assert_eq!(
        ids(&app.get(&url, Some(&viewer.token)).await.json()).len(),
        0
    );
    assert_eq!(
        ids(&app.get(&url, Some(&target.token)).await.json()).len(),
        2
    );
    // hide_collections: empty for everyone but the owner
    app.sql(&format!(
        "UPDATE accounts SET hide_collections = TRUE WHERE id = {}",
        target.account_id
    ))
    .await;
    assert_eq!(app.get(&url, None).await.json(), serde_json::json!([]));
    assert_eq!(
        app.get(
            &format!("/api/v1/accounts/{}/following", target.account_id),
            Some(&viewer.token)
        )
        .await
        .json(),
        serde_json::json!([])
    );
    assert_eq!(
        ids(&app.get(&url, Some(&target.token)).await.json()).len(),
        2
    );
    // counts stay visible
    let a = app
        .get(&format!("/api/v1/accounts/{}", target.account_id), None)
        .await
        .json();
    assert_eq!(a["followers_count"], 2);
    app.sql(&format!(
        "UPDATE accounts SET hide_collections = FALSE WHERE id = {}",
        target.account_id
    ))
    .await;
    // a target that blocks the viewer shows nothing
    post(&app, &target.token, &path(&viewer.account_id, "block")).await;
    assert_eq!(
        app.get(&url, Some(&viewer.token)).await.json(),
        serde_json::json!([])
    );
    // suspended target: empty
    app.sql(&format!(
        "UPDATE accounts SET suspended_at = 1 WHERE id = {}",
        target.account_id
    ))
    .await;
    assert_eq!(app.get(&url, None).await.json(), serde_json::json!([]));
}

// Page items are the same JSON as `GET /api/v1/accounts/:id`, kept per process
// (cache::rendered_accounts) only while nothing is committed.
#[db_test]
async fn follow_pages_render_each_account_as_show_does_and_show_every_change(app: TestApp) {
    let target = app.user("target").await;
    let fan = app.user("fan").await;
    post(&app, &fan.token, &path(&target.account_id, "follow")).await;
    let followers = format!("/api/v1/accounts/{}/followers", target.account_id);
    let following = format!("/api/v1/accounts/{}/following", fan.account_id);
    let shown = |id: String| {
        let app = &app;
        async move {
            app.get(&format!("/api/v1/accounts/{id}"), None)
                .await
                .json()
        }
    };
    for _ in 0..2 {
        assert_eq!(
            app.get(&followers, None).await.json(),
            serde_json::json!([shown(fan.account_id.clone()).await])
        );
        assert_eq!(
            app.get(&following, None).await.json(),
            serde_json::json!([shown(target.account_id.clone()).await])
        );
    }
    let res = app
        .form(
            axum::http::Method::PATCH,
            "/api/v1/accounts/update_credentials",
            Some(&fan.token),
            &[("display_name", "Number One Fan")],
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(
        app.get(&followers, None).await.json()[0]["display_name"],
        "Number One Fan"
    );
    // a second follower: counts of the listed accounts move on the next read
    let other = app.user("other").await;
    post(&app, &other.token, &path(&target.account_id, "follow")).await;
    let page = app.get(&following, None).await.json();
    assert_eq!(page[0]["followers_count"], 2, "{page}");
    app.sql(&format!(
        "UPDATE accounts SET display_name = 'Straight SQL' WHERE id = {}",
        fan.account_id
    ))
    .await;
    let page = app.get(&followers, Some(&target.token)).await.json();
    assert_eq!(
        ids(&page),
        vec![other.account_id.clone(), fan.account_id.clone()]
    );
    assert_eq!(page[1]["display_name"], "Straight SQL");
    app.sql(&format!(
        "UPDATE accounts SET suspended_at = 1 WHERE id = {}",
        fan.account_id
    ))
    .await;
    assert_eq!(
        ids(&app.get(&followers, None).await.json()),
        vec![other.account_id.clone()]
    );
}

#[db_test]
async fn endorsements_lists(app: TestApp) {
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    let carol = app.user("carol").await;
    let res = post(&app, &alice.token, &path(&bob.account_id, "endorse")).await;
    assert_eq!(res.status, 422);
    assert_eq!(
        res.error(),
        "Validation failed: You must be already following the person you want to endorse"
    );
    for u in [&bob, &carol] {
        post(&app, &alice.token, &path(&u.account_id, "follow")).await;
    }
    assert_eq!(
        post(&app, &alice.token, &path(&bob.account_id, "endorse"))
            .await
            .json()["endorsed"],
        true
    );
    assert_eq!(
        post(&app, &alice.token, &path(&carol.account_id, "pin"))
            .await
            .json()["endorsed"],
        true
    );
    let res = app
        .get(
            &format!("/api/v1/accounts/{}/endorsements?limit=1", alice.account_id),
            None,
        )
        .await;
    assert_eq!(res.status, 200);
    let top = if bob.account_id > carol.account_id {
        &bob
    } else {
        &carol
    };
    assert_eq!(ids(&res.json()), vec![top.account_id.clone()]);
    let link = res.header("link").unwrap_or_default();
    assert!(
        link.contains(&format!("max_id={}", top.account_id)),
        "{link}"
    );
    let mine = app
        .get("/api/v1/endorsements?limit=0", Some(&alice.token))
        .await;
    assert_eq!(ids(&mine.json()).len(), 2);
    assert!(mine.header("link").is_none());
    assert_eq!(
        post(&app, &alice.token, &path(&carol.account_id, "unpin"))
            .await
            .json()["endorsed"],
        false
    );
    assert_eq!(
        post(&app, &alice.token, &path(&bob.account_id, "unendorse"))
            .await
            .json()["endorsed"],
        false
    );
    assert_eq!(
        app.get("/api/v1/endorsements", Some(&alice.token))
            .await
            .json(),
        serde_json::json!([])
    );
    assert_eq!(
        app.get("/api/v1/accounts/55555/endorsements", None)
            .await
            .status,
        404
    );
}
