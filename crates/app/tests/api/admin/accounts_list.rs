//! GET /api/v1/admin/accounts and /api/v2/admin/accounts: every filter alone and combined,
//! v1's translation and defaults, 400s before 403s, pagination and Link headers.

use std::collections::BTreeSet;

use woolly_testkit::{TestApp, db_test, ids};

use super::support::{Spec, Staff, account_post, local, remote, staff};

struct World {
    s: Staff,
    alice: String,
    bob: String,
    carol: String,
    dave: String,
    erin: String,
    frank: String,
    zed: String,
    yan: String,
}

async fn act(app: &TestApp, s: &Staff, id: i64, kind: &str) {
    let res = account_post(
        app,
        &s.owner.token,
        id,
        "action",
        &[("type", kind), ("send_email_notification", "false")],
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.text());
}

async fn world(app: &TestApp) -> World {
    let s = staff(app).await;
    let alice = local(
        app,
        "alice",
        Spec {
            display_name: "Alice Wonder",
            ip: Some("10.0.0.5"),
            ..Spec::default()
        },
    )
    .await;
    let bob = local(app, "bob", Spec::pending()).await;
    let carol = local(app, "carol", Spec::default()).await;
    let dave = local(app, "dave", Spec::default()).await;
    let erin = local(app, "erin", Spec::default()).await;
    let frank = local(app, "frank", Spec::default()).await;
    let zed = remote(app, "zed", "remote.example").await;
    let yan = remote(app, "yan", "other.example").await;
    act(app, &s, carol, "suspend").await;
    act(app, &s, dave, "silence").await;
    act(app, &s, erin, "disable").await;
    act(app, &s, frank, "sensitive").await;
    World {
        s,
        alice: alice.to_string(),
        bob: bob.to_string(),
        carol: carol.to_string(),
        dave: dave.to_string(),
        erin: erin.to_string(),
        frank: frank.to_string(),
        zed: zed.to_string(),
        yan: yan.to_string(),
    }
}

async fn list(app: &TestApp, w: &World, query: &str) -> BTreeSet<String> {
    let res = app.get(query, Some(&w.s.moderator.token)).await;
    assert_eq!(res.status, 200, "{query}: {}", res.text());
    ids(&res.json()).into_iter().collect()
}

fn set(items: &[&String]) -> BTreeSet<String> {
    items.iter().map(|s| (*s).clone()).collect()
}

