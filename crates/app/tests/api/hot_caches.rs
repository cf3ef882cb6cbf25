//! The caches of the hot reads (who a token stands for, relationship pages) serve nothing a
//! commit has outdated, on both backends and, on PostgreSQL, across processes; and the
//! PostgreSQL fence that makes that so is shared by concurrent requests.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use woolly::db::Db;
use woolly_testkit::{TestApp, db_test};

use super::scale_out::{postgres, second_process, wait_listening};

/// Waits (bounded) until caches are on (PostgreSQL: the commit listener runs).
async fn caches_on(app: &TestApp) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while app.state.db().data_generation().is_none() {
        assert!(Instant::now() < deadline, "caches never came on");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn relationships_path(id: &str) -> String {
    format!("/api/v1/accounts/relationships?id[]={id}")
}

#[db_test]
async fn a_kept_viewer_ends_with_the_commit_that_revokes_its_token(app: TestApp) {
    caches_on(&app).await;
    let alice = app.user("alice").await;
    assert_eq!(app.verify_credentials(&alice.token).await.status, 200);
    assert_eq!(app.verify_credentials(&alice.token).await.status, 200);
    assert!(app.state.viewers().usage().0 >= 1, "the viewer was kept");
    woolly::services::operator::reset_password(&app.state, "alice", None)
        .await
        .unwrap();
    assert_eq!(app.verify_credentials(&alice.token).await.status, 401);
}

#[db_test]
async fn a_kept_viewer_ends_with_the_commit_that_suspends_its_account(app: TestApp) {
    caches_on(&app).await;
    let alice = app.user("alice").await;
    assert_eq!(app.verify_credentials(&alice.token).await.status, 200);
    assert_eq!(app.verify_credentials(&alice.token).await.status, 200);
    app.sql(&format!(
        "UPDATE accounts SET suspended_at = 1 WHERE id = {}",
        alice.account_id
    ))
    .await;
    assert_eq!(app.verify_credentials(&alice.token).await.status, 403);
}

#[db_test]
async fn a_kept_relationship_page_ends_with_a_follow(app: TestApp) {
    caches_on(&app).await;
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    let path = relationships_path(&bob.account_id);
    for _ in 0..2 {
        let res = app.get(&path, Some(&alice.token)).await;
        assert_eq!(res.json()[0]["following"], false);
    }
    assert!(
        app.state.relationships().usage().0 >= 1,
        "the page was kept"
    );
    let res = app
        .post(
            &format!("/api/v1/accounts/{}/follow", bob.account_id),
            Some(&alice.token),
            &[],
        )
        .await;
    assert_eq!(res.status, 200);
    let res = app.get(&path, Some(&alice.token)).await;
    assert_eq!(res.json()[0]["following"], true);
    // Another viewer's page about the same account is its own.
    let res = app
        .get(&relationships_path(&alice.account_id), Some(&bob.token))
        .await;
    assert_eq!(res.json()[0]["followed_by"], true);
}

#[db_test]
async fn a_timed_mute_ends_in_a_kept_page_at_its_end(app: TestApp) {
    caches_on(&app).await;
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    let res = app
        .post(
            &format!("/api/v1/accounts/{}/mute", bob.account_id),
            Some(&alice.token),
            &[("duration", "1")],
        )
        .await;
    assert_eq!(res.status, 200);
    let path = relationships_path(&bob.account_id);
    let res = app.get(&path, Some(&alice.token)).await;
    assert_eq!(res.json()[0]["muting"], true);
    // No commit between: only the mute's end may end the kept page.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let res = app.get(&path, Some(&alice.token)).await;
    assert_eq!(res.json()[0]["muting"], false);
}

/// PostgreSQL: what one process commits is seen by another's kept viewers and pages on its
/// very next request.
#[tokio::test]
async fn kept_viewers_and_pages_follow_another_process_on_postgres() {
    let Some(app) = postgres().await else {
        return;
    };
    let other = second_process(&app, None).await;
    wait_listening(&app).await;
    wait_listening(&other).await;
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    let path = relationships_path(&bob.account_id);
    for _ in 0..2 {
        let res = other.get(&path, Some(&alice.token)).await;
        assert_eq!(res.json()[0]["following"], false);
    }
    let res = app
        .post(
            &format!("/api/v1/accounts/{}/follow", bob.account_id),
            Some(&alice.token),
            &[],
        )
        .await;
    assert_eq!(res.status, 200);
    let res = other.get(&path, Some(&alice.token)).await;
    assert_eq!(res.json()[0]["following"], true);

    assert_eq!(other.verify_credentials(&bob.token).await.status, 200);
    assert_eq!(other.verify_credentials(&bob.token).await.status, 200);
    woolly::services::operator::reset_password(&app.state, "bob", None)
        .await
        .unwrap();
    assert_eq!(other.verify_credentials(&bob.token).await.status, 401);
}

/// A commit through a second process, finished before `app`'s next fence, moves `app`'s
/// generation on.
async fn a_fence_sees_another_process_commit(app: &TestApp) {
    let Db::Pg(_, generation) = app.state.db() else {
        unreachable!()
    };
    let other = second_process(app, None).await;
    app.state.db().fence().await;
    let seen = generation.current_unchecked();
    other.user("carol").await;
    app.state.db().fence().await;
    assert_ne!(generation.current_unchecked(), seen, "the commit is seen");
}

/// PostgreSQL: fences that wait at the same time share rounds (far fewer snapshot reads
/// than fences), and a fence still sees a commit that finished before it.
#[tokio::test]
async fn concurrent_fences_share_rounds_on_postgres() {
    let Some(app) = postgres().await else {
        return;
    };
    let Db::Pg(_, generation) = app.state.db() else {
        unreachable!()
    };
    let before = generation.fence_rounds();
    let fences: Vec<_> = (0..64)
        .map(|_| {
            let db = app.state.db().clone();
            tokio::spawn(async move { db.fence().await })
        })
        .collect();
    for f in fences {
        f.await.unwrap();
    }
    let rounds = generation.fence_rounds() - before;
    assert!((1..=3).contains(&rounds), "64 fences took {rounds} rounds");

    a_fence_sees_another_process_commit(&app).await;
}

/// PostgreSQL: the fence rounds read on a connection of their own; when it ends (a restart,
/// an operator's `pg_terminate_backend`), the next rounds open another, and a fence still
/// sees a commit that finished before it.
#[tokio::test]
async fn fence_rounds_recover_when_their_connection_ends() {
    let Some(app) = postgres().await else {
        return;
    };
    let Db::Pg(pool, generation) = app.state.db() else {
        unreachable!()
    };
    app.state.db().fence().await;
    let first = generation
        .fence_backend_pid()
        .expect("a fence round opened its connection");
    // Waits (up to 5 s) until the backend has ended.
    sqlx::query("SELECT pg_terminate_backend($1, 5000)")
        .bind(first)
        .execute(pool)
        .await
        .unwrap();
    // The round that finds the connection gone fails: nothing cached is trusted after it.
    let seen = generation.current_unchecked();
    app.state.db().fence().await;
    assert_ne!(
        generation.current_unchecked(),
        seen,
        "a failed round outdates the caches"
    );
    a_fence_sees_another_process_commit(&app).await;
    let second = generation.fence_backend_pid().expect("a new connection");
    assert_ne!(second, first);
}
