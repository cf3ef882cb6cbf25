//! follow / unfollow / remove_from_followers / follow requests.

use woolly::services::graph::follow::rate_key;
use woolly_testkit::{TestApp, db_test};

use super::support::{path, post};

/// The `following` and `requested` flags of a Relationship.
fn following_requested(r: &serde_json::Value) -> (Option<bool>, Option<bool>) {
    (r["following"].as_bool(), r["requested"].as_bool())
}

/// Spends `hits` of the account's daily follow budget (400 a day).
async fn use_follow_budget(app: &TestApp, account_id: &str, hits: u32) {
    let key = rate_key(account_id.parse().unwrap_or_default());
    let now = woolly::domain::time::now();
    for _ in 0..hits {
        app.state
            .limiter()
            .hit(&key, 400, 86_400, now)
            .await
            .unwrap_or_else(|e| panic!("hit: {e}"));
    }
}

#[db_test]
async fn follow_unlocked_follows_at_once_and_counts(app: TestApp) {
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    let res = post(&app, &alice.token, &path(&bob.account_id, "follow")).await;
    assert_eq!(res.status, 200);
    let r = res.json();
    assert_eq!(r["id"], bob.account_id.as_str());
    assert_eq!(r["following"], true);
    assert_eq!(r["requested"], false);
    assert_eq!(r["showing_reblogs"], true);
    assert_eq!(r["notifying"], false);
    assert_eq!(r["languages"], serde_json::Value::Null);
    assert_eq!(app.counts(&alice.account_id).await, (0, 1));
    assert_eq!(app.counts(&bob.account_id).await, (1, 0));
    let n = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM notifications WHERE account_id = {} AND type = 'follow'",
            bob.account_id
        ))
        .await;
    assert_eq!(n, 1);
    // following again only updates the options, no second row, counters unchanged
    let res = app
        .post(
            &path(&bob.account_id, "follow"),
            Some(&alice.token),
            &[
                ("reblogs", "false"),
                ("notify", "true"),
                ("languages[]", "en"),
                ("languages[]", "de"),
            ],
        )
        .await;
    assert_eq!(res.status, 200);
    let r = res.json();
    assert_eq!(r["showing_reblogs"], false);
    assert_eq!(r["notifying"], true);
    assert_eq!(r["languages"], serde_json::json!(["en", "de"]));
    assert_eq!(app.counts(&bob.account_id).await, (1, 0));
    // the stored state says the same
    let r = app.relationships(&alice.token, &bob.account_id).await;
    assert_eq!(r[0]["following"], true);
    assert_eq!(r[0]["showing_reblogs"], false);
    assert_eq!(r[0]["languages"], serde_json::json!(["en", "de"]));
    // the rate-limit headers are the tighter of the throttles and the follows family
    assert!(res.header("x-ratelimit-limit").is_some());
}

#[db_test]
async fn follow_locked_makes_a_request_then_authorize(app: TestApp) {
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    app.sql(&format!(
        "UPDATE accounts SET locked = TRUE WHERE id = {}",
        bob.account_id
    ))
    .await;
    let res = post(&app, &alice.token, &path(&bob.account_id, "follow")).await;
    assert_eq!(following_requested(&res.json()), (Some(false), Some(true)));
    assert_eq!(app.counts(&bob.account_id).await, (0, 0));
    let n = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM notifications WHERE account_id = {} AND type = 'follow_request'",
            bob.account_id
        ))
        .await;
    assert_eq!(n, 1);
    let list = app.get("/api/v1/follow_requests", Some(&bob.token)).await;
    assert_eq!(list.status, 200);
    assert_eq!(list.json()[0]["id"], alice.account_id.as_str());
    assert!(
        list.header("link")
            .unwrap_or_default()
            .contains("since_id=")
    );
    let r = post(
        &app,
        &bob.token,
        &format!("/api/v1/follow_requests/{}/authorize", alice.account_id),
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["followed_by"], true);
    assert_eq!(r.json()["requested_by"], false);
    assert_eq!(app.counts(&bob.account_id).await, (1, 0));
    assert_eq!(app.counts(&alice.account_id).await, (0, 1));
    let n = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM notifications WHERE account_id = {} AND type = 'follow_request'",
            bob.account_id
        ))
        .await;
    assert_eq!(n, 0);
    // nothing left to authorize or reject
    let r = post(
        &app,
        &bob.token,
        &format!("/api/v1/follow_requests/{}/authorize", alice.account_id),
    )
    .await;
    assert_eq!(r.status, 404);
    let r = post(
        &app,
        &bob.token,
        &format!("/api/v1/follow_requests/{}/reject", alice.account_id),
    )
    .await;
    assert_eq!(r.status, 404);
    assert_eq!(r.error(), "Record not found");
}