#[db_test]
async fn v2_filters_one_by_one_and_combined(app: TestApp) {
    let w = world(&app).await;
    let staff_ids = w.s.account_ids();
    let all = list(&app, &w, "/api/v2/admin/accounts").await;
    assert_eq!(
        all.len(),
        12,
        "no defaults in v2: suspended and remote included"
    );
    let mut locals = set(&[&w.alice, &w.bob, &w.carol, &w.dave, &w.erin, &w.frank]);
    locals.extend(staff_ids.iter().map(|s| (*s).clone()));
    assert_eq!(
        list(&app, &w, "/api/v2/admin/accounts?origin=local").await,
        locals
    );
    assert_eq!(
        list(&app, &w, "/api/v2/admin/accounts?origin=remote").await,
        set(&[&w.zed, &w.yan])
    );
    let mut active = all.clone();
    active.remove(&w.carol);
    assert_eq!(
        list(&app, &w, "/api/v2/admin/accounts?status=active").await,
        active
    );
    assert_eq!(
        list(&app, &w, "/api/v2/admin/accounts?status=pending").await,
        set(&[&w.bob])
    );
    assert_eq!(
        list(&app, &w, "/api/v2/admin/accounts?status=disabled").await,
        set(&[&w.erin])
    );
    assert_eq!(
        list(&app, &w, "/api/v2/admin/accounts?status=silenced").await,
        set(&[&w.dave])
    );
    assert_eq!(
        list(&app, &w, "/api/v2/admin/accounts?status=suspended").await,
        set(&[&w.carol])
    );
    assert_eq!(
        list(&app, &w, "/api/v2/admin/accounts?status=sensitized").await,
        set(&[&w.frank])
    );
    assert_eq!(
        list(&app, &w, "/api/v2/admin/accounts?username=AL").await,
        set(&[&w.alice])
    );
    assert_eq!(
        list(&app, &w, "/api/v2/admin/accounts?username=%20@ali").await,
        set(&[&w.alice])
    );
    assert_eq!(
        list(&app, &w, "/api/v2/admin/accounts?username=a_ice").await,
        set(&[&w.alice]),
        "_ is a wildcard"
    );
    assert_eq!(
        list(&app, &w, "/api/v2/admin/accounts?username=lice").await,
        set(&[]),
        "prefix only"
    );
    assert_eq!(
        list(&app, &w, "/api/v2/admin/accounts?display_name=alice%20w").await,
        set(&[&w.alice])
    );
    assert_eq!(
        list(&app, &w, "/api/v2/admin/accounts?email=ALICE@").await,
        set(&[&w.alice])
    );
    assert_eq!(
        list(&app, &w, "/api/v2/admin/accounts?email=zed").await,
        set(&[])
    );
    assert_eq!(
        list(&app, &w, "/api/v2/admin/accounts?ip=10.0.0.0/8").await,
        set(&[&w.alice])
    );
    assert_eq!(
        list(&app, &w, "/api/v2/admin/accounts?ip=10.0.0.5").await,
        set(&[&w.alice])
    );
    assert_eq!(
        list(&app, &w, "/api/v2/admin/accounts?ip=11.0.0.0/8").await,
        set(&[])
    );
    assert_eq!(
        list(&app, &w, "/api/v2/admin/accounts?ip=garbage").await,
        set(&[]),
        "invalid ip: empty, not an error"
    );
    assert_eq!(
        list(&app, &w, "/api/v2/admin/accounts?by_domain=remote.example").await,
        set(&[&w.zed])
    );
    assert_eq!(
        list(
            &app,
            &w,
            "/api/v2/admin/accounts?by_domain=%20remote.example%20&origin=remote"
        )
        .await,
        set(&[&w.zed])
    );
    assert_eq!(
        list(&app, &w, "/api/v2/admin/accounts?by_domain=REMOTE.example").await,
        set(&[]),
        "case-sensitive"
    );
    assert_eq!(
        list(
            &app,
            &w,
            "/api/v2/admin/accounts?by_domain=remote.example&origin=local"
        )
        .await,
        set(&[])
    );
    assert_eq!(
        list(&app, &w, "/api/v2/admin/accounts?role_ids[]=1").await,
        set(&[&w.s.moderator.account_id])
    );
    assert_eq!(
        list(&app, &w, "/api/v2/admin/accounts?role_ids[]=1&role_ids[]=3").await,
        set(&[&w.s.moderator.account_id, &w.s.owner.account_id])
    );
    assert_eq!(
        list(&app, &w, "/api/v2/admin/accounts?role_ids[]=-99").await,
        set(&[]),
        "everyone role is stored as NULL"
    );
    let staff_set = set(&[
        &w.s.moderator.account_id,
        &w.s.admin.account_id,
        &w.s.owner.account_id,
    ]);
    assert_eq!(
        list(&app, &w, "/api/v2/admin/accounts?permissions=staff").await,
        staff_set
    );
    assert_eq!(
        list(
            &app,
            &w,
            "/api/v2/admin/accounts?permissions=staff&role_ids[]=1"
        )
        .await,
        staff_set,
        "permissions overrides role_ids"
    );
    assert_eq!(
        list(&app, &w, "/api/v2/admin/accounts?permissions=other").await,
        all
    );
    // combined
    assert_eq!(
        list(
            &app,
            &w,
            "/api/v2/admin/accounts?origin=local&status=active&username=a"
        )
        .await,
        set(&[&w.alice, &w.s.admin.account_id])
    );
    assert_eq!(
        list(
            &app,
            &w,
            "/api/v2/admin/accounts?status=suspended&username=a"
        )
        .await,
        set(&[])
    );
    assert_eq!(
        list(
            &app,
            &w,
            "/api/v2/admin/accounts?status=active&permissions=staff&username=mo"
        )
        .await,
        set(&[&w.s.moderator.account_id])
    );
}

