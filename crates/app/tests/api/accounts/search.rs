//! `GET /api/v1/accounts/search` ranks as upstream's database search (Mastodon 4.x):
//! text rank (display name A, username B, domain C; a phrase of prefixes) × boost
//! (follower ratio, log10 of followers, posted at all), relations first.

use axum::http::Method;
use woolly::db::Backend as DbBackend;
use woolly::db::query::Arg;
use woolly::db::repo::explain::{plan, sqlite_full_scans};
use woolly::db::repo::search::{Terms, search_args, search_sql};
use woolly_testkit::{TestApp, db_test};

use crate::graph::support::{path, post};

async fn search(app: &TestApp, token: &str, query: &str) -> Vec<String> {
    let res = app
        .get(&format!("/api/v1/accounts/search?{query}"), Some(token))
        .await;
    assert_eq!(res.status, 200, "{query}: {}", res.text());
    res.json()
        .as_array()
        .map(|a| {
            a.iter()
                .map(|x| x["id"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

async fn rename(app: &TestApp, token: &str, name: &str) {
    let res = app
        .form(
            Method::PATCH,
            "/api/v1/accounts/update_credentials",
            Some(token),
            &[("display_name", name)],
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
}

async fn set(app: &TestApp, id: &str, assignments: &str) {
    app.sql(&format!(
        "UPDATE accounts SET {assignments} WHERE id = {id}"
    ))
    .await;
}

#[db_test]
async fn display_name_outranks_username_and_counts_decide_ties(app: TestApp) {
    let me = app.user("searcher").await;
    let by_name = app.user("zzz").await;
    rename(&app, &by_name.token, "Karen").await;
    let by_username = app.user("karen").await;
    // display name (A, rank 1/2) before username (B, rank 0.4/1.4), same boost
    assert_eq!(
        search(&app, &me.token, "q=karen").await,
        [by_name.account_id.clone(), by_username.account_id.clone()]
    );
    // more followers: the username match overtakes
    set(
        &app,
        &by_username.account_id,
        "followers_count = 20, following_count = 0",
    )
    .await;
    assert_eq!(
        search(&app, &me.token, "q=karen").await,
        [by_username.account_id.clone(), by_name.account_id.clone()]
    );
    // the same followers but a better ratio wins
    let a = app.user("bird_a").await;
    let b = app.user("bird_b").await;
    set(
        &app,
        &a.account_id,
        "followers_count = 50, following_count = 100",
    )
    .await;
    set(
        &app,
        &b.account_id,
        "followers_count = 50, following_count = 10",
    )
    .await;
    assert_eq!(
        search(&app, &me.token, "q=bird").await,
        [b.account_id.clone(), a.account_id.clone()]
    );
}

#[db_test]
async fn having_posted_counts_however_long_ago(app: TestApp) {
    let me = app.user("searcher").await;
    let never = app.user("poster_never").await;
    let stale = app.user("poster_stale").await;
    let recent = app.user("poster_recent").await;
    let now_ms = chrono::Utc::now().timestamp_millis();
    set(
        &app,
        &stale.account_id,
        &format!("last_status_at = {}", now_ms - 400 * 86_400_000),
    )
    .await;
    set(
        &app,
        &recent.account_id,
        &format!("last_status_at = {now_ms}"),
    )
    .await;
    // Upstream's decay reads the days *field* of age(last_status_at) (never beyond 30), so any
    // post gives the full recency term: stale and recent tie (by id), both before `never`.
    let ids = search(&app, &me.token, "q=poster").await;
    assert_eq!(
        ids,
        [
            stale.account_id.clone(),
            recent.account_id.clone(),
            never.account_id.clone()
        ]
    );
}

#[db_test]
async fn mutual_then_one_way_then_unrelated(app: TestApp) {
    let me = app.user("searcher").await;
    let mutual = app.user("pal_mutual").await;
    let mine = app.user("pal_followed").await;
    let fan = app.user("pal_fan").await;
    let stranger = app.user("pal_stranger").await;
    post(&app, &me.token, &path(&mutual.account_id, "follow")).await;
    post(&app, &mutual.token, &path(&me.account_id, "follow")).await;
    post(&app, &me.token, &path(&mine.account_id, "follow")).await;
    post(&app, &fan.token, &path(&me.account_id, "follow")).await;
    // the stranger scores far higher, the fan a bit higher than the account I follow
    set(&app, &stranger.account_id, "followers_count = 1000").await;
    set(&app, &fan.account_id, "followers_count = 5").await;
    let ids = search(&app, &me.token, "q=pal").await;
    assert_eq!(
        ids,
        [
            mutual.account_id.clone(),
            fan.account_id.clone(),
            mine.account_id.clone(),
            stranger.account_id.clone()
        ]
    );
    // following: only the accounts I follow (and me), a follow back doubling the score
    let me2 = app.user("pal_me").await;
    let back = app.user("pal_back").await;
    let popular = app.user("pal_popular").await;
    for t in [&back, &popular] {
        post(&app, &me2.token, &path(&t.account_id, "follow")).await;
    }
    post(&app, &back.token, &path(&me2.account_id, "follow")).await;
    // back: (10 + log10 12) / 3 ≈ 3.69, doubled 7.39; popular: (15 + log10 17) / 3 ≈ 5.41
    set(
        &app,
        &back.account_id,
        "followers_count = 10, following_count = 0",
    )
    .await;
    set(
        &app,
        &popular.account_id,
        "followers_count = 15, following_count = 0",
    )
    .await;
    let ids = search(&app, &me2.token, "q=pal&following=true").await;
    assert_eq!(
        ids,
        [
            back.account_id.clone(),
            popular.account_id.clone(),
            me2.account_id.clone()
        ]
    );
    // without the follow back, popular leads
    app.sql(&format!(
        "DELETE FROM follows WHERE account_id = {} AND target_account_id = {}",
        back.account_id, me2.account_id
    ))
    .await;
    let ids = search(&app, &me2.token, "q=pal&following=true").await;
    assert_eq!(
        ids,
        [
            popular.account_id.clone(),
            back.account_id.clone(),
            me2.account_id.clone()
        ]
    );
}

#[db_test]
async fn phrases_words_and_paging(app: TestApp) {
    let me = app.user("searcher").await;
    let green_tea = app.user("gt").await;
    rename(&app, &green_tea.token, "Green Tea").await;
    let tea_green = app.user("tg").await;
    rename(&app, &tea_green.token, "Tea Green").await;
    let apple = app.user("ga").await;
    rename(&app, &apple.token, "Green Apple Tea").await;
    // a phrase of prefixes: consecutive words only
    assert_eq!(
        search(&app, &me.token, "q=green%20te").await,
        vec![green_tea.account_id.clone()]
    );
    assert_eq!(
        search(&app, &me.token, "q=tea%20gr").await,
        vec![tea_green.account_id.clone()]
    );
    // ' ? \ : are spaces
    assert_eq!(
        search(&app, &me.token, "q=green%3Ftea").await,
        vec![green_tea.account_id.clone()]
    );
    // across display name and username
    let mary = app.user("jones").await;
    rename(&app, &mary.token, "Mary").await;
    assert_eq!(
        search(&app, &me.token, "q=mary%20jon").await,
        vec![mary.account_id.clone()]
    );
    // the part of a username after an underscore, not the middle of a word
    let john = app.user("john_doe").await;
    assert_eq!(
        search(&app, &me.token, "q=doe").await,
        vec![john.account_id.clone()]
    );
    assert_eq!(search(&app, &me.token, "q=ohn").await, Vec::<String>::new());
    assert_eq!(
        search(&app, &me.token, "q=%3F%3F").await,
        Vec::<String>::new()
    );
    // a remote domain is one lexeme (weight C), matched by its start
    let zed = app.remote_account("zed", "tea.example", false).await;
    assert_eq!(search(&app, &me.token, "q=tea.ex").await, vec![zed.clone()]);
    // offset and limit apply to the ranked list: "tea" ranks the display names (two by
    // followers), then the domain match
    set(&app, &apple.account_id, "followers_count = 30").await;
    set(&app, &tea_green.account_id, "followers_count = 20").await;
    let all = search(&app, &me.token, "q=tea").await;
    assert_eq!(
        all,
        [
            apple.account_id.clone(),
            tea_green.account_id.clone(),
            green_tea.account_id.clone(),
            zed.clone()
        ]
    );
    assert_eq!(
        search(&app, &me.token, "q=tea&limit=2&offset=1").await,
        all[1..3].to_vec()
    );
    assert_eq!(
        search(&app, &me.token, "q=tea&limit=2&offset=3").await,
        all[3..].to_vec()
    );
}

#[db_test]
async fn excluded_accounts_stay_excluded(app: TestApp) {
    let me = app.user("searcher").await;
    let ok = app.user("gone_ok").await;
    let suspended = app.user("gone_suspended").await;
    set(&app, &suspended.account_id, "suspended_at = 1").await;
    let deleted = app.user("gone_deleted").await;
    set(&app, &deleted.account_id, "deleted_at = 1").await;
    let moved = app.user("gone_moved").await;
    set(
        &app,
        &moved.account_id,
        &format!("moved_to_account_id = {}", ok.account_id),
    )
    .await;
    let leaving = app.user("gone_leaving").await;
    app.sql(&format!(
        "INSERT INTO account_deletion_requests (id, account_id, created_at) VALUES (1, {}, 1)",
        leaving.account_id
    ))
    .await;
    let unconfirmed = app.user("gone_unconfirmed").await;
    app.sql(&format!(
        "UPDATE users SET confirmed_at = NULL WHERE account_id = {}",
        unconfirmed.account_id
    ))
    .await;
    let pending = app.user("gone_pending").await;
    app.sql(&format!(
        "UPDATE users SET approved = FALSE WHERE account_id = {}",
        pending.account_id
    ))
    .await;
    // even the ones I follow
    for t in [&suspended, &moved, &leaving] {
        app.sql(&format!(
            "INSERT INTO follows (id, account_id, target_account_id, created_at) \
             VALUES ({}, {}, {}, 1)",
            app.state.next_id(),
            me.account_id,
            t.account_id
        ))
        .await;
    }
    assert_eq!(
        search(&app, &me.token, "q=gone").await,
        vec![ok.account_id.clone()]
    );
    assert_eq!(
        search(&app, &me.token, "q=gone&following=true").await,
        Vec::<String>::new()
    );
}

#[db_test(sqlite_only = "reads SQLite query plans")]
async fn search_statements_read_through_indexes(app: TestApp) {
    let words = Terms::Words {
        word: "ann".into(),
        lexeme: "ann".into(),
        domains: true,
    };
    let local = Terms::Words {
        word: "ann".into(),
        lexeme: "ann".into(),
        domains: false,
    };
    let handle = Terms::Handle {
        username: "ann".into(),
        domain: "far.ex".into(),
    };
    let mut conn = app.conn().await;
    let mut ex = conn.exec();
    for terms in [&words, &local, &handle] {
        for following in [false, true] {
            let sql = search_sql(DbBackend::Sqlite, terms, following);
            let mut args: Vec<Arg> = search_args(terms).into_iter().map(Arg::Text).collect();
            args.push(Arg::Int(1));
            let lines = plan(&mut ex, &sql, &args)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            // `s` and `r` are the capped sources themselves (at most their LIMIT rows), the
            // constant row the searcher's own id
            let scans = sqlite_full_scans(&lines, &["s", "r", "CONSTANT"]);
            assert!(
                scans.is_empty(),
                "{terms:?} {following}: {scans:?}\n{sql}\n{}",
                lines.join("\n")
            );
        }
    }
}

#[db_test]
async fn a_local_handle_searches_its_username_part_like_any_term(app: TestApp) {
    let me = app.user("searcher").await;
    let named = app.user("zzz").await;
    rename(&app, &named.token, "Mallory").await;
    let by_username = app.user("mallory").await;
    // upstream: `mallory@<local domain>` is the term `mallory`, matched against display
    // names too; the exact local match comes first
    let found = search(&app, &me.token, "q=mallory@woolly.test").await;
    assert_eq!(
        found,
        [by_username.account_id.clone(), named.account_id.clone()]
    );
    // `mal@woolly.test` is no exact match: both by rank, the display name (A) first
    let found = search(&app, &me.token, "q=mal@woolly.test").await;
    assert_eq!(
        found,
        [named.account_id.clone(), by_username.account_id.clone()]
    );
}
