//! `/api/v1/domain_blocks`: the list, blocking with its clean-up, unblocking, errors, scopes.

use axum::http::Method;
use woolly_testkit::{TestApp, db_test};

async fn follow_row(app: &TestApp, table: &str, from: &str, to: &str) {
    let id = app.state.next_id();
    app.sql(&format!(
        "INSERT INTO {table} (id, account_id, target_account_id, created_at) \
         VALUES ({id}, {from}, {to}, 1)"
    ))
    .await;
    if table == "follows" {
        app.sql(&format!(
            "UPDATE accounts SET following_count = following_count + 1 WHERE id = {from}"
        ))
        .await;
        app.sql(&format!(
            "UPDATE accounts SET followers_count = followers_count + 1 WHERE id = {to}"
        ))
        .await;
    }
}

/// `GET /api/v1/domain_blocks` as `token`: the domains listed.
async fn blocked_domains(app: &TestApp, token: &str) -> Vec<String> {
    domains(&app.get("/api/v1/domain_blocks", Some(token)).await.json())
}

fn domains(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|d| d.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[db_test]
async fn blocking_a_domain_cleans_up_follows_requests_notifications_and_lists(app: TestApp) {
    let alice = app.user("alice").await;
    let far = app.remote_account("far", "bad.example", false).await;
    let fan = app.remote_account("fan", "bad.example", false).await;
    let asker = app.remote_account("asker", "bad.example", false).await;
    let good = app.remote_account("good", "good.example", false).await;
    let me = alice.account_id.clone();
    follow_row(&app, "follows", &me, &far).await;
    follow_row(&app, "follows", &me, &good).await;
    follow_row(&app, "follows", &fan, &me).await;
    follow_row(&app, "follow_requests", &asker, &me).await;
    app.sql(&format!(
        "INSERT INTO notifications (id, account_id, from_account_id, type, \
         created_at) VALUES ({}, {me}, {fan}, 'follow', 1)",
        app.state.next_id()
    ))
    .await;
    app.sql(&format!(
        "INSERT INTO notifications (id, account_id, from_account_id, type, \
         created_at) VALUES ({}, {me}, {good}, 'follow', 1)",
        app.state.next_id()
    ))
    .await;
    let list = app
        .post("/api/v1/lists", Some(&alice.token), &[("title", "l")])
        .await
        .json()["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let r = app
        .post(
            &format!("/api/v1/lists/{list}/accounts"),
            Some(&alice.token),
            &[
                ("account_ids[]", far.as_str()),
                ("account_ids[]", good.as_str()),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());

    let r = app
        .post(
            "/api/v1/domain_blocks",
            Some(&alice.token),
            &[("domain", " Bad.Example/ ")],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json(), serde_json::json!({}));
    assert_eq!(
        blocked_domains(&app, &alice.token).await,
        vec!["bad.example"]
    );
    let rel = app
        .get(
            &format!("/api/v1/accounts/relationships?id[]={far}&id[]={fan}&id[]={asker}"),
            Some(&alice.token),
        )
        .await
        .json();
    for i in 0..3 {
        assert_eq!(rel[i]["domain_blocking"], true);
        assert_eq!(rel[i]["following"], false);
        assert_eq!(rel[i]["followed_by"], false);
        assert_eq!(rel[i]["requested_by"], false);
    }
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM follows WHERE account_id = {me} AND target_account_id = {good}"
        ))
        .await,
        1
    );
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM notifications WHERE account_id = {me}"
        ))
        .await,
        1
    );
    assert_eq!(
        app.scalar(&format!(
            "SELECT following_count FROM accounts WHERE id = {me}"
        ))
        .await,
        1
    );
    assert_eq!(
        app.scalar(&format!(
            "SELECT followers_count FROM accounts WHERE id = {me}"
        ))
        .await,
        0
    );
    let members = app
        .get(
            &format!("/api/v1/lists/{list}/accounts"),
            Some(&alice.token),
        )
        .await
        .json();
    assert_eq!(members.as_array().map(Vec::len), Some(1));
    assert_eq!(members[0]["id"], good.as_str());

    // the same text again is fine; another spelling of a blocked domain fails uniqueness
    assert_eq!(
        app.post(
            "/api/v1/domain_blocks",
            Some(&alice.token),
            &[("domain", "bad.example")]
        )
        .await
        .status,
        200
    );
    let r = app
        .post(
            "/api/v1/domain_blocks",
            Some(&alice.token),
            &[("domain", "BAD.example")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(
        r.error(),
        "Validation failed: Domain has already been taken"
    );

    // unblocking takes the text as typed (no normalisation), and always answers {}
    let r = app
        .form(
            Method::DELETE,
            "/api/v1/domain_blocks",
            Some(&alice.token),
            &[("domain", "BAD.example")],
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(blocked_domains(&app, &alice.token).await.len(), 1);
    let r = app
        .delete(
            "/api/v1/domain_blocks?domain=bad.example",
            Some(&alice.token),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json(), serde_json::json!({}));
    assert!(blocked_domains(&app, &alice.token).await.is_empty());
    assert_eq!(
        app.delete("/api/v1/domain_blocks", Some(&alice.token))
            .await
            .status,
        200
    );
}

#[db_test]
async fn blank_and_invalid_domains_are_refused(app: TestApp) {
    let alice = app.user("alice").await;
    for (body, message) in [
        (vec![], "Validation failed: Domain can't be blank"),
        (
            vec![("domain", "  ")],
            "Validation failed: Domain can't be blank",
        ),
        (
            vec![("domain", "https://x.example")],
            "Validation failed: Domain is invalid",
        ),
        (
            vec![("domain", "under_score.example")],
            "Validation failed: Domain is invalid",
        ),
    ] {
        let r = app
            .post("/api/v1/domain_blocks", Some(&alice.token), &body)
            .await;
        assert_eq!(r.status, 422, "{body:?}");
        assert_eq!(r.error(), message);
    }
    let r = app
        .post(
            "/api/v1/domain_blocks",
            Some(&alice.token),
            &[("domain", "Bücher.example.")],
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        blocked_domains(&app, &alice.token).await,
        vec!["xn--bcher-kva.example"]
    );
}

#[db_test]
async fn list_is_paginated_and_scoped(app: TestApp) {
    let alice = app.user("alice").await;
    for d in ["a.example", "b.example", "c.example"] {
        assert_eq!(
            app.post(
                "/api/v1/domain_blocks",
                Some(&alice.token),
                &[("domain", d)]
            )
            .await
            .status,
            200
        );
    }
    let res = app
        .get("/api/v1/domain_blocks?limit=2", Some(&alice.token))
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(domains(&res.json()), vec!["c.example", "b.example"]);
    let link = res.header("link").unwrap_or_default();
    assert!(
        link.contains("https://woolly.test/api/v1/domain_blocks?limit=2&max_id="),
        "{link}"
    );
    assert!(link.contains("rel=\"prev\""), "{link}");
    let next = woolly_testkit::first_link_path(&link);
    assert_eq!(
        domains(&app.get(&next, Some(&alice.token)).await.json()),
        vec!["a.example"]
    );
    // another user's blocks are not listed
    let bob = app.user("bob").await;
    assert!(blocked_domains(&app, &bob.token).await.is_empty());
    // no token: 401; scopes: read:blocks reads, write:blocks or follow writes
    assert_eq!(app.get("/api/v1/domain_blocks", None).await.status, 401);
    assert_eq!(
        app.post("/api/v1/domain_blocks", None, &[("domain", "x.example")])
            .await
            .status,
        401
    );
    let reader = app.user_with("reader", None, "read:blocks").await;
    assert_eq!(
        app.get("/api/v1/domain_blocks", Some(&reader.token))
            .await
            .status,
        200
    );
    assert_eq!(
        app.post(
            "/api/v1/domain_blocks",
            Some(&reader.token),
            &[("domain", "x.example")]
        )
        .await
        .status,
        403
    );
    let muter = app.user_with("muter", None, "read:mutes write:mutes").await;
    assert_eq!(
        app.get("/api/v1/domain_blocks", Some(&muter.token))
            .await
            .status,
        403
    );
    assert_eq!(
        app.delete("/api/v1/domain_blocks?domain=x", Some(&muter.token))
            .await
            .status,
        403
    );
    let writer = app.user_with("writer", None, "write:blocks").await;
    assert_eq!(
        app.post(
            "/api/v1/domain_blocks",
            Some(&writer.token),
            &[("domain", "x.example")]
        )
        .await
        .status,
        200
    );
    let follow = app.user_with("follower", None, "follow").await;
    assert_eq!(
        app.get("/api/v1/domain_blocks", Some(&follow.token))
            .await
            .status,
        200
    );
    assert_eq!(
        app.delete(
            "/api/v1/domain_blocks?domain=x.example",
            Some(&follow.token)
        )
        .await
        .status,
        200
    );
}