#[db_test]
async fn v2_invited_by_filters_on_the_inviting_user(app: TestApp) {
    let w = world(&app).await;
    let inviter_user = app
        .scalar_with(
            "SELECT id FROM users WHERE account_id = $1",
            &[w.alice.parse().unwrap_or_default()],
        )
        .await;
    let invite_id = app.state.next_id();
    app.sql_with(
        &format!(
            "INSERT INTO invites (id, user_id, code, created_at) VALUES ({invite_id}, $1, 'abc', 0)"
        ),
        &[inviter_user],
    )
    .await;
    app.sql_with(
        &format!("UPDATE users SET invite_id = {invite_id} WHERE account_id = $1"),
        &[w.bob.parse().unwrap_or_default()],
    )
    .await;
    let q = format!("/api/v2/admin/accounts?invited_by={inviter_user}");
    assert_eq!(list(&app, &w, &q).await, set(&[&w.bob]));
    let q = format!("/api/v2/admin/accounts?invited_by={}", w.alice);
    assert_eq!(
        list(&app, &w, &q).await,
        set(&[]),
        "the user id, not the account id"
    );
    let entity = app
        .get(
            &format!("/api/v1/admin/accounts/{}", w.bob),
            Some(&w.s.moderator.token),
        )
        .await
        .json();
    assert_eq!(entity["invited_by_account_id"], w.alice.as_str());
}

#[db_test]
async fn v2_unknown_values_are_400_before_the_permission_check(app: TestApp) {
    let w = world(&app).await;
    for (q, msg) in [
        ("origin=x", "Unknown origin: x"),
        ("status=nope", "Unknown status: nope"),
    ] {
        for token in [
            None,
            Some(w.s.user.token.as_str()),
            Some(w.s.moderator.token.as_str()),
        ] {
            let res = app.get(&format!("/api/v2/admin/accounts?{q}"), token).await;
            assert_eq!(res.status, 400);
            assert_eq!(res.error(), msg);
        }
    }
    let res = app.get("/api/v2/admin/accounts?origin=local", None).await;
    assert_eq!(res.status, 403);
}

#[db_test]
async fn v1_translation_and_defaults(app: TestApp) {
    let w = world(&app).await;
    let staff_ids = w.s.account_ids();
    let mut default = set(&[&w.alice, &w.bob, &w.dave, &w.erin, &w.frank]);
    default.extend(staff_ids.iter().map(|s| (*s).clone()));
    assert_eq!(
        list(&app, &w, "/api/v1/admin/accounts").await,
        default,
        "local, not suspended; pending and disabled included"
    );
    assert_eq!(
        list(&app, &w, "/api/v1/admin/accounts?local=true").await,
        default
    );
    assert_eq!(
        list(&app, &w, "/api/v1/admin/accounts?sensitized=true").await,
        default,
        "sensitized is ignored in v1"
    );
    assert_eq!(
        list(&app, &w, "/api/v1/admin/accounts?remote=true").await,
        set(&[&w.zed, &w.yan])
    );
    assert_eq!(
        list(&app, &w, "/api/v1/admin/accounts?remote=false").await,
        set(&[&w.zed, &w.yan]),
        "any value"
    );
    assert_eq!(
        list(&app, &w, "/api/v1/admin/accounts?pending=1").await,
        set(&[&w.bob])
    );
    assert_eq!(
        list(&app, &w, "/api/v1/admin/accounts?disabled=1").await,
        set(&[&w.erin])
    );
    assert_eq!(
        list(&app, &w, "/api/v1/admin/accounts?silenced=1").await,
        set(&[&w.dave])
    );
    assert_eq!(
        list(&app, &w, "/api/v1/admin/accounts?suspended=1").await,
        set(&[&w.carol])
    );
    assert_eq!(
        list(&app, &w, "/api/v1/admin/accounts?pending=1&suspended=1").await,
        set(&[&w.carol]),
        "last flag wins"
    );
    assert_eq!(
        list(&app, &w, "/api/v1/admin/accounts?suspended=1&active=1").await,
        set(&[&w.carol]),
        "fixed order, not param order"
    );
    assert_eq!(
        list(&app, &w, "/api/v1/admin/accounts?staff=1").await,
        set(&[
            &w.s.moderator.account_id,
            &w.s.admin.account_id,
            &w.s.owner.account_id
        ])
    );
    assert_eq!(
        list(&app, &w, "/api/v1/admin/accounts?by_domain=remote.example").await,
        set(&[]),
        "local default + domain"
    );
    assert_eq!(
        list(
            &app,
            &w,
            "/api/v1/admin/accounts?by_domain=remote.example&remote=1"
        )
        .await,
        set(&[&w.zed])
    );
    assert_eq!(
        list(&app, &w, "/api/v1/admin/accounts?username=ali").await,
        set(&[&w.alice])
    );
    assert_eq!(
        list(&app, &w, "/api/v1/admin/accounts?display_name=alice").await,
        set(&[&w.alice])
    );
    assert_eq!(
        list(&app, &w, "/api/v1/admin/accounts?email=alice").await,
        set(&[&w.alice])
    );
    assert_eq!(
        list(&app, &w, "/api/v1/admin/accounts?ip=10.0.0.5").await,
        set(&[&w.alice])
    );
    assert_eq!(
        list(&app, &w, "/api/v1/admin/accounts?username=carol").await,
        set(&[]),
        "suspended hidden by default"
    );
    assert_eq!(
        list(
            &app,
            &w,
            "/api/v1/admin/accounts?status=pending&origin=remote"
        )
        .await,
        default,
        "v2 keys are not v1 keys"
    );
}

