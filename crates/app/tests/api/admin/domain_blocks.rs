//! Server-wide domain moderation, as upstream: `/api/v1/admin/domain_blocks` and
//! `/api/v1/admin/domain_allows` (every endpoint, their errors, scopes, roles, pagination
//! and audit entries), `GET /api/v1/instance/domain_blocks` under its settings, and the
//! effects: existing accounts silenced, suspended (follows severed) and restored when the
//! block goes, nothing queued for a suspended domain, a signed activity from it refused with
//! nothing changed, and federation working again once the block is lifted.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use axum::http::Method;
use serde_json::Value;
use woolly::services::federation::outbound;
use woolly_testkit::{Backend, Fixture, TestApp, TestResponse, db_test, first_link_path};

use super::support::staff;
use crate::federation::flow::{
    Node, act, federating, owner, post_signed, relationship, resolve, serve, settle,
    update_credentials,
};

const BLOCKS: &str = "/api/v1/admin/domain_blocks";
const ALLOWS: &str = "/api/v1/admin/domain_allows";

async fn create(app: &TestApp, token: &str, pairs: &[(&str, &str)]) -> TestResponse {
    app.post(BLOCKS, Some(token), pairs).await
}

async fn created(app: &TestApp, token: &str, pairs: &[(&str, &str)]) -> Value {
    let r = create(app, token, pairs).await;
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()
}

async fn put(app: &TestApp, token: &str, id: &str, pairs: &[(&str, &str)]) -> TestResponse {
    app.form(Method::PUT, &format!("{BLOCKS}/{id}"), Some(token), pairs)
        .await
}

/// Audit entries of `action` on `target_type` naming `domain`.
async fn audited(app: &TestApp, action: &str, target_type: &str, domain: &str) -> i64 {
    app.scalar(&format!(
        "SELECT COUNT(*) FROM admin_action_logs WHERE action = '{action}' \
         AND target_type = '{target_type}' AND human_identifier = '{domain}'"
    ))
    .await
}

