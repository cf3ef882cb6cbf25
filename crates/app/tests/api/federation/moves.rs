//! Account migration between two Woolly instances (served on loopback as in `flow.rs`): a
//! signed inbound `Move` is honoured only when the new account lists the old one in
//! `alsoKnownAs` and the object is the sender; then the old account shows `moved` and its
//! followers on the receiving side follow the new account. Local followers move too.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use woolly_testkit::{Backend, Fixture, TestApp, db_test};

use super::flow::{
    Node, federating, post_as, post_signed, public_json, relationship, resolve, serve, settle,
};

/// `(following, requested)` of `viewer` towards `id` on `on`.
async fn follows(on: &Node, viewer: &Fixture, id: &str) -> (bool, bool) {
    let rel = relationship(on, viewer, id).await;
    (
        rel["following"].as_bool().unwrap_or_default(),
        rel["requested"].as_bool().unwrap_or_default(),
    )
}

/// A Move from alice (on `a`) signed with her key, posted to `b`'s shared inbox.
async fn signed_move(a: &Node, b: &Node, alice: &Fixture, n: u32, object: &str, target: &str) {
    let alice_uri = format!("http://{}/users/alice", a.domain);
    let doc = serde_json::json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{alice_uri}#moves/test-{n}"),
        "type": "Move",
        "actor": alice_uri,
        "object": object,
        "target": target,
    })
    .to_string();
    assert_eq!(post_signed(a, b, alice, doc.as_bytes(), false).await, 202);
}

#[db_test(config = federating)]
async fn a_move_is_honoured_only_with_the_alias(app: TestApp) {
    let b = match app.backend {
        Backend::Sqlite => TestApp::sqlite_with(federating).await,
        Backend::Postgres => TestApp::postgres_with(federating).await,
    };
    let (a, b) = (serve(app), serve(b));
    let alice = a.app.user("alice").await;
    let nalice = a.app.user("nalice").await;
    let carol = a.app.user("carol").await;
    let dan = a.app.user("dan").await;
    let bob = b.app.user("bob").await;
    let uri = |name: &str| format!("http://{}/users/{name}", a.domain);

    // bob on B and dan on A follow alice
    let alice_on_b = resolve(&b, &bob, &format!("alice@{}", a.domain)).await;
    post_as(
        &b,
        &bob,
        &format!("/api/v1/accounts/{alice_on_b}/follow"),
        &[],
    )
    .await;
    post_as(
        &a,
        &dan,
        &format!("/api/v1/accounts/{}/follow", alice.account_id),
        &[],
    )
    .await;
    settle(&a, &b).await;
    assert_eq!(follows(&b, &bob, &alice_on_b).await, (true, false));

    // nalice says she is also alice
    let r = post_as(
        &a,
        &nalice,
        "/api/v1/accounts/alias",
        &[("also_known_as_uris[]", uri("alice").as_str())],
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    settle(&a, &b).await;

    // a Move to an account without the alias changes nothing
    signed_move(&a, &b, &alice, 1, &uri("alice"), &uri("carol")).await;
    // nor does a Move of someone else than the sender
    signed_move(&a, &b, &alice, 2, &uri("carol"), &uri("nalice")).await;
    settle(&a, &b).await;
    assert_eq!(follows(&b, &bob, &alice_on_b).await, (true, false));
    let shown = public_json(&b, &format!("/api/v1/accounts/{alice_on_b}")).await;
    assert!(shown.get("moved").is_none(), "{shown}");
    let _ = carol;

    // the move through the client API on A: B fetches nalice, sees the alias, and bob
    // follows nalice instead (a request until A's Accept arrives)
    let r = post_as(
        &a,
        &alice,
        "/api/v1/accounts/move",
        &[
            ("password", "password123"),
            ("moved_to_uri", uri("nalice").as_str()),
        ],
    )
    .await;
    assert_eq!(r.status, 202, "{}", r.text());
    settle(&a, &b).await;
    let nalice_on_b = resolve(&b, &bob, &format!("nalice@{}", a.domain)).await;
    assert_eq!(follows(&b, &bob, &nalice_on_b).await, (true, false));
    assert_eq!(follows(&b, &bob, &alice_on_b).await, (false, false));
    let shown = public_json(&b, &format!("/api/v1/accounts/{alice_on_b}")).await;
    assert_eq!(shown["moved"]["id"], nalice_on_b, "{shown}");
    // on A: the local follower moved, and nalice has bob as a follower
    assert_eq!(follows(&a, &dan, &nalice.account_id).await, (true, false));
    assert_eq!(follows(&a, &dan, &alice.account_id).await, (false, false));
    let nalice_on_a = public_json(&a, &format!("/api/v1/accounts/{}", nalice.account_id)).await;
    assert_eq!(nalice_on_a["followers_count"], 2, "{nalice_on_a}");
}
