//! Statuses across servers: a local post is delivered as Create(Note) to the followers'
//! server and its deletion as Delete(Tombstone); signed inbound Create/Announce/Delete are
//! stored and shown on the remote account's statuses list, idempotently, with spoofed
//! origins and other actors' deletes changing nothing; the Note document and the
//! collections as upstream renders them.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use axum::body::Body;
use axum::http::Request;
use serde_json::{Value, json};
use woolly_testkit::{Backend, Fixture, TestApp, TestResponse, db_test};

use super::flow::{Node, act, federating, post_signed, resolve, serve, settle};

const AS_PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

async fn statuses_of(on: &Node, viewer: Option<&Fixture>, id: &str) -> Vec<Value> {
    let r = on
        .app
        .get(
            &format!("/api/v1/accounts/{id}/statuses"),
            viewer.map(|v| v.token.as_str()),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    r.json().as_array().cloned().unwrap_or_default()
}

async fn post_status(on: &Node, who: &Fixture, text: &str, visibility: &str) -> Value {
    let r = on
        .app
        .post(
            "/api/v1/statuses",
            Some(&who.token),
            &[("status", text), ("visibility", visibility)],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()
}

async fn deliveries(on: &Node) -> i64 {
    on.app
        .scalar("SELECT COUNT(*) FROM federation_jobs WHERE kind = 'deliver'")
        .await
}

#[db_test(config = federating)]
async fn statuses_federate_both_ways(app: TestApp) {
    let b = match app.backend {
        Backend::Sqlite => TestApp::sqlite_with(federating).await,
        Backend::Postgres => TestApp::postgres_with(federating).await,
    };
    let (a, b) = (serve(app), serve(b));
    let alice = a.app.user("alice").await;
    let bob = b.app.user("bob").await;
    // alice follows bob, and bob follows alice
    let bob_on_a = resolve(&a, &alice, &format!("bob@{}", b.domain)).await;
    act(&a, &alice, &bob_on_a, "follow").await;
    let alice_on_b = resolve(&b, &bob, &format!("alice@{}", a.domain)).await;
    act(&b, &bob, &alice_on_b, "follow").await;
    settle(&a, &b).await;

    // bob posts: one Create queued for alice's server, shown there once delivered
    let before = deliveries(&b).await;
    let public = post_status(&b, &bob, "Hello <b>fediverse</b> #woolly", "public").await;
    assert_eq!(deliveries(&b).await, before + 1);
    let unlisted = post_status(&b, &bob, "quietly", "unlisted").await;
    let private = post_status(&b, &bob, "followers only", "private").await;
    settle(&a, &b).await;
    let seen = statuses_of(&a, None, &bob_on_a).await;
    assert_eq!(
        seen.len(),
        2,
        "anonymous sees public and unlisted: {seen:?}"
    );
    let shown = &seen[1];
    assert_eq!(shown["uri"], public["uri"]);
    assert_eq!(shown["url"], public["url"]);
    // as upstream, remote content goes through the remote sanitiser (links get its rel)
    let sent = public["content"].as_str().expect("content");
    assert_eq!(shown["content"], woolly_text::sanitize_remote_html(sent));
    assert_eq!(shown["visibility"], "public");
    assert_eq!(shown["account"]["id"], bob_on_a.as_str());
    assert_eq!(shown["account"]["acct"], format!("bob@{}", b.domain));
    assert_eq!(seen[0]["uri"], unlisted["uri"]);
    assert_eq!(seen[0]["visibility"], "unlisted");
    let as_follower = statuses_of(&a, Some(&alice), &bob_on_a).await;
    assert_eq!(as_follower.len(), 3);
    assert_eq!(as_follower[0]["uri"], private["uri"]);
    assert_eq!(as_follower[0]["visibility"], "private");

    // bob deletes: a Delete queued, and the status is gone on alice's server
    let before = deliveries(&b).await;
    let id = public["id"].as_str().expect("id");
    let r = b
        .app
        .delete(&format!("/api/v1/statuses/{id}"), Some(&bob.token))
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(deliveries(&b).await, before + 1);
    settle(&a, &b).await;
    let seen = statuses_of(&a, None, &bob_on_a).await;
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0]["uri"], unlisted["uri"]);

    inbound(&a, &b, &alice, &alice_on_b, &bob).await;
}