#[db_test]
async fn reject_and_unfollow_cancel_requests(app: TestApp) {
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    let carol = app.user("carol").await;
    app.sql(&format!(
        "UPDATE accounts SET locked = TRUE WHERE id = {}",
        bob.account_id
    ))
    .await;
    post(&app, &alice.token, &path(&bob.account_id, "follow")).await;
    post(&app, &carol.token, &path(&bob.account_id, "follow")).await;
    let r = post(
        &app,
        &bob.token,
        &format!("/api/v1/follow_requests/{}/reject", alice.account_id),
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["requested_by"], false);
    let r = post(&app, &carol.token, &path(&bob.account_id, "unfollow"))
        .await
        .json();
    assert_eq!(r["requested"], false);
    assert_eq!(
        app.get("/api/v1/follow_requests", Some(&bob.token))
            .await
            .json(),
        serde_json::json!([])
    );
    assert_eq!(app.counts(&bob.account_id).await, (0, 0));
}

#[db_test]
async fn follow_errors_in_upstream_order(app: TestApp) {
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    let res = post(&app, &alice.token, &path(&alice.account_id, "follow")).await;
    assert_eq!(res.status, 403);
    assert_eq!(res.error(), "Following your own account is not allowed");
    for id in ["999999", "abc"] {
        let res = post(&app, &alice.token, &path(id, "follow")).await;
        assert_eq!(res.status, 404);
        assert_eq!(res.error(), "Record not found");
    }
    let res = app
        .post(
            &path(&bob.account_id, "follow"),
            Some(&alice.token),
            &[("languages[]", "xx")],
        )
        .await;
    assert_eq!(res.status, 422);
    assert_eq!(res.error(), "Validation failed: Languages is invalid");
    post(&app, &bob.token, &path(&alice.account_id, "block")).await;
    let res = post(&app, &alice.token, &path(&bob.account_id, "follow")).await;
    assert_eq!(res.status, 403);
    assert_eq!(res.error(), "This action is not allowed");
    post(&app, &bob.token, &path(&alice.account_id, "unblock")).await;
    post(&app, &alice.token, &path(&bob.account_id, "block")).await;
    let res = post(&app, &alice.token, &path(&bob.account_id, "follow")).await;
    assert_eq!(res.status, 403);
    // suspended target: 404
    let carol = app.user("carol").await;
    app.sql(&format!(
        "UPDATE accounts SET suspended_at = 1 WHERE id = {}",
        carol.account_id
    ))
    .await;
    let res = post(&app, &alice.token, &path(&carol.account_id, "follow")).await;
    assert_eq!(res.status, 404);
    // a local account pending approval is hidden
    let dave = app.user("dave").await;
    app.sql(&format!(
        "UPDATE users SET approved = FALSE WHERE account_id = {}",
        dave.account_id
    ))
    .await;
    for action in [
        "follow",
        "unfollow",
        "block",
        "unblock",
        "mute",
        "unmute",
        "remove_from_followers",
    ] {
        let res = post(&app, &alice.token, &path(&dave.account_id, action)).await;
        assert_eq!(res.status, 404, "{action}");
    }
    // moved target
    let erin = app.user("erin").await;
    app.sql(&format!(
        "UPDATE accounts SET moved_to_account_id = {} WHERE id = {}",
        bob.account_id, erin.account_id
    ))
    .await;
    let res = post(&app, &alice.token, &path(&erin.account_id, "follow")).await;
    assert_eq!(res.status, 403);
}