#[db_test]
async fn domain_blocks_crud_as_upstream(app: TestApp) {
    let own = app.owner("own").await;
    let t = own.token.as_str();
    let b = created(
        &app,
        t,
        &[
            ("domain", " Spam.Example "),
            ("severity", "suspend"),
            ("reject_media", "true"),
            ("private_comment", "for staff"),
            ("public_comment", "spam"),
            ("obfuscate", "1"),
        ],
    )
    .await;
    assert_eq!(b["domain"], "spam.example");
    assert_eq!(b["severity"], "suspend");
    assert_eq!(b["reject_media"], true);
    assert_eq!(b["reject_reports"], false);
    assert_eq!(b["private_comment"], "for staff");
    assert_eq!(b["public_comment"], "spam");
    assert_eq!(b["obfuscate"], true);
    // sha256("spam.example")
    assert_eq!(
        b["digest"].as_str().map(str::len),
        Some(64),
        "hex sha256: {b}"
    );
    let keys: Vec<&str> = b.as_object().unwrap().keys().map(String::as_str).collect();
    let mut want = vec![
        "id",
        "domain",
        "digest",
        "created_at",
        "severity",
        "reject_media",
        "reject_reports",
        "private_comment",
        "public_comment",
        "obfuscate",
    ];
    let mut got = keys.clone();
    got.sort_unstable();
    want.sort_unstable();
    assert_eq!(got, want);
    let id = b["id"].as_str().unwrap().to_owned();
    assert!(b["created_at"].as_str().unwrap().ends_with('Z'));
    let shown = app.get(&format!("{BLOCKS}/{id}"), Some(t)).await;
    assert_eq!(shown.status, 200);
    assert_eq!(shown.json(), b);

    // the same domain again, or a weaker block of a subdomain: 422 with the existing block
    for pairs in [
        vec![("domain", "spam.example"), ("severity", "noop")],
        vec![("domain", "sub.spam.example"), ("severity", "silence")],
        vec![("domain", "SPAM.example."), ("severity", "suspend")],
    ] {
        let r = create(&app, t, &pairs).await;
        assert_eq!(r.status, 422, "{pairs:?}: {}", r.text());
        assert_eq!(
            r.error(),
            "You have already imposed stricter limits on spam.example."
        );
        assert_eq!(r.json()["existing_domain_block"]["id"], id.as_str());
    }
    // a stricter block of a subdomain is allowed
    created(&app, t, &[("domain", "quiet.example")]).await;
    let sub = created(
        &app,
        t,
        &[("domain", "loud.quiet.example"), ("severity", "suspend")],
    )
    .await;
    assert_eq!(sub["severity"], "suspend");
    let weaker = create(
        &app,
        t,
        &[("domain", "x.quiet.example"), ("severity", "noop")],
    )
    .await;
    assert_eq!(weaker.status, 422);
    assert_eq!(
        weaker.json()["existing_domain_block"]["domain"],
        "quiet.example"
    );

    // validation
    let r = create(&app, t, &[("severity", "silence")]).await;
    assert_eq!(
        (r.status.as_u16(), r.error()),
        (422, "Validation failed: Domain can't be blank".into())
    );
    let r = create(&app, t, &[("domain", "not a domain")]).await;
    assert_eq!(
        (r.status.as_u16(), r.error()),
        (422, "Validation failed: Domain is invalid".into())
    );
    let r = create(&app, t, &[("domain", "ok.example"), ("severity", "ban")]).await;
    assert_eq!(
        (r.status.as_u16(), r.error()),
        (
            422,
            "Validation failed: Severity is not included in the list".into()
        )
    );

    // update: the given attributes change, the domain never
    let r = put(
        &app,
        t,
        &id,
        &[
            ("severity", "silence"),
            ("public_comment", "quieter"),
            ("domain", "other.example"),
            ("obfuscate", "false"),
        ],
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let u = r.json();
    assert_eq!(u["domain"], "spam.example");
    assert_eq!(u["severity"], "silence");
    assert_eq!(u["public_comment"], "quieter");
    assert_eq!(u["private_comment"], "for staff");
    assert_eq!(u["reject_media"], true);
    assert_eq!(u["obfuscate"], false);
    assert_eq!(u["created_at"], b["created_at"]);
    let r = put(&app, t, &id, &[("severity", "nope")]).await;
    assert_eq!(r.status, 422);

    // unknown ids
    for r in [
        app.get(&format!("{BLOCKS}/1"), Some(t)).await,
        put(&app, t, "1", &[("severity", "noop")]).await,
        app.delete(&format!("{BLOCKS}/1"), Some(t)).await,
        app.get(&format!("{BLOCKS}/abc"), Some(t)).await,
    ] {
        assert_eq!(r.status, 404, "{}", r.text());
    }

    // delete
    let r = app.delete(&format!("{BLOCKS}/{id}"), Some(t)).await;
    assert_eq!((r.status.as_u16(), r.json()), (200, serde_json::json!({})));
    assert_eq!(
        app.get(&format!("{BLOCKS}/{id}"), Some(t)).await.status,
        404
    );

    // every change is in the audit trail, with upstream's action names
    assert_eq!(
        audited(&app, "create", "DomainBlock", "spam.example").await,
        1
    );
    assert_eq!(
        audited(&app, "update", "DomainBlock", "spam.example").await,
        1
    );
    assert_eq!(
        audited(&app, "destroy", "DomainBlock", "spam.example").await,
        1
    );
    let log = app
        .get("/api/v1/admin/action_logs?action=create", Some(t))
        .await
        .json();
    assert!(
        log.as_array()
            .unwrap()
            .iter()
            .any(|e| e["target_type"] == "DomainBlock" && e["human_identifier"] == "spam.example"),
        "{log}"
    );
}

#[db_test]
async fn domain_moderation_needs_its_scopes_and_manage_federation(app: TestApp) {
    let s = staff(&app).await;
    let id = created(&app, &s.owner.token, &[("domain", "a.example")]).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let allow = app
        .post(ALLOWS, Some(&s.owner.token), &[("domain", "b.example")])
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let no_admin = app.user_with("noadmin", Some("Owner"), "read write").await;
    let reader = app
        .user_with(
            "reader",
            Some("Owner"),
            "admin:read:domain_blocks admin:read:domain_allows",
        )
        .await;
    let writer = app
        .user_with(
            "writer",
            Some("Owner"),
            "admin:write:domain_blocks admin:write:domain_allows",
        )
        .await;
    let cases: Vec<(Method, String)> = vec![
        (Method::GET, BLOCKS.into()),
        (Method::GET, format!("{BLOCKS}/{id}")),
        (Method::POST, BLOCKS.into()),
        (Method::PUT, format!("{BLOCKS}/{id}")),
        (Method::DELETE, format!("{BLOCKS}/{id}")),
        (Method::GET, ALLOWS.into()),
        (Method::GET, format!("{ALLOWS}/{allow}")),
        (Method::POST, ALLOWS.into()),
        (Method::DELETE, format!("{ALLOWS}/{allow}")),
    ];
    for (method, path) in &cases {
        let read = *method == Method::GET;
        let pairs: &[(&str, &str)] = &[("domain", "c.example"), ("severity", "noop")];
        let status = |r: TestResponse| r.status.as_u16();
        // no token: the nobody role (403, never 401)
        assert_eq!(
            status(app.form(method.clone(), path, None, pairs).await),
            403,
            "{method} {path}"
        );
        let r = app
            .form(method.clone(), path, Some(&no_admin.token), pairs)
            .await;
        assert_eq!(
            (r.status.as_u16(), r.error()),
            (403, "This action is outside the authorized scopes".into()),
            "{method} {path}"
        );
        // granular scopes: read for reads, write for writes
        let (good, bad) = if read {
            (&reader, &writer)
        } else {
            (&writer, &reader)
        };
        assert_eq!(
            status(
                app.form(method.clone(), path, Some(&bad.token), pairs)
                    .await
            ),
            403,
            "{method} {path}"
        );
        // without manage_federation (a plain user, a Moderator): not allowed
        for who in [&s.user, &s.moderator] {
            let r = app
                .form(method.clone(), path, Some(&who.token), pairs)
                .await;
            assert_eq!(
                (r.status.as_u16(), r.error()),
                (403, "This action is not allowed".into()),
                "{method} {path} as {}",
                who.username
            );
        }
        if read {
            assert_eq!(
                status(
                    app.form(method.clone(), path, Some(&good.token), pairs)
                        .await
                ),
                200,
                "{method} {path}"
            );
            assert_eq!(
                status(
                    app.form(method.clone(), path, Some(&s.admin.token), pairs)
                        .await
                ),
                200,
                "{method} {path}"
            );
        }
    }
    // an unknown record is 404 before the permission check (upstream finds it first)
    let r = app
        .get(&format!("{BLOCKS}/12345"), Some(&s.user.token))
        .await;
    assert_eq!(r.status, 404);
    // an Admin may change them
    let r = put(&app, &s.admin.token, &id, &[("severity", "suspend")]).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let r = app
        .delete(&format!("{BLOCKS}/{id}"), Some(&s.admin.token))
        .await;
    assert_eq!(r.status, 200);
}

#[db_test]
async fn domain_block_lists_page_newest_first(app: TestApp) {
    let own = app.owner("own").await;
    let t = own.token.as_str();
    let mut ids = Vec::new();
    for d in ["one.example", "two.example", "three.example"] {
        ids.push(
            created(&app, t, &[("domain", d)]).await["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let r = app.get(&format!("{BLOCKS}?limit=2"), Some(t)).await;
    let page = r.json();
    let domains: Vec<&str> = page
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["domain"].as_str().unwrap())
        .collect();
    assert_eq!(domains, ["three.example", "two.example"]);
    let link = r.header("link").expect("link header");
    assert!(link.contains(&format!("max_id={}", ids[1])), "{link}");
    assert!(link.contains(&format!("min_id={}", ids[2])), "{link}");
    assert!(link.contains("limit=2"), "{link}");
    let next = app.get(&first_link_path(&link), Some(t)).await.json();
    assert_eq!(next.as_array().unwrap().len(), 1);
    assert_eq!(next[0]["id"], ids[0].as_str());
    // min_id pages are newest first too
    let newer = app
        .get(&format!("{BLOCKS}?min_id={}", ids[0]), Some(t))
        .await
        .json();
    assert_eq!(newer[0]["id"], ids[2].as_str());
    assert_eq!(newer[1]["id"], ids[1].as_str());

    // allows page the same way
    for d in ["a.example", "b.example", "c.example"] {
        app.post(ALLOWS, Some(t), &[("domain", d)]).await;
    }
    let r = app.get(&format!("{ALLOWS}?limit=2"), Some(t)).await;
    assert_eq!(r.json()[0]["domain"], "c.example");
    assert_eq!(r.array_len(), Some(2));
    assert!(r.header("link").is_some_and(|l| l.contains("max_id=")));
}

#[db_test]
async fn domain_allows_as_upstream(app: TestApp) {
    let own = app.owner("own").await;
    let t = own.token.as_str();
    let r = app
        .post(ALLOWS, Some(t), &[("domain", "Friends.Example")])
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let a = r.json();
    assert_eq!(a["domain"], "friends.example");
    let mut keys: Vec<&String> = a.as_object().unwrap().keys().collect();
    keys.sort_unstable();
    assert_eq!(keys, ["created_at", "domain", "id"]);
    let id = a["id"].as_str().unwrap().to_owned();
    // the same domain again answers the existing allow, with no second audit entry
    let again = app
        .post(ALLOWS, Some(t), &[("domain", "friends.example")])
        .await;
    assert_eq!((again.status.as_u16(), again.json()), (200, a.clone()));
    assert_eq!(
        audited(&app, "create", "DomainAllow", "friends.example").await,
        1
    );
    assert_eq!(app.get(&format!("{ALLOWS}/{id}"), Some(t)).await.json(), a);
    assert_eq!(app.get(ALLOWS, Some(t)).await.json()[0], a);
    let r = app.post(ALLOWS, Some(t), &[]).await;
    assert_eq!(
        (r.status.as_u16(), r.error()),
        (422, "Validation failed: Domain can't be blank".into())
    );
    let r = app.post(ALLOWS, Some(t), &[("domain", "a/b c")]).await;
    assert_eq!(r.status, 422);
    assert_eq!(app.get(&format!("{ALLOWS}/9"), Some(t)).await.status, 404);
    assert_eq!(
        app.delete(&format!("{ALLOWS}/9"), Some(t)).await.status,
        404
    );
    let r = app.delete(&format!("{ALLOWS}/{id}"), Some(t)).await;
    assert_eq!((r.status.as_u16(), r.json()), (200, serde_json::json!({})));
    assert_eq!(
        app.get(&format!("{ALLOWS}/{id}"), Some(t)).await.status,
        404
    );
    assert_eq!(
        audited(&app, "destroy", "DomainAllow", "friends.example").await,
        1
    );
}

#[db_test]
async fn instance_domain_blocks_are_hidden_by_default(app: TestApp) {
    let own = app.owner("own").await;
    created(&app, &own.token, &[("domain", "spam.example")]).await;
    // upstream's default `show_domain_blocks: disabled`: an empty 404 for everyone
    for token in [None, Some(own.token.as_str())] {
        let r = app.get("/api/v1/instance/domain_blocks", token).await;
        assert_eq!(r.status, 404);
    }
}

#[db_test(config = |c| {
    c.show_domain_blocks = woolly::config::Disclosure::All;
    c.show_domain_blocks_rationale = woolly::config::Disclosure::Users;
})]
async fn instance_domain_blocks_as_the_settings_say(app: TestApp) {
    let own = app.owner("own").await;
    let t = own.token.as_str();
    for pairs in [
        vec![
            ("domain", "zeta.example"),
            ("severity", "suspend"),
            ("public_comment", "spam"),
        ],
        vec![
            ("domain", "example.net"),
            ("severity", "silence"),
            ("obfuscate", "true"),
        ],
        vec![("domain", "alpha.example"), ("severity", "suspend")],
        vec![
            ("domain", "noop.example"),
            ("severity", "noop"),
            ("reject_media", "true"),
        ],
    ] {
        created(&app, t, &pairs).await;
    }
    let anonymous = app.get("/api/v1/instance/domain_blocks", None).await;
    assert_eq!(anonymous.status, 200);
    let list = anonymous.json();
    // silences first, then suspensions, by domain; no noop
    let domains: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["domain"].as_str().unwrap())
        .collect();
    assert_eq!(domains, ["exa****.*et", "alpha.example", "zeta.example"]);
    assert_eq!(list[0]["severity"], "silence");
    assert_eq!(list[2]["severity"], "suspend");
    // the digest is of the real domain
    assert_eq!(
        list[0]["digest"],
        "3daab7cff97925bbd07d11df5dc3b0e37e2d965520175ada0ec62ce72cda5ed2"
    );
    // rationale for users only
    assert_eq!(list[2]["comment"], Value::Null);
    let signed_in = app
        .get("/api/v1/instance/domain_blocks", Some(&own.token))
        .await
        .json();
    assert_eq!(signed_in[2]["comment"], "spam");
    assert_eq!(signed_in[1]["comment"], Value::Null);
}

