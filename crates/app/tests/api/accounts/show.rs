//! `GET /api/v1/accounts/:id` and `verify_credentials`: the entity, and that the copy kept in
//! memory never outlives a change (from this process, a pooled write or another process).

use woolly::db::Db;
use woolly_testkit::{TestApp, TestResponse, db_test};

/// Runs `sql` on a pooled connection and releases it, without `TestApp::sql`'s `note_write`:
/// the release alone must make the memory copy stale.
async fn write_on_a_pooled_connection(app: &TestApp, sql: &str) {
    let mut conn = app.conn().await;
    woolly::db::query::execute(&mut conn.exec(), sql, &[])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
}

/// Runs `sql` in a transaction of `db` and commits it.
async fn write_in_a_transaction(db: &Db, sql: &str) {
    let mut tx = db.begin().await.unwrap_or_else(|e| panic!("{e}"));
    woolly::db::query::execute(&mut tx.exec(), sql, &[])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    tx.commit().await.unwrap_or_else(|e| panic!("{e}"));
}

fn rename_sql(account_id: &str, display_name: &str) -> String {
    format!("UPDATE accounts SET display_name = '{display_name}' WHERE id = {account_id}")
}

async fn follow(app: &TestApp, token: &str, id: &str) -> TestResponse {
    let path = format!("/api/v1/accounts/{id}/follow");
    app.post(&path, Some(token), &[]).await
}

#[db_test]
async fn shows_the_account_entity(app: TestApp) {
    let alice = app.user("alice").await;
    let res = app
        .get(&format!("/api/v1/accounts/{}", alice.account_id), None)
        .await;
    assert_eq!(res.status, 200);
    assert!(
        res.header("cache-control")
            .unwrap_or_default()
            .starts_with("public")
    );
    let a = res.json();
    assert_eq!(a["id"], alice.account_id.as_str());
    assert_eq!(a["username"], "alice");
    assert_eq!(a["acct"], "alice");
    assert_eq!(a["url"], "https://woolly.test/@alice");
    assert!(
        a["created_at"]
            .as_str()
            .unwrap_or_default()
            .ends_with("T00:00:00.000Z")
    );
    assert_eq!(
        a["avatar"],
        "https://woolly.test/avatars/original/missing.png"
    );
    assert_eq!(a["followers_count"], 0);
    assert_eq!(a["last_status_at"], serde_json::Value::Null);
    assert_eq!(a["roles"], serde_json::json!([]));
    assert_eq!(a["noindex"], false);
    assert!(a.get("suspended").is_none());
    assert!(a.get("moved").is_none());
    for key in [
        "display_name",
        "locked",
        "bot",
        "discoverable",
        "indexable",
        "group",
        "note",
        "uri",
        "avatar_static",
        "header",
        "header_static",
        "statuses_count",
        "following_count",
        "emojis",
        "fields",
        "hide_collections",
    ] {
        assert!(a.get(key).is_some(), "missing {key}");
    }
}

#[db_test]
async fn unknown_and_non_numeric_ids_are_404(app: TestApp) {
    for path in ["/api/v1/accounts/12345", "/api/v1/accounts/abc"] {
        let res = app.get(path, None).await;
        assert_eq!(res.status, 404);
        assert_eq!(res.error(), "Record not found");
    }
}

#[db_test]
async fn staff_role_badge_is_shown_when_highlighted(app: TestApp) {
    let owner = app.user_with("boss", Some("Owner"), "read").await;
    let a = app
        .get(&format!("/api/v1/accounts/{}", owner.account_id), None)
        .await
        .json();
    assert_eq!(
        a["roles"],
        serde_json::json!([{"id": "3", "name": "Owner", "color": ""}])
    );
}

#[db_test]
async fn identity_proofs_are_gone_but_still_answered(app: TestApp) {
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    let path = format!("/api/v1/accounts/{}/identity_proofs", bob.account_id);
    let res = app.get(&path, Some(&alice.token)).await;
    assert_eq!(res.status, 200);
    assert_eq!(res.json(), serde_json::json!([]));
    assert_eq!(res.header("deprecation").as_deref(), Some("@1648598400"));
    let res = app.get(&path, None).await;
    assert_eq!(res.status, 422);
    assert_eq!(res.error(), "This method requires an authenticated user");
    assert_eq!(
        app.get("/api/v1/accounts/12345/identity_proofs", Some(&alice.token))
            .await
            .status,
        404
    );
}

