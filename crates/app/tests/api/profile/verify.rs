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

#[db_test(config = |c| { c.allow_private_fetches = true; c.verify_profile_links = true; })]
async fn rel_me_link_back_verifies_the_field(app: TestApp) {
    let alice = app.user("alice").await;
    let (base, hits) = page_server().await;
    let (me_url, none_url) = (format!("{base}/me"), format!("{base}/none"));
    let saved = save_fields(
        &app,
        &alice.token,
        &[
            ("Web", &me_url),
            ("Pronouns", "she/her"),
            ("Other", &none_url),
        ],
    )
    .await;
    assert!(!verified(&saved, 0), "the check runs after the response");
    let account = wait_verified(&app, &alice.token, 0).await;
    let at = account["fields"][0]["verified_at"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(at.ends_with('Z'), "{at}");
    // the page without the link was fetched in the same check, and stays unverified
    assert_eq!(hits.get("/none"), 1);
    assert!(!verified(&account, 1));
    assert!(!verified(&account, 2));
    assert_eq!(account["fields"][0]["name"], "Web");
    assert_eq!(account["source"]["fields"][0]["value"], me_url);

    // saving the same value again (renamed, moved) keeps verified_at and fetches nothing new
    let saved = save_fields(
        &app,
        &alice.token,
        &[("Other", &none_url), ("Site", &me_url)],
    )
    .await;
    assert_eq!(saved["fields"][1]["verified_at"], at.as_str());
    wait_hits(&hits, "/none", 2).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(hits.get("/me"), 1, "a verified value is not checked again");
    let account = me(&app, &alice.token).await;
    assert_eq!(account["fields"][1]["verified_at"], at.as_str());
    assert!(!verified(&account, 0));
}

#[db_test(config = |c| { c.allow_private_fetches = true; c.verify_profile_links = true; })]
async fn actor_uri_redirects_and_their_limit(app: TestApp) {
    let alice = app.user("alice").await;
    let (base, hits) = page_server().await;
    save_fields(
        &app,
        &alice.token,
        &[
            ("Loop", &format!("{base}/loop")),
            ("Text", &format!("{base}/text")),
            ("Missing", &format!("{base}/missing")),
            ("Redirected", &format!("{base}/redirect")),
        ],
    )
    .await;
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
}

#[db_test(config = |c| { c.allow_private_fetches = true; c.verify_profile_links = true; })]
async fn a_value_changed_during_the_check_is_not_marked(app: TestApp) {
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
}

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

#[db_test(config = |c| { c.verify_profile_links = true; })]
async fn private_addresses_are_never_fetched_by_default(app: TestApp) {
    assert!(!app.state.config().allow_private_fetches);
    let alice = app.user("alice").await;
    let (port, connections) = counting_listener().await;
    let saved = save_fields(
        &app,
        &alice.token,
        &[
            ("Loopback", &format!("https://127.0.0.1:{port}/me")),
            ("Name", &format!("https://localhost:{port}/me")),
            ("Mapped", &format!("https://[::ffff:127.0.0.1]:{port}/me")),
            ("Plain", &format!("http://127.0.0.1:{port}/me")),
        ],
    )
    .await;
    assert_eq!(saved["fields"].as_array().map(Vec::len), Some(4));
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        *connections.lock().unwrap(),
        0,
        "no connection to a loopback address"
    );
    let account = me(&app, &alice.token).await;
    for i in 0..4 {
        assert!(!verified(&account, i), "field {i}: {account}");
    }
}

/// What a [`slow_host`] has seen.
#[derive(Default, Clone)]
struct SlowSeen {
    /// Requests being held now, and the most at once.
    open: usize,
    max_open: usize,
    /// Every request's path, in arrival order.
    paths: Vec<String>,
}

#[derive(Clone, Default)]
struct SlowHost(Arc<Mutex<SlowSeen>>);

impl SlowHost {
    fn seen(&self) -> SlowSeen {
        self.0.lock().unwrap().clone()
    }

