//! End to end: two `woolly serve` processes on loopback, with different domains (ports),
//! federating through the client API only: search with resolve, follow of an open and of
//! locked accounts (Accept after authorize, Reject after reject), counters and followers on
//! both sides, a profile update reaching the other side, block, remove_from_followers,
//! suspension and deletion.
//! `WOOLLY_ALLOW_PRIVATE_FETCHES` (the test-only setting) lets them fetch each other.
//! SQLite only: the two-instance flow runs on PostgreSQL in `tests/api/federation_flow.rs`.

mod support;

use support::federation::{eventually, follow_accepted, get, post, rel, resolve, start, user};
use support::{json, send};

#[tokio::test]
async fn two_servers_federate_accounts() {
    let http = reqwest::Client::new();
    let a = start(&http).await;
    let b = start(&http).await;
    let alice = user(&a, "alice", None);
    let bob = user(&b, "bob", None);
    let carol = user(&b, "carol", None);
    let dave = user(&b, "dave", None);
    let boss = user(&b, "boss", Some("Owner"));
    for locked in [&carol, &dave] {
        json(
            http.patch(format!("{}/api/v1/accounts/update_credentials", b.base))
                .bearer_auth(locked)
                .form(&[("locked", "true")]),
            200,
        )
        .await;
    }

    // search with resolve
    let bob_id = resolve(&http, &a, &alice, &format!("bob@{}", b.domain)).await;

    // an open account: requested, then following once the Accept is in
    follow_accepted(&http, &a, &alice, &bob_id).await;
    let bob_there = get(
        &http,
        &format!("{}/api/v1/accounts/verify_credentials", b.base),
        &bob,
    )
    .await;
    assert_eq!(bob_there["followers_count"], 1);
    let followers = get(
        &http,
        &format!(
            "{}/api/v1/accounts/{}/followers",
            b.base,
            bob_there["id"].as_str().unwrap_or_default()
        ),
        &bob,
    )
    .await;
    assert_eq!(followers[0]["acct"], format!("alice@{}", a.domain));

    // a locked account: Accept after authorize
    let carol_id = resolve(&http, &a, &alice, &format!("carol@{}", b.domain)).await;
    post(
        &http,
        &format!("{}/api/v1/accounts/{carol_id}/follow", a.base),
        &alice,
    )
    .await;
    let mut alice_on_b = String::new();
    eventually("the follow request", || {
        let (http, b, carol) = (&http, &b, &carol);
        async move {
            get(http, &format!("{}/api/v1/follow_requests", b.base), carol)
                .await
                .as_array()
                .is_some_and(|r| !r.is_empty())
        }
    })
    .await;
    let requests = get(&http, &format!("{}/api/v1/follow_requests", b.base), &carol).await;
    alice_on_b.push_str(requests[0]["id"].as_str().unwrap_or_default());
    assert_eq!(rel(&http, &a, &alice, &carol_id).await["requested"], true);
    post(
        &http,
        &format!("{}/api/v1/follow_requests/{alice_on_b}/authorize", b.base),
        &carol,
    )
    .await;
    eventually("carol's Accept", || async {
        rel(&http, &a, &alice, &carol_id).await["following"] == true
    })
    .await;

    // Reject after reject
    let dave_id = resolve(&http, &a, &alice, &format!("dave@{}", b.domain)).await;
    post(
        &http,
        &format!("{}/api/v1/accounts/{dave_id}/follow", a.base),
        &alice,
    )
    .await;
    eventually("dave's request", || {
        let (http, b, dave) = (&http, &b, &dave);
        async move {
            get(http, &format!("{}/api/v1/follow_requests", b.base), dave)
                .await
                .as_array()
                .is_some_and(|r| !r.is_empty())
        }
    })
    .await;
    post(
        &http,
        &format!("{}/api/v1/follow_requests/{alice_on_b}/reject", b.base),
        &dave,
    )
    .await;
    eventually("dave's Reject", || async {
        rel(&http, &a, &alice, &dave_id).await["requested"] == false
    })
    .await;
    assert_eq!(rel(&http, &a, &alice, &dave_id).await["following"], false);
    let me = get(
        &http,
        &format!("{}/api/v1/accounts/verify_credentials", a.base),
        &alice,
    )
    .await;
    assert_eq!(me["following_count"], 2);

    // a profile update reaches the other side
    json(
        http.patch(format!("{}/api/v1/accounts/update_credentials", b.base))
            .bearer_auth(&bob)
            .form(&[("display_name", "Bob Builder")]),
        200,
    )
    .await;
    eventually("bob's Update", || async {
        get(
            &http,
            &format!("{}/api/v1/accounts/{bob_id}", a.base),
            &alice,
        )
        .await["display_name"]
            == "Bob Builder"
    })
    .await;

    // block from there severs the follow here
    let alice_for_carol = resolve(&http, &b, &carol, &format!("alice@{}", a.domain)).await;
    post(
        &http,
        &format!("{}/api/v1/accounts/{alice_for_carol}/block", b.base),
        &carol,
    )
    .await;
    eventually("carol's Block", || async {
        rel(&http, &a, &alice, &carol_id).await["blocked_by"] == true
    })
    .await;
    assert_eq!(rel(&http, &a, &alice, &carol_id).await["following"], false);

    // remove_from_followers there ends the follow here (a Reject of it)
    let alice_for_bob = resolve(&http, &b, &bob, &format!("alice@{}", a.domain)).await;
    post(
        &http,
        &format!(
            "{}/api/v1/accounts/{alice_for_bob}/remove_from_followers",
            b.base
        ),
        &bob,
    )
    .await;
    eventually("bob's Reject of the follow", || async {
        rel(&http, &a, &alice, &bob_id).await["following"] == false
    })
    .await;
    let bob_now = get(
        &http,
        &format!("{}/api/v1/accounts/verify_credentials", b.base),
        &bob,
    )
    .await;
    assert_eq!(bob_now["followers_count"], 0, "{bob_now}");
    // and alice follows again, to hear of what follows
    follow_accepted(&http, &a, &alice, &bob_id).await;

    // suspension, then deletion, of bob there
    let bob_local = bob_there["id"].as_str().unwrap_or_default().to_owned();
    json(
        http.post(format!(
            "{}/api/v1/admin/accounts/{bob_local}/action",
            b.base
        ))
        .bearer_auth(&boss)
        .form(&[("type", "suspend")]),
        200,
    )
    .await;
    eventually("bob's suspension", || async {
        get(
            &http,
            &format!("{}/api/v1/accounts/{bob_id}", a.base),
            &alice,
        )
        .await["suspended"]
            == true
    })
    .await;
    let res = send(
        http.delete(format!("{}/api/v1/admin/accounts/{bob_local}", b.base))
            .bearer_auth(&boss),
    )
    .await;
    assert_eq!(res.status().as_u16(), 200);
    eventually("bob's Delete", || async {
        send(
            http.get(format!("{}/api/v1/accounts/{bob_id}", a.base))
                .bearer_auth(&alice),
        )
        .await
        .status()
        .as_u16()
            == 404
    })
    .await;
    let me = get(
        &http,
        &format!("{}/api/v1/accounts/verify_credentials", a.base),
        &alice,
    )
    .await;
    assert_eq!(me["following_count"], 0);
}