/// 1 when account `$1` is suspended by exactly the block made at `$2`.
const SUSPENDED_AT: &str = "SELECT COUNT(*) FROM accounts WHERE id = $1 AND suspended_at = $2 AND suspension_origin = 'local'";
const SILENCED_AT: &str = "SELECT COUNT(*) FROM accounts WHERE id = $1 AND silenced_at = $2";
const LIMITED: &str = "SELECT COUNT(*) FROM accounts WHERE id = $1 \
                       AND (suspended_at IS NOT NULL OR silenced_at IS NOT NULL)";

async fn block_time(app: &TestApp, domain: &str) -> i64 {
    app.scalar(&format!(
        "SELECT created_at FROM domain_blocks WHERE domain = '{domain}'"
    ))
    .await
}

async fn follows_of(app: &TestApp, id: i64) -> i64 {
    app.scalar_with(
        "SELECT COUNT(*) FROM follows WHERE account_id = $1 OR target_account_id = $1",
        &[id],
    )
    .await
}

/// Queues a delivery from `from` to `inbox` the way every sender does; the deliveries now
/// waiting for `inbox`.
async fn queue_delivery(app: &TestApp, from: &Fixture, inbox: &str) -> i64 {
    let mut tx = app.state.db().begin().await.expect("tx");
    let doc = serde_json::json!({"id": "https://woolly.test/x", "type": "Follow"});
    outbound::deliver(
        &app.state,
        &mut tx.exec(),
        from.account_id.parse().expect("id"),
        inbox,
        &doc,
    )
    .await
    .expect("queue");
    tx.commit().await.expect("commit");
    app.scalar(&format!(
        "SELECT COUNT(*) FROM federation_jobs WHERE kind = 'deliver' AND target_url = '{inbox}'"
    ))
    .await
}

