//! `GET /api/v2/search`: accounts, hashtags and statuses, the type/offset rules, URL
//! resolution of this server's URLs, and the errors.

use serde_json::{Value, json};
use woolly_testkit::{TestApp, db_test};

fn names(v: &Value, key: &str, field: &str) -> Vec<String> {
    v[key]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|x| x[field].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[db_test]
async fn search_finds_accounts_and_hashtags(app: TestApp) {
    let alice = app.user("alice").await;
    let _alina = app.user("alina").await;
    for text in ["#alpaca day", "#alpacas everywhere", "#al fine", "#Alp"] {
        let r = app
            .post("/api/v1/statuses", Some(&alice.token), &[("status", text)])
            .await;
        assert_eq!(r.status, 200, "{}", r.text());
    }
    let r = app.get("/api/v2/search?q=alic", Some(&alice.token)).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let body = r.json();
    assert_eq!(
        body.as_object()
            .map(|o| o.keys().cloned().collect::<Vec<_>>()),
        Some(vec![
            "accounts".to_owned(),
            "statuses".to_owned(),
            "hashtags".to_owned()
        ])
    );
    assert_eq!(names(&body, "accounts", "username"), ["alice"]);
    assert_eq!(body["statuses"], json!([]));
    // hashtags by prefix, shortest first; the exact match first
    let body = app
        .get("/api/v2/search?q=%23alp&type=hashtags", Some(&alice.token))
        .await
        .json();
    assert_eq!(
        names(&body, "hashtags", "name"),
        ["alp", "alpaca", "alpacas"]
    );
    let tag = &body["hashtags"][1];
    assert_eq!(tag["url"], "https://woolly.test/tags/alpaca");
    assert_eq!(tag["following"], false);
    assert_eq!(tag["history"].as_array().map(Vec::len), Some(7));
    assert_eq!(tag["history"][0]["uses"], "1");
    assert_eq!(tag["history"][0]["accounts"], "1");
    assert_eq!(tag["history"][1]["uses"], "0");
    let body = app
        .get("/api/v2/search?q=alpaca&type=hashtags", Some(&alice.token))
        .await
        .json();
    assert_eq!(names(&body, "hashtags", "name"), ["alpaca", "alpacas"]);
    // offset only with a type
    let body = app
        .get(
            "/api/v2/search?q=alpaca&type=hashtags&offset=1",
            Some(&alice.token),
        )
        .await
        .json();
    assert_eq!(names(&body, "hashtags", "name"), ["alpacas"]);
    let body = app
        .get("/api/v2/search?q=alpaca&offset=1", Some(&alice.token))
        .await
        .json();
    assert_eq!(names(&body, "hashtags", "name"), ["alpaca", "alpacas"]);
    // `#` queries search no accounts; `@` queries no hashtags
    let body = app
        .get("/api/v2/search?q=%23alice", Some(&alice.token))
        .await
        .json();
    assert_eq!(body["accounts"], json!([]));
    let body = app
        .get("/api/v2/search?q=alpaca%40woolly.test", Some(&alice.token))
        .await
        .json();
    assert_eq!(body["hashtags"], json!([]));
    // limit
    let body = app
        .get(
            "/api/v2/search?q=alpaca&type=hashtags&limit=1",
            Some(&alice.token),
        )
        .await
        .json();
    assert_eq!(names(&body, "hashtags", "name"), ["alpaca"]);
    // anonymous: allowed, no `following` on tags
    let body = app.get("/api/v2/search?q=alpaca", None).await.json();
    assert!(body["hashtags"][0].get("following").is_none(), "{body}");
    assert_eq!(
        names(
            &app.get("/api/v2/search?q=alina", None).await.json(),
            "accounts",
            "username"
        ),
        ["alina"]
    );
    // an unknown type finds nothing
    assert_eq!(
        app.get("/api/v2/search?q=alpaca&type=nope", Some(&alice.token))
            .await
            .json(),
        json!({"accounts": [], "statuses": [], "hashtags": []})
    );
}

#[db_test]
async fn search_resolves_local_urls(app: TestApp) {
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    let status = app
        .post(
            "/api/v1/statuses",
            Some(&alice.token),
            &[("status", "hello")],
        )
        .await
        .json();
    let id = status["id"].as_str().unwrap_or_default().to_owned();
    let private = app
        .post(
            "/api/v1/statuses",
            Some(&alice.token),
            &[("status", "secret"), ("visibility", "private")],
        )
        .await
        .json();
    let private_id = private["id"].as_str().unwrap_or_default().to_owned();
    let get = |q: String| {
        let app = &app;
        let token = bob.token.clone();
        async move {
            app.get(&format!("/api/v2/search?resolve=true&q={q}"), Some(&token))
                .await
                .json()
        }
    };
    let body = get(format!("https://woolly.test/@alice/{id}")).await;
    assert_eq!(names(&body, "statuses", "id"), [id.as_str()]);
    assert_eq!(body["accounts"], json!([]));
    let body = get(format!("https://woolly.test/users/alice/statuses/{id}")).await;
    assert_eq!(names(&body, "statuses", "id"), [id.as_str()]);
    let body = get("https://woolly.test/@alice".into()).await;
    assert_eq!(names(&body, "accounts", "username"), ["alice"]);
    // not visible to bob, unknown, or elsewhere: nothing (and no text search of the URL)
    assert_eq!(
        get(format!("https://woolly.test/@alice/{private_id}")).await,
        json!({"accounts": [], "statuses": [], "hashtags": []})
    );
    assert_eq!(
        get("https://woolly.test/@nobody".into()).await["accounts"],
        json!([])
    );
    assert_eq!(
        get("https://elsewhere.example/@alice".into()).await["accounts"],
        json!([])
    );
    // without resolve, a URL is text
    let r = app
        .get(
            &format!("/api/v2/search?q=https://woolly.test/@alice/{id}"),
            Some(&bob.token),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["statuses"], json!([]));
}

#[db_test]
async fn search_errors(app: TestApp) {
    let alice = app.user("alice").await;
    let r = app.get("/api/v2/search", Some(&alice.token)).await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json(),
        json!({"error": "param is missing or the value is empty: q"})
    );
    let r = app.get("/api/v2/search?q=a&offset=1", None).await;
    assert_eq!(r.status, 401);
    assert_eq!(
        r.json(),
        json!({"error": "Search queries pagination is not supported without authentication"})
    );
    let r = app.get("/api/v2/search?q=a&resolve=true", None).await;
    assert_eq!(r.status, 401);
    assert_eq!(
        r.json(),
        json!({"error": "Search queries that resolve remote resources are not supported without \
                         authentication"})
    );
    let r = app
        .get("/api/v2/search?q=a&offset=-1", Some(&alice.token))
        .await;
    assert_eq!(r.status, 400);
    // an unknown token reads as none (Doorkeeper finds no token), so pagination needs a user
    let r = app
        .get("/api/v2/search?q=a&offset=1", Some("nonsense"))
        .await;
    assert_eq!(r.status, 401);
    let writer = app.user_with("writer", None, "write").await;
    let r = app.get("/api/v2/search?q=a", Some(&writer.token)).await;
    assert_eq!(r.status, 403, "{}", r.text());
}
