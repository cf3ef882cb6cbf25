//! block / unblock / mute / unmute and the blocks and mutes lists.

use serde_json::Value;
use woolly_testkit::{TestApp, db_test};

use super::support::{path, post};

#[db_test]
async fn block_severs_both_ways_and_rejects_requests(app: TestApp) {
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    let carol = app.user("carol").await;
    post(&app, &alice.token, &path(&bob.account_id, "follow")).await;
    post(&app, &bob.token, &path(&alice.account_id, "follow")).await;
    post(&app, &bob.token, &path(&alice.account_id, "endorse")).await;
    app.sql(&format!(
        "UPDATE accounts SET locked = TRUE WHERE id = {}",
        alice.account_id
    ))
    .await;
    post(&app, &carol.token, &path(&alice.account_id, "follow")).await;
    let r = post(&app, &alice.token, &path(&bob.account_id, "block")).await;
    assert_eq!(r.status, 200);
    let r = r.json();
    assert_eq!(r["blocking"], true);
    assert_eq!(r["following"], false);
    assert_eq!(r["followed_by"], false);
    assert_eq!(app.counts(&alice.account_id).await, (0, 0));
    assert_eq!(app.counts(&bob.account_id).await, (0, 0));
    let pins = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM account_pins WHERE account_id = {}",
            bob.account_id
        ))
        .await;
    assert_eq!(pins, 0);
    let r = app.relationships(&bob.token, &alice.account_id).await;
    assert_eq!(r[0]["blocked_by"], true);
    // blocking a requester rejects its request
    let r = post(&app, &alice.token, &path(&carol.account_id, "block"))
        .await
        .json();
    assert_eq!(r["requested_by"], false);
    // blocking yourself changes nothing; blocking twice is fine
    assert_eq!(
        post(&app, &alice.token, &path(&alice.account_id, "block"))
            .await
            .json()["blocking"],
        false
    );
    assert_eq!(
        post(&app, &alice.token, &path(&bob.account_id, "block"))
            .await
            .status,
        200
    );
    let r = post(&app, &alice.token, &path(&bob.account_id, "unblock")).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["blocking"], false);
    assert_eq!(
        post(&app, &alice.token, &path("424242", "unblock"))
            .await
            .status,
        404
    );
}

#[db_test]
async fn blocks_list_is_paginated_by_block_id(app: TestApp) {
    let alice = app.user("alice").await;
    let mut ids = Vec::new();
    for name in ["b1", "b2", "b3"] {
        let u = app.user(name).await;
        post(&app, &alice.token, &path(&u.account_id, "block")).await;
        ids.push(u.account_id);
    }
    let res = app.get("/api/v1/blocks?limit=2", Some(&alice.token)).await;
    assert_eq!(res.status, 200);
    let list = res.json();
    assert_eq!(list.as_array().map(Vec::len), Some(2));
    assert_eq!(list[0]["id"], ids[2].as_str());
    let link = res.header("link").unwrap_or_default();
    assert!(
        link.contains("https://woolly.test/api/v1/blocks?limit=2&max_id="),
        "{link}"
    );
    assert!(link.contains("rel=\"next\""));
    assert!(link.contains("since_id="));
    let next = woolly_testkit::first_link_path(&link);
    let page2 = app.get(&next, Some(&alice.token)).await.json();
    assert_eq!(page2.as_array().map(Vec::len), Some(1));
    assert_eq!(page2[0]["id"], ids[0].as_str());
    // suspended targets are left out
    app.sql(&format!(
        "UPDATE accounts SET suspended_at = 1 WHERE id = {}",
        ids[0]
    ))
    .await;
    assert_eq!(
        app.get("/api/v1/blocks", Some(&alice.token))
            .await
            .array_len(),
        Some(2)
    );
    // scopes: read:blocks yes, read:mutes no
    let granular = app.user_with("granular", None, "read:blocks").await;
    assert_eq!(
        app.get("/api/v1/blocks", Some(&granular.token))
            .await
            .status,
        200
    );
    assert_eq!(
        app.get("/api/v1/mutes", Some(&granular.token)).await.status,
        403
    );
}