#[db_test]
async fn follow_limit_and_rate_limit(app: TestApp) {
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    let carol = app.user("carol").await;
    app.sql(&format!(
        "UPDATE accounts SET following_count = 7500 WHERE id = {}",
        alice.account_id
    ))
    .await;
    let res = post(&app, &alice.token, &path(&bob.account_id, "follow")).await;
    assert_eq!(res.status, 422);
    assert_eq!(
        res.error(),
        "Validation failed: You cannot follow more than 7500 people"
    );
    // with many followers the limit grows
    app.sql(&format!(
        "UPDATE accounts SET followers_count = 10000 WHERE id = {}",
        alice.account_id
    ))
    .await;
    let res = post(&app, &alice.token, &path(&bob.account_id, "follow")).await;
    assert_eq!(res.status, 200);

    use_follow_budget(&app, &carol.account_id, 400).await;
    let res = post(&app, &carol.token, &path(&bob.account_id, "follow")).await;
    assert_eq!(res.status, 429);
    assert_eq!(res.error(), "Too many requests");
    assert_eq!(app.counts(&bob.account_id).await, (1, 0));
}

#[db_test]
async fn follow_family_headers_override_when_tighter(app: TestApp) {
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    use_follow_budget(&app, &alice.account_id, 390).await;
    let res = post(&app, &alice.token, &path(&bob.account_id, "follow")).await;
    assert_eq!(res.status, 200);
    assert_eq!(res.header("x-ratelimit-limit").as_deref(), Some("400"));
    assert_eq!(res.header("x-ratelimit-remaining").as_deref(), Some("9"));
}

#[db_test]
async fn remote_and_silenced_follows_are_requests(app: TestApp) {
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    let remote_id = app.remote_account("zed", "remote.example", false).await;
    // optimistic answer for an unlocked remote account, though only a request exists
    let r = post(&app, &alice.token, &path(&remote_id, "follow"))
        .await
        .json();
    assert_eq!(r["following"], true);
    assert_eq!(r["requested"], false);
    let r = app
        .get(
            &format!("/api/v1/accounts/relationships?id={remote_id}"),
            Some(&alice.token),
        )
        .await
        .json();
    assert_eq!(r[0]["following"], false);
    assert_eq!(r[0]["requested"], true);
    assert_eq!(app.counts(&alice.account_id).await, (0, 0));
    // a silenced follower only requests, and is told so
    app.sql(&format!(
        "UPDATE accounts SET silenced_at = 1 WHERE id = {}",
        alice.account_id
    ))
    .await;
    let res = post(&app, &alice.token, &path(&bob.account_id, "follow")).await;
    assert_eq!(following_requested(&res.json()), (Some(false), Some(true)));
}

#[db_test]
async fn unfollow_and_remove_from_followers_keep_counters(app: TestApp) {
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    post(&app, &alice.token, &path(&bob.account_id, "follow")).await;
    post(&app, &bob.token, &path(&alice.account_id, "follow")).await;
    let r = post(&app, &alice.token, &path(&bob.account_id, "endorse")).await;
    assert_eq!(r.json()["endorsed"], true);
    let r = post(&app, &alice.token, &path(&bob.account_id, "unfollow")).await;
    assert_eq!(r.status, 200);
    let r = r.json();
    assert_eq!(r["following"], false);
    assert_eq!(r["endorsed"], false);
    assert_eq!(r["followed_by"], true);
    assert_eq!(app.counts(&alice.account_id).await, (1, 0));
    assert_eq!(app.counts(&bob.account_id).await, (0, 1));
    let n = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM notifications WHERE account_id = {} AND type = 'follow'",
            bob.account_id
        ))
        .await;
    assert_eq!(n, 0);
    // unfollowing again or yourself is a no-op 200
    assert_eq!(
        post(&app, &alice.token, &path(&bob.account_id, "unfollow"))
            .await
            .status,
        200
    );
    assert_eq!(
        post(&app, &alice.token, &path(&alice.account_id, "unfollow"))
            .await
            .status,
        200
    );
    let r = post(
        &app,
        &alice.token,
        &path(&bob.account_id, "remove_from_followers"),
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["followed_by"], false);
    assert_eq!(app.counts(&alice.account_id).await, (0, 0));
    assert_eq!(app.counts(&bob.account_id).await, (0, 0));
}

