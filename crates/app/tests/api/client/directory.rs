//! `GET /api/v1/directory`: who is listed, in which order, and for whom.

use woolly_testkit::{TestApp, db_test, ids};

use crate::graph::support::{path, post};

async fn discoverable(app: &TestApp, id: &str, last_status_at: Option<i64>) {
    let last = last_status_at.map_or("NULL".to_owned(), |t| t.to_string());
    app.sql(&format!(
        "UPDATE accounts SET discoverable = TRUE, last_status_at = {last} WHERE id = {id}"
    ))
    .await;
}

#[db_test]
async fn directory_lists_discoverable_accounts_by_activity_or_age(app: TestApp) {
    let old = app.user("old").await;
    let busy = app.user("busy").await;
    let quiet = app.user("quiet").await;
    // not discoverable
    app.user("hidden").await;
    let silenced = app.user("silenced").await;
    let far = app.remote_account("far", "remote.example", false).await;
    discoverable(&app, &old.account_id, Some(1_000)).await;
    discoverable(&app, &busy.account_id, Some(5_000)).await;
    discoverable(&app, &quiet.account_id, None).await;
    discoverable(&app, &silenced.account_id, Some(9_000)).await;
    discoverable(&app, &far, Some(3_000)).await;
    app.sql(&format!(
        "UPDATE accounts SET silenced_at = 1 WHERE id = {}",
        silenced.account_id
    ))
    .await;

    let r = app.get("/api/v1/directory", None).await;
    assert_eq!(r.status, 200);
    assert!(
        r.header("cache-control")
            .unwrap_or_default()
            .contains("public")
    );
    assert_eq!(
        ids(&r.json()),
        vec![
            busy.account_id.clone(),
            far.clone(),
            old.account_id.clone(),
            quiet.account_id.clone()
        ]
    );
    let r = app
        .get("/api/v1/directory?order=new&local=true", None)
        .await
        .json();
    assert_eq!(
        ids(&r),
        vec![
            quiet.account_id.clone(),
            busy.account_id.clone(),
            old.account_id.clone()
        ]
    );
    let r = app
        .get("/api/v1/directory?offset=1&limit=2", None)
        .await
        .json();
    assert_eq!(ids(&r), vec![far.clone(), old.account_id.clone()]);
    assert_eq!(r[0]["acct"], "far@remote.example");
    // unconfirmed, suspended, and moved accounts are left out
    app.sql(&format!(
        "UPDATE users SET confirmed_at = NULL WHERE account_id = {}",
        old.account_id
    ))
    .await;
    app.sql(&format!(
        "UPDATE accounts SET suspended_at = 1 WHERE id = {}",
        quiet.account_id
    ))
    .await;
    app.sql(&format!(
        "UPDATE accounts SET moved_to_account_id = {} WHERE id = {}",
        far, busy.account_id
    ))
    .await;
    assert_eq!(
        ids(&app.get("/api/v1/directory", None).await.json()),
        vec![far.clone()]
    );
    // odd params: a negative offset is none, an unknown order is by activity
    assert_eq!(
        app.get("/api/v1/directory?offset=-3&order=zzz", None)
            .await
            .status,
        200
    );
}

#[db_test]
async fn directory_leaves_out_what_the_viewer_excludes(app: TestApp) {
    let viewer = app.user("viewer").await;
    let blocked = app.user("blocked").await;
    let blocker = app.user("blocker").await;
    let muted = app.user("muted").await;
    let fine = app.user("fine").await;
    let far = app.remote_account("far", "remote.example", false).await;
    for id in [
        &blocked.account_id,
        &blocker.account_id,
        &muted.account_id,
        &fine.account_id,
        &far,
    ] {
        discoverable(&app, id, None).await;
    }
    post(&app, &viewer.token, &path(&blocked.account_id, "block")).await;
    post(&app, &blocker.token, &path(&viewer.account_id, "block")).await;
    post(&app, &viewer.token, &path(&muted.account_id, "mute")).await;
    app.post(
        "/api/v1/domain_blocks",
        Some(&viewer.token),
        &[("domain", "remote.example")],
    )
    .await;
    let r = app
        .get("/api/v1/directory?order=new", Some(&viewer.token))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(ids(&r.json()), vec![fine.account_id.clone()]);
    // anonymous callers see them all (an unknown token is no user, as upstream)
    assert_eq!(
        ids(&app.get("/api/v1/directory", None).await.json()).len(),
        5
    );
    assert_eq!(
        ids(&app.get("/api/v1/directory", Some("nope")).await.json()).len(),
        5
    );
}
