//! The inline read path (`*_inline` functions; rusqlite on SQLite) returns exactly what the
//! sqlx path returns, for every inline read and every kind of row it may meet: one table of
//! reads, each run both ways on the same data.

use std::collections::BTreeMap;

use woolly::db::Db;
use woolly::db::query::Arg;
use woolly::db::repo::explain::{self, sqlite_full_scans};
use woolly::db::repo::follows::Side;
use woolly::db::repo::relationships::{GraphFacts, TargetCheck};
use woolly::db::repo::{accounts, blocks, follows, relationships, viewers};
use woolly::domain::page::Cursor;
use woolly::domain::secrets;
use woolly_testkit::{TestApp, db_test};

use crate::admin::support::{self, Spec};
use crate::oauth::support::{app_token, register};

/// Every inline read of the code base (grep `reads.with` in `db/`), with its arguments.
#[derive(Debug)]
enum Read {
    Account(i64),
    Accounts(Vec<i64>),
    Viewer(String),
    Facts(i64, Vec<i64>, bool),
    Blocks(i64, i64),
    FollowPage(Side, i64, Option<i64>, Cursor),
    FollowRequests(i64),
}

/// The read's answer on the inline path and on the sqlx path, as comparable text.
async fn both_ways(db: &Db, read: &Read) -> Result<(String, String), sqlx::Error> {
    let mut conn = db.conn().await?;
    let ex = &mut conn.exec();
    let now = 1_000;
    Ok(match read {
        Read::Account(id) => (
            format!("{:?}", accounts::find_inline(db, *id).await?),
            format!("{:?}", accounts::find(ex, *id).await?),
        ),
        Read::Accounts(ids) => (
            format!("{:?}", sorted(accounts::find_many_inline(db, ids).await?)),
            format!("{:?}", sorted(accounts::find_many(ex, ids).await?)),
        ),
        Read::Viewer(token) => {
            let digest = secrets::digest(token);
            (
                format!("{:?}", viewers::find_inline(db, &digest).await?),
                format!("{:?}", viewers::find(ex, &digest).await?),
            )
        }
        Read::Facts(viewer, ids, with_suspended) => {
            let check = TargetCheck {
                with_suspended: *with_suspended,
            };
            let inline =
                relationships::facts_of_existing_inline(db, *viewer, ids, check, now).await?;
            let pooled = relationships::facts_of_existing(ex, *viewer, ids, check, now).await?;
            (canonical(&inline), canonical(&pooled))
        }
        Read::Blocks(a, b) => (
            format!("{:?}", blocks::exists_inline(db, *a, *b).await?),
            format!("{:?}", blocks::exists(ex, *a, *b).await?),
        ),
        Read::FollowPage(side, target, viewer, cursor) => (
            format!(
                "{:?}",
                follows::page_inline(db, *side, *target, *viewer, cursor, now).await?
            ),
            format!(
                "{:?}",
                follows::page(ex, *side, *target, *viewer, cursor, now).await?
            ),
        ),
        Read::FollowRequests(id) => (
            format!(
                "{:?}",
                follows::follow_requests_count_inline(db, *id).await?
            ),
            format!("{:?}", follows::follow_requests_count(ex, *id).await?),
        ),
    })
}

fn sorted(mut records: Vec<accounts::AccountRecord>) -> Vec<accounts::AccountRecord> {
    records.sort_by_key(|r| r.account.id);
    records
}

/// The facts with their sets and maps in key order (hash order differs run to run).
fn canonical(f: &GraphFacts) -> String {
    let set = |s: &std::collections::HashSet<i64>| {
        s.iter().copied().collect::<std::collections::BTreeSet<_>>()
    };
    let following: BTreeMap<_, _> = f
        .following
        .iter()
        .map(|(k, v)| (k, format!("{v:?}")))
        .collect();
    let requested: BTreeMap<_, _> = f
        .requested
        .iter()
        .map(|(k, v)| (k, format!("{v:?}")))
        .collect();
    let muting: BTreeMap<_, _> = f.muting.iter().collect();
    let notes: BTreeMap<_, _> = f.notes.iter().collect();
    let domains: std::collections::BTreeSet<_> = f.domain_blocking.iter().collect();
    format!(
        "{following:?} {requested:?} {:?} {:?} {:?} {:?} {muting:?} {:?} {notes:?} {domains:?} {:?}",
        set(&f.followed_by),
        set(&f.requested_by),
        set(&f.blocking),
        set(&f.blocked_by),
        set(&f.endorsed),
        f.targets,
    )
}

