//! relationships, note, accounts?id[], lookup, search, familiar_followers.

use woolly_testkit::{TestApp, db_test};

use super::support::{path, post};

#[db_test]
async fn relationships_render_every_field(app: TestApp) {
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    let r = app
        .get(
            &format!(
                "/api/v1/accounts/relationships?id[]={}&id[]={}&id[]=99999",
                bob.account_id, bob.account_id
            ),
            Some(&alice.token),
        )
        .await;
    assert_eq!(r.status, 200);
    let r = r.json();
    assert_eq!(r.as_array().map(Vec::len), Some(1));
    let keys: Vec<&str> = r[0]
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    for k in [
        "id",
        "following",
        "showing_reblogs",
        "notifying",
        "languages",
        "followed_by",
        "blocking",
        "blocked_by",
        "muting",
        "muting_notifications",
        "muting_expires_at",
        "requested",
        "requested_by",
        "domain_blocking",
        "endorsed",
        "note",
    ] {
        assert!(keys.contains(&k), "missing {k}");
    }
    assert_eq!(r[0]["note"], "");
    // a note, up to 2000 characters; blank deletes
    let res = app
        .post(
            &path(&bob.account_id, "note"),
            Some(&alice.token),
            &[("comment", "met at the conf")],
        )
        .await;
    assert_eq!(res.json()["note"], "met at the conf");
    let long = "x".repeat(2001);
    let res = app
        .post(
            &path(&bob.account_id, "note"),
            Some(&alice.token),
            &[("comment", &long)],
        )
        .await;
    assert_eq!(res.status, 422);
    assert_eq!(
        res.error(),
        "Validation failed: Comment is too long (maximum is 2000 characters)"
    );
    let res = app
        .post(
            &path(&bob.account_id, "note"),
            Some(&alice.token),
            &[("comment", " ")],
        )
        .await;
    assert_eq!(res.json()["note"], "");
    assert_eq!(
        app.post(
            &path("31337", "note"),
            Some(&alice.token),
            &[("comment", "x")]
        )
        .await
        .status,
        404
    );
    // any number of ids (queried in bounded chunks); junk ids cast to 0 and match nothing
    let mut many: Vec<String> = (1..=1500).map(|i| format!("id[]={i}")).collect();
    many.push(format!("id[]={}", bob.account_id));
    many.push("id[]=abc".into());
    let res = app
        .get(
            &format!("/api/v1/accounts/relationships?{}", many.join("&")),
            Some(&alice.token),
        )
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(res.json().as_array().map(Vec::len), Some(1));
    // suspended only with with_suspended
    app.sql(&format!(
        "UPDATE accounts SET suspended_at = 1 WHERE id = {}",
        bob.account_id
    ))
    .await;
    let url = format!("/api/v1/accounts/relationships?id={}", bob.account_id);
    assert_eq!(
        app.get(&url, Some(&alice.token)).await.json(),
        serde_json::json!([])
    );
    assert_eq!(
        app.get(&format!("{url}&with_suspended=true"), Some(&alice.token))
            .await
            .array_len(),
        Some(1)
    );
    // a moderator's suspension leaves a deletion request; with_suspended still includes it
    let carol = app.user("carol").await;
    let admin = app.owner("boss").await;
    let r = app
        .post(
            &format!("/api/v1/admin/accounts/{}/action", carol.account_id),
            Some(&admin.token),
            &[("type", "suspend")],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let url = format!("/api/v1/accounts/relationships?id={}", carol.account_id);
    assert_eq!(
        app.get(&url, Some(&alice.token)).await.json(),
        serde_json::json!([])
    );
    let r = app
        .get(&format!("{url}&with_suspended=true"), Some(&alice.token))
        .await
        .json();
    assert_eq!(r[0]["id"], carol.account_id.as_str(), "{r}");
    // domain blocks show on remote accounts
    let zed = app.remote_account("zed", "remote.example", false).await;
    app.sql(&format!(
        "INSERT INTO account_domain_blocks (id, account_id, domain, created_at) \
         VALUES (1, {}, 'remote.example', 1)",
        alice.account_id
    ))
    .await;
    let r = app
        .get(
            &format!("/api/v1/accounts/relationships?id={zed}"),
            Some(&alice.token),
        )
        .await
        .json();
    assert_eq!(r[0]["domain_blocking"], true);
    assert_eq!(
        post(&app, &alice.token, &path(&zed, "follow")).await.status,
        403
    );
    // app tokens have no user
    assert_eq!(app.get(&url, None).await.status, 401);
}

#[db_test]
async fn accounts_by_ids(app: TestApp) {
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    let pending = app.user("pending").await;
    app.sql(&format!(
        "UPDATE users SET confirmed_at = NULL WHERE account_id = {}",
        pending.account_id
    ))
    .await;
    let url = format!(
        "/api/v1/accounts?id[]={}&id[]={}&id[]={}&id[]=12345",
        alice.account_id, bob.account_id, pending.account_id
    );
    let res = app.get(&url, None).await;
    assert_eq!(res.status, 200);
    assert_eq!(res.json().as_array().map(Vec::len), Some(2));
    let many: Vec<String> = (1..=41).map(|i| format!("id[]={i}")).collect();
    let res = app
        .get(&format!("/api/v1/accounts?{}", many.join("&")), None)
        .await;
    assert_eq!(res.status, 422);
    assert_eq!(res.error(), "Mastodon::ValidationError");
    // 41 entries that collapse to 40 distinct are fine
    let mut dup: Vec<String> = (1..=40).map(|i| format!("id[]={i}")).collect();
    dup.push("id[]=1".into());
    assert_eq!(
        app.get(&format!("/api/v1/accounts?{}", dup.join("&")), None)
            .await
            .status,
        200
    );
}

#[db_test]
async fn lookup_known_accounts_only(app: TestApp) {
    let alice = app.user("alice").await;
    app.remote_account("Zed", "remote.example", false).await;
    for acct in [
        "alice",
        "@alice",
        "ALICE",
        "alice@woolly.test",
        "@alice@woolly.test",
    ] {
        let res = app
            .get(&format!("/api/v1/accounts/lookup?acct={acct}"), None)
            .await;
        assert_eq!(res.status, 200, "{acct}");
        assert_eq!(res.json()["id"], alice.account_id.as_str());
    }
    let res = app
        .get("/api/v1/accounts/lookup?acct=zed@REMOTE.example", None)
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(res.json()["acct"], "Zed@remote.example");
    for acct in ["", "nobody", "nobody@else.example", "a@"] {
        let res = app
            .get(&format!("/api/v1/accounts/lookup?acct={acct}"), None)
            .await;
        assert_eq!(res.status, 404, "{acct}");
        assert_eq!(res.error(), "Record not found");
    }
    assert_eq!(app.get("/api/v1/accounts/lookup", None).await.status, 404);
    app.sql(&format!(
        "UPDATE accounts SET suspended_at = 1 WHERE id = {}",
        alice.account_id
    ))
    .await;
    let res = app.get("/api/v1/accounts/lookup?acct=alice", None).await;
    assert_eq!(res.status, 200);
    assert_eq!(res.json()["suspended"], true);
}

#[db_test]
async fn search_prefix_ranked_and_filtered(app: TestApp) {
    let me = app.user("searcher").await;
    let anna = app.user("anna").await;
    let annabel = app.user("annabel").await;
    app.user("annette").await;
    let ann_remote = app.remote_account("ann", "far.example", false).await;
    let unconfirmed = app.user("annunconfirmed").await;
    app.sql(&format!(
        "UPDATE users SET confirmed_at = NULL WHERE account_id = {}",
        unconfirmed.account_id
    ))
    .await;
    let suspended = app.user("annsuspended").await;
    app.sql(&format!(
        "UPDATE accounts SET suspended_at = 1 WHERE id = {}",
        suspended.account_id
    ))
    .await;
    post(&app, &me.token, &path(&annabel.account_id, "follow")).await;
    let res = app
        .get("/api/v1/accounts/search?q=ANN", Some(&me.token))
        .await;
    assert_eq!(res.status, 200);
    let list = res.json();
    let accts: Vec<&str> = list
        .as_array()
        .map(|a| {
            a.iter()
                .map(|x| x["acct"].as_str().unwrap_or_default())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(accts.len(), 4, "{accts:?}");
    assert_eq!(accts[0], "annabel");
    assert!(accts.contains(&"ann@far.example"));
    assert!(!accts.contains(&"annunconfirmed") && !accts.contains(&"annsuspended"));
    // display names and domains match too
    app.sql(&format!(
        "UPDATE accounts SET display_name = 'Zorro', display_name_lower = 'zorro' WHERE id = {}",
        anna.account_id
    ))
    .await;
    let list = app
        .get("/api/v1/accounts/search?q=zor", Some(&me.token))
        .await
        .json();
    assert_eq!(list[0]["id"], anna.account_id.as_str());
    let list = app
        .get("/api/v1/accounts/search?q=far.ex", Some(&me.token))
        .await
        .json();
    assert_eq!(list[0]["id"], ann_remote.as_str());
    // exact user@domain first; following restricts to follows (and yourself)
    let list = app
        .get(
            "/api/v1/accounts/search?q=@ann@far.example&limit=1",
            Some(&me.token),
        )
        .await
        .json();
    assert_eq!(list[0]["id"], ann_remote.as_str());
    let list = app
        .get(
            "/api/v1/accounts/search?q=ann&following=true",
            Some(&me.token),
        )
        .await
        .json();
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    assert_eq!(list[0]["id"], annabel.account_id.as_str());
    // offset, limit, blank
    assert_eq!(
        app.get(
            "/api/v1/accounts/search?q=ann&limit=2&offset=3",
            Some(&me.token)
        )
        .await
        .array_len(),
        Some(1)
    );
    assert_eq!(
        app.get("/api/v1/accounts/search?q=ann&limit=0", Some(&me.token))
            .await
            .json(),
        serde_json::json!([])
    );
    assert_eq!(
        app.get("/api/v1/accounts/search?q=%20@", Some(&me.token))
            .await
            .json(),
        serde_json::json!([])
    );
    // resolve answers from known accounts
    let list = app
        .get(
            "/api/v1/accounts/search?q=nobody@unknown.example&resolve=true",
            Some(&me.token),
        )
        .await
        .json();
    assert_eq!(list, serde_json::json!([]));
    assert_eq!(
        app.get("/api/v1/accounts/search?q=ann", None).await.status,
        401
    );
}

#[db_test]
async fn familiar_followers_through_your_follows(app: TestApp) {
    let me = app.user("me").await;
    let friend = app.user("friend").await;
    let shy = app.user("shy").await;
    let target = app.user("target").await;
    for u in [&friend, &shy] {
        post(&app, &me.token, &path(&u.account_id, "follow")).await;
        post(&app, &u.token, &path(&target.account_id, "follow")).await;
    }
    app.sql(&format!(
        "UPDATE accounts SET hide_collections = TRUE WHERE id = {}",
        shy.account_id
    ))
    .await;
    let url = format!(
        "/api/v1/accounts/familiar_followers?id[]={}&id[]=777",
        target.account_id
    );
    let res = app.get(&url, Some(&me.token)).await;
    assert_eq!(res.status, 200);
    let list = res.json();
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    assert_eq!(list[0]["id"], target.account_id.as_str());
    assert_eq!(list[0]["accounts"].as_array().map(Vec::len), Some(1));
    assert_eq!(list[0]["accounts"][0]["id"], friend.account_id.as_str());
    app.sql(&format!(
        "UPDATE accounts SET hide_collections = TRUE WHERE id = {}",
        target.account_id
    ))
    .await;
    let list = app.get(&url, Some(&me.token)).await.json();
    assert_eq!(list[0]["accounts"], serde_json::json!([]));
}

#[db_test]
async fn search_matches_any_word_of_a_display_name(app: TestApp) {
    let me = app.user("searcher").await;
    let john = app.user("jdoe").await;
    let res = app
        .form(
            axum::http::Method::PATCH,
            "/api/v1/accounts/update_credentials",
            Some(&john.token),
            &[("display_name", "John Smith-Jones")],
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    for q in ["smi", "SMITH", "jones", "john", "john sm"] {
        let list = app
            .get(
                &format!("/api/v1/accounts/search?q={}", q.replace(' ', "%20")),
                Some(&me.token),
            )
            .await
            .json();
        assert_eq!(list[0]["id"], john.account_id.as_str(), "{q}");
    }
    assert_eq!(
        app.get("/api/v1/accounts/search?q=mith", Some(&me.token))
            .await
            .json(),
        serde_json::json!([])
    );
    // a new name replaces the old words
    let res = app
        .form(
            axum::http::Method::PATCH,
            "/api/v1/accounts/update_credentials",
            Some(&john.token),
            &[("display_name", "Plain")],
        )
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(
        app.get("/api/v1/accounts/search?q=smith", Some(&me.token))
            .await
            .json(),
        serde_json::json!([])
    );
    assert_eq!(
        app.get("/api/v1/accounts/search?q=pla", Some(&me.token))
            .await
            .json()[0]["id"],
        john.account_id.as_str()
    );
}

#[db_test]
async fn silenced_accounts_are_found_only_by_their_followers(app: TestApp) {
    let me = app.user("searcher").await;
    let fan = app.user("fan").await;
    let quiet = app.user("quietone").await;
    app.sql(&format!(
        "UPDATE accounts SET silenced_at = 1 WHERE id = {}",
        quiet.account_id
    ))
    .await;
    post(&app, &fan.token, &path(&quiet.account_id, "follow")).await;
    let ids = |list: serde_json::Value| -> Vec<String> {
        list.as_array()
            .map(|a| {
                a.iter()
                    .map(|x| x["id"].as_str().unwrap_or_default().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    assert!(
        !ids(app
            .get("/api/v1/accounts/search?q=quiet", Some(&me.token))
            .await
            .json())
        .contains(&quiet.account_id)
    );
    assert!(
        ids(app
            .get("/api/v1/accounts/search?q=quiet", Some(&fan.token))
            .await
            .json())
        .contains(&quiet.account_id)
    );
    assert!(
        ids(app
            .get("/api/v1/accounts/search?q=quiet", Some(&quiet.token))
            .await
            .json())
        .contains(&quiet.account_id)
    );
    // the exact handle still resolves, as a mention would
    assert!(
        ids(app
            .get(
                "/api/v1/accounts/search?q=quietone@woolly.test",
                Some(&me.token)
            )
            .await
            .json())
        .contains(&quiet.account_id)
    );
}