fn links(header: &str) -> Vec<(String, String)> {
    header
        .split(", ")
        .filter_map(|l| {
            let (url, rel) = l.split_once("; rel=")?;
            Some((
                url.trim_matches(['<', '>']).to_owned(),
                rel.trim_matches('"').to_owned(),
            ))
        })
        .collect()
}

#[db_test]
async fn pagination_and_link_headers(app: TestApp) {
    let w = world(&app).await;
    let token = Some(w.s.moderator.token.as_str());
    let res = app
        .get(
            "/api/v2/admin/accounts?permissions=staff&role_ids[]=1&limit=2",
            token,
        )
        .await;
    let page: Vec<String> = ids(&res.json());
    assert_eq!(page.len(), 2);
    let l = links(&res.header("link").unwrap_or_default());
    assert_eq!(
        l[0].0,
        format!(
            "https://woolly.test/api/v2/admin/accounts?limit=2&max_id={}&permissions=staff",
            page[1]
        ),
        "role_ids[] is not carried"
    );
    let res = app
        .get(
            "/api/v2/admin/accounts?origin=local&limit=4&username=",
            token,
        )
        .await;
    let page: Vec<String> = ids(&res.json());
    assert_eq!(page.len(), 4);
    let mut sorted = page.clone();
    sorted.sort_by_key(|i| std::cmp::Reverse(i.parse::<i64>().unwrap_or_default()));
    assert_eq!(page, sorted, "id descending");
    let header = res.header("link").unwrap_or_default();
    let l = links(&header);
    assert_eq!(
        l[0],
        (
            format!(
                "https://woolly.test/api/v2/admin/accounts?limit=4&max_id={}&origin=local\
                 &username=",
                page[3]
            ),
            "next".into()
        )
    );
    assert_eq!(
        l[1],
        (
            format!(
                "https://woolly.test/api/v2/admin/accounts?limit=4&min_id={}&origin=local\
                 &username=",
                page[0]
            ),
            "prev".into()
        )
    );
    // walking `next` visits every local account once
    let mut seen = page.clone();
    let mut next = Some(l[0].0.replace("https://woolly.test", ""));
    while let Some(url) = next.take() {
        let res = app.get(&url, token).await;
        seen.extend(ids(&res.json()));
        next = res
            .header("link")
            .and_then(|h| links(&h).into_iter().find(|(_, r)| r == "next"))
            .map(|(u, _)| u.replace("https://woolly.test", ""));
    }
    assert_eq!(seen.len(), 10);
    // min_id: the items just above the cursor, still newest first
    let res = app
        .get(
            &format!(
                "/api/v2/admin/accounts?origin=local&limit=2&min_id={}",
                seen[9]
            ),
            token,
        )
        .await;
    assert_eq!(ids(&res.json()), vec![seen[7].clone(), seen[8].clone()]);
    // since_id: the newest above the cursor
    let res = app
        .get(
            &format!(
                "/api/v2/admin/accounts?origin=local&limit=2&since_id={}",
                seen[9]
            ),
            token,
        )
        .await;
    assert_eq!(ids(&res.json()), vec![seen[0].clone(), seen[1].clone()]);
    // a partial page has only prev; an empty one no Link
    let res = app
        .get("/api/v1/admin/accounts?remote=1&limit=5", token)
        .await;
    let l = links(&res.header("link").unwrap_or_default());
    assert_eq!(l.len(), 1);
    assert_eq!(l[0].1, "prev");
    assert!(l[0].0.contains("remote=1"));
    let res = app
        .get("/api/v1/admin/accounts?username=nobody", token)
        .await;
    assert!(res.header("link").is_none());
    // limits: default 100, max 200, abc → 0
    let res = app.get("/api/v2/admin/accounts?limit=abc", token).await;
    assert_eq!(ids(&res.json()).len(), 0);
    let res = app.get("/api/v2/admin/accounts?limit=500", token).await;
    assert_eq!(ids(&res.json()).len(), 12);
}

