//! End to end: deliveries survive the receiver's absence. Two `woolly serve` processes on
//! loopback; the receiver is killed while the sender queues a profile update and a follow;
//! the sender's queue retries (with a short `WOOLLY_DELIVERY_RETRY_BASE_MS`), the receiver
//! comes back on the same data folder and port, and everything arrives: nothing is lost.

mod support;

use std::time::Duration;

use support::federation::{get, post, rel, resolve, restart, start, start_with, stop, user};
use support::{admin, json};

/// `woolly admin deliveries` of an instance, as printed.
fn deliveries(i: &support::federation::Instance) -> String {
    let out = admin(i.dir.path(), i.port, &["deliveries"]);
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Polls `probe` for up to `secs` seconds.
async fn within<F, Fut>(secs: u64, what: &str, mut probe: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    for _ in 0..secs * 10 {
        if probe().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("timed out waiting for {what}");
}

#[tokio::test]
async fn a_restarted_receiver_gets_every_queued_delivery() {
    let http = reqwest::Client::new();
    let a = start_with(&http, &[("WOOLLY_DELIVERY_RETRY_BASE_MS", "300")]).await;
    let mut b = start(&http).await;
    let alice = user(&a, "alice", None);
    let bob = user(&b, "bob", None);

    // bob follows alice (so her profile updates go to b), and alice knows bob
    let alice_on_b = resolve(&http, &b, &bob, &format!("alice@{}", a.domain)).await;
    post(
        &http,
        &format!("{}/api/v1/accounts/{alice_on_b}/follow", b.base),
        &bob,
    )
    .await;
    within(15, "alice's Accept", || async {
        rel(&http, &b, &bob, &alice_on_b).await["following"] == true
    })
    .await;
    let bob_on_a = resolve(&http, &a, &alice, &format!("bob@{}", b.domain)).await;

    // the receiver goes away; the sender queues a profile update and a follow
    stop(&mut b);
    json(
        http.patch(format!("{}/api/v1/accounts/update_credentials", a.base))
            .bearer_auth(&alice)
            .form(&[("display_name", "Alice while you were away")]),
        200,
    )
    .await;
    post(
        &http,
        &format!("{}/api/v1/accounts/{bob_on_a}/follow", a.base),
        &alice,
    )
    .await;

    // both deliveries fail and wait for a retry, kept in the queue
    within(20, "failed attempts", || async {
        let q = deliveries(&a);
        q.lines()
            .filter(|l| l.starts_with("deliver\t") && !l.contains("attempts 0"))
            .count()
            == 2
    })
    .await;
    let q = deliveries(&a);
    assert!(
        q.contains(&format!("failing\t{}\tfailed on 1 day(s)", b.domain)),
        "{q}"
    );

    // the receiver comes back: the retries reach it
    restart(&http, &mut b).await;
    within(30, "the profile update", || async {
        get(
            &http,
            &format!("{}/api/v1/accounts/{alice_on_b}", b.base),
            &bob,
        )
        .await["display_name"]
            == "Alice while you were away"
    })
    .await;
    // the Follow reached b: alice is among bob's followers there
    let followers = get(
        &http,
        &format!(
            "{}/api/v1/accounts/{}/followers",
            b.base,
            get(
                &http,
                &format!("{}/api/v1/accounts/verify_credentials", b.base),
                &bob
            )
            .await["id"]
                .as_str()
                .unwrap_or_default()
        ),
        &bob,
    )
    .await;
    assert_eq!(followers[0]["acct"], format!("alice@{}", a.domain));

    // nothing left behind, and the domain's failures are forgotten (it answered)
    within(10, "an empty queue", || async {
        deliveries(&a).starts_with("0 job(s) queued")
    })
    .await;
    let q = deliveries(&a);
    assert!(!q.contains(&b.domain), "{q}");
}
