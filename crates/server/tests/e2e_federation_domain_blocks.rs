//! End to end: two `woolly serve` processes on loopback. A moderator on A suspends B's
//! domain through `/api/v1/admin/domain_blocks`: B's profile update no longer reaches A (A
//! refuses B's delivery, which B keeps for a retry) and A's follow of B's user is refused;
//! once the block is deleted, following and profile updates federate again.
//! `WOOLLY_ALLOW_PRIVATE_FETCHES` (the test-only setting) lets them fetch each other.

mod support;

use std::time::Duration;

use support::federation::{eventually, follow_accepted, get, resolve, start, user};
use support::{admin, json, send};

async fn display_name(http: &reqwest::Client, base: &str, token: &str, id: &str) -> String {
    get(http, &format!("{base}/api/v1/accounts/{id}"), token).await["display_name"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

async fn rename(http: &reqwest::Client, base: &str, token: &str, name: &str) {
    json(
        http.patch(format!("{base}/api/v1/accounts/update_credentials"))
            .bearer_auth(token)
            .form(&[("display_name", name)]),
        200,
    )
    .await;
}

#[tokio::test]
async fn a_domain_block_cuts_federation_until_it_is_lifted() {
    let http = reqwest::Client::new();
    let a = start(&http).await;
    let b = start(&http).await;
    let alice = user(&a, "alice", None);
    let boss = user(&a, "boss", Some("Owner"));
    let bob = user(&b, "bob", None);

    let bob_id = resolve(&http, &a, &alice, &format!("bob@{}", b.domain)).await;
    follow_accepted(&http, &a, &alice, &bob_id).await;

    // A suspends B's domain
    let block = json(
        http.post(format!("{}/api/v1/admin/domain_blocks", a.base))
            .bearer_auth(&boss)
            .form(&[
                ("domain", b.domain.as_str()),
                ("severity", "suspend"),
                ("private_comment", "e2e"),
            ]),
        200,
    )
    .await;
    assert_eq!(block["domain"], b.domain.as_str());
    let block_id = block["id"].as_str().unwrap_or_default().to_owned();
    // the follow is severed on A (a suspended account has no relationship to show)
    let me = get(
        &http,
        &format!("{}/api/v1/accounts/verify_credentials", a.base),
        &alice,
    )
    .await;
    assert_eq!(me["following_count"], 0, "{me}");

    // B's profile update is refused by A (403): B has tried it, and no delivery waits for a
    // first attempt (a refusal that no retry changes ends the delivery, as upstream)
    rename(&http, &b.base, &bob, "Bob Blocked").await;
    let mut refused = false;
    for _ in 0..150 {
        let out = admin(b.dir.path(), b.port, &["deliveries"]);
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let untried = text.lines().any(|l| {
            (l.starts_with("deliver\t") && l.contains("attempts 0")) || l.starts_with("update")
        });
        if !untried {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(refused, "B never tried to deliver its Update");

    // a follow from A is refused: B's accounts are suspended here
    let r = send(
        http.post(format!("{}/api/v1/accounts/{bob_id}/follow", a.base))
            .bearer_auth(&alice),
    )
    .await;
    assert_eq!(r.status().as_u16(), 404);

    // the audit trail has the block
    let log = get(
        &http,
        &format!("{}/api/v1/admin/action_logs?action=create", a.base),
        &boss,
    )
    .await;
    assert_eq!(log[0]["target_type"], "DomainBlock", "{log}");
    assert_eq!(log[0]["human_identifier"], b.domain.as_str());

    // lifted: bob is back, without the update A refused
    json(
        http.delete(format!("{}/api/v1/admin/domain_blocks/{block_id}", a.base))
            .bearer_auth(&boss),
        200,
    )
    .await;
    assert_ne!(
        display_name(&http, &a.base, &alice, &bob_id).await,
        "Bob Blocked"
    );
    // and federation works again
    follow_accepted(&http, &a, &alice, &bob_id).await;
    rename(&http, &b.base, &bob, "Bob Again").await;
    eventually("bob's Update after the unblock", || async {
        display_name(&http, &a.base, &alice, &bob_id).await == "Bob Again"
    })
    .await;
}