#[db_test]
async fn blocks_limit_existing_accounts_and_their_removal_restores_them(app: TestApp) {
    let own = app.owner("own").await;
    let t = own.token.as_str();
    let alice = app.user("alice").await;
    let id = |s: String| s.parse::<i64>().unwrap();
    let spam = id(app.remote_account("spammer", "spam.example", false).await);
    let sub = id(app.remote_account("sub", "a.spam.example", false).await);
    let ported = id(app
        .remote_account("ported", "spam.example:8443", false)
        .await);
    let other = id(app.remote_account("other", "other.example", false).await);
    let before = id(app.remote_account("before", "spam.example", false).await);
    app.sql_with(
        "UPDATE accounts SET suspended_at = 5, suspension_origin = 'local' WHERE id = $1",
        &[before],
    )
    .await;
    app.follow_row(&alice.account_id, spam).await;
    app.follow_row(spam, &alice.account_id).await;
    app.follow_row(&alice.account_id, other).await;

    // a suspension: the domain's accounts (subdomains and ports too) suspended, follows gone
    let b = created(
        &app,
        t,
        &[("domain", "spam.example"), ("severity", "suspend")],
    )
    .await;
    let at = block_time(&app, "spam.example").await;
    for acct in [spam, sub, ported] {
        assert_eq!(
            app.scalar_with(SUSPENDED_AT, &[acct, at]).await,
            1,
            "{acct}"
        );
    }
    assert_eq!(app.scalar_with(SUSPENDED_AT, &[before, 5]).await, 1);
    assert_eq!(app.scalar_with(LIMITED, &[other]).await, 0);
    assert_eq!(follows_of(&app, spam).await, 0);
    assert_eq!(follows_of(&app, other).await, 1);

    // nothing is queued for the domain or its subdomains; others still are
    assert_eq!(
        queue_delivery(&app, &alice, "https://spam.example/inbox").await,
        0
    );
    assert_eq!(
        queue_delivery(&app, &alice, "https://a.spam.example/inbox").await,
        0
    );
    assert_eq!(
        queue_delivery(&app, &alice, "https://other.example/inbox").await,
        1
    );

    // lifting it restores what it suspended, and only that
    let r = app
        .delete(&format!("{BLOCKS}/{}", b["id"].as_str().unwrap()), Some(t))
        .await;
    assert_eq!(r.status, 200);
    for acct in [spam, sub, ported] {
        assert_eq!(app.scalar_with(LIMITED, &[acct]).await, 0, "{acct}");
    }
    assert_eq!(app.scalar_with(SUSPENDED_AT, &[before, 5]).await, 1);
    assert_eq!(
        queue_delivery(&app, &alice, "https://spam.example/inbox").await,
        1
    );

    // a silence, made a suspension, then lifted
    let b = created(
        &app,
        t,
        &[("domain", "other.example"), ("reject_media", "true")],
    )
    .await;
    let at = block_time(&app, "other.example").await;
    assert_eq!(app.scalar_with(SILENCED_AT, &[other, at]).await, 1);
    assert_eq!(follows_of(&app, other).await, 1, "a silence keeps follows");
    let bid = b["id"].as_str().unwrap();
    put(&app, t, bid, &[("severity", "suspend")]).await;
    assert_eq!(app.scalar_with(SUSPENDED_AT, &[other, at]).await, 1);
    assert_eq!(app.scalar_with(SILENCED_AT, &[other, at]).await, 0);
    assert_eq!(follows_of(&app, other).await, 0);
    put(&app, t, bid, &[("severity", "noop")]).await;
    assert_eq!(app.scalar_with(LIMITED, &[other]).await, 0);
    put(&app, t, bid, &[("severity", "silence")]).await;
    assert_eq!(app.scalar_with(SILENCED_AT, &[other, at]).await, 1);
    app.delete(&format!("{BLOCKS}/{bid}"), Some(t)).await;
    assert_eq!(app.scalar_with(LIMITED, &[other]).await, 0);
}