#[db_test]
async fn moved_and_emojis_render_on_the_rest_account(app: TestApp) {
    let alice = app.user("alice").await;
    let home = app.user("newhome").await;
    let res = app
        .form(
            axum::http::Method::PATCH,
            "/api/v1/accounts/update_credentials",
            Some(&alice.token),
            &[("display_name", ":blob: Alice"), ("note", "hi :wave:")],
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    for (code, disabled) in [("blob", false), ("wave", true)] {
        app.sql(&format!(
            "INSERT INTO custom_emojis (id, shortcode, image_key, disabled, created_at) \
             VALUES ({}, '{code}', 'emoji/{code}.png', {disabled}, 0)",
            app.state.next_id(),
        ))
        .await;
    }
    let sql = format!(
        "UPDATE accounts SET moved_to_account_id = {} WHERE id = {}",
        home.account_id, alice.account_id
    );
    write_on_a_pooled_connection(&app, &sql).await;
    let a = app
        .get(&format!("/api/v1/accounts/{}", alice.account_id), None)
        .await
        .json();
    assert_eq!(
        a["emojis"].as_array().map(Vec::len),
        Some(1),
        "disabled emojis are left out: {a}"
    );
    assert_eq!(a["emojis"][0]["shortcode"], "blob");
    assert!(
        a["emojis"][0]["url"]
            .as_str()
            .unwrap_or_default()
            .ends_with("emoji/blob.png")
    );
    assert_eq!(a["emojis"][0]["visible_in_picker"], true);
    assert_eq!(a["moved"]["id"], home.account_id.as_str());
    assert!(
        a["moved"].get("moved").is_none(),
        "a nested account never has moved"
    );
    // an account that did not move has no `moved` member at all
    let h = app
        .get(&format!("/api/v1/accounts/{}", home.account_id), None)
        .await
        .json();
    assert!(h.get("moved").is_none());
}

// The JSON is kept per process (cache::rendered_accounts) only while nothing is committed.
#[db_test]
async fn every_change_is_shown_on_the_next_read(app: TestApp) {
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    let path = format!("/api/v1/accounts/{}", alice.account_id);
    let first = app.get(&path, None).await.json();
    assert_eq!(
        app.get(&path, None).await.json(),
        first,
        "a repeated read answers the same"
    );

    let res = app
        .form(
            axum::http::Method::PATCH,
            "/api/v1/accounts/update_credentials",
            Some(&alice.token),
            &[("display_name", "Alice Liddell")],
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(
        app.get(&path, None).await.json()["display_name"],
        "Alice Liddell"
    );

    let res = follow(&app, &bob.token, &alice.account_id).await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(app.get(&path, None).await.json()["followers_count"], 1);
    assert_eq!(
        app.get(&path, Some(&bob.token)).await.json()["followers_count"],
        1,
        "the same for a signed-in viewer"
    );

    // a single statement outside a transaction (a pooled connection) is seen too
    let sql = rename_sql(&alice.account_id, "Straight SQL");
    write_on_a_pooled_connection(&app, &sql).await;
    assert_eq!(
        app.get(&path, None).await.json()["display_name"],
        "Straight SQL"
    );

    // and a write transaction's commit, with no connection released after it
    let sql = rename_sql(&alice.account_id, "In a transaction");
    write_in_a_transaction(app.state.db(), &sql).await;
    assert_eq!(
        app.get(&path, None).await.json()["display_name"],
        "In a transaction"
    );
}

#[db_test]
async fn a_hidden_account_is_not_served_from_memory(app: TestApp) {
    let alice = app.user("alice").await;
    let path = format!("/api/v1/accounts/{}", alice.account_id);
    assert_eq!(app.get(&path, None).await.status, 200);
    let sql = format!(
        "UPDATE users SET approved = FALSE WHERE account_id = {}",
        alice.account_id
    );
    write_on_a_pooled_connection(&app, &sql).await;
    assert_eq!(
        app.get(&path, None).await.status,
        404,
        "pending accounts are hidden"
    );
}

// Another process on the same SQLite file (the `woolly admin` CLI, a second server) commits
// without this one knowing: its background look at the data version finds the commit.
#[tokio::test]
async fn a_commit_by_another_process_is_seen_within_the_poll_interval() {
    let app = TestApp::sqlite().await;
    let alice = app.user("alice").await;
    let path = format!("/api/v1/accounts/{}", alice.account_id);
    assert_eq!(app.get(&path, None).await.json()["display_name"], "");

    let other = woolly::db::Db::connect(
        &format!("sqlite://{}", app.dir.path().join("test.sqlite3").display()),
        1,
    )
    .await
    .unwrap();
    let sql = rename_sql(&alice.account_id, "From elsewhere");
    write_in_a_transaction(&other, &sql).await;

    let deadline = std::time::Instant::now() + woolly::db::data_version::POLL_INTERVAL * 40;
    loop {
        let name = app.get(&path, None).await.json()["display_name"].clone();
        if name == "From elsewhere" {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "still {name} after 2 s"
        );
        tokio::time::sleep(woolly::db::data_version::POLL_INTERVAL / 5).await;
    }
}

// verify_credentials is kept the same way, for the generation its viewer rows were read at.
#[db_test]
async fn verify_credentials_shows_every_change_on_the_next_read(app: TestApp) {
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    let path = "/api/v1/accounts/verify_credentials";
    let first = app.get(path, Some(&alice.token)).await.json();
    assert_eq!(app.get(path, Some(&alice.token)).await.json(), first);
    assert_eq!(first["source"]["follow_requests_count"], 0);

    let res = app
        .form(
            axum::http::Method::PATCH,
            "/api/v1/accounts/update_credentials",
            Some(&alice.token),
            &[("locked", "true"), ("source[privacy]", "unlisted")],
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let after = app.get(path, Some(&alice.token)).await.json();
    assert_eq!(after["locked"], true);
    assert_eq!(after["source"]["privacy"], "unlisted");

    let res = follow(&app, &bob.token, &alice.account_id).await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(
        app.get(path, Some(&alice.token)).await.json()["source"]["follow_requests_count"],
        1
    );
    assert_eq!(
        app.get(path, Some(&bob.token)).await.json()["username"],
        "bob",
        "kept per account"
    );

    let sql = rename_sql(&alice.account_id, "In a transaction");
    write_in_a_transaction(app.state.db(), &sql).await;
    assert_eq!(
        app.get(path, Some(&alice.token)).await.json()["display_name"],
        "In a transaction"
    );
}