#[db_test]
async fn every_inline_read_matches_the_sqlx_path(app: TestApp) {
    let owner = app.user_with("boss", Some("Owner"), "read write").await;
    let plain = app.user("plain").await;
    let me = owner.account_id.parse::<i64>().unwrap();
    let other = plain.account_id.parse::<i64>().unwrap();
    let pending = support::local(
        &app,
        "waiting",
        Spec {
            pending: true,
            ..Spec::default()
        },
    )
    .await;
    let remote = support::remote(&app, "far", "remote.example").await;
    let gone = support::local(&app, "leaving", Spec::default()).await;
    let quiet = support::local(&app, "quiet", Spec::default()).await;
    app.sql(&format!(
        "INSERT INTO account_deletion_requests (id, account_id, created_at) VALUES (1, {gone}, 5)"
    ))
    .await;
    app.sql(&format!("UPDATE accounts SET suspended_at = 7, suspension_origin = 'local', silenced_at = 8, \
        moved_to_account_id = {remote}, note = 'x', fields = '[{{\"name\":\"a\",\"value\":\"b\"}}]', \
        last_status_at = 9, hide_collections = TRUE, discoverable = FALSE WHERE id = {pending}")).await;
    app.sql(&format!("UPDATE users SET locale = 'de', unconfirmed_email = 'n@example.com' WHERE account_id = {other}")).await;
    // A graph around `me`: every kind of fact, both ways.
    for (table, id, from, to) in [
        ("follows", 11, me, other),
        ("follows", 12, other, me),
        ("follows", 13, remote, me),
        ("follows", 14, quiet, me),
        ("follows", 15, pending, me),
        ("follow_requests", 21, me, remote),
        ("follow_requests", 22, quiet, other),
        ("follow_requests", 23, other, me),
        ("blocks", 31, me, quiet),
        ("blocks", 32, gone, me),
        ("account_pins", 41, me, other),
    ] {
        app.sql(&format!("INSERT INTO {table} (id, account_id, target_account_id, created_at) VALUES ({id}, {from}, {to}, 3)")).await;
    }
    app.sql("UPDATE follows SET show_reblogs = FALSE, notify = TRUE, languages = '[\"de\"]' WHERE id = 11").await;
    app.sql(&format!("INSERT INTO mutes (id, account_id, target_account_id, hide_notifications, expires_at, created_at) \
        VALUES (51, {me}, {remote}, TRUE, NULL, 3), (52, {me}, {quiet}, FALSE, 5000, 3), (53, {me}, {other}, FALSE, 10, 3)")).await;
    app.sql(&format!("INSERT INTO account_notes (id, account_id, target_account_id, comment, created_at, updated_at) \
        VALUES (61, {me}, {remote}, 'far away', 3, 3)")).await;
    app.sql(&format!("INSERT INTO account_domain_blocks (id, account_id, domain, created_at) VALUES (71, {me}, 'remote.example', 3)")).await;
    // An app token (no user) from the client-credentials grant.
    let client = register(&app, "urn:ietf:wg:oauth:2.0:oob", "read").await;
    let app_token = app_token(&app, &client, Some("read")).await;

    let all = vec![me, other, pending, remote, gone, quiet, 424242];
    let mut reads = vec![
        Read::Accounts(all.clone()),
        Read::Accounts(vec![]),
        Read::Facts(me, all.clone(), false),
        Read::Facts(me, all.clone(), true),
        Read::Facts(other, vec![me, quiet], false),
        Read::Facts(me, vec![], false),
    ];
    reads.extend(all.iter().map(|id| Read::Account(*id)));
    reads.extend(all.iter().map(|id| Read::FollowRequests(*id)));
    for token in [&owner.token, &plain.token, &app_token, "unknown"] {
        reads.push(Read::Viewer(token.to_owned()));
    }
    for (a, b) in [(me, quiet), (quiet, me), (gone, me), (me, other)] {
        reads.push(Read::Blocks(a, b));
    }
    for side in [Side::Followers, Side::Following, Side::Requesters] {
        for viewer in [None, Some(me), Some(other)] {
            for cursor in [
                Cursor::first(40),
                Cursor::first(1),
                Cursor {
                    max_id: Some(14),
                    since_id: Some(11),
                    ..Cursor::first(40)
                },
            ] {
                reads.push(Read::FollowPage(side, me, viewer, cursor));
                reads.push(Read::FollowPage(side, other, viewer, cursor));
            }
        }
    }
    let db = app.state.db();
    let mut nonempty = 0;
    for read in &reads {
        let (inline, pooled) = both_ways(db, read).await.unwrap();
        assert_eq!(inline, pooled, "{read:?}");
        if !matches!(inline.as_str(), "None" | "[]" | "false" | "0") {
            nonempty += 1;
        }
    }
    // The table reads real rows, not only empty answers.
    assert!(nonempty > reads.len() / 2, "{nonempty} of {}", reads.len());
}

#[db_test(sqlite_only = "reads SQLite query plans")]
async fn the_relationships_statement_reads_through_indexes(app: TestApp) {
    let mut conn = app.state.db().conn().await.unwrap();
    for n in [1usize, 2, 40] {
        let sql = relationships::lookup_sql(woolly::db::Backend::Sqlite, n);
        let mut args = vec![Arg::Int(1)];
        args.extend((0..n).map(|i| Arg::Int(100 + i as i64)));
        args.push(Arg::Int(5));
        let plan = explain::plan(&mut conn.exec(), &sql, &args).await.unwrap();
        let scans = sqlite_full_scans(&plan, &["ids"]);
        let scans: Vec<&&str> = scans
            .iter()
            .filter(|l| !l.contains("CONSTANT ROW"))
            .collect();
        assert!(scans.is_empty(), "{n}: {scans:?}\n{}", plan.join("\n"));
        // no ephemeral b-tree per IN list, no sort
        assert!(
            !plan
                .iter()
                .any(|l| l.contains("TEMP B-TREE") || l.contains("LIST SUBQUERY")),
            "{}",
            plan.join("\n")
        );
    }
}
