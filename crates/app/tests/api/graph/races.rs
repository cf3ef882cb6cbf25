//! Races between writes of one pair of accounts, stormed concurrently: a block always holds
//! against a follower looping unfollow/follow, and crossing follows never deadlock into a
//! 500. On SQLite the writer lock serializes them; on PostgreSQL the pair lock must.

use futures::future::join_all;
use woolly_testkit::{TestApp, db_test};

use super::support::{path, post};

/// Loops unfollow/follow of `target` by `token` `rounds` times; every answer must be 200.
async fn churn(app: &TestApp, token: &str, target: &str, rounds: usize) {
    for _ in 0..rounds {
        for action in ["unfollow", "follow"] {
            let r = post(app, token, &path(target, action)).await;
            assert_eq!(r.status, 200, "{action}: {}", r.text());
        }
    }
}

#[db_test(config = |cfg| { cfg.rate_limits = false; })]
async fn a_block_holds_against_a_looping_follower(app: TestApp) {
    let a = app.user("attacker").await;
    let v = app.user("victim").await;
    for trial in 0..30u64 {
        let r = post(&app, &v.token, &path(&a.account_id, "unblock")).await;
        assert_eq!(r.status, 200);
        post(&app, &a.token, &path(&v.account_id, "follow")).await;
        let blocked = std::cell::Cell::new(false);
        let block = async {
            // Land the block at a different point of the follower's loops in each trial.
            tokio::time::sleep(std::time::Duration::from_millis(trial % 6)).await;
            let r = post(&app, &v.token, &path(&a.account_id, "block")).await;
            assert_eq!(r.status, 200, "block: {}", r.text());
            blocked.set(true);
        };
        // The follower stops once the block has answered, so whatever its requests in
        // flight left behind is what the victim lives with.
        let follower = || async {
            for _ in 0..20 {
                for action in ["unfollow", "follow"] {
                    if blocked.get() {
                        return;
                    }
                    let r = post(&app, &a.token, &path(&v.account_id, action)).await;
                    // Once the block is in, a follow is refused (403); never a 500.
                    assert!(
                        r.status == 200 || r.status == 403,
                        "{action}: {} {}",
                        r.status,
                        r.text()
                    );
                }
            }
        };
        tokio::join!(block, follower(), follower());
        let rel = app.relationships(&a.token, &v.account_id).await;
        assert_eq!(rel[0]["blocked_by"], true, "trial {trial}");
        assert_eq!(
            rel[0]["following"], false,
            "trial {trial}: the block was outrun"
        );
        assert_eq!(rel[0]["requested"], false, "trial {trial}");
        assert_eq!(
            app.counts(&v.account_id).await.0,
            0,
            "trial {trial}: followers of the victim"
        );
    }
}

#[db_test(config = |cfg| { cfg.rate_limits = false; })]
async fn crossing_follows_never_deadlock(app: TestApp) {
    let users = [
        app.user("ring0").await,
        app.user("ring1").await,
        app.user("ring2").await,
    ];
    // Each follows the next in a ring and back, all at once: every lock order that could
    // form a cycle is exercised.
    let mut loops = Vec::new();
    for (i, u) in users.iter().enumerate() {
        let next = &users[(i + 1) % users.len()];
        let prev = &users[(i + users.len() - 1) % users.len()];
        loops.push(churn(&app, &u.token, &next.account_id, 8));
        loops.push(churn(&app, &u.token, &prev.account_id, 8));
    }
    join_all(loops).await;
    for u in &users {
        // Each ends following both neighbours, and the counters agree.
        assert_eq!(app.counts(&u.account_id).await, (2, 2));
    }
}
