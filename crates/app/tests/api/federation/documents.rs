//! Served federation documents: WebFinger, host-meta, NodeInfo, actors, collections.
#![allow(clippy::expect_used)]

use axum::body::Body;
use axum::http::Request;
use woolly_testkit::{TestApp, TestResponse, db_test};

async fn get_with(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> TestResponse {
    let mut b = Request::builder().uri(path);
    for (n, v) in headers {
        b = b.header(*n, *v);
    }
    app.send(b.body(Body::empty()).expect("request")).await
}

const AP: &str = "application/activity+json";

#[db_test]
async fn webfinger_answers_for_local_accounts(app: TestApp) {
    let alice = app.user("alice").await;
    let r = get_with(
        &app,
        "/.well-known/webfinger?resource=acct:alice@woolly.test",
        &[("origin", "https://elk.example")],
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        r.header("content-type").as_deref(),
        Some("application/jrd+json; charset=utf-8")
    );
    assert_eq!(
        r.header("access-control-allow-origin").as_deref(),
        Some("*")
    );
    let j = r.json();
    assert_eq!(j["subject"], "acct:alice@woolly.test");
    assert_eq!(
        j["aliases"],
        serde_json::json!([
            "https://woolly.test/@alice",
            "https://woolly.test/users/alice"
        ])
    );
    let links = j["links"].as_array().expect("links");
    assert!(links.iter().any(|l| l["rel"] == "self"
        && l["type"] == AP
        && l["href"] == "https://woolly.test/users/alice"));
    assert!(
        links
            .iter()
            .any(|l| l["rel"] == "http://webfinger.net/rel/profile-page"
                && l["href"] == "https://woolly.test/@alice")
    );
    assert!(
        links
            .iter()
            .any(|l| l["rel"] == "http://ostatus.org/schema/1.0/subscribe"
                && l["template"].as_str().is_some_and(|t| t.contains("{uri}")))
    );
    // case-insensitive, without acct:, by actor URL and profile URL
    for resource in [
        "acct:ALICE@WOOLLY.TEST",
        "alice@woolly.test",
        "https://woolly.test/users/alice",
        "https://woolly.test/@alice",
    ] {
        let r = app
            .get(
                &format!("/.well-known/webfinger?resource={}", urlencode(resource)),
                None,
            )
            .await;
        assert_eq!(r.status, 200, "{resource}");
        assert_eq!(r.json()["subject"], "acct:alice@woolly.test");
    }
    // unknown, other domains, deleted: 404/410; missing resource: 400
    for resource in [
        "acct:nobody@woolly.test",
        "acct:alice@other.example",
        "https://other.example/users/alice",
    ] {
        let path = format!("/.well-known/webfinger?resource={resource}");
        assert_eq!(app.get(&path, None).await.status, 404, "{resource}");
    }
    let r = app.get("/.well-known/webfinger", None).await;
    assert_eq!(r.status, 400);
    assert_eq!(
        app.get("/.well-known/webfinger?resource=", None)
            .await
            .status,
        400
    );
    app.sql(&format!(
        "UPDATE accounts SET deleted_at = 1 WHERE id = {}",
        alice.account_id
    ))
    .await;
    assert_eq!(
        app.get(
            "/.well-known/webfinger?resource=acct:alice@woolly.test",
            None
        )
        .await
        .status,
        410
    );
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[db_test]
async fn host_meta_and_nodeinfo(app: TestApp) {
    app.user("alice").await;
    let r = app.get("/.well-known/host-meta", None).await;
    assert_eq!(r.status, 200);
    assert!(
        r.header("content-type")
            .is_some_and(|c| c.starts_with("application/xrd+xml"))
    );
    assert!(
        r.text()
            .contains("template=\"https://woolly.test/.well-known/webfinger?resource={uri}\"")
    );
    let r = app.get("/.well-known/nodeinfo", None).await;
    assert_eq!(
        r.json()["links"][0]["href"],
        "https://woolly.test/nodeinfo/2.0"
    );
    assert_eq!(
        r.json()["links"][0]["rel"],
        "http://nodeinfo.diaspora.software/ns/schema/2.0"
    );
    let r = app.get("/nodeinfo/2.0", None).await;
    assert_eq!(r.status, 200);
    let j = r.json();
    assert_eq!(j["version"], "2.0");
    assert_eq!(j["software"]["name"], "woolly");
    assert_eq!(j["protocols"], serde_json::json!(["activitypub"]));
    assert_eq!(j["openRegistrations"], true);
    assert!(
        j["usage"]["users"]["total"]
            .as_i64()
            .is_some_and(|n| n >= 1),
        "{j}"
    );
}

#[db_test]
async fn actor_documents(app: TestApp) {
    let alice = app.user("alice").await;
    let r = app
        .form(
            axum::http::Method::PATCH,
            "/api/v1/accounts/update_credentials",
            Some(&alice.token),
            &[
                ("display_name", "Alice A."),
                ("note", "hello *world*"),
                ("locked", "true"),
                ("fields_attributes[0][name]", "site"),
                ("fields_attributes[0][value]", "https://example.com"),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    for accept in [
        AP,
        "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"",
    ] {
        let r = get_with(&app, "/users/alice", &[("accept", accept)]).await;
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(
            r.header("content-type").as_deref(),
            Some("application/activity+json; charset=utf-8")
        );
    }
    let r = get_with(&app, "/users/alice", &[("accept", AP)]).await;
    let j = r.json();
    assert_eq!(j["id"], "https://woolly.test/users/alice");
    assert_eq!(j["type"], "Person");
    assert_eq!(j["preferredUsername"], "alice");
    assert_eq!(j["name"], "Alice A.");
    assert!(
        j["summary"].as_str().is_some_and(|s| s.contains("hello")),
        "{j}"
    );
    assert_eq!(j["url"], "https://woolly.test/@alice");
    assert_eq!(j["manuallyApprovesFollowers"], true);
    assert_eq!(j["inbox"], "https://woolly.test/users/alice/inbox");
    assert_eq!(j["outbox"], "https://woolly.test/users/alice/outbox");
    assert_eq!(j["followers"], "https://woolly.test/users/alice/followers");
    assert_eq!(j["following"], "https://woolly.test/users/alice/following");
    assert_eq!(
        j["featured"],
        "https://woolly.test/users/alice/collections/featured"
    );
    assert_eq!(
        j["featuredTags"],
        "https://woolly.test/users/alice/collections/tags"
    );
    assert_eq!(j["endpoints"]["sharedInbox"], "https://woolly.test/inbox");
    assert_eq!(
        j["publicKey"]["id"],
        "https://woolly.test/users/alice#main-key"
    );
    assert_eq!(j["publicKey"]["owner"], "https://woolly.test/users/alice");
    assert!(
        j["publicKey"]["publicKeyPem"]
            .as_str()
            .is_some_and(|p| p.starts_with("-----BEGIN PUBLIC KEY-----"))
    );
    assert_eq!(
        j["attachment"][0],
        serde_json::json!({"type": "PropertyValue", "name": "site", "value": j["attachment"][0]["value"].clone()})
    );
    assert!(
        j["@context"]
            .as_array()
            .is_some_and(|c| c[0] == "https://www.w3.org/ns/activitystreams")
    );
    assert!(j.get("suspended").is_none());
    assert!(j.get("icon").is_none(), "no avatar, no icon");
    // the key is made once and kept
    let again = get_with(&app, "/users/alice", &[("accept", AP)])
        .await
        .json();
    assert_eq!(
        again["publicKey"]["publicKeyPem"],
        j["publicKey"]["publicKeyPem"]
    );
    // no private key in any answer
    assert!(!r.text().contains("PRIVATE"));
    let me = app
        .get("/api/v1/accounts/verify_credentials", Some(&alice.token))
        .await;
    assert!(!me.text().contains("PRIVATE"));
    // browsers are sent to the profile page; unknown accounts are 404
    let r = get_with(&app, "/users/alice", &[("accept", "text/html")]).await;
    assert_eq!(r.status, 303);
    assert_eq!(
        r.header("location").as_deref(),
        Some("https://woolly.test/@alice")
    );
    assert_eq!(
        get_with(&app, "/users/nobody", &[("accept", AP)])
            .await
            .status,
        404
    );
    // a bot is a Service
    app.sql(&format!(
        "UPDATE accounts SET actor_type = 'Service' WHERE id = {}",
        alice.account_id
    ))
    .await;
    assert_eq!(
        get_with(&app, "/users/alice", &[("accept", AP)])
            .await
            .json()["type"],
        "Service"
    );
    // suspended: no profile, `suspended: true`, the key stays
    app.sql(&format!(
        "UPDATE accounts SET suspended_at = 1 WHERE id = {}",
        alice.account_id
    ))
    .await;
    let s = get_with(&app, "/users/alice", &[("accept", AP)])
        .await
        .json();
    assert_eq!(s["suspended"], true);
    assert_eq!(s["name"], "alice");
    assert_eq!(s["summary"], "");
    assert_eq!(s["attachment"], serde_json::json!([]));
    assert_eq!(s["manuallyApprovesFollowers"], false);
    assert_eq!(
        s["publicKey"]["publicKeyPem"],
        j["publicKey"]["publicKeyPem"]
    );
    // deleted: gone
    app.sql(&format!(
        "UPDATE accounts SET deleted_at = 1 WHERE id = {}",
        alice.account_id
    ))
    .await;
    assert_eq!(
        get_with(&app, "/users/alice", &[("accept", AP)])
            .await
            .status,
        410
    );
}

#[db_test]
async fn instance_actor_and_collections(app: TestApp) {
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    let r = app
        .post(
            &format!("/api/v1/accounts/{}/follow", alice.account_id),
            Some(&bob.token),
            &[],
        )
        .await;
    assert_eq!(r.status, 200);
    let a = get_with(&app, "/actor", &[("accept", AP)]).await;
    assert_eq!(a.status, 200);
    let a = a.json();
    assert_eq!(a["id"], "https://woolly.test/actor");
    assert_eq!(a["type"], "Application");
    assert_eq!(a["publicKey"]["id"], "https://woolly.test/actor#main-key");
    let f = get_with(&app, "/users/alice/followers", &[("accept", AP)])
        .await
        .json();
    assert_eq!(f["type"], "OrderedCollection");
    assert_eq!(f["id"], "https://woolly.test/users/alice/followers");
    assert_eq!(f["totalItems"], 1);
    assert_eq!(
        get_with(&app, "/users/bob/following", &[]).await.json()["totalItems"],
        1
    );
    assert_eq!(
        get_with(&app, "/users/alice/outbox", &[]).await.json()["totalItems"],
        0
    );
    let featured = get_with(&app, "/users/alice/collections/featured", &[])
        .await
        .json();
    assert_eq!(featured["orderedItems"], serde_json::json!([]));
    // the outbox pages list public statuses as Create of a Note; featured, the pinned ones
    let public = app
        .post(
            "/api/v1/statuses",
            Some(&alice.token),
            &[("status", "hello fediverse")],
        )
        .await
        .json();
    let private = app
        .post(
            "/api/v1/statuses",
            Some(&alice.token),
            &[("status", "just us"), ("visibility", "private")],
        )
        .await
        .json();
    assert!(private["id"].is_string());
    let id = public["id"].as_str().expect("id");
    assert_eq!(
        app.post(
            &format!("/api/v1/statuses/{id}/pin"),
            Some(&alice.token),
            &[]
        )
        .await
        .status,
        200
    );
    let outbox = get_with(&app, "/users/alice/outbox", &[("accept", AP)])
        .await
        .json();
    assert_eq!(outbox["totalItems"], 2);
    let outbox = get_with(&app, "/users/alice/outbox?page=true", &[("accept", AP)])
        .await
        .json();
    let items = outbox["orderedItems"].as_array().expect("items");
    assert_eq!(items.len(), 1, "only the public status: {outbox}");
    assert_eq!(items[0]["type"], "Create");
    assert_eq!(items[0]["object"]["type"], "Note");
    assert_eq!(items[0]["object"]["id"], public["uri"]);
    assert_eq!(items[0]["object"]["url"], public["url"]);
    assert_eq!(
        items[0]["object"]["attributedTo"],
        "https://woolly.test/users/alice"
    );
    assert_eq!(
        items[0]["object"]["to"][0],
        "https://www.w3.org/ns/activitystreams#Public"
    );
    assert!(
        items[0]["object"]["content"]
            .as_str()
            .is_some_and(|c| c.contains("hello fediverse"))
    );
    let featured = get_with(&app, "/users/alice/collections/featured", &[])
        .await
        .json();
    assert_eq!(featured["totalItems"], 1);
    assert_eq!(featured["orderedItems"][0]["id"], public["uri"]);
    assert_eq!(
        get_with(&app, "/users/nobody/followers", &[]).await.status,
        404
    );
}
