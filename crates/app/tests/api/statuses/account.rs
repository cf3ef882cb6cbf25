//! `GET /api/v1/accounts/:id/statuses`: visibility by viewer, filters, pagination.
#![allow(clippy::unwrap_used)]

use woolly_testkit::{TestApp, db_test, ids};

use super::support::{block, follow, media, mute, post, status};

fn list(id: &str, query: &str) -> String {
    format!("/api/v1/accounts/{id}/statuses{query}")
}

#[db_test]
async fn visibility_matrix(app: TestApp) {
    let alice = app.user("alice").await;
    let follower = app.user("follower").await;
    let stranger = app.user("stranger").await;
    let mentioned = app.user("mentioned").await;
    let blocked = app.user("blocked").await;
    follow(&app, &follower.account_id, &alice.account_id).await;
    let public = status(&app, &alice.token, "public", "public").await;
    let unlisted = status(&app, &alice.token, "unlisted", "unlisted").await;
    let private = status(&app, &alice.token, "private", "private").await;
    let direct = status(&app, &alice.token, "@mentioned secret", "direct").await;
    let private_mention = status(&app, &alice.token, "@mentioned followers", "private").await;
    block(&app, &alice.account_id, &blocked.account_id).await;
    let path = list(&alice.account_id, "");
    let anon = app.get(&path, None).await;
    assert_eq!(anon.status, 200);
    assert!(anon.header("cache-control").unwrap().starts_with("public"));
    assert_eq!(ids(&anon.json()), vec![unlisted.clone(), public.clone()]);
    let own = app.get(&path, Some(&alice.token)).await;
    assert_eq!(
        own.header("cache-control").as_deref(),
        Some("private, no-store")
    );
    assert_eq!(
        ids(&own.json()),
        vec![
            private_mention.clone(),
            direct.clone(),
            private.clone(),
            unlisted.clone(),
            public.clone()
        ]
    );
    let own_nodirect = app
        .get(
            &list(&alice.account_id, "?exclude_direct=true"),
            Some(&alice.token),
        )
        .await
        .json();
    assert_eq!(
        ids(&own_nodirect),
        vec![
            private_mention.clone(),
            private.clone(),
            unlisted.clone(),
            public.clone()
        ]
    );
    let f = app.get(&path, Some(&follower.token)).await.json();
    assert_eq!(
        ids(&f),
        vec![
            private_mention.clone(),
            private.clone(),
            unlisted.clone(),
            public.clone()
        ]
    );
    let s = app.get(&path, Some(&stranger.token)).await.json();
    assert_eq!(ids(&s), vec![unlisted.clone(), public.clone()]);
    let m = app.get(&path, Some(&mentioned.token)).await.json();
    assert_eq!(
        ids(&m),
        vec![
            private_mention.clone(),
            direct.clone(),
            unlisted.clone(),
            public.clone()
        ]
    );
    let m = app
        .get(
            &list(&alice.account_id, "?exclude_direct=1"),
            Some(&mentioned.token),
        )
        .await
        .json();
    assert_eq!(ids(&m), vec![unlisted.clone(), public.clone()]);
    let b = app.get(&path, Some(&blocked.token)).await;
    assert_eq!(b.status, 200);
    assert_eq!(b.json(), serde_json::json!([]));
    // the viewer blocking the author does not empty it
    block(&app, &stranger.account_id, &alice.account_id).await;
    assert_eq!(
        ids(&app.get(&path, Some(&stranger.token)).await.json()).len(),
        2
    );
    // unknown or suspended accounts
    assert_eq!(app.get(&list("1234", ""), None).await.status, 404);
    app.sql(&format!(
        "UPDATE accounts SET suspended_at = 1 WHERE id = {}",
        alice.account_id
    ))
    .await;
    assert_eq!(app.get(&path, None).await.json(), serde_json::json!([]));
}

#[db_test]
async fn reblogs_of_blocked_or_muted_authors_are_hidden(app: TestApp) {
    let alice = app.user("alice").await;
    let viewer = app.user("viewer").await;
    let muted = app.user("muted").await;
    let blocker = app.user("blocker").await;
    let expired = app.user("expired").await;
    let fine = app.user("fine").await;
    let mut boosts = Vec::new();
    for who in [&muted, &blocker, &expired, &fine] {
        let s = status(&app, &who.token, "orig", "public").await;
        let r = app
            .post(
                &format!("/api/v1/statuses/{s}/reblog"),
                Some(&alice.token),
                &[],
            )
            .await
            .json();
        boosts.push(r["id"].as_str().unwrap().to_owned());
    }
    mute(&app, &viewer.account_id, &muted.account_id, None).await;
    block(&app, &blocker.account_id, &viewer.account_id).await;
    mute(&app, &viewer.account_id, &expired.account_id, Some(1)).await;
    let path = list(&alice.account_id, "");
    let seen = ids(&app.get(&path, Some(&viewer.token)).await.json());
    assert_eq!(seen, vec![boosts[3].clone(), boosts[2].clone()]);
    // anonymous viewers see them all, as does the author
    assert_eq!(ids(&app.get(&path, None).await.json()).len(), 4);
    assert_eq!(
        ids(&app.get(&path, Some(&alice.token)).await.json()).len(),
        4
    );
    // the wrapper carries the original
    let first = &app.get(&path, None).await.json()[0];
    assert_eq!(first["reblog"]["account"]["id"], fine.account_id.as_str());
    assert_eq!(first["content"], "");
}

