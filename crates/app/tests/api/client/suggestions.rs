//! `/api/v1/suggestions`, `/api/v2/suggestions` and dismissals.

use woolly_testkit::{TestApp, db_test};

use crate::graph::support::{path, post};

async fn discoverable(app: &TestApp, id: &str) {
    app.sql(&format!(
        "UPDATE accounts SET discoverable = TRUE WHERE id = {id}"
    ))
    .await;
}

fn ids(v: &serde_json::Value, field: Option<&str>) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| field.map_or(x, |f| &x[f])["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[db_test]
async fn suggestions_from_friends_and_global_sources(app: TestApp) {
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    let carol = app.user("carol").await;
    let dave = app.user("dave").await;
    let eve = app.user("eve").await;
    for a in [&bob, &carol, &dave, &eve] {
        discoverable(&app, &a.account_id).await;
    }
    // friends of friends: alice → bob → carol
    post(&app, &alice.token, &path(&bob.account_id, "follow")).await;
    post(&app, &bob.token, &path(&carol.account_id, "follow")).await;
    // most followed: five recently signed-in users follow dave
    for i in 0..5 {
        let f = app.user(&format!("fan{i}")).await;
        post(&app, &f.token, &path(&dave.account_id, "follow")).await;
    }
    app.sql("UPDATE users SET current_sign_in_at = 4102444800000")
        .await;
    // most interactions: eve's recent status was reblogged and favourited 10 times
    let r = app
        .post("/api/v1/statuses", Some(&eve.token), &[("status", "hello")])
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    app.sql(&format!(
        "UPDATE statuses SET reblogs_count = 4, favourites_count = 6 WHERE account_id = {}",
        eve.account_id
    ))
    .await;

    let r = app.get("/api/v2/suggestions", Some(&alice.token)).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    assert_eq!(
        ids(&v, Some("account")),
        vec![
            carol.account_id.clone(),
            eve.account_id.clone(),
            dave.account_id.clone()
        ]
    );
    assert_eq!(v[0]["source"], "past_interactions");
    assert_eq!(v[0]["sources"], serde_json::json!(["friends_of_friends"]));
    assert_eq!(v[1]["source"], "global");
    assert_eq!(v[1]["sources"], serde_json::json!(["most_interactions"]));
    assert_eq!(v[2]["sources"], serde_json::json!(["most_followed"]));
    let v = app
        .get("/api/v2/suggestions?offset=1&limit=1", Some(&alice.token))
        .await
        .json();
    assert_eq!(ids(&v, Some("account")), vec![eve.account_id.clone()]);
    let v = app
        .get("/api/v1/suggestions?limit=2", Some(&alice.token))
        .await
        .json();
    assert_eq!(
        ids(&v, None),
        vec![carol.account_id.clone(), eve.account_id.clone()]
    );

    // dismissed, followed, blocked and muted accounts are not suggested
    let r = app
        .delete(
            &format!("/api/v1/suggestions/{}", carol.account_id),
            Some(&alice.token),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json(), serde_json::json!({}));
    post(&app, &alice.token, &path(&eve.account_id, "mute")).await;
    post(&app, &alice.token, &path(&dave.account_id, "block")).await;
    assert!(
        ids(
            &app.get("/api/v2/suggestions", Some(&alice.token))
                .await
                .json(),
            Some("account")
        )
        .is_empty()
    );
    // others still see them; nobody is suggested to themselves
    let v = app
        .get("/api/v1/suggestions", Some(&dave.token))
        .await
        .json();
    assert_eq!(ids(&v, None), vec![eve.account_id.clone()]);
    // dismissing twice, or an unknown id, is fine
    assert_eq!(
        app.delete(
            &format!("/api/v1/suggestions/{}", carol.account_id),
            Some(&alice.token)
        )
        .await
        .status,
        200
    );
    assert_eq!(
        app.delete("/api/v1/suggestions/424242", Some(&alice.token))
            .await
            .status,
        200
    );
    assert_eq!(
        app.delete("/api/v1/suggestions/abc", Some(&alice.token))
            .await
            .status,
        200
    );
}

#[db_test]
async fn suggestions_need_a_user_and_scopes(app: TestApp) {
    assert_eq!(app.get("/api/v1/suggestions", None).await.status, 401);
    assert_eq!(app.get("/api/v2/suggestions", None).await.status, 401);
    assert_eq!(app.delete("/api/v1/suggestions/1", None).await.status, 401);
    let reader = app.user_with("reader", None, "read:accounts").await;
    assert_eq!(
        app.get("/api/v2/suggestions", Some(&reader.token))
            .await
            .json(),
        serde_json::json!([])
    );
    assert_eq!(
        app.delete("/api/v1/suggestions/1", Some(&reader.token))
            .await
            .status,
        403
    );
    let writer = app.user_with("writer", None, "write:accounts").await;
    assert_eq!(
        app.get("/api/v1/suggestions", Some(&writer.token))
            .await
            .status,
        403
    );
    assert_eq!(
        app.delete("/api/v1/suggestions/1", Some(&writer.token))
            .await
            .status,
        200
    );
}