#[db_test(config = |c| { c.limited_federation = true; })]
async fn limited_federation_delivers_to_allowed_domains_only(app: TestApp) {
    let own = app.owner("own").await;
    let alice = app.user("alice").await;
    assert_eq!(
        app.get("/api/v2/instance", None).await.json()["configuration"]["limited_federation"],
        true
    );
    assert_eq!(
        queue_delivery(&app, &alice, "https://friends.example/inbox").await,
        0
    );
    let r = app
        .post(ALLOWS, Some(&own.token), &[("domain", "friends.example")])
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        queue_delivery(&app, &alice, "https://friends.example/inbox").await,
        1
    );
    assert_eq!(
        queue_delivery(&app, &alice, "https://a.friends.example/inbox").await,
        1
    );
    assert_eq!(
        queue_delivery(&app, &alice, "https://strangers.example/inbox").await,
        0
    );
}

/// The inbox jobs `on` holds.
async fn inbox_jobs(on: &Node) -> i64 {
    on.app
        .scalar("SELECT COUNT(*) FROM federation_jobs WHERE kind = 'inbox'")
        .await
}

async fn display_name(on: &Node, viewer: &Fixture, id: &str) -> Value {
    on.app
        .get(&format!("/api/v1/accounts/{id}"), Some(&viewer.token))
        .await
        .json()["display_name"]
        .clone()
}

