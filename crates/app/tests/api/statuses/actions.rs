//! show / delete / reblog / unreblog / pin / unpin.
#![allow(clippy::unwrap_used)]

use woolly_testkit::{TestApp, db_test};

use super::support::{block, follow, media, post, status, stored_files};

fn path(id: &str, action: &str) -> String {
    format!("/api/v1/statuses/{id}/{action}")
}

#[db_test]
async fn show_follows_the_visibility_rules(app: TestApp) {
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    let carol = app.user("carol").await;
    follow(&app, &bob.account_id, &alice.account_id).await;
    let public = status(&app, &alice.token, "public", "public").await;
    let private = status(&app, &alice.token, "private", "private").await;
    let direct = status(&app, &alice.token, "@carol direct", "direct").await;
    let show = |id: &str| format!("/api/v1/statuses/{id}");
    assert_eq!(app.get(&show(&public), None).await.status, 200);
    assert_eq!(app.get(&show(&private), None).await.status, 404);
    assert_eq!(app.get(&show(&private), Some(&bob.token)).await.status, 200);
    assert_eq!(
        app.get(&show(&private), Some(&carol.token)).await.status,
        404
    );
    assert_eq!(app.get(&show(&direct), Some(&bob.token)).await.status, 404);
    assert_eq!(
        app.get(&show(&direct), Some(&carol.token)).await.status,
        200
    );
    assert_eq!(
        app.get(&show(&direct), Some(&alice.token)).await.status,
        200
    );
    block(&app, &alice.account_id, &carol.account_id).await;
    let res = app.get(&show(&public), Some(&carol.token)).await;
    assert_eq!(res.status, 404);
    assert_eq!(res.error(), "Record not found");
    assert_eq!(app.get(&show("abc"), None).await.status, 404);
}

#[db_test]
async fn delete_answers_the_source_and_undoes_counters(app: TestApp) {
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    let m = media(&app, &alice.token).await;
    let res = post(
        &app,
        &alice.token,
        &[("status", "bye #tag"), ("media_ids[]", m.as_str())],
    )
    .await;
    let id = res.json()["id"].as_str().unwrap().to_owned();
    let other = status(&app, &alice.token, "keep", "public").await;
    // bob's reblog goes with it
    assert_eq!(
        app.post(&path(&id, "reblog"), Some(&bob.token), &[])
            .await
            .status,
        200
    );
    assert_eq!(
        app.delete(&format!("/api/v1/statuses/{id}"), Some(&bob.token))
            .await
            .status,
        404
    );
    let res = app
        .delete(&format!("/api/v1/statuses/{id}"), Some(&alice.token))
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let s = res.json();
    assert_eq!(s["text"], "bye #tag");
    assert!(s.get("content").is_none());
    assert_eq!(s["media_attachments"][0]["id"], m.as_str());
    assert_eq!(
        app.get(&format!("/api/v1/statuses/{id}"), None)
            .await
            .status,
        404
    );
    assert_eq!(
        app.scalar(&format!(
            "SELECT statuses_count FROM accounts WHERE id = {}",
            alice.account_id
        ))
        .await,
        1
    );
    assert_eq!(
        app.scalar(&format!(
            "SELECT statuses_count FROM accounts WHERE id = {}",
            bob.account_id
        ))
        .await,
        0
    );
    assert_eq!(app.scalar("SELECT COUNT(*) FROM statuses").await, 1);
    // the attachment is kept, detached, for a re-draft
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM media_attachments WHERE id = {m} AND status_id IS NULL"
        ))
        .await,
        1
    );
    let redraft = post(
        &app,
        &alice.token,
        &[("status", "again"), ("media_ids[]", m.as_str())],
    )
    .await;
    assert_eq!(redraft.status, 200);
    // delete_media=true removes rows and files
    let rid = redraft.json()["id"].as_str().unwrap().to_owned();
    let res = app
        .delete(
            &format!("/api/v1/statuses/{rid}?delete_media=true"),
            Some(&alice.token),
        )
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM media_attachments").await,
        0
    );
    assert_eq!(stored_files(&app), 0);
    assert_eq!(
        app.delete(&format!("/api/v1/statuses/{other}"), Some(&bob.token))
            .await
            .status,
        404
    );
}

