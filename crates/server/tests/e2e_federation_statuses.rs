//! End to end: two `woolly serve` processes on loopback federating statuses. Alice (on A)
//! follows Bob (on B); Bob's post reaches A through the delivery worker and shows on A's
//! statuses list of Bob; Bob deletes it and it disappears there.

mod support;

use support::federation::{eventually, follow_accepted, get, resolve, start, user};
use support::json;

#[tokio::test]
async fn a_post_and_its_deletion_reach_the_followers_server() {
    let http = reqwest::Client::new();
    let a = start(&http).await;
    let b = start(&http).await;
    let alice = user(&a, "alice", None);
    let bob = user(&b, "bob", None);

    let bob_id = resolve(&http, &a, &alice, &format!("bob@{}", b.domain)).await;
    follow_accepted(&http, &a, &alice, &bob_id).await;

    let status = json(
        http.post(format!("{}/api/v1/statuses", b.base))
            .bearer_auth(&bob)
            .form(&[("status", "Hello from B"), ("visibility", "public")]),
        200,
    )
    .await;
    let list = format!("{}/api/v1/accounts/{bob_id}/statuses", a.base);
    eventually("bob's post on A", || async {
        let seen = get(&http, &list, &alice).await;
        seen[0]["uri"] == status["uri"]
    })
    .await;
    let seen = get(&http, &list, &alice).await;
    assert_eq!(seen[0]["content"], status["content"]);
    assert_eq!(seen[0]["url"], status["url"]);
    assert_eq!(seen[0]["account"]["id"], bob_id.as_str());

    let id = status["id"].as_str().unwrap_or_default();
    json(
        http.delete(format!("{}/api/v1/statuses/{id}", b.base))
            .bearer_auth(&bob),
        200,
    )
    .await;
    eventually("the deletion on A", || async {
        get(&http, &list, &alice)
            .await
            .as_array()
            .is_some_and(Vec::is_empty)
    })
    .await;
}
