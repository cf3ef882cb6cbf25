//! Two Woolly instances in one test, each served on its own loopback port (the test-only
//! `allow_private_fetches` lets them reach each other), federating through the client API
//! only: resolve, follow (open, locked: authorize and reject), profile update, unfollow,
//! block; and the inbox refusing unsigned, tampered, spoofed, oversized and replayed posts.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::sync::{Mutex, PoisonError};
use std::time::SystemTime;

use woolly::config::Config;
use woolly::services::federation::worker;
use woolly_testkit::{Backend, Fixture, TestApp, TestResponse, db_test};

pub(crate) struct Node {
    pub(crate) app: TestApp,
    pub(crate) domain: String,
}

/// Listeners bound before their app is made (its `domain` names the port), by domain.
static LISTENERS: Mutex<Vec<(String, std::net::TcpListener)>> = Mutex::new(Vec::new());

/// The config of one federating test instance: a loopback port of its own, plain HTTP, and
/// the test-only private-address setting.
pub(crate) fn federating(c: &mut Config) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    c.domain = format!("127.0.0.1:{port}");
    c.scheme = "http".into();
    c.allow_private_fetches = true;
    LISTENERS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push((c.domain.clone(), listener));
}

/// Serves `app` on the listener its config was made with.
pub(crate) fn serve(app: TestApp) -> Node {
    let domain = app.state.config().domain.clone();
    let listener = {
        let mut all = LISTENERS.lock().unwrap_or_else(PoisonError::into_inner);
        let at = all
            .iter()
            .position(|(d, _)| *d == domain)
            .expect("listener");
        all.remove(at).1
    };
    listener.set_nonblocking(true).expect("nonblocking");
    let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
    let router = app.router.clone();
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    Node { app, domain }
}

/// Runs both queues until neither has due work (deliveries hop back and forth).
pub(crate) async fn settle(a: &Node, b: &Node) {
    for _ in 0..6 {
        worker::drain(&a.app.state).await.expect("drain a");
        worker::drain(&b.app.state).await.expect("drain b");
    }
}