#[db_test]
async fn filters(app: TestApp) {
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    let bobs = status(&app, &bob.token, "bob's", "public").await;
    let plain = status(&app, &alice.token, "plain #Woolly", "public").await;
    let m = media(&app, &alice.token).await;
    let with_media = post(
        &app,
        &alice.token,
        &[("status", "pic"), ("media_ids[]", m.as_str())],
    )
    .await
    .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let reply_other = post(
        &app,
        &alice.token,
        &[("status", "re"), ("in_reply_to_id", bobs.as_str())],
    )
    .await
    .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let self_reply = post(
        &app,
        &alice.token,
        &[
            ("status", "thread #woolly"),
            ("in_reply_to_id", plain.as_str()),
        ],
    )
    .await
    .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let boost = app
        .post(
            &format!("/api/v1/statuses/{bobs}/reblog"),
            Some(&alice.token),
            &[],
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let get = |q: &str| list(&alice.account_id, q);
    let all = ids(&app.get(&get(""), None).await.json());
    assert_eq!(
        all,
        vec![
            boost.clone(),
            self_reply.clone(),
            reply_other.clone(),
            with_media.clone(),
            plain.clone()
        ]
    );
    assert_eq!(
        ids(&app.get(&get("?only_media=true"), None).await.json()),
        vec![with_media.clone()]
    );
    assert_eq!(
        ids(&app.get(&get("?exclude_replies=true"), None).await.json()),
        vec![
            boost.clone(),
            self_reply.clone(),
            with_media.clone(),
            plain.clone()
        ]
    );
    assert_eq!(
        ids(&app.get(&get("?exclude_reblogs=true"), None).await.json()),
        vec![
            self_reply.clone(),
            reply_other.clone(),
            with_media.clone(),
            plain.clone()
        ]
    );
    assert_eq!(
        ids(&app.get(&get("?tagged=WOOLLY"), None).await.json()),
        vec![self_reply.clone(), plain.clone()]
    );
    assert_eq!(
        ids(&app.get(&get("?tagged=unknown"), None).await.json()),
        Vec::<String>::new()
    );
    // pinned: latest pin first, whatever the status ids
    assert_eq!(
        app.post(
            &format!("/api/v1/statuses/{self_reply}/pin"),
            Some(&alice.token),
            &[]
        )
        .await
        .status,
        200
    );
    assert_eq!(
        app.post(
            &format!("/api/v1/statuses/{plain}/pin"),
            Some(&alice.token),
            &[]
        )
        .await
        .status,
        200
    );
    let pinned = app.get(&get("?pinned=true"), None).await;
    assert_eq!(ids(&pinned.json()), vec![plain.clone(), self_reply.clone()]);
    assert!(pinned.header("link").unwrap().contains("pinned=true"));
    // false-ish values switch a filter off
    assert_eq!(
        ids(&app
            .get(&get("?only_media=0&pinned=false"), None)
            .await
            .json())
        .len(),
        5
    );
}

#[db_test]
async fn pagination_and_links(app: TestApp) {
    let alice = app.user("alice").await;
    let mut all = Vec::new();
    for i in 0..5 {
        all.push(status(&app, &alice.token, &format!("s{i}"), "public").await);
    }
    all.reverse();
    let base = format!(
        "https://woolly.test/api/v1/accounts/{}/statuses",
        alice.account_id
    );
    let res = app
        .get(&list(&alice.account_id, "?limit=2&only_media=false"), None)
        .await;
    assert_eq!(ids(&res.json()), all[..2].to_vec());
    assert_eq!(
        res.header("link").unwrap(),
        format!(
            "<{base}?limit=2&max_id={}&only_media=false>; rel=\"next\", \
             <{base}?limit=2&min_id={}&only_media=false>; rel=\"prev\"",
            all[1], all[0]
        )
    );
    let next = app
        .get(
            &list(&alice.account_id, &format!("?limit=2&max_id={}", all[1])),
            None,
        )
        .await;
    assert_eq!(ids(&next.json()), all[2..4].to_vec());
    let last = app
        .get(
            &list(&alice.account_id, &format!("?limit=2&max_id={}", all[3])),
            None,
        )
        .await;
    assert_eq!(ids(&last.json()), all[4..].to_vec());
    // not full: prev only
    let link = last.header("link").unwrap();
    assert!(
        !link.contains("rel=\"next\"") && link.contains("rel=\"prev\""),
        "{link}"
    );
    // min_id: the items just above the cursor, newest first
    let above = app
        .get(
            &list(&alice.account_id, &format!("?limit=2&min_id={}", all[4])),
            None,
        )
        .await;
    assert_eq!(ids(&above.json()), vec![all[2].clone(), all[3].clone()]);
    // since_id: the newest above the cursor
    let since = app
        .get(
            &list(&alice.account_id, &format!("?limit=2&since_id={}", all[4])),
            None,
        )
        .await;
    assert_eq!(ids(&since.json()), all[..2].to_vec());
    // empty page: no Link; exclude_direct is not carried
    let none = app
        .get(
            &list(&alice.account_id, &format!("?max_id={}", all[4])),
            None,
        )
        .await;
    assert_eq!(none.json(), serde_json::json!([]));
    assert!(none.header("link").is_none());
    let res = app
        .get(
            &list(&alice.account_id, "?limit=1&exclude_direct=true"),
            None,
        )
        .await;
    assert!(!res.header("link").unwrap().contains("exclude_direct"));
    // limit is capped at 40 and defaults to 20
    assert_eq!(
        ids(&app
            .get(&list(&alice.account_id, "?limit=abc"), None)
            .await
            .json())
        .len(),
        0
    );
}
