//! `POST /api/v1/statuses`: validation, defaults, mentions, tags, counters, media.
#![allow(clippy::unwrap_used)]

use woolly_testkit::{TestApp, db_test};

use super::support::{media, mute, post, status};

#[db_test]
async fn posts_a_public_status_and_counts_it(app: TestApp) {
    let alice = app.user("alice").await;
    let res = post(
        &app,
        &alice.token,
        &[("status", "Hello <world> https://example.com/page")],
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let s = res.json();
    let id = s["id"].as_str().unwrap();
    assert_eq!(s["visibility"], "public");
    assert_eq!(s["sensitive"], false);
    assert_eq!(s["spoiler_text"], "");
    assert_eq!(s["in_reply_to_id"], serde_json::Value::Null);
    assert!(
        s["content"]
            .as_str()
            .unwrap()
            .starts_with("<p>Hello &lt;world&gt; <a href=\"https://example.com/page\"")
    );
    assert_eq!(
        s["uri"],
        format!("https://woolly.test/users/alice/statuses/{id}")
    );
    assert_eq!(s["url"], format!("https://woolly.test/@alice/{id}"));
    assert_eq!(s["account"]["id"], alice.account_id.as_str());
    assert_eq!(s["account"]["statuses_count"], 1);
    assert_eq!(s["reblogged"], false);
    assert_eq!(s["favourited"], false);
    assert_eq!(s["pinned"], false);
    assert_eq!(s["filtered"], serde_json::json!([]));
    assert_eq!(s["reblog"], serde_json::Value::Null);
    assert_eq!(s["card"], serde_json::Value::Null);
    assert_eq!(s["poll"], serde_json::Value::Null);
    assert_eq!(s["media_attachments"], serde_json::json!([]));
    assert!(s.get("text").is_none());
    let last = s["account"]["last_status_at"].as_str().unwrap();
    assert_eq!(last.len(), 10, "a date: {last}");
    assert_eq!(
        app.scalar(&format!(
            "SELECT statuses_count FROM accounts WHERE id = {}",
            alice.account_id
        ))
        .await,
        1
    );
    // the same on a plain GET, anonymously: no viewer fields
    let shown = app.get(&format!("/api/v1/statuses/{id}"), None).await;
    assert_eq!(shown.status, 200);
    assert!(shown.json().get("reblogged").is_none());
    assert!(shown.json().get("pinned").is_none());
    assert!(shown.header("cache-control").unwrap().starts_with("public"));
}

#[db_test]
async fn validation_errors_change_nothing(app: TestApp) {
    let alice = app.user("alice").await;
    let res = post(&app, &alice.token, &[("status", "   ")]).await;
    assert_eq!(res.status, 422);
    assert_eq!(res.error(), "Validation failed: Text can't be blank");
    let long = "a".repeat(501);
    let res = post(&app, &alice.token, &[("status", long.as_str())]).await;
    assert_eq!(res.status, 422);
    assert_eq!(
        res.error(),
        "Validation failed: Text character limit of 500 exceeded"
    );
    // a URL counts as 23 characters
    let with_url = format!(
        "{} https://example.com/{}",
        "a".repeat(470),
        "x".repeat(200)
    );
    assert_eq!(
        post(&app, &alice.token, &[("status", with_url.as_str())])
            .await
            .status,
        200
    );
    let res = post(
        &app,
        &alice.token,
        &[("status", "hi"), ("visibility", "everyone")],
    )
    .await;
    assert_eq!(res.status, 422);
    assert_eq!(
        res.error(),
        "Validation failed: Visibility is not included in the list"
    );
    let res = post(
        &app,
        &alice.token,
        &[("status", "hi"), ("in_reply_to_id", "12345")],
    )
    .await;
    assert_eq!(res.status, 404);
    assert_eq!(
        res.error(),
        "The post you are trying to reply to does not appear to exist."
    );
    assert_eq!(app.scalar("SELECT COUNT(*) FROM statuses").await, 1);
    // a read-only token may not post; no token at all is 401
    let reader = app.user_with("reader", None, "read").await;
    assert_eq!(
        post(&app, &reader.token, &[("status", "hi")]).await.status,
        403
    );
    assert_eq!(
        app.post("/api/v1/statuses", None, &[("status", "hi")])
            .await
            .status,
        401
    );
}

#[db_test]
async fn default_visibility_follows_the_setting_and_lock(app: TestApp) {
    let alice = app.user("alice").await;
    app.sql(&format!(
        "UPDATE users SET setting_default_privacy = 'unlisted' WHERE account_id = {}",
        alice.account_id
    ))
    .await;
    let s = post(&app, &alice.token, &[("status", "quiet")])
        .await
        .json();
    assert_eq!(s["visibility"], "unlisted");
    let bob = app.user("bob").await;
    app.sql(&format!(
        "UPDATE accounts SET locked = TRUE WHERE id = {}",
        bob.account_id
    ))
    .await;
    let s = post(&app, &bob.token, &[("status", "locked")]).await.json();
    assert_eq!(s["visibility"], "private");
    let s = post(
        &app,
        &bob.token,
        &[("status", "open"), ("visibility", "public")],
    )
    .await
    .json();
    assert_eq!(s["visibility"], "public");
}

#[db_test]
async fn replies_mentions_and_tags(app: TestApp) {
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    let parent = status(&app, &bob.token, "parent", "public").await;
    let res = post(
        &app,
        &alice.token,
        &[
            ("status", "@bob hi @nobody #Rust #rust"),
            ("in_reply_to_id", parent.as_str()),
        ],
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let s = res.json();
    assert_eq!(s["in_reply_to_id"], parent.as_str());
    assert_eq!(s["in_reply_to_account_id"], bob.account_id.as_str());
    assert_eq!(
        s["mentions"],
        serde_json::json!([{
            "id": bob.account_id, "username": "bob", "url": "https://woolly.test/@bob",
            "acct": "bob",
        }])
    );
    assert_eq!(
        s["tags"],
        serde_json::json!([{"name": "rust", "url": "https://woolly.test/tags/rust"}])
    );
    let content = s["content"].as_str().unwrap();
    assert!(
        content.contains("href=\"https://woolly.test/@bob\""),
        "{content}"
    );
    assert!(content.contains("@nobody"), "{content}");
    let n = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM notifications WHERE account_id = {} AND type = \
             'mention' AND status_id = {}",
            bob.account_id,
            s["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(n, 1);
    let parent_now = app
        .get(&format!("/api/v1/statuses/{parent}"), None)
        .await
        .json();
    assert_eq!(parent_now["replies_count"], 1);
    // a private reply does not count as a reply; a direct one not even as a status
    post(
        &app,
        &alice.token,
        &[
            ("status", "psst"),
            ("in_reply_to_id", parent.as_str()),
            ("visibility", "private"),
        ],
    )
    .await;
    post(
        &app,
        &alice.token,
        &[("status", "@bob dm"), ("visibility", "direct")],
    )
    .await;
    let parent_now = app
        .get(&format!("/api/v1/statuses/{parent}"), None)
        .await
        .json();
    assert_eq!(parent_now["replies_count"], 1);
    assert_eq!(
        app.scalar(&format!(
            "SELECT statuses_count FROM accounts WHERE id = {}",
            alice.account_id
        ))
        .await,
        2
    );
}

#[db_test]
async fn muted_or_blocking_recipients_get_no_mention_notification(app: TestApp) {
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    mute(&app, &bob.account_id, &alice.account_id, None).await;
    post(&app, &alice.token, &[("status", "@bob hello")]).await;
    let n = app.notification_count(&bob.account_id).await;
    assert_eq!(n, 0);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM mentions").await, 1);
}

#[db_test]
async fn spoiler_and_sensitized_authors_make_it_sensitive(app: TestApp) {
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    let s = post(
        &app,
        &alice.token,
        &[("status", "x"), ("spoiler_text", "cw")],
    )
    .await
    .json();
    assert_eq!(s["sensitive"], true);
    assert_eq!(s["spoiler_text"], "cw");
    // the spoiler stands in for a blank text
    let s = post(&app, &alice.token, &[("spoiler_text", "only a warning")])
        .await
        .json();
    assert!(s["content"].as_str().unwrap().contains("only a warning"));
    app.sql(&format!(
        "UPDATE accounts SET sensitized_at = 1 WHERE id = {}",
        alice.account_id
    ))
    .await;
    let own = post(
        &app,
        &alice.token,
        &[("status", "plain"), ("sensitive", "false")],
    )
    .await
    .json();
    let id = own["id"].as_str().unwrap();
    // others (and anonymous viewers) see it forced sensitive; the author sees what was stored
    assert_eq!(own["sensitive"], false);
    let path = format!("/api/v1/statuses/{id}");
    assert_eq!(app.get(&path, None).await.json()["sensitive"], true);
    assert_eq!(
        app.get(&path, Some(&bob.token)).await.json()["sensitive"],
        true
    );
}

#[db_test]
async fn media_ids_must_be_own_unattached_and_at_most_four(app: TestApp) {
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    let bobs = media(&app, &bob.token).await;
    let res = post(
        &app,
        &alice.token,
        &[("status", "x"), ("media_ids[]", bobs.as_str())],
    )
    .await;
    assert_eq!(res.status, 422);
    assert_eq!(
        res.error(),
        format!("Media {bobs} not found or already attached to another post")
    );
    let five: Vec<String> = (0..5).map(|i| (i + 1).to_string()).collect();
    let pairs: Vec<(&str, &str)> = five.iter().map(|i| ("media_ids[]", i.as_str())).collect();
    let res = post(&app, &alice.token, &pairs).await;
    assert_eq!(res.status, 422);
    assert_eq!(res.error(), "Cannot attach more than 4 files");
    // own media: a status without text is fine, and the attachment is then taken
    let mine = media(&app, &alice.token).await;
    let res = post(&app, &alice.token, &[("media_ids[]", mine.as_str())]).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let s = res.json();
    assert_eq!(s["media_attachments"][0]["id"], mine.as_str());
    assert_eq!(s["media_attachments"][0]["type"], "image");
    let again = post(
        &app,
        &alice.token,
        &[("status", "again"), ("media_ids[]", mine.as_str())],
    )
    .await;
    assert_eq!(again.status, 422);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM statuses").await, 1);
}

#[db_test]
async fn the_statuses_family_limits_posting_and_reblogging(app: TestApp) {
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    let target = status(&app, &bob.token, "boost me", "public").await;
    let t = woolly::ratelimit::throttles::STATUSES;
    let key = format!("{}:{}", t.name, alice.account_id);
    let now = woolly::domain::time::now();
    for _ in 0..299 {
        app.state
            .limiter()
            .hit(&key, t.limit, t.period_secs, now)
            .await
            .unwrap();
    }
    let res = post(&app, &alice.token, &[("status", "the 300th")]).await;
    assert_eq!(res.status, 200);
    assert_eq!(res.header("x-ratelimit-limit").as_deref(), Some("300"));
    assert_eq!(res.header("x-ratelimit-remaining").as_deref(), Some("0"));
    let res = post(&app, &alice.token, &[("status", "one too many")]).await;
    assert_eq!(res.status, 429);
    assert_eq!(res.error(), "Too many requests");
    let res = app
        .post(
            &format!("/api/v1/statuses/{target}/reblog"),
            Some(&alice.token),
            &[],
        )
        .await;
    assert_eq!(res.status, 429);
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM statuses WHERE account_id = {}",
            alice.account_id
        ))
        .await,
        1
    );
}

#[db_test]
async fn silenced_authors_post_public_as_unlisted_and_suspended_ones_vanish(app: TestApp) {
    let alice = app.user("alice").await;
    app.sql(&format!(
        "UPDATE accounts SET silenced_at = 1 WHERE id = {}",
        alice.account_id
    ))
    .await;
    let s = post(
        &app,
        &alice.token,
        &[("status", "loud"), ("visibility", "public")],
    )
    .await
    .json();
    assert_eq!(s["visibility"], "unlisted");
    let id = s["id"].as_str().unwrap();
    app.sql(&format!(
        "UPDATE accounts SET suspended_at = 1 WHERE id = {}",
        alice.account_id
    ))
    .await;
    assert_eq!(
        app.get(&format!("/api/v1/statuses/{id}"), None)
            .await
            .status,
        404
    );
}
