//! Several processes on one database behave as one server: rate limits shared in Redis,
//! rendered-account caches invalidated across processes on PostgreSQL, and the metrics and
//! health answers an operator watches. A "second process" here is a second `AppState` with
//! its own pool, caches and commit listener on the same database.
#![allow(clippy::unwrap_used)]

use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::Method;
use sqlx::postgres::PgConnectOptions;
use tower::ServiceExt;
use woolly::config::Config;
use woolly::db::Db;
use woolly::mail::Mailer;
use woolly::ratelimit::{RateLimiter, RedisLimiter};
use woolly::state::AppState;
use woolly_testkit::{Backend, TestApp, db_test, needs_env};

/// `TEST_REDIS_URL` (e.g. `redis://127.0.0.1:6379/5`), or None with a note that the test
/// is skipped.
pub(crate) fn redis_url(test: &str) -> Option<String> {
    let url = std::env::var("TEST_REDIS_URL")
        .ok()
        .filter(|u| !u.is_empty());
    if url.is_none() {
        eprintln!("skipped {test}: TEST_REDIS_URL is not set");
    }
    url
}

pub(crate) fn unique(prefix: &str) -> String {
    let mut b = [0u8; 6];
    let _ = getrandom::fill(&mut b);
    format!("{prefix}{}:", hex::encode(b))
}

/// A second process on `app`'s database: its own state, pool (on PostgreSQL: its own commit
/// listener), caches and `limiter`.
pub(crate) async fn second_process(
    app: &TestApp,
    limiter: Option<Arc<dyn RateLimiter>>,
) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let config = Config {
        data_dir: dir.path().to_path_buf(),
        domain: "woolly.test".into(),
        scheme: "https".into(),
        database_pool_size: 4,
        verify_profile_links: false,
        ..Config::default()
    };
    let db = match app.state.db() {
        Db::Pg(..) => {
            let url = std::env::var("TEST_DATABASE_URL").unwrap();
            let schema = current_schema(app).await;
            let options = PgConnectOptions::from_str(&url)
                .unwrap()
                .options([("search_path", schema.as_str())]);
            Db::connect_pg(options, 4).await.unwrap()
        }
        Db::Sqlite(..) => app.state.db().clone(),
    };
    let mailer = Mailer::from_config("", &config.outbox_dir()).unwrap();
    let media = Arc::new(woolly::media::LocalMediaStorage::new(config.media_dir()).unwrap());
    let state = match limiter {
        Some(limiter) => AppState::with_limiter(config, db, mailer, media, limiter),
        None => AppState::new(config, db, mailer, media),
    };
    let router = woolly::http::router(state.clone());
    TestApp {
        state,
        router,
        backend: app.backend,
        dir,
    }
}

/// A PostgreSQL app, or None with a note that the test is skipped.
pub(crate) async fn postgres() -> Option<TestApp> {
    if std::env::var("TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty()) {
        Some(TestApp::postgres_with(|_| {}).await)
    } else {
        eprintln!("skipped: TEST_DATABASE_URL is not set");
        None
    }
}

async fn current_schema(app: &TestApp) -> String {
    let Db::Pg(pool, _) = app.state.db() else {
        unreachable!()
    };
    sqlx::query_scalar::<_, String>("SELECT current_schema()")
        .fetch_one(pool)
        .await
        .unwrap()
}