/// Signed activities from alice (on `a`) to `b`'s shared inbox, applied by `b`'s worker.
async fn inbound(a: &Node, b: &Node, alice: &Fixture, alice_on_b: &str, bob: &Fixture) {
    let alice_uri = format!("http://{}/users/alice", a.domain);
    let followers = format!("{alice_uri}/followers");
    let note = |id: &str, author: &str, content: &str| {
        json!({
            "id": id, "type": "Note", "attributedTo": author, "content": content,
            "url": format!("http://{}/@alice/1", a.domain),
            "published": "2024-05-01T10:00:00Z", "to": [AS_PUBLIC], "cc": [followers],
            "sensitive": false, "contentMap": {"en": content},
            "attachment": [{"type": "Document", "mediaType": "image/png",
                            "url": format!("http://{}/files/a.png", a.domain), "name": "a cat"}]
        })
    };
    let activity = |id: &str, kind: &str, object: Value| {
        json!({"@context": "https://www.w3.org/ns/activitystreams", "id": id, "type": kind,
               "actor": alice_uri, "to": [AS_PUBLIC], "cc": [followers], "object": object})
        .to_string()
    };
    let send = |body: String| async move {
        let status = post_signed(a, b, alice, body.as_bytes(), false).await;
        assert_eq!(status, 202);
        woolly::services::federation::worker::drain(&b.app.state)
            .await
            .expect("drain");
    };
    let note_uri = format!("{alice_uri}/statuses/4242");
    let create = activity(
        &format!("{note_uri}/activity"),
        "Create",
        note(&note_uri, &alice_uri, "<p>hi <script>x()</script>there</p>"),
    );
    send(create.clone()).await;
    let seen = statuses_of(b, None, alice_on_b).await;
    assert_eq!(seen.len(), 1, "{seen:?}");
    let s = &seen[0];
    assert_eq!(s["uri"], note_uri.as_str());
    assert_eq!(s["url"], format!("http://{}/@alice/1", a.domain));
    assert_eq!(s["content"], "<p>hi there</p>");
    assert_eq!(s["created_at"], "2024-05-01T10:00:00.000Z");
    assert_eq!(s["language"], "en");
    assert_eq!(s["visibility"], "public");
    assert_eq!(s["account"]["id"], alice_on_b);
    assert_eq!(
        s["media_attachments"][0]["remote_url"],
        format!("http://{}/files/a.png", a.domain)
    );
    assert_eq!(s["media_attachments"][0]["type"], "image");
    assert_eq!(s["media_attachments"][0]["description"], "a cat");
    let alice_id = [alice_on_b.parse::<i64>().expect("id")];
    let count = || {
        b.app.scalar_with(
            "SELECT COUNT(*) FROM statuses WHERE account_id = $1",
            &alice_id,
        )
    };
    assert_eq!(count().await, 1);

    // the same activity again, and the same object in another activity: nothing new
    send(create).await;
    send(activity(
        &format!("{alice_uri}#create-again"),
        "Create",
        note(&note_uri, &alice_uri, "<p>again</p>"),
    ))
    .await;
    assert_eq!(count().await, 1);
    assert_eq!(
        statuses_of(b, None, alice_on_b).await[0]["content"],
        "<p>hi there</p>"
    );

    // a note from another origin, or attributed to someone else, is refused
    send(activity(
        &format!("{alice_uri}#spoof-1"),
        "Create",
        note("http://evil.example/notes/1", &alice_uri, "<p>spoof</p>"),
    ))
    .await;
    send(activity(
        &format!("{alice_uri}#spoof-2"),
        "Create",
        note(
            &format!("{alice_uri}/statuses/4343"),
            "http://evil.example/users/mallory",
            "<p>spoof</p>",
        ),
    ))
    .await;
    assert_eq!(count().await, 1);

    // Announce of bob's status (local on b): a reblog on alice's list
    let bobs = post_status(b, bob, "reblog me", "public").await;
    let announce_id = format!("{alice_uri}/statuses/4444/activity");
    let bobs_uri = bobs["uri"].as_str().expect("uri").to_owned();
    send(activity(
        &announce_id,
        "Announce",
        Value::String(bobs_uri.clone()),
    ))
    .await;
    send(activity(&announce_id, "Announce", Value::String(bobs_uri))).await;
    let seen = statuses_of(b, None, alice_on_b).await;
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert_eq!(seen[0]["reblog"]["id"], bobs["id"]);
    assert_eq!(seen[0]["uri"], announce_id.as_str());
    let bobs_now = b
        .app
        .get(
            &format!("/api/v1/statuses/{}", bobs["id"].as_str().expect("id")),
            None,
        )
        .await
        .json();
    assert_eq!(bobs_now["reblogs_count"], 1);

    // Delete by someone else than the author changes nothing …
    let bobs_uri = bobs["uri"].as_str().expect("uri");
    send(activity(
        &format!("{alice_uri}#delete-bobs"),
        "Delete",
        json!({"id": bobs_uri, "type": "Tombstone"}),
    ))
    .await;
    let r = b
        .app
        .get(
            &format!("/api/v1/statuses/{}", bobs["id"].as_str().expect("id")),
            None,
        )
        .await;
    assert_eq!(r.status, 200);
    // … by the author removes the note (a Tombstone or a bare id alike)
    send(activity(
        &format!("{note_uri}#delete"),
        "Delete",
        json!({"id": note_uri, "type": "Tombstone"}),
    ))
    .await;
    let seen = statuses_of(b, None, alice_on_b).await;
    assert_eq!(seen.len(), 1);
    assert!(seen[0]["reblog"].is_object());
    // Undo of the Announce removes the reblog
    send(activity(
        &format!("{alice_uri}#undo-announce"),
        "Undo",
        json!({"id": announce_id, "type": "Announce", "actor": alice_uri, "object": bobs_uri}),
    ))
    .await;
    assert!(statuses_of(b, None, alice_on_b).await.is_empty());
    assert_eq!(count().await, 0);
}

