//! Node-id leases: two live processes on one database never share a node id.

use woolly::services::node_lease::{self, LeaseError, TTL_MS};
use woolly_testkit::{TestApp, db_test};

const T0: i64 = 1_700_000_000_000;

#[db_test]
async fn a_live_lease_refuses_a_second_holder(app: TestApp) {
    let db = app.state.db();
    node_lease::take(db, 7, "first", T0)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    match node_lease::take(db, 7, "second", T0 + 1_000).await {
        Err(LeaseError::Held {
            node_id: 7, holder, ..
        }) => assert_eq!(holder, "first"),
        other => panic!("expected Held, got {other:?}"),
    }
    // Other ids stay free; the holder itself may take its id again.
    node_lease::take(db, 8, "second", T0)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    node_lease::take(db, 7, "first", T0 + 2_000)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
}

#[db_test]
async fn heartbeats_keep_a_lease_and_a_silent_one_lapses(app: TestApp) {
    let db = app.state.db();
    node_lease::take(db, 3, "first", T0)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    // Renewed before it lapses: still refused past the first TTL.
    assert!(
        node_lease::renew(db, 3, "first", T0 + TTL_MS - 1)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    );
    assert!(
        node_lease::take(db, 3, "second", T0 + TTL_MS + 1)
            .await
            .is_err()
    );
    // The holder stops heartbeating (a crash): once lapsed, another process takes over…
    node_lease::take(db, 3, "second", T0 + 2 * TTL_MS)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    // …and the old holder learns it lost the id.
    assert!(
        !node_lease::renew(db, 3, "first", T0 + 2 * TTL_MS)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    );
}

#[db_test]
async fn a_released_lease_is_free_at_once(app: TestApp) {
    let db = app.state.db();
    node_lease::take(db, 0, "first", T0)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    node_lease::release(db, 0, "first")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    node_lease::take(db, 0, "second", T0 + 1)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
}

#[db_test]
async fn the_cli_takes_the_highest_free_id(app: TestApp) {
    let db = app.state.db();
    node_lease::take(db, 63, "server", T0)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let id = node_lease::take_any(db, "cli", T0)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(id, 62);
    let id = node_lease::take_any(db, "cli 2", T0)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(id, 61);
}

#[db_test]
async fn racing_processes_never_share_an_id(app: TestApp) {
    let db = app.state.db().clone();
    let mut racers = Vec::new();
    for i in 0..8 {
        let db = db.clone();
        racers.push(tokio::spawn(async move {
            node_lease::take(&db, 12, &format!("racer {i}"), T0)
                .await
                .is_ok()
        }));
    }
    let mut winners = 0;
    for r in racers {
        if r.await.unwrap_or(false) {
            winners += 1;
        }
    }
    assert_eq!(winners, 1);
}

#[db_test]
async fn a_holder_that_died_on_this_machine_is_taken_over_at_once(app: TestApp) {
    let db = app.state.db();
    // A holder name of this machine whose process is gone (pids stop far below this one).
    let mine = node_lease::holder_name();
    let dead = mine.replacen(
        &format!(" pid {} in ", std::process::id()),
        " pid 4000000000 in ",
        1,
    );
    assert_ne!(dead, mine);
    node_lease::take(db, 5, &dead, T0)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    node_lease::take(db, 5, &mine, T0 + 1)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    // A live holder of this machine (this test process) is not.
    assert!(
        node_lease::take(db, 5, "someone else", T0 + 2)
            .await
            .is_err()
    );
}