/// Waits (bounded) until `app` listens for commits of other processes.
pub(crate) async fn wait_listening(app: &TestApp) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while app.state.db().data_generation().is_none() {
        assert!(Instant::now() < deadline, "never started listening");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

async fn metrics(app: &TestApp) -> String {
    let response = woolly::ops::metrics_http::router(app.state.clone())
        .oneshot(
            axum::http::Request::get("/metrics")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    String::from_utf8(body.to_vec()).unwrap()
}

/// The value of the sample line starting with `prefix` (0 when absent).
fn sample(text: &str, prefix: &str) -> f64 {
    text.lines()
        .find(|l| l.starts_with(prefix))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0)
}

#[needs_env("TEST_REDIS_URL")]
#[tokio::test]
async fn redis_counters_are_shared_and_keep_the_windows() {
    let Some(url) = redis_url("redis_counters_are_shared_and_keep_the_windows") else {
        return;
    };
    let prefix = unique("woolly:test:");
    let one = RedisLimiter::connect_with_prefix(&url, &prefix)
        .await
        .unwrap();
    let two = RedisLimiter::connect_with_prefix(&url, &prefix)
        .await
        .unwrap();
    let t0 = 1_000_000_000_000;
    for i in 1..=4u64 {
        let by = if i % 2 == 0 { &one } else { &two };
        let hit = by.hit("k", 3, 300, t0).await.unwrap();
        assert_eq!(hit.count, i, "both processes count the same window");
        assert_eq!(hit.exceeded(), i > 3);
        assert_eq!(hit.reset_at_ms % 300_000, 0);
        assert!(hit.reset_at_ms > t0);
    }
    let next = one.hit("k", 3, 300, t0 + 300_000).await.unwrap();
    assert_eq!(next.count, 1, "a new window starts from zero");
    let other_period = one.hit("k", 3, 60, t0).await.unwrap();
    assert_eq!(other_period.count, 1, "periods are counted apart");

    // Every counter expires by itself shortly after its window.
    let client = redis::Client::open(url.as_str()).unwrap();
    let mut conn = client.get_multiplexed_async_connection().await.unwrap();
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg(format!("{prefix}*"))
        .query_async(&mut conn)
        .await
        .unwrap();
    assert_eq!(keys.len(), 3, "{keys:?}");
    for key in keys {
        let ttl: i64 = redis::cmd("TTL")
            .arg(&key)
            .query_async(&mut conn)
            .await
            .unwrap();
        assert!((1..=305).contains(&ttl), "{key}: ttl {ttl}");
    }
}

#[tokio::test]
async fn an_unreachable_redis_is_refused_at_start_within_seconds() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap();
    let started = Instant::now();
    let refused = RedisLimiter::connect(&format!("redis://127.0.0.1:{port}/0")).await;
    assert!(refused.is_err());
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[needs_env("TEST_REDIS_URL")]
#[db_test]
async fn the_301st_request_is_refused_whichever_process_serves_it(app: TestApp) {
    let Some(url) = redis_url("the_301st_request_is_refused_whichever_process_serves_it") else {
        return;
    };
    let prefix = unique("woolly:test:");
    let limiter = |prefix: String, url: String| async move {
        Arc::new(
            RedisLimiter::connect_with_prefix(&url, &prefix)
                .await
                .unwrap(),
        ) as Arc<dyn RateLimiter>
    };
    let one = second_process(&app, Some(limiter(prefix.clone(), url.clone()).await)).await;
    let two = second_process(&app, Some(limiter(prefix.clone(), url.clone()).await)).await;
    let alice = app.user("alice").await;
    for i in 0..300 {
        let by = if i % 2 == 0 { &one } else { &two };
        let res = by
            .get("/api/v1/accounts/verify_credentials", Some(&alice.token))
            .await;
        assert_eq!(res.status, 200, "request {}", i + 1);
        let remaining: u64 = res
            .header("x-ratelimit-remaining")
            .unwrap()
            .parse()
            .unwrap();
        // Far from the limit a process counts ahead of what it has heard from the other, so
        // the header may be too high, by less than the margin (a tenth of the limit). Near
        // the limit both processes wait for Redis, and once the last increments counted
        // ahead (at most a quarter of the margin per process) have reached it, it is exact.
        if i >= 290 {
            assert_eq!(remaining, 299 - i, "request {}", i + 1);
        } else {
            assert!(
                (299 - i..329 - i).contains(&remaining),
                "request {}: remaining {remaining}",
                i + 1
            );
        }
    }
    for by in [&one, &two] {
        let res = by
            .get("/api/v1/accounts/verify_credentials", Some(&alice.token))
            .await;
        assert_eq!(res.status, 429);
        assert_eq!(res.error(), "Too many requests");
        assert_eq!(res.header("x-ratelimit-limit").as_deref(), Some("300"));
        assert_eq!(res.header("x-ratelimit-remaining").as_deref(), Some("0"));
    }
    let m = metrics(&two).await;
    assert_eq!(
        sample(&m, "woolly_rate_limited_total{throttle=\"per_token_api\"}"),
        1.0,
        "{m}"
    );
}

#[db_test]
async fn metrics_count_requests_by_route_template_and_status(app: TestApp) {
    let alice = app.user("alice").await;
    let path = format!("/api/v1/accounts/{}", alice.account_id);
    for _ in 0..3 {
        assert_eq!(app.get(&path, None).await.status, 200);
    }
    assert_eq!(app.get("/api/v1/accounts/1", None).await.status, 404);
    let m = metrics(&app).await;
    let route = "route=\"/api/v1/accounts/{id}\"";
    assert_eq!(
        sample(
            &m,
            &format!("woolly_http_requests_total{{method=\"GET\",{route},status=\"200\"}}")
        ),
        3.0,
        "{m}"
    );
    assert_eq!(
        sample(
            &m,
            &format!("woolly_http_requests_total{{method=\"GET\",{route},status=\"404\"}}")
        ),
        1.0,
        "{m}"
    );
    assert_eq!(
        sample(
            &m,
            &format!(
                "woolly_http_request_duration_seconds_count{{method=\"GET\",{route},status=\"200\"}}"
            )
        ),
        3.0,
        "{m}"
    );
    assert!(m.contains("woolly_db_pool_max_connections 4"), "{m}");
    assert!(m.contains("woolly_db_pool_connections "), "{m}");
    assert!(
        m.contains("woolly_cache_misses_total{cache=\"accounts\"}"),
        "{m}"
    );
    assert!(
        !m.contains(&alice.account_id),
        "raw paths never become labels"
    );
    assert!(m.ends_with("# EOF\n"));
}

#[db_test]
async fn metrics_show_the_federation_queue(app: TestApp) {
    let before = metrics(&app).await;
    assert_eq!(
        sample(&before, "woolly_federation_jobs_queued "),
        0.0,
        "{before}"
    );
    app.sql(
        "INSERT INTO federation_jobs (id, kind, payload, run_at, created_at) VALUES \
         (1, 'deliver', '{}', 0, 0), (2, 'deliver', '{}', 9999999999999, 0)",
    )
    .await;
    let after = metrics(&app).await;
    assert_eq!(
        sample(&after, "woolly_federation_jobs_queued "),
        2.0,
        "{after}"
    );
    assert_eq!(
        sample(&after, "woolly_federation_jobs_due "),
        1.0,
        "{after}"
    );
}

#[db_test]
async fn health_answers_ok_while_the_database_answers(app: TestApp) {
    let res = app.get("/health", None).await;
    assert_eq!(res.status, 200);
    assert_eq!(res.text(), "OK");
}

/// PostgreSQL only: SQLite processes share a file and see commits by `PRAGMA data_version`
/// (db/data_version.rs, tested there).
#[needs_env("TEST_DATABASE_URL")]
#[tokio::test]
async fn a_write_through_one_process_is_seen_through_another_on_postgres() {
    let Some(app) = postgres().await else {
        return;
    };
    assert_eq!(app.backend, Backend::Postgres);
    let other = second_process(&app, None).await;
    wait_listening(&app).await;
    wait_listening(&other).await;
    let alice = app.user("alice").await;
    let path = format!("/api/v1/accounts/{}", alice.account_id);

    // The other process renders the account and serves it from memory after that, while
    // nothing is committed on the server (other tests commit too: retried until a quiet
    // moment, bounded).
    let hits = |m: &str| sample(m, "woolly_cache_hits_total{cache=\"accounts\"}");
    let before = hits(&metrics(&other).await);
    let deadline = Instant::now() + Duration::from_secs(20);
    while hits(&metrics(&other).await) == before {
        assert!(Instant::now() < deadline, "never served from the cache");
        let res = other.get(&path, None).await;
        assert_eq!(res.json()["display_name"], "");
    }

    // A write through the first process is seen by the other on its very next request
    // (the request's fence, before any notification needs to have arrived).
    let res = app
        .form(
            Method::PATCH,
            "/api/v1/accounts/update_credentials",
            Some(&alice.token),
            &[("display_name", "Alice A.")],
        )
        .await;
    assert_eq!(res.status, 200);
    let res = other.get(&path, None).await;
    assert_eq!(res.json()["display_name"], "Alice A.");
    let res = other
        .get("/api/v1/accounts/verify_credentials", Some(&alice.token))
        .await;
    assert_eq!(res.json()["display_name"], "Alice A.");

    // A token revoked through the first process (a password reset revokes them all) is
    // refused by the other at once: the viewer it kept for the token is outdated by the fence.
    woolly::services::operator::reset_password(&app.state, "alice", None)
        .await
        .unwrap();
    let res = other
        .get("/api/v1/accounts/verify_credentials", Some(&alice.token))
        .await;
    assert_eq!(res.status, 401);
}

#[needs_env("TEST_DATABASE_URL")]
#[tokio::test]
async fn every_table_notifies_its_commits_on_postgres() {
    let Some(app) = postgres().await else {
        return;
    };
    let Db::Pg(pool, _) = app.state.db() else {
        unreachable!()
    };
    // A table added by a later migration without the trigger would serve stale caches.
    let missing: Vec<String> = sqlx::query_scalar(
        "SELECT tablename::text FROM pg_tables t WHERE schemaname = current_schema() \
         AND tablename NOT IN ('_sqlx_migrations', 'node_leases') \
         AND NOT EXISTS (SELECT 1 FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE c.relname = t.tablename AND n.nspname = t.schemaname \
             AND g.tgname = 'woolly_notify_commit')",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    assert_eq!(
        missing,
        Vec::<String>::new(),
        "tables without the commit trigger"
    );
}

#[db_test]
async fn a_fresh_process_answers_instance_counts_from_the_stored_ones(app: TestApp) {
    app.user("alice").await;
    assert_eq!(
        app.get("/api/v1/instance", None).await.json()["stats"]["user_count"],
        1
    );
    app.user("bob").await;
    // A process that starts now takes the stored counts (no full count before answering)...
    let fresh = second_process(&app, None).await;
    assert_eq!(
        fresh.get("/api/v1/instance", None).await.json()["stats"]["user_count"],
        1
    );
    // ...and the counts a refresh stores are what the next process starts from.
    woolly::services::instance_stats::refresh(app.state.clone()).await;
    let next = second_process(&app, None).await;
    assert_eq!(
        next.get("/api/v1/instance", None).await.json()["stats"]["user_count"],
        2
    );
}

#[db_test]
async fn a_starting_process_serves_old_stored_counts_at_once_and_recounts_behind(app: TestApp) {
    app.user("alice").await;
    woolly::services::instance_stats::refresh(app.state.clone()).await;
    app.user("bob").await;
    // Counts stored a day ago (the deployment was down, or one process restarted).
    app.sql("UPDATE instance_counts SET counted_at = counted_at - 86400000")
        .await;
    let fresh = second_process(&app, None).await;
    woolly::services::instance_stats::warm(fresh.state.clone()).await;
    // Served at once from the old counts (a full count at a million accounts takes a second)...
    assert_eq!(
        fresh.get("/api/v1/instance", None).await.json()["stats"]["user_count"],
        1
    );
    // ...while a recount runs behind them and is served once done.
    let mut user_count = serde_json::Value::Null;
    for _ in 0..100 {
        user_count =
            fresh.get("/api/v1/instance", None).await.json()["stats"]["user_count"].clone();
        if user_count == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(user_count, 2);
}

/// The fence alone (no listener): a commit anywhere that finished before it moves the
/// generation on; nothing committed keeps it.
#[needs_env("TEST_DATABASE_URL")]
#[tokio::test]
async fn a_fence_sees_every_commit_that_finished_before_it() {
    let Some(app) = postgres().await else {
        return;
    };
    let Db::Pg(pool, _) = app.state.db() else {
        unreachable!()
    };
    let watcher = woolly::db::pg_generation::PgGeneration::default();
    watcher.fence(pool).await;
    let quiet = watcher.current_unchecked();
    watcher.fence(pool).await;
    // Other tests commit on this server too: only a change may be asserted without doubt.
    let other = second_process(&app, None).await;
    other.user("bob").await;
    let before = watcher.current_unchecked();
    watcher.fence(pool).await;
    assert_ne!(
        watcher.current_unchecked(),
        before,
        "a finished commit is seen"
    );
    assert!(watcher.current_unchecked() > quiet);
}

/// Processes of one host naming the same fence socket share one fence: a follower's rounds
/// read the snapshot through the leader (none of its own) and still see a commit that
/// finished before them; when the leader goes, the follower reads for itself at once, then
/// leads in its place.
#[needs_env("TEST_DATABASE_URL")]
#[tokio::test]
async fn processes_of_a_host_share_one_fence_and_outlive_its_leader() {
    use woolly::db::pg_generation::PgGeneration;
    let Some(app) = postgres().await else {
        return;
    };
    let Db::Pg(pool, _) = app.state.db() else {
        unreachable!()
    };
    let url = std::env::var("TEST_DATABASE_URL").unwrap();
    let schema = current_schema(&app).await;
    let options = PgConnectOptions::from_str(&url)
        .unwrap()
        .options([("search_path", schema.as_str())]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fence.sock");
    let leader = PgGeneration::start(&options);
    leader.share_on_host(&path).await;
    assert!(leader.leads_host_fence().await);
    let follower = PgGeneration::start(&options);
    follower.share_on_host(&path).await;
    assert!(!follower.leads_host_fence().await);

    follower.fence(pool).await;
    let seen = follower.current_unchecked();
    app.user("bob").await;
    follower.fence(pool).await;
    assert_ne!(follower.current_unchecked(), seen, "the commit is seen");
    assert_eq!(
        follower.snapshot_reads(),
        0,
        "every round went through the leader"
    );
    assert!(leader.snapshot_reads() >= 2, "the leader read for it");

    drop(leader);
    let seen = follower.current_unchecked();
    app.user("carol").await;
    follower.fence(pool).await;
    assert_ne!(follower.current_unchecked(), seen, "seen without a leader");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !follower.leads_host_fence().await {
        assert!(Instant::now() < deadline, "never took the lead");
        tokio::time::sleep(Duration::from_millis(100)).await;
        follower.fence(pool).await;
    }
    let reads = follower.snapshot_reads();
    follower.fence(pool).await;
    assert!(
        follower.snapshot_reads() > reads,
        "the new leader reads itself"
    );
}
