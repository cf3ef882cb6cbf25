//! Unlocking an account accepts its pending follow requests, except silenced requesters'.
#![allow(clippy::unwrap_used, clippy::panic)]

use woolly_testkit::{TestApp, db_test};

use crate::profile::{me, patch};

#[db_test]
async fn unlocking_accepts_pending_requests(app: TestApp) {
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    let carol = app.user("carol").await;
    let alice_id: i64 = alice.account_id.parse().unwrap();
    let bob_id: i64 = bob.account_id.parse().unwrap();
    let carol_id: i64 = carol.account_id.parse().unwrap();
    assert_eq!(
        patch(&app, &alice.token, &[("locked", "true")])
            .await
            .status,
        200
    );
    let insert = "INSERT INTO follow_requests (id, account_id, target_account_id, \
                  created_at) VALUES ($1 + 1000, $1, $2, 0)";
    app.sql_with(insert, &[bob_id, alice_id]).await;
    app.sql_with(insert, &[carol_id, alice_id]).await;
    app.sql_with(
        "UPDATE accounts SET silenced_at = 1 WHERE id = $1 AND $2 = $2",
        &[carol_id, 0],
    )
    .await;
    assert_eq!(
        me(&app, &alice.token).await["source"]["follow_requests_count"],
        2
    );

    // staying locked changes nothing
    assert_eq!(
        patch(
            &app,
            &alice.token,
            &[("locked", "true"), ("display_name", "A")]
        )
        .await
        .status,
        200
    );
    assert_eq!(
        app.scalar_with(
            "SELECT COUNT(*) FROM follows WHERE target_account_id = $1",
            &[alice_id]
        )
        .await,
        0
    );

    let res = patch(&app, &alice.token, &[("locked", "false")]).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let a = res.json();
    assert_eq!(a["locked"], false);
    assert_eq!(a["followers_count"], 1);
    assert_eq!(a["source"]["follow_requests_count"], 1);
    assert_eq!(
        app.scalar_with(
            "SELECT COUNT(*) FROM follows WHERE target_account_id = $1",
            &[alice_id]
        )
        .await,
        1
    );
    assert_eq!(
        app.scalar_with(
            "SELECT following_count FROM accounts WHERE id = $1",
            &[bob_id]
        )
        .await,
        1
    );
    assert_eq!(
        app.scalar_with(
            "SELECT COUNT(*) FROM follow_requests WHERE account_id = $1",
            &[carol_id]
        )
        .await,
        1
    );
}

#[db_test]
async fn unlocking_removes_the_accepted_requests_notifications(app: TestApp) {
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    let alice_id: i64 = alice.account_id.parse().unwrap();
    assert_eq!(
        patch(&app, &alice.token, &[("locked", "true")])
            .await
            .status,
        200
    );
    let res = app
        .post(
            &format!("/api/v1/accounts/{alice_id}/follow"),
            Some(&bob.token),
            &[],
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["requested"], true);
    let pending =
        "SELECT COUNT(*) FROM notifications WHERE account_id = $1 AND type = 'follow_request'";
    assert_eq!(app.scalar_with(pending, &[alice_id]).await, 1);
    assert_eq!(
        patch(&app, &alice.token, &[("locked", "false")])
            .await
            .status,
        200
    );
    assert_eq!(app.scalar_with(pending, &[alice_id]).await, 0);
    let rel = app
        .get(
            &format!("/api/v1/accounts/relationships?id[]={alice_id}"),
            Some(&bob.token),
        )
        .await;
    assert_eq!(rel.json()[0]["following"], true);
}