async fn get_ap(app: &TestApp, path: &str) -> TestResponse {
    app.send(
        Request::builder()
            .uri(path)
            .header("accept", "application/activity+json")
            .body(Body::empty())
            .expect("request"),
    )
    .await
}

/// The document with its volatile parts (ids) replaced, pretty-printed for a snapshot.
fn redacted(v: &Value, ids: &[(&str, &str)]) -> String {
    let mut text = serde_json::to_string_pretty(v).expect("json");
    for (id, name) in ids {
        text = text.replace(id, name);
    }
    text
}

fn snapshot(name: &str, text: &str) {
    insta::with_settings!({
        snapshot_path => "../../../snapshots",
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(name, text);
    });
}

#[db_test]
async fn notes_and_collections_are_served_as_upstream(app: TestApp) {
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    app.post(
        &format!("/api/v1/accounts/{}/follow", alice.account_id),
        Some(&bob.token),
        &[],
    )
    .await;
    let first = app
        .post(
            "/api/v1/statuses",
            Some(&alice.token),
            &[
                ("status", "Hello @bob #Woolly"),
                ("visibility", "public"),
                ("spoiler_text", "cw"),
                ("language", "en"),
            ],
        )
        .await
        .json();
    let reply = app
        .post(
            "/api/v1/statuses",
            Some(&alice.token),
            &[
                ("status", "and more"),
                ("visibility", "unlisted"),
                ("in_reply_to_id", first["id"].as_str().expect("id")),
            ],
        )
        .await
        .json();
    let private = app
        .post(
            "/api/v1/statuses",
            Some(&alice.token),
            &[("status", "secret"), ("visibility", "private")],
        )
        .await
        .json();
    let (first_id, reply_id) = (
        first["id"].as_str().expect("id"),
        reply["id"].as_str().expect("id"),
    );
    let private_id = private["id"].as_str().expect("id");
    let (first_at, reply_at) = (
        first["created_at"].as_str().expect("at"),
        reply["created_at"].as_str().expect("at"),
    );
    let ids = [
        (first_id, "FIRST"),
        (reply_id, "REPLY"),
        (first_at, "FIRST_AT"),
        (reply_at, "REPLY_AT"),
    ];

    // the Note at its uri (content negotiation, as the actor route)
    let r = get_ap(&app, &format!("/users/alice/statuses/{first_id}")).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        r.header("content-type").as_deref(),
        Some("application/activity+json; charset=utf-8")
    );
    snapshot("federation_note_document", &redacted(&r.json(), &ids));
    let r = get_ap(&app, &format!("/users/alice/statuses/{reply_id}")).await;
    assert_eq!(
        r.json()["inReplyTo"],
        format!("https://woolly.test/users/alice/statuses/{first_id}")
    );
    assert_eq!(
        r.json()["to"],
        json!(["https://woolly.test/users/alice/followers"])
    );
    assert_eq!(r.json()["cc"], json!([AS_PUBLIC]));
    let r = app
        .get(&format!("/users/alice/statuses/{first_id}"), None)
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(
        r.header("location"),
        Some(format!("https://woolly.test/@alice/{first_id}"))
    );
    assert_eq!(
        get_ap(&app, &format!("/users/alice/statuses/{private_id}"))
            .await
            .status,
        404
    );
    assert_eq!(
        get_ap(&app, &format!("/users/bob/statuses/{first_id}"))
            .await
            .status,
        404
    );

    // the outbox: its size and page links, then pages of Create activities
    let outbox = get_ap(&app, "/users/alice/outbox").await.json();
    snapshot("federation_outbox", &redacted(&outbox, &ids));
    let page = get_ap(&app, "/users/alice/outbox?page=true").await.json();
    snapshot("federation_outbox_page", &redacted(&page, &ids));
    let older = get_ap(
        &app,
        &format!("/users/alice/outbox?page=true&max_id={reply_id}"),
    )
    .await
    .json();
    assert_eq!(older["orderedItems"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        older["orderedItems"][0]["object"]["id"],
        format!("https://woolly.test/users/alice/statuses/{first_id}")
    );
    let newer = get_ap(
        &app,
        &format!("/users/alice/outbox?page=true&min_id={first_id}"),
    )
    .await
    .json();
    assert_eq!(newer["orderedItems"].as_array().map(Vec::len), Some(1));
    assert_eq!(newer["orderedItems"][0]["type"], "Create");

    // followers and following: the size and a first page of actor ids
    let followers = get_ap(&app, "/users/alice/followers").await.json();
    snapshot("federation_followers", &redacted(&followers, &[]));
    let page = get_ap(&app, "/users/alice/followers?page=1").await.json();
    snapshot("federation_followers_page", &redacted(&page, &[]));
    let following = get_ap(&app, "/users/bob/following?page=1").await.json();
    assert_eq!(
        following["orderedItems"],
        json!(["https://woolly.test/users/alice"])
    );
    // hidden collections: the size only, and no pages
    app.form(
        axum::http::Method::PATCH,
        "/api/v1/accounts/update_credentials",
        Some(&alice.token),
        &[("hide_collections", "true")],
    )
    .await;
    let hidden = get_ap(&app, "/users/alice/followers").await.json();
    assert_eq!(
        hidden,
        json!({"@context": "https://www.w3.org/ns/activitystreams",
               "id": "https://woolly.test/users/alice/followers",
               "type": "OrderedCollection", "totalItems": 1})
    );
    assert_eq!(
        get_ap(&app, "/users/alice/followers?page=1").await.status,
        403
    );

    // featured: the pinned statuses as Notes
    app.post(
        &format!("/api/v1/statuses/{first_id}/pin"),
        Some(&alice.token),
        &[],
    )
    .await;
    let featured = get_ap(&app, "/users/alice/collections/featured")
        .await
        .json();
    assert_eq!(featured["totalItems"], 1);
    assert_eq!(featured["orderedItems"][0]["type"], "Note");
    assert_eq!(
        featured["orderedItems"][0]["id"],
        format!("https://woolly.test/users/alice/statuses/{first_id}")
    );
}
