//! The delivery queue: a delivery that fails comes back later (exponential backoff), is
//! not lost, and goes out once its inbox answers; keys are made once and rotate on refetch.
#![allow(clippy::expect_used)]

use woolly::services::federation::{outbound, worker};
use woolly_testkit::{TestApp, db_test};

#[db_test(config = |c| { c.allow_private_fetches = true; })]
async fn failed_deliveries_are_retried_with_backoff(app: TestApp) {
    let alice = app.user("alice").await;
    let id: i64 = alice.account_id.parse().expect("id");
    // a loopback port nobody listens on
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let inbox = format!("http://127.0.0.1:{dead}/inbox");
    {
        let mut tx = app.state.db().begin().await.expect("tx");
        let doc = serde_json::json!({"id": "https://woolly.test/x", "type": "Follow"});
        outbound::deliver(&app.state, &mut tx.exec(), id, &inbox, &doc)
            .await
            .expect("queue");
        tx.commit().await.expect("commit");
    }
    assert_eq!(worker::run_due(&app.state).await.expect("run"), 1);
    let pending = worker::pending(&app.state).await.expect("pending");
    assert_eq!(pending.len(), 1, "kept for a retry");
    assert_eq!(pending[0].0, "deliver");
    assert_eq!(pending[0].2, 1, "one attempt counted");
    assert!(pending[0].3.as_deref().is_some_and(|e| !e.is_empty()));
    // not due again before its backoff
    assert_eq!(worker::run_due(&app.state).await.expect("run"), 0);
    let wait = app
        .scalar("SELECT run_at - created_at FROM federation_jobs")
        .await;
    assert!(wait >= worker::backoff_ms(0) - 1000, "{wait}");
    // private addresses are refused unless the test-only setting allows them
    let refused =
        woolly::federation::fetch::check_url(&url::Url::parse(&inbox).expect("url"), false);
    assert!(refused.is_err());
}
