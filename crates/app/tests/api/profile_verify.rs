//! Profile link verification (rel="me") after `update_credentials`, against a tiny HTTP
//! server on 127.0.0.1 started by each test (reachable only with `allow_private_fetches`).
#![allow(clippy::unwrap_used, clippy::panic)]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use serde_json::{Value, json};
use woolly_testkit::{TestApp, db_test};

use crate::profile::me;

const PATH: &str = "/api/v1/accounts/update_credentials";
const PROFILE_URL: &str = "https://woolly.test/@alice";
const ACTOR_URI: &str = "https://woolly.test/users/alice";

/// Requests the page server has seen, by path; `done:<path>` once a slow page was sent.
#[derive(Clone, Default)]
struct Hits(Arc<Mutex<HashMap<String, usize>>>);

impl Hits {
    fn add(&self, key: &str) {
        *self.0.lock().unwrap().entry(key.to_owned()).or_default() += 1;
    }

    fn get(&self, key: &str) -> usize {
        self.0.lock().unwrap().get(key).copied().unwrap_or(0)
    }
}

fn page(links: &str) -> Html<String> {
    Html(format!(
        "<!doctype html><html><head><title>me</title>{links}</head><body><p>hi</p></body></html>"
    ))
}

async fn serve_page(State(hits): State<Hits>, uri: Uri) -> Response {
    let path = uri.path().to_owned();
    hits.add(&path);
    match path.as_str() {
        "/me" => page(&format!(
            r#"<a rel="me nofollow" href="{PROFILE_URL}">Woolly</a>"#
        ))
        .into_response(),
        "/uri" => page(&format!(r#"<link rel="me" href="{ACTOR_URI}">"#)).into_response(),
        "/none" => page(&format!(r#"<a href="{PROFILE_URL}">no rel</a>"#)).into_response(),
        "/slow" => {
            tokio::time::sleep(Duration::from_millis(800)).await;
            hits.add("done:/slow");
            page(&format!(r#"<a rel="me" href="{PROFILE_URL}">x</a>"#)).into_response()
        }
        "/redirect" => (StatusCode::FOUND, [(header::LOCATION, "/uri")]).into_response(),
        "/loop" => (StatusCode::FOUND, [(header::LOCATION, "/loop")]).into_response(),
        "/text" => (
            [(header::CONTENT_TYPE, "text/plain")],
            format!(r#"<a rel="me" href="{PROFILE_URL}">x</a>"#),
        )
            .into_response(),
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

/// Starts the page server; returns its base URL and its hit counter.
async fn page_server() -> (String, Hits) {
    let hits = Hits::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    let app = Router::new().fallback(serve_page).with_state(hits.clone());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (format!("http://{addr}"), hits)
}

async fn save_fields(app: &TestApp, token: &str, fields: &[(&str, &str)]) -> Value {
    let fields: Vec<Value> = fields
        .iter()
        .map(|(name, value)| json!({"name": name, "value": value}))
        .collect();
    let body = json!({ "fields_attributes": fields });
    let res = app
        .json_request(axum::http::Method::PATCH, PATH, Some(token), &body)
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    res.json()
}

fn verified(account: &Value, i: usize) -> bool {
    let public = !account["fields"][i]["verified_at"].is_null();
    let source = !account["source"]["fields"][i]["verified_at"].is_null();
    assert_eq!(public, source, "fields and source.fields agree: {account}");
    public
}

/// Polls verify_credentials (up to 5 s) until field `i` is verified.
async fn wait_verified(app: &TestApp, token: &str, i: usize) -> Value {
    for _ in 0..50 {
        let account = me(app, token).await;
        if verified(&account, i) {
            return account;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("field {i} was not verified: {}", me(app, token).await)
}

/// Waits (up to 5 s) until the page server has answered `key` at least `n` times.
async fn wait_hits(hits: &Hits, key: &str, n: usize) {
    for _ in 0..50 {
        if hits.get(key) >= n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{key} was requested {} times, wanted {n}", hits.get(key))
}

db_test!(async fn rel_me_link_back_verifies_the_field(app) with |c| { c.allow_private_fetches = true; c.verify_profile_links = true; } {
    let alice = app.user("alice").await;
    let (base, hits) = page_server().await;
    let (me_url, none_url) = (format!("{base}/me"), format!("{base}/none"));
    let saved = save_fields(&app, &alice.token, &[
        ("Web", &me_url), ("Pronouns", "she/her"), ("Other", &none_url),
    ]).await;
    assert!(!verified(&saved, 0), "the check runs after the response");
    let account = wait_verified(&app, &alice.token, 0).await;
    let at = account["fields"][0]["verified_at"].as_str().unwrap().to_owned();
    assert!(at.ends_with('Z'), "{at}");
    // the page without the link was fetched in the same check, and stays unverified
    assert_eq!(hits.get("/none"), 1);
    assert!(!verified(&account, 1));
    assert!(!verified(&account, 2));
    assert_eq!(account["fields"][0]["name"], "Web");
    assert_eq!(account["source"]["fields"][0]["value"], me_url);

    // saving the same value again (renamed, moved) keeps verified_at and fetches nothing new
    let saved = save_fields(&app, &alice.token, &[("Other", &none_url), ("Site", &me_url)]).await;
    assert_eq!(saved["fields"][1]["verified_at"], at.as_str());
    wait_hits(&hits, "/none", 2).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(hits.get("/me"), 1, "a verified value is not checked again");
    let account = me(&app, &alice.token).await;
    assert_eq!(account["fields"][1]["verified_at"], at.as_str());
    assert!(!verified(&account, 0));
});

db_test!(async fn actor_uri_redirects_and_their_limit(app) with |c| { c.allow_private_fetches = true; c.verify_profile_links = true; } {
    let alice = app.user("alice").await;
    let (base, hits) = page_server().await;
    save_fields(&app, &alice.token, &[
        ("Loop", &format!("{base}/loop")),
        ("Text", &format!("{base}/text")),
        ("Missing", &format!("{base}/missing")),
        ("Redirected", &format!("{base}/redirect")),
    ]).await;
    // a redirect to a page that links the ActivityPub uri with <link rel="me">
    let account = wait_verified(&app, &alice.token, 3).await;
    assert_eq!(hits.get("/redirect"), 1);
    assert_eq!(hits.get("/uri"), 1);
    // the first request and three redirects, then the loop is given up
    assert_eq!(hits.get("/loop"), 4);
    // not HTML, and 404: not verified
    assert_eq!(hits.get("/text"), 1);
    assert_eq!(hits.get("/missing"), 1);
    for i in 0..3 {
        assert!(!verified(&account, i), "field {i}: {account}");
    }
});

db_test!(async fn a_value_changed_during_the_check_is_not_marked(app) with |c| { c.allow_private_fetches = true; c.verify_profile_links = true; } {
    let alice = app.user("alice").await;
    let (base, hits) = page_server().await;
    save_fields(&app, &alice.token, &[("Web", &format!("{base}/slow"))]).await;
    wait_hits(&hits, "/slow", 1).await;
    // the user saves another value while the slow page is still being fetched
    let none_url = format!("{base}/none");
    save_fields(&app, &alice.token, &[("Web", &none_url)]).await;
    wait_hits(&hits, "done:/slow", 1).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let account = me(&app, &alice.token).await;
    assert_eq!(account["source"]["fields"][0]["value"], none_url);
    assert!(!verified(&account, 0), "{account}");
});

/// A raw listener that counts connections: nothing at all may reach it.
async fn counting_listener() -> (u16, Arc<Mutex<usize>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let count = Arc::new(Mutex::new(0));
    let seen = count.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            *seen.lock().unwrap() += 1;
            drop(socket);
        }
    });
    (port, count)
}

db_test!(async fn private_addresses_are_never_fetched_by_default(app) with |c| { c.verify_profile_links = true; } {
    assert!(!app.state.config().allow_private_fetches);
    let alice = app.user("alice").await;
    let (port, connections) = counting_listener().await;
    let saved = save_fields(&app, &alice.token, &[
        ("Loopback", &format!("https://127.0.0.1:{port}/me")),
        ("Name", &format!("https://localhost:{port}/me")),
        ("Mapped", &format!("https://[::ffff:127.0.0.1]:{port}/me")),
        ("Plain", &format!("http://127.0.0.1:{port}/me")),
    ]).await;
    assert_eq!(saved["fields"].as_array().map(Vec::len), Some(4));
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(*connections.lock().unwrap(), 0, "no connection to a loopback address");
    let account = me(&app, &alice.token).await;
    for i in 0..4 {
        assert!(!verified(&account, i), "field {i}: {account}");
    }
});