#[db_test]
async fn scopes_as_upstream(app: TestApp) {
    let bob = app.user("bob").await;
    let reader = app.user_with("reader", None, "read").await;
    let res = post(&app, &reader.token, &path(&bob.account_id, "follow")).await;
    assert_eq!(res.status, 403);
    assert_eq!(res.error(), "This action is outside the authorized scopes");
    let granular = app.user_with("granular", None, "write:follows").await;
    assert_eq!(
        post(&app, &granular.token, &path(&bob.account_id, "follow"))
            .await
            .status,
        200
    );
    assert_eq!(
        post(&app, &granular.token, &path(&bob.account_id, "block"))
            .await
            .status,
        403
    );
    let follow_only = app.user_with("oldapp", None, "follow").await;
    assert_eq!(
        post(&app, &follow_only.token, &path(&bob.account_id, "mute"))
            .await
            .status,
        200
    );
    let res = app
        .get(
            &format!("/api/v1/accounts/relationships?id={}", bob.account_id),
            Some(&follow_only.token),
        )
        .await;
    assert_eq!(res.status, 403);
    assert_eq!(
        app.get("/api/v1/blocks", Some(&follow_only.token))
            .await
            .status,
        200
    );
    assert_eq!(
        app.get("/api/v1/follow_requests", Some(&follow_only.token))
            .await
            .status,
        200
    );
    let res = post(&app, "garbage", &path(&bob.account_id, "follow")).await;
    assert_eq!(res.status, 401);
}

#[db_test]
async fn follow_params_cast_as_rails(app: TestApp) {
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    // "f" and "0" are false, an empty value is "not given"
    let r = app
        .post(
            &path(&bob.account_id, "follow"),
            Some(&alice.token),
            &[("reblogs", "f"), ("notify", "")],
        )
        .await
        .json();
    assert_eq!(r["showing_reblogs"], false);
    assert_eq!(r["notifying"], false);
    let r = app
        .post(
            &path(&bob.account_id, "follow"),
            Some(&alice.token),
            &[("reblogs", "")],
        )
        .await
        .json();
    assert_eq!(r["showing_reblogs"], false);
    let r = app
        .post(
            &path(&bob.account_id, "follow"),
            Some(&alice.token),
            &[("reblogs", "yes"), ("notify", "0")],
        )
        .await
        .json();
    assert_eq!(r["showing_reblogs"], true);
    assert_eq!(r["notifying"], false);
    // JSON bodies work too; an empty languages list means all languages
    let body = serde_json::json!({"notify": true, "languages": ["fr"]});
    let r = app
        .json_request(
            axum::http::Method::POST,
            &path(&bob.account_id, "follow"),
            Some(&alice.token),
            &body,
        )
        .await
        .json();
    assert_eq!(r["notifying"], true);
    assert_eq!(r["languages"], serde_json::json!(["fr"]));
    let r = app
        .post(
            &path(&bob.account_id, "follow"),
            Some(&alice.token),
            &[("languages[]", "")],
        )
        .await
        .json();
    assert_eq!(r["languages"], serde_json::Value::Null);
    // with_suspended=f is false
    app.sql(&format!(
        "UPDATE accounts SET suspended_at = 1 WHERE id = {}",
        bob.account_id
    ))
    .await;
    let url = format!(
        "/api/v1/accounts/relationships?id={}&with_suspended=f",
        bob.account_id
    );
    assert_eq!(
        app.get(&url, Some(&alice.token)).await.json(),
        serde_json::json!([])
    );
}

#[db_test]
async fn concurrent_follows_of_one_pair_all_succeed_and_count_once(app: TestApp) {
    let fan = app.user("fan").await;
    let star = app.user("star").await;
    let p = path(&star.account_id, "follow");
    let requests = (0..8).map(|_| post(&app, &fan.token, &p));
    for res in futures::future::join_all(requests).await {
        assert_eq!(res.status, 200, "{}", res.text());
        assert_eq!(res.json()["following"], true);
    }
    assert_eq!(app.counts(&star.account_id).await, (1, 0));
    assert_eq!(app.counts(&fan.account_id).await, (0, 1));
    let notes = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM notifications WHERE account_id = {} AND type = 'follow'",
            star.account_id
        ))
        .await;
    assert_eq!(notes, 1);
}