/// Two servers: `x` moderates `y`'s domain. A silence lets federation on and limits the
/// account when it is first fetched; a suspension severs the follow, refuses `y`'s signed
/// activities (403, nothing queued or changed) and queues nothing for `y`; lifting it lets
/// them federate again.
#[db_test(config = federating)]
async fn a_blocked_domain_stops_federating_until_unblocked(app: TestApp) {
    let y = match app.backend {
        Backend::Sqlite => TestApp::sqlite_with(federating).await,
        Backend::Postgres => TestApp::postgres_with(federating).await,
    };
    let (x, y) = (serve(app), serve(y));
    let moderator = owner(&x, "boss").await;
    let carol = x.app.user("carol").await;
    let alice = y.app.user("alice").await;
    settle(&x, &y).await;

    // a silence applies to the account when it is first fetched
    let r = create(
        &x.app,
        &moderator.token,
        &[("domain", y.domain.as_str()), ("severity", "silence")],
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let block_id = r.json()["id"].as_str().unwrap().to_owned();
    let at = block_time(&x.app, &y.domain).await;
    let alice_on_x = resolve(&x, &carol, &format!("alice@{}", y.domain)).await;
    let alice_id: i64 = alice_on_x.parse().unwrap();
    assert_eq!(x.app.scalar_with(SILENCED_AT, &[alice_id, at]).await, 1);
    // … and does not stop federation
    act(&x, &carol, &alice_on_x, "follow").await;
    settle(&x, &y).await;
    assert_eq!(
        relationship(&x, &carol, &alice_on_x).await["following"],
        true
    );

    // a suspension
    let r = put(
        &x.app,
        &moderator.token,
        &block_id,
        &[("severity", "suspend")],
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(x.app.scalar_with(SUSPENDED_AT, &[alice_id, at]).await, 1);
    // the follow is severed (a suspended account has no relationship to show)
    assert_eq!(x.app.scalar("SELECT COUNT(*) FROM follows").await, 0);

    // a signed activity from the domain: 403, nothing queued
    let before = inbox_jobs(&x).await;
    let alice_uri = format!("http://{}/users/alice", y.domain);
    let follow = serde_json::json!({"@context": "https://www.w3.org/ns/activitystreams", "id": format!("{alice_uri}#blocked-follow"), "type": "Follow", "actor": alice_uri, "object": format!("http://{}/users/carol", x.domain)}).to_string();
    assert_eq!(
        post_signed(&y, &x, &alice, follow.as_bytes(), false).await,
        403
    );
    assert_eq!(inbox_jobs(&x).await, before);
    // a profile update on y does not reach x
    let name_before = display_name(&x, &carol, &alice_on_x).await;
    update_credentials(&y, &alice, &[("display_name", "Alice Blocked")]).await;
    settle(&x, &y).await;
    assert_eq!(display_name(&x, &carol, &alice_on_x).await, name_before);
    assert_eq!(
        x.app.scalar("SELECT COUNT(*) FROM follows").await,
        0,
        "nothing was applied"
    );
    // nothing goes out to y: a follow is refused (the account is suspended), a profile
    // change of carol queues nothing for y
    assert_eq!(act(&x, &carol, &alice_on_x, "follow").await.status, 404);
    update_credentials(&x, &carol, &[("display_name", "Carol")]).await;
    let to_y = format!(
        "SELECT COUNT(*) FROM federation_jobs WHERE target_url LIKE '%{}%'",
        y.domain
    );
    settle(&x, &y).await;
    assert_eq!(x.app.scalar(&to_y).await, 0);

    // lifted: the account is back and federation works again
    let r = x
        .app
        .delete(&format!("{BLOCKS}/{block_id}"), Some(&moderator.token))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(x.app.scalar_with(LIMITED, &[alice_id]).await, 0);
    let r = act(&x, &carol, &alice_on_x, "follow").await;
    assert_eq!(r.status, 200, "{}", r.text());
    settle(&x, &y).await;
    assert_eq!(
        relationship(&x, &carol, &alice_on_x).await["following"],
        true
    );
    update_credentials(&y, &alice, &[("display_name", "Alice Again")]).await;
    settle(&x, &y).await;
    assert_eq!(display_name(&x, &carol, &alice_on_x).await, "Alice Again");
}

/// Accounts whose counters disagree with their follow rows.
const MISCOUNTED: &str = "SELECT COUNT(*) FROM accounts a WHERE \
     a.following_count <> (SELECT COUNT(*) FROM follows f WHERE f.account_id = a.id) \
     OR a.followers_count <> (SELECT COUNT(*) FROM follows f WHERE f.target_account_id = a.id)";

/// A suspension severs every follow and follow request of the domain's accounts in a few
/// statements, both ways and between two of them, and leaves every counter equal to the rows.
#[db_test]
async fn a_suspension_severs_follows_both_ways_and_keeps_the_counters(app: TestApp) {
    let own = app.owner("own").await;
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    let id = |s: String| s.parse::<i64>().unwrap();
    let spam = id(app.remote_account("spammer", "spam.example", false).await);
    let sub = id(app.remote_account("sub", "a.spam.example", false).await);
    let other = id(app.remote_account("other", "other.example", false).await);
    for (from, to) in [
        (alice.account_id.clone(), spam.to_string()),
        (spam.to_string(), alice.account_id.clone()),
        (spam.to_string(), sub.to_string()),
        (sub.to_string(), spam.to_string()),
        (sub.to_string(), bob.account_id.clone()),
        (alice.account_id.clone(), other.to_string()),
        (bob.account_id.clone(), alice.account_id.clone()),
    ] {
        app.follow_row(&from, &to).await;
    }
    app.sql_with(
        "INSERT INTO follow_requests (id, account_id, target_account_id, created_at) VALUES ($1, $2, $3, 0)",
        &[app.state.next_id(), spam, bob.account_id.parse::<i64>().unwrap()],
    )
    .await;
    app.sql(
        "UPDATE accounts SET \
         following_count = (SELECT COUNT(*) FROM follows f WHERE f.account_id = accounts.id), \
         followers_count = (SELECT COUNT(*) FROM follows f WHERE f.target_account_id = accounts.id)",
    )
    .await;
    assert_eq!(app.scalar(MISCOUNTED).await, 0);

    created(
        &app,
        own.token.as_str(),
        &[("domain", "spam.example"), ("severity", "suspend")],
    )
    .await;
    assert_eq!(
        app.scalar(MISCOUNTED).await,
        0,
        "every counter follows its rows"
    );
    for gone in [spam, sub] {
        assert_eq!(follows_of(&app, gone).await, 0, "{gone}");
    }
    assert_eq!(app.scalar("SELECT COUNT(*) FROM follow_requests").await, 0);
    // What did not involve the domain stays: alice → other, bob → alice.
    assert_eq!(app.scalar("SELECT COUNT(*) FROM follows").await, 2);
    let alice_counts = app
        .get(&format!("/api/v1/accounts/{}", alice.account_id), None)
        .await
        .json();
    assert_eq!(alice_counts["following_count"], 1);
    assert_eq!(alice_counts["followers_count"], 1);
}
