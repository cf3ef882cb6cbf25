//! Unavailable domains, as upstream's DeliveryFailureTracker: each failed delivery records
//! its day for the inbox's domain; a domain that failed on 7 distinct days is unavailable
//! and its deliveries are dropped untried; an answer clears its failures, and so does a
//! signed activity from it (`flow.rs`). `delivery_retry_base_ms` shortens the backoff.
#![allow(clippy::expect_used)]

use woolly::services::federation::{availability, outbound, worker};
use woolly::state::AppState;
use woolly_testkit::{TestApp, db_test};

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

async fn queue(state: &AppState, from: i64, inbox: &str) {
    let mut tx = state.db().begin().await.expect("tx");
    let doc = serde_json::json!({"id": "https://woolly.test/x", "type": "Follow"});
    outbound::deliver(state, &mut tx.exec(), from, inbox, &doc)
        .await
        .expect("queue");
    tx.commit().await.expect("commit");
}

async fn domains(app: &TestApp) -> Vec<(String, i64, Option<i64>)> {
    availability::domains(&app.state).await.expect("domains")
}

async fn available(app: &TestApp, inbox: &str) -> bool {
    availability::available(&app.state, inbox)
        .await
        .expect("available")
}

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

/// Answers every POST with `status` on `port`.
fn sink(port: u16, status: u16) {
    let listener = std::net::TcpListener::bind(("127.0.0.1", port)).expect("bind sink");
    listener.set_nonblocking(true).expect("nonblocking");
    let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
    let code = axum::http::StatusCode::from_u16(status).expect("status");
    let router = axum::Router::new().fallback(move || async move { code });
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
}

#[db_test(config = |c| { c.allow_private_fetches = true; c.delivery_retry_base_ms = 1; })]
async fn a_domain_failing_on_seven_days_becomes_unavailable(app: TestApp) {
    let alice = app.user("alice").await;
    let id: i64 = alice.account_id.parse().expect("id");
    let port = free_port();
    let domain = format!("127.0.0.1:{port}");
    let inbox = format!("http://{domain}/inbox");

    // one failure: a day recorded, the domain still tried
    queue(&app.state, id, &inbox).await;
    assert_eq!(worker::run_due(&app.state).await.expect("run"), 1);
    let seen = domains(&app).await;
    assert_eq!(seen, [(domain.clone(), 1, None)]);
    assert!(available(&app, &inbox).await);

    // it has failed on six earlier days too: the next failure makes seven
    let today = woolly::domain::time::now().div_euclid(DAY_MS);
    for d in 1..=6 {
        app.sql(&format!(
            "INSERT INTO delivery_failure_days (domain, day) VALUES ('{domain}', {})",
            today - d
        ))
        .await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    assert_eq!(worker::run_due(&app.state).await.expect("run"), 1);
    assert!(!available(&app, &inbox).await);
    let seen = domains(&app).await;
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].1, 7);
    assert!(seen[0].2.is_some(), "unavailable since");

    // deliveries to it are dropped untried: the retry and a new one
    queue(&app.state, id, &inbox).await;
    app.sql("UPDATE federation_jobs SET run_at = 0").await;
    assert_eq!(worker::run_due(&app.state).await.expect("run"), 2);
    assert!(
        worker::pending(&app.state)
            .await
            .expect("pending")
            .is_empty()
    );
    // other domains are not affected
    assert!(available(&app, "http://127.0.0.1:1/inbox").await);

    // a signed activity from it (what the inbox calls) makes it available again
    availability::reset(&app.state, &inbox)
        .await
        .expect("reset");
    assert!(available(&app, &inbox).await);
    assert!(domains(&app).await.is_empty());
}

#[db_test(config = |c| { c.allow_private_fetches = true; c.delivery_retry_base_ms = 1; })]
async fn an_answer_clears_the_failures(app: TestApp) {
    let alice = app.user("alice").await;
    let id: i64 = alice.account_id.parse().expect("id");
    let port = free_port();
    let inbox = format!("http://127.0.0.1:{port}/inbox");
    queue(&app.state, id, &inbox).await;
    assert_eq!(worker::run_due(&app.state).await.expect("run"), 1);
    assert_eq!(domains(&app).await.len(), 1);
    // the retry waits 1 ms (the configured base), then finds the inbox up
    let run_at = app.scalar("SELECT run_at FROM federation_jobs").await;
    assert!(
        run_at <= woolly::domain::time::now() + 1,
        "due again at once"
    );
    sink(port, 202);
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    assert_eq!(worker::run_due(&app.state).await.expect("run"), 1);
    assert!(
        worker::pending(&app.state)
            .await
            .expect("pending")
            .is_empty()
    );
    assert!(domains(&app).await.is_empty());
}

#[db_test(config = |c| { c.allow_private_fetches = true; c.delivery_retry_base_ms = 1; })]
async fn a_refusal_no_retry_can_change_is_not_retried(app: TestApp) {
    let alice = app.user("alice").await;
    let id: i64 = alice.account_id.parse().expect("id");
    let gone = free_port();
    sink(gone, 410);
    let busy = free_port();
    sink(busy, 429);
    queue(&app.state, id, &format!("http://127.0.0.1:{gone}/inbox")).await;
    queue(&app.state, id, &format!("http://127.0.0.1:{busy}/inbox")).await;
    assert_eq!(worker::run_due(&app.state).await.expect("run"), 2);
    // 410: done, as upstream (the server answered); 429: retried later
    let pending = worker::pending(&app.state).await.expect("pending");
    assert_eq!(pending.len(), 1, "{pending:?}");
    assert!(
        pending[0]
            .1
            .as_deref()
            .is_some_and(|t| t.contains(&busy.to_string()))
    );
    let seen = domains(&app).await;
    assert_eq!(seen, [(format!("127.0.0.1:{busy}"), 1, None)]);
}