/// The id of `user@domain` as `on` knows it, resolved through search.
pub(crate) async fn resolve(on: &Node, viewer: &Fixture, handle: &str) -> String {
    let q: String = url::form_urlencoded::byte_serialize(handle.as_bytes()).collect();
    let r = on
        .app
        .get(
            &format!("/api/v1/accounts/search?q={q}&resolve=true"),
            Some(&viewer.token),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let j = r.json();
    assert_eq!(j[0]["acct"], handle, "{j}");
    j[0]["id"].as_str().expect("id").to_owned()
}

pub(crate) async fn relationship(on: &Node, viewer: &Fixture, id: &str) -> serde_json::Value {
    on.app
        .get(
            &format!("/api/v1/accounts/relationships?id[]={id}"),
            Some(&viewer.token),
        )
        .await
        .json()[0]
        .clone()
}

/// POSTs `pairs` to `path` on `on` as `who`.
pub(super) async fn post_as(
    on: &Node,
    who: &Fixture,
    path: &str,
    pairs: &[(&str, &str)],
) -> TestResponse {
    on.app.post(path, Some(&who.token), pairs).await
}

/// POSTs `/api/v1/accounts/{id}/{action}` (follow, unfollow, block …) on `on` as `who`.
pub(crate) async fn act(on: &Node, who: &Fixture, id: &str, action: &str) -> TestResponse {
    post_as(on, who, &format!("/api/v1/accounts/{id}/{action}"), &[]).await
}

/// A new Owner on `on` with the admin scopes.
pub(crate) async fn owner(on: &Node, name: &str) -> Fixture {
    on.app
        .user_with(
            name,
            Some("Owner"),
            "read write follow admin:read admin:write",
        )
        .await
}

/// PATCHes `who`'s profile on `on` and checks it took.
pub(crate) async fn update_credentials(on: &Node, who: &Fixture, pairs: &[(&str, &str)]) {
    let r = on
        .app
        .form(
            axum::http::Method::PATCH,
            "/api/v1/accounts/update_credentials",
            Some(&who.token),
            pairs,
        )
        .await;
    assert_eq!(r.status, 200);
}

/// An anonymous GET of `path` on `on`, as JSON.
pub(crate) async fn public_json(on: &Node, path: &str) -> serde_json::Value {
    on.app.get(path, None).await.json()
}

/// Asserts `viewer`'s (following, requested) towards `id` on `on`.
pub(crate) async fn assert_follow(
    on: &Node,
    viewer: &Fixture,
    id: &str,
    following: bool,
    requested: bool,
) {
    let rel = relationship(on, viewer, id).await;
    assert_eq!(
        (rel["following"].clone(), rel["requested"].clone()),
        (following.into(), requested.into()),
        "{rel}"
    );
}

#[db_test(config = federating)]
async fn two_servers_federate(app: TestApp) {
    let b = match app.backend {
        Backend::Sqlite => TestApp::sqlite_with(federating).await,
        Backend::Postgres => TestApp::postgres_with(federating).await,
    };
    let (a, b) = (serve(app), serve(b));
    let alice = a.app.user("alice").await;
    let bob = b.app.user("bob").await;
    let carol = b.app.user("carol").await;
    let dave = b.app.user("dave").await;
    for locked in [&carol, &dave] {
        update_credentials(&b, locked, &[("locked", "true")]).await;
    }
    settle(&a, &b).await;

    // search with resolve finds the other server's user (WebFinger, then the actor)
    let bob_on_a = resolve(&a, &alice, &format!("bob@{}", b.domain)).await;
    let shown = a
        .app
        .get(&format!("/api/v1/accounts/{bob_on_a}"), Some(&alice.token))
        .await
        .json();
    assert_eq!(shown["url"], format!("http://{}/@bob", b.domain));
    assert_eq!(shown["locked"], false);

    // an open account: requested until the Accept arrives, then following
    let r = act(&a, &alice, &bob_on_a, "follow").await;
    assert_eq!(r.status, 200, "{}", r.text());
    // upstream answers optimistically for an unlocked account …
    assert_eq!(r.json()["following"], true);
    // … while the follow stays a request until the Accept arrives
    assert_follow(&a, &alice, &bob_on_a, false, true).await;
    settle(&a, &b).await;
    assert_follow(&a, &alice, &bob_on_a, true, false).await;
    let bob_seen = public_json(&b, &format!("/api/v1/accounts/{}", bob.account_id)).await;
    assert_eq!(bob_seen["followers_count"], 1);
    let followers = b
        .app
        .get(
            &format!("/api/v1/accounts/{}/followers", bob.account_id),
            Some(&bob.token),
        )
        .await
        .json();
    assert_eq!(followers[0]["acct"], format!("alice@{}", a.domain));
    let alice_on_a = public_json(&a, &format!("/api/v1/accounts/{}", alice.account_id)).await;
    assert_eq!(alice_on_a["following_count"], 1);

    // a locked account: a follow request there; Accept after authorize
    let carol_on_a = resolve(&a, &alice, &format!("carol@{}", b.domain)).await;
    assert_eq!(
        public_json(&a, &format!("/api/v1/accounts/{carol_on_a}")).await["locked"],
        true
    );
    act(&a, &alice, &carol_on_a, "follow").await;
    settle(&a, &b).await;
    let requests = b
        .app
        .get("/api/v1/follow_requests", Some(&carol.token))
        .await
        .json();
    assert_eq!(
        requests[0]["acct"],
        format!("alice@{}", a.domain),
        "{requests}"
    );
    let alice_on_b = requests[0]["id"].as_str().expect("id").to_owned();
    assert_eq!(
        relationship(&a, &alice, &carol_on_a).await["requested"],
        true
    );
    let r = post_as(
        &b,
        &carol,
        &format!("/api/v1/follow_requests/{alice_on_b}/authorize"),
        &[],
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    settle(&a, &b).await;
    assert_follow(&a, &alice, &carol_on_a, true, false).await;

    // Reject after reject
    let dave_on_a = resolve(&a, &alice, &format!("dave@{}", b.domain)).await;
    act(&a, &alice, &dave_on_a, "follow").await;
    settle(&a, &b).await;
    let r = post_as(
        &b,
        &dave,
        &format!("/api/v1/follow_requests/{alice_on_b}/reject"),
        &[],
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    settle(&a, &b).await;
    assert_follow(&a, &alice, &dave_on_a, false, false).await;

    // a profile update reaches the followers' server
    update_credentials(
        &b,
        &bob,
        &[("display_name", "Bob Builder"), ("note", "I fix things")],
    )
    .await;
    settle(&a, &b).await;
    let shown = public_json(&a, &format!("/api/v1/accounts/{bob_on_a}")).await;
    assert_eq!(shown["display_name"], "Bob Builder");
    assert!(
        shown["note"]
            .as_str()
            .is_some_and(|n| n.contains("I fix things")),
        "{shown}"
    );

    // unfollow: Undo, and the counter falls over there
    act(&a, &alice, &bob_on_a, "unfollow").await;
    settle(&a, &b).await;
    assert_eq!(
        public_json(&b, &format!("/api/v1/accounts/{}", bob.account_id)).await["followers_count"],
        0
    );

    // a block from there severs the follow here
    let alice_id_on_b = resolve(&b, &carol, &format!("alice@{}", a.domain)).await;
    let r = act(&b, &carol, &alice_id_on_b, "block").await;
    assert_eq!(r.status, 200);
    settle(&a, &b).await;
    let rel = relationship(&a, &alice, &carol_on_a).await;
    assert_eq!(rel["following"], false, "{rel}");
    assert_eq!(rel["blocked_by"], true, "{rel}");

    // remove_from_followers sends Reject: the follow ends there too
    act(&a, &alice, &bob_on_a, "follow").await;
    settle(&a, &b).await;
    assert_eq!(relationship(&a, &alice, &bob_on_a).await["following"], true);
    let alice_for_bob = resolve(&b, &bob, &format!("alice@{}", a.domain)).await;
    let r = act(&b, &bob, &alice_for_bob, "remove_from_followers").await;
    assert_eq!(r.status, 200, "{}", r.text());
    settle(&a, &b).await;
    assert_eq!(
        relationship(&a, &alice, &bob_on_a).await["following"],
        false
    );

    // suspension and deletion reach the followers' server
    act(&a, &alice, &bob_on_a, "follow").await;
    settle(&a, &b).await;
    assert_eq!(relationship(&a, &alice, &bob_on_a).await["following"], true);
    let boss = owner(&b, "boss").await;
    let r = post_as(
        &b,
        &boss,
        &format!("/api/v1/admin/accounts/{}/action", bob.account_id),
        &[("type", "suspend")],
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    settle(&a, &b).await;
    let shown = public_json(&a, &format!("/api/v1/accounts/{bob_on_a}")).await;
    assert_eq!(shown["suspended"], true, "{shown}");
    let r = b
        .app
        .delete(
            &format!("/api/v1/admin/accounts/{}", bob.account_id),
            Some(&boss.token),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    settle(&a, &b).await;
    assert_eq!(
        a.app
            .get(&format!("/api/v1/accounts/{bob_on_a}"), None)
            .await
            .status,
        404
    );
    assert_eq!(
        relationship(&a, &alice, &bob_on_a).await["following"],
        serde_json::Value::Null
    );
    let alice_now = public_json(&a, &format!("/api/v1/accounts/{}", alice.account_id)).await;
    assert_eq!(alice_now["following_count"], 0, "{alice_now}");

    // a locked account that unlocks accepts its pending requests: an Accept each
    act(&a, &alice, &dave_on_a, "follow").await;
    settle(&a, &b).await;
    assert_eq!(
        relationship(&a, &alice, &dave_on_a).await["requested"],
        true
    );
    update_credentials(&b, &dave, &[("locked", "false")]).await;
    settle(&a, &b).await;
    assert_eq!(
        relationship(&a, &alice, &dave_on_a).await["following"],
        true
    );

    // a remote account suspended here: its follows of local accounts are rejected and end,
    // and what it sends next (but Undo and Delete) is ignored
    let alice_for_dave = resolve(&b, &dave, &format!("alice@{}", a.domain)).await;
    act(&b, &dave, &alice_for_dave, "follow").await;
    settle(&a, &b).await;
    assert_eq!(
        relationship(&b, &dave, &alice_for_dave).await["following"],
        true
    );
    let admin_a = owner(&a, "root").await;
    let r = post_as(
        &a,
        &admin_a,
        &format!("/api/v1/admin/accounts/{dave_on_a}/action"),
        &[("type", "suspend")],
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    settle(&a, &b).await;
    assert_eq!(
        relationship(&b, &dave, &alice_for_dave).await["following"],
        false
    );
    assert_eq!(
        public_json(&a, &format!("/api/v1/accounts/{}", alice.account_id)).await["followers_count"],
        0
    );
    act(&b, &dave, &alice_for_dave, "follow").await;
    settle(&a, &b).await;
    assert_eq!(
        public_json(&a, &format!("/api/v1/accounts/{}", alice.account_id)).await["followers_count"],
        0
    );
    assert_eq!(
        relationship(&b, &dave, &alice_for_dave).await["requested"],
        true
    );

    // a rotated key: the stale cached key fails, the actor is fetched again, the post verifies
    a.app
        .sql(&format!(
            "DELETE FROM account_keys WHERE account_id = {}",
            alice.account_id
        ))
        .await;
    // the actor fetch makes the new key
    let _ = a
        .app
        .send(
            axum::http::Request::builder()
                .uri("/users/alice")
                .header("accept", "application/activity+json")
                .body(axum::body::Body::empty())
                .expect("req"),
        )
        .await;
    let alice_uri = format!("http://{}/users/alice", a.domain);
    let rotated = serde_json::json!({"@context": "https://www.w3.org/ns/activitystreams", "id": format!("{alice_uri}#after-rotation"), "type": "Follow", "actor": alice_uri, "object": format!("http://{}/users/carol", b.domain)}).to_string();
    assert_eq!(
        post_signed(&a, &b, &alice, rotated.as_bytes(), false).await,
        202
    );

    inbox_refusals(&a, &b, &alice).await;
}

/// A signed POST from alice (on `a`) to `b`'s shared inbox; `tamper` changes the body after
/// signing.
pub(crate) async fn post_signed(
    a: &Node,
    b: &Node,
    alice: &Fixture,
    body: &[u8],
    tamper: bool,
) -> u16 {
    let pem = private_pem(a, alice).await;
    send(b, &pem, a, body, tamper).await
}

pub(super) async fn private_pem(a: &Node, alice: &Fixture) -> String {
    let mut conn = a.app.state.db().conn().await.expect("conn");
    woolly::db::repo::federation::key_of(&mut conn.exec(), alice.account_id.parse().expect("id"))
        .await
        .expect("key")
        .and_then(|k| k.private_key_pem)
        .expect("alice has a key")
}

pub(super) async fn send(b: &Node, pem: &str, a: &Node, body: &[u8], tamper: bool) -> u16 {
    let key = woolly_activitypub::keys::SigningKey::from_pem(pem).expect("key");
    let url = url::Url::parse(&format!("http://{}/inbox", b.domain)).expect("url");
    let key_id = format!("http://{}/users/alice#main-key", a.domain);
    let headers = woolly_activitypub::signature::sign(
        "POST",
        &url,
        Some(body),
        &key_id,
        &key,
        SystemTime::now(),
    )
    .expect("sign");
    let mut req = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/activity+json");
    for (n, v) in headers {
        if n != "host" {
            req = req.header(n, v);
        }
    }
    let mut body = body.to_vec();
    if tamper {
        body.push(b' ');
    }
    req.body(body).send().await.expect("post").status().as_u16()
}

async fn inbox_refusals(a: &Node, b: &Node, alice: &Fixture) {
    let alice_uri = format!("http://{}/users/alice", a.domain);
    let follow = |id: &str, actor: &str| {
        serde_json::json!({"@context": "https://www.w3.org/ns/activitystreams", "id": id, "type": "Follow", "actor": actor, "object": format!("http://{}/users/bob", b.domain)}).to_string()
    };
    let jobs = || {
        b.app
            .scalar("SELECT COUNT(*) FROM federation_jobs WHERE kind = 'inbox'")
    };
    let before = jobs().await;
    // unsigned
    let r = reqwest::Client::new()
        .post(format!("http://{}/inbox", b.domain))
        .body(follow(&format!("{alice_uri}#x1"), &alice_uri))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 401);
    // tampered body (the digest no longer matches)
    assert_eq!(
        post_signed(
            a,
            b,
            alice,
            follow(&format!("{alice_uri}#x2"), &alice_uri).as_bytes(),
            true
        )
        .await,
        401
    );
    // signed by alice, speaking for someone else
    let spoof = follow("http://evil.example/f", "http://evil.example/users/mallory");
    assert_eq!(post_signed(a, b, alice, spoof.as_bytes(), false).await, 401);
    // an activity id on another origin than its actor
    let foreign = follow("http://evil.example/f2", &alice_uri);
    assert_eq!(
        post_signed(a, b, alice, foreign.as_bytes(), false).await,
        401
    );
    assert_eq!(jobs().await, before, "nothing queued");
    // over 1 MB
    let big = format!("{{\"pad\": \"{}\"}}", "x".repeat(1024 * 1024 + 10));
    assert_eq!(post_signed(a, b, alice, big.as_bytes(), false).await, 413);
    // a good one is queued once, however often it comes
    let good = follow(&format!("{alice_uri}#replayed"), &alice_uri);
    assert_eq!(post_signed(a, b, alice, good.as_bytes(), false).await, 202);
    assert_eq!(post_signed(a, b, alice, good.as_bytes(), false).await, 202);
    assert_eq!(jobs().await, before + 1);
    signature_refusals(a, b, alice).await;
}

/// A POST to `b`'s shared inbox with `headers` (lowercase names) and `body`.
async fn post_raw(b: &Node, headers: &[(&str, String)], body: &str) -> u16 {
    let mut req = reqwest::Client::new()
        .post(format!("http://{}/inbox", b.domain))
        .header("content-type", "application/activity+json");
    for (n, v) in headers {
        if *n != "host" {
            req = req.header(*n, v);
        }
    }
    req.body(body.to_owned())
        .send()
        .await
        .expect("post")
        .status()
        .as_u16()
}

/// Malformed signature headers, a signature by a key that is not the actor's, a replay two
/// hours late: 401 and nothing queued. An RFC 9421 signature (Signature-Input) is verified
/// like a draft-cavage one, and a signed activity makes its domain available again.
async fn signature_refusals(a: &Node, b: &Node, alice: &Fixture) {
    use std::time::Duration;
    use woolly_activitypub::keys::SigningKey;
    use woolly_activitypub::{message_signature, signature};

    let alice_uri = format!("http://{}/users/alice", a.domain);
    let key_id = format!("{alice_uri}#main-key");
    let url = url::Url::parse(&format!("http://{}/inbox", b.domain)).expect("url");
    let follow = |n: &str| {
        serde_json::json!({"@context": "https://www.w3.org/ns/activitystreams", "id": format!("{alice_uri}#{n}"), "type": "Follow", "actor": alice_uri, "object": format!("http://{}/users/bob", b.domain)}).to_string()
    };
    let jobs = || {
        b.app
            .scalar("SELECT COUNT(*) FROM federation_jobs WHERE kind = 'inbox'")
    };
    let before = jobs().await;
    let pem = private_pem(a, alice).await;
    let key = SigningKey::from_pem(&pem).expect("key");
    let cavage = |body: &str, key: &SigningKey, at: SystemTime| {
        signature::sign("POST", &url, Some(body.as_bytes()), &key_id, key, at)
            .expect("sign")
            .into_iter()
            .collect::<Vec<_>>()
    };
    // malformed Signature headers
    for bad in [
        "keyId",
        "keyId=\"x\",signature=\"%%%\"",
        "signature=\"AAAA\"",
    ] {
        let body = follow("malformed");
        let mut headers = cavage(&body, &key, SystemTime::now());
        headers.retain(|(n, _)| *n != "signature");
        headers.push(("signature", bad.to_owned()));
        assert_eq!(post_raw(b, &headers, &body).await, 401, "{bad}");
    }
    // signed by another key (Mastodon's spec key) under alice's keyId: refetched, still bad
    let stranger = SigningKey::from_pem(include_str!(
        "../../../../activitypub/tests/fixtures/test_key.pem"
    ))
    .expect("test key");
    let body = follow("stranger");
    assert_eq!(
        post_raw(b, &cavage(&body, &stranger, SystemTime::now()), &body).await,
        401
    );
    // replayed two hours after it was signed (upstream's window is 5 minutes + 1 hour)
    let body = follow("stale");
    let stale = cavage(
        &body,
        &key,
        SystemTime::now() - Duration::from_secs(2 * 3600),
    );
    assert_eq!(post_raw(b, &stale, &body).await, 401);
    assert_eq!(jobs().await, before, "nothing queued");

    // b stopped delivering to a (its domain unavailable); an activity from a lifts that
    let domain = a.domain.clone();
    b.app
        .sql(&format!(
            "INSERT INTO unavailable_domains (domain, created_at) VALUES ('{domain}', 1)"
        ))
        .await;
    // RFC 9421: Signature-Input + Signature + Content-Digest
    let rfc9421 = |body: &str| {
        message_signature::sign(
            "POST",
            &url,
            Some(body.as_bytes()),
            &key_id,
            &key,
            SystemTime::now(),
        )
        .expect("sign")
    };
    let body = follow("rfc9421");
    assert_eq!(post_raw(b, &rfc9421(&body), &body).await, 202);
    assert_eq!(jobs().await, before + 1);
    assert_eq!(
        b.app
            .scalar(&format!(
                "SELECT COUNT(*) FROM unavailable_domains WHERE domain = '{domain}'"
            ))
            .await,
        0,
        "available again"
    );
    // tampered after signing
    let body = follow("rfc9421-tampered");
    assert_eq!(post_raw(b, &rfc9421(&body), &format!("{body} ")).await, 401);
    assert_eq!(jobs().await, before + 1);
}