#[db_test]
async fn reblog_is_idempotent_and_counted(app: TestApp) {
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    let id = status(&app, &alice.token, "boost me", "public").await;
    let res = app
        .post(
            &path(&id, "reblog"),
            Some(&bob.token),
            &[("visibility", "unlisted")],
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let r = res.json();
    let rid = r["id"].as_str().unwrap().to_owned();
    assert_ne!(rid, id);
    assert_eq!(r["visibility"], "unlisted");
    assert_eq!(r["content"], "");
    assert_eq!(r["account"]["id"], bob.account_id.as_str());
    assert_eq!(
        r["uri"],
        format!("https://woolly.test/users/bob/statuses/{rid}/activity")
    );
    assert_eq!(r["reblog"]["id"], id.as_str());
    assert_eq!(r["reblog"]["reblogs_count"], 1);
    assert_eq!(r["reblog"]["reblogged"], true);
    assert_eq!(r["reblogged"], true);
    let again = app
        .post(&path(&id, "reblog"), Some(&bob.token), &[])
        .await
        .json();
    assert_eq!(again["id"], rid.as_str());
    assert_eq!(again["reblog"]["reblogs_count"], 1);
    assert_eq!(
        app.scalar(&format!(
            "SELECT statuses_count FROM accounts WHERE id = {}",
            bob.account_id
        ))
        .await,
        1
    );
    let n = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM notifications WHERE account_id = {} AND type = 'reblog'",
            alice.account_id
        ))
        .await;
    assert_eq!(n, 1);
    // reblogging the reblog reblogs the original
    let carol = app.user("carol").await;
    let c = app
        .post(&path(&rid, "reblog"), Some(&carol.token), &[])
        .await
        .json();
    assert_eq!(c["reblog"]["id"], id.as_str());
    // unreblog answers the original, no longer reblogged
    let res = app
        .post(&path(&id, "unreblog"), Some(&bob.token), &[])
        .await;
    assert_eq!(res.status, 200);
    let o = res.json();
    assert_eq!(o["id"], id.as_str());
    assert_eq!(o["reblogged"], false);
    assert_eq!(o["reblogs_count"], 1);
    assert_eq!(
        app.scalar(&format!(
            "SELECT statuses_count FROM accounts WHERE id = {}",
            bob.account_id
        ))
        .await,
        0
    );
    // unreblogging again is harmless
    assert_eq!(
        app.post(&path(&id, "unreblog"), Some(&bob.token), &[])
            .await
            .status,
        200
    );
    assert_eq!(
        app.post(&path("123", "unreblog"), Some(&bob.token), &[])
            .await
            .status,
        404
    );
}

#[db_test]
async fn private_and_direct_cannot_be_reblogged(app: TestApp) {
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    follow(&app, &bob.account_id, &alice.account_id).await;
    let private = status(&app, &alice.token, "followers", "private").await;
    let direct = status(&app, &alice.token, "@bob dm", "direct").await;
    let res = app
        .post(&path(&private, "reblog"), Some(&bob.token), &[])
        .await;
    assert_eq!(res.status, 403);
    assert_eq!(res.error(), "This action is not allowed");
    assert_eq!(
        app.post(&path(&direct, "reblog"), Some(&bob.token), &[])
            .await
            .status,
        403
    );
    let carol = app.user("carol").await;
    assert_eq!(
        app.post(&path(&private, "reblog"), Some(&carol.token), &[])
            .await
            .status,
        404
    );
    // the author may boost their own private post; it stays private
    let own = app
        .post(
            &path(&private, "reblog"),
            Some(&alice.token),
            &[("visibility", "public")],
        )
        .await;
    assert_eq!(own.status, 200);
    assert_eq!(own.json()["visibility"], "private");
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM statuses WHERE reblog_of_id IS NOT NULL")
            .await,
        1
    );
}

#[db_test]
async fn pin_and_unpin_with_upstream_errors(app: TestApp) {
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    let id = status(&app, &alice.token, "pin me", "public").await;
    let res = app.post(&path(&id, "pin"), Some(&alice.token), &[]).await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["pinned"], true);
    let dup = app.post(&path(&id, "pin"), Some(&alice.token), &[]).await;
    assert_eq!(dup.status, 422);
    assert_eq!(dup.error(), "Duplicate record");
    let res = app.post(&path(&id, "pin"), Some(&bob.token), &[]).await;
    assert_eq!(res.status, 422);
    assert_eq!(
        res.error(),
        "Validation failed: Someone else's post cannot be pinned"
    );
    let direct = status(&app, &alice.token, "dm", "direct").await;
    let res = app
        .post(&path(&direct, "pin"), Some(&alice.token), &[])
        .await;
    assert_eq!(
        res.error(),
        "Validation failed: Posts that are only visible to mentioned users cannot be pinned"
    );
    let boost = app
        .post(&path(&id, "reblog"), Some(&alice.token), &[])
        .await
        .json();
    let res = app
        .post(
            &path(boost["id"].as_str().unwrap(), "pin"),
            Some(&alice.token),
            &[],
        )
        .await;
    assert_eq!(res.status, 422);
    assert_eq!(res.error(), "Validation failed: A boost cannot be pinned");
    for i in 0..4 {
        let s = status(&app, &alice.token, &format!("p{i}"), "private").await;
        assert_eq!(
            app.post(&path(&s, "pin"), Some(&alice.token), &[])
                .await
                .status,
            200
        );
    }
    let sixth = status(&app, &alice.token, "sixth", "public").await;
    let res = app
        .post(&path(&sixth, "pin"), Some(&alice.token), &[])
        .await;
    assert_eq!(res.status, 422);
    assert_eq!(
        res.error(),
        "Validation failed: You have already pinned the maximum number of posts"
    );
    let res = app.post(&path(&id, "unpin"), Some(&alice.token), &[]).await;
    assert_eq!(res.status, 200);
    assert_eq!(res.json()["pinned"], false);
    assert_eq!(
        app.post(&path(&sixth, "pin"), Some(&alice.token), &[])
            .await
            .status,
        200
    );
    assert_eq!(
        app.post(&path("999", "pin"), Some(&alice.token), &[])
            .await
            .status,
        404
    );
    // pins need write:accounts
    let writer = app.user_with("writer", None, "write:statuses").await;
    let w = status(&app, &writer.token, "w", "public").await;
    assert_eq!(
        app.post(&path(&w, "pin"), Some(&writer.token), &[])
            .await
            .status,
        403
    );
}