#[db_test]
async fn mute_with_duration_and_notifications_flag(app: TestApp) {
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    let r = post(&app, &alice.token, &path(&bob.account_id, "mute"))
        .await
        .json();
    assert_eq!(r["muting"], true);
    assert_eq!(r["muting_notifications"], true);
    assert_eq!(r["muting_expires_at"], Value::Null);
    let r = app
        .post(
            &path(&bob.account_id, "mute"),
            Some(&alice.token),
            &[("notifications", "off"), ("duration", "3600")],
        )
        .await
        .json();
    assert_eq!(r["muting_notifications"], false);
    assert!(
        r["muting_expires_at"]
            .as_str()
            .unwrap_or_default()
            .ends_with('Z')
    );
    let list = app.get("/api/v1/mutes", Some(&alice.token)).await;
    assert_eq!(list.status, 200);
    let list = list.json();
    assert_eq!(list[0]["id"], bob.account_id.as_str());
    assert_eq!(list[0]["mute_expires_at"], r["muting_expires_at"]);
    assert_eq!(list[0]["username"], "bob");
    // empty notifications param means the default (true)
    let r = app
        .post(
            &path(&bob.account_id, "mute"),
            Some(&alice.token),
            &[("notifications", "")],
        )
        .await
        .json();
    assert_eq!(r["muting_notifications"], true);
    assert_eq!(
        post(&app, &alice.token, &path(&alice.account_id, "mute"))
            .await
            .json()["muting"],
        false
    );
    let r = post(&app, &alice.token, &path(&bob.account_id, "unmute"))
        .await
        .json();
    assert_eq!(r["muting"], false);
    assert_eq!(
        app.get("/api/v1/mutes", Some(&alice.token)).await.json(),
        serde_json::json!([])
    );
}

#[db_test]
async fn expired_mutes_stop_applying_everywhere(app: TestApp) {
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    let carol = app.user("carol").await;
    post(&app, &bob.token, &path(&carol.account_id, "follow")).await;
    app.sql(&format!(
        "INSERT INTO mutes (id, account_id, target_account_id, \
         hide_notifications, expires_at, created_at) VALUES (1, {}, {}, TRUE, \
         1000, 1)",
        alice.account_id, bob.account_id
    ))
    .await;
    let r = app.relationships(&alice.token, &bob.account_id).await;
    assert_eq!(r[0]["muting"], false);
    assert_eq!(r[0]["muting_expires_at"], Value::Null);
    assert_eq!(
        app.get("/api/v1/mutes", Some(&alice.token)).await.json(),
        serde_json::json!([])
    );
    // the expired mute does not hide bob from alice's view of carol's followers
    let f = app
        .get(
            &format!("/api/v1/accounts/{}/followers", carol.account_id),
            Some(&alice.token),
        )
        .await
        .json();
    assert_eq!(f[0]["id"], bob.account_id.as_str());
    // an expired mute does not stop notifications
    app.sql(&format!(
        "INSERT INTO mutes (id, account_id, target_account_id, \
         hide_notifications, expires_at, created_at) VALUES (2, {}, {}, TRUE, \
         1000, 1)",
        carol.account_id, alice.account_id
    ))
    .await;
    post(&app, &alice.token, &path(&carol.account_id, "follow")).await;
    let n = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM notifications WHERE account_id = {} AND from_account_id = {}",
            carol.account_id, alice.account_id
        ))
        .await;
    assert_eq!(n, 1);
    // writes purge expired rows lazily
    post(&app, &alice.token, &path(&carol.account_id, "unmute")).await;
    assert_eq!(app.scalar("SELECT COUNT(*) FROM mutes").await, 0);
}

#[db_test]
async fn active_mute_hides_follow_notifications(app: TestApp) {
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    post(&app, &bob.token, &path(&alice.account_id, "mute")).await;
    post(&app, &alice.token, &path(&bob.account_id, "follow")).await;
    let n = app.notification_count(&bob.account_id).await;
    assert_eq!(n, 0);
}

#[db_test]
async fn mute_durations_out_of_range_are_refused(app: TestApp) {
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    for duration in ["9223372036854775807", "315360000000", "-5"] {
        let r = app
            .post(
                &path(&bob.account_id, "mute"),
                Some(&alice.token),
                &[("duration", duration)],
            )
            .await;
        assert_eq!(r.status, 422, "{duration}: {}", r.text());
        assert_eq!(r.json()["details"]["duration"][0]["error"], "ERR_INVALID");
    }
    assert_eq!(
        app.get("/api/v1/mutes", Some(&alice.token)).await.json(),
        serde_json::json!([])
    );
    // a week renders a date a week ahead
    let r = app
        .post(
            &path(&bob.account_id, "mute"),
            Some(&alice.token),
            &[("duration", "604800")],
        )
        .await
        .json();
    let year: i32 = r["muting_expires_at"].as_str().unwrap_or_default()[..4]
        .parse()
        .unwrap_or(0);
    assert!((2026..2100).contains(&year), "{r}");
}