    fn opened(&self) {
        let mut seen = self.0.lock().unwrap();
        seen.open += 1;
        seen.max_open = seen.max_open.max(seen.open);
    }

    fn closed(&self) {
        self.0.lock().unwrap().open -= 1;
    }

    /// Reads the request head, holds it for `delay` (or until the client goes away), then
    /// answers a page that links back with rel="me". A connection counts as open from accept
    /// until the answer starts (counting it closed before writing keeps the count exact: the
    /// client may free its slot as soon as it has read the answer).
    async fn serve(&self, mut socket: tokio::net::TcpStream, delay: Duration) {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        self.opened();
        let (mut head, mut buf) = (Vec::new(), [0u8; 1024]);
        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
            match socket.read(&mut buf).await {
                Ok(0) | Err(_) => return self.closed(),
                Ok(n) => head.extend_from_slice(&buf[..n]),
            }
        }
        let head = String::from_utf8_lossy(&head).into_owned();
        let path = head
            .split_whitespace()
            .nth(1)
            .unwrap_or_default()
            .to_owned();
        self.0.lock().unwrap().paths.push(path);
        let gone = tokio::select! {
            () = tokio::time::sleep(delay) => false,
            _ = socket.read(&mut buf) => true,
        };
        self.closed();
        if gone {
            return;
        }
        let body = format!(r#"<html><body><a rel="me" href="{PROFILE_URL}">me</a></body></html>"#);
        let answer = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: \
             {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        let _ = socket.write_all(answer.as_bytes()).await;
        let _ = socket.shutdown().await;
    }
}

/// A page server on a raw socket that answers every request after `delay`.
async fn slow_host(delay: Duration) -> (String, SlowHost) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    let host = SlowHost::default();
    let server = host.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let server = server.clone();
            tokio::spawn(async move { server.serve(socket, delay).await });
        }
    });
    (format!("http://{addr}"), host)
}

#[db_test(config = |c| {
    c.allow_private_fetches = true; c.verify_profile_links = true; c.fetch_per_host = 2;
})]
async fn repeated_saves_against_a_slow_host_stay_within_the_caps(app: TestApp) {
    const SAVES: usize = 15;
    const FIELDS: usize = 4;
    let alice = app.user("alice").await;
    let (base, host) = slow_host(Duration::from_millis(600)).await;
    let mut newest = Vec::new();
    for save in 0..SAVES {
        newest = (0..FIELDS)
            .map(|f| format!("{base}/save{save}/field{f}"))
            .collect::<Vec<_>>();
        let fields: Vec<(&str, &str)> = newest.iter().map(|u| ("Web", u.as_str())).collect();
        save_fields(&app, &alice.token, &fields).await;
    }
    // the newest save's links are all checked and verified
    let mut account = Value::Null;
    for i in 0..FIELDS {
        account = wait_verified(&app, &alice.token, i).await;
    }
    for (i, url) in newest.iter().enumerate() {
        assert_eq!(account["source"]["fields"][i]["value"], url.as_str());
    }
    let seen = host.seen();
    assert!(
        seen.max_open <= 2,
        "{} requests at once to one host (cap 2)",
        seen.max_open
    );
    assert_eq!(seen.open, 0);
    // each of its pages once; of the superseded saves, only requests already sent when the
    // next save came (1,200 ms apart at most two per 600 ms), none queued behind them
    let newest_prefix = format!("/save{}/", SAVES - 1);
    let (last, older): (Vec<&String>, Vec<&String>) = seen
        .paths
        .iter()
        .partition(|p| p.starts_with(&newest_prefix));
    assert_eq!(last.len(), FIELDS, "{:?}", seen.paths);
    assert!(
        older.len() < SAVES,
        "superseded checks kept fetching: {:?}",
        seen.paths
    );
    assert_eq!(app.state.verify_jobs().running(), 0);
    assert_eq!(app.state.fetch_slots().in_flight(), 0);
    assert_eq!(app.state.fetch_slots().hosts_tracked(), 0);
}