// A broad ip range walks accounts and probes their addresses; a narrow one collects its
// matches first (admin_accounts::plan_for). Both read the same pages, paginated alike.
#[db_test]
async fn both_ip_plans_answer_the_same_pages(app: TestApp) {
    use woolly::db::repo::admin_accounts::{
        AccountFilter, FilterPlan, filter_conditions, page_ids,
    };
    use woolly::domain::ip;
    use woolly::domain::page::Cursor;

    let mut made = Vec::new();
    for (i, addr) in [
        "10.0.0.5",
        "10.0.1.7",
        "10.2.0.1",
        "192.168.1.1",
        "10.0.0.9",
        "2001:db8::1",
    ]
    .iter()
    .enumerate()
    {
        let name = format!("user{i}");
        made.push(
            local(
                &app,
                &name,
                Spec {
                    ip: Some(addr),
                    ..Spec::default()
                },
            )
            .await,
        );
    }
    let _remote = remote(&app, "zed", "remote.example").await;
    for cidr in [
        "10.0.0.0/8",
        "10.0.0.0/16",
        "10.0.0.5/32",
        "192.168.0.0/16",
        "2001:db8::/32",
        "11.0.0.0/8",
    ] {
        let f = AccountFilter {
            ip: Some(ip::key_range(cidr)),
            ..AccountFilter::default()
        };
        let mut conn = app.state.db().conn().await.unwrap();
        let mut ex = conn.exec();
        let backend = ex.backend();
        for (max_id, limit) in [(None, 40), (None, 2), (made.get(3).copied(), 2)] {
            let cursor = Cursor {
                max_id,
                ..Cursor::first(limit)
            };
            let list = page_ids(
                &mut ex,
                filter_conditions(&f, FilterPlan { walk_ip: false }, backend),
                &cursor,
            )
            .await
            .unwrap();
            let walk = page_ids(
                &mut ex,
                filter_conditions(&f, FilterPlan { walk_ip: true }, backend),
                &cursor,
            )
            .await
            .unwrap();
            assert_eq!(list, walk, "{cidr} max_id={max_id:?} limit={limit}");
        }
        let all = page_ids(
            &mut ex,
            filter_conditions(&f, FilterPlan { walk_ip: true }, backend),
            &Cursor::first(40),
        )
        .await
        .unwrap();
        let expected = match cidr {
            "10.0.0.0/8" => 4,
            "10.0.0.0/16" => 3,
            "10.0.0.5/32" => 1,
            "192.168.0.0/16" | "2001:db8::/32" => 1,
            _ => 0,
        };
        assert_eq!(all.len(), expected, "{cidr}: {all:?}");
    }
}
