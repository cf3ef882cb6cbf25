//! The Redis limiter counts all of a request's throttles in one round trip, in order, stopping
//! at the first one over its limit (as rack-attack); it remembers a counter over its limit
//! until the window ends, counts requests far from their limits ahead of Redis without
//! losing the exact crossing, and lets requests through uncounted while Redis is unreachable.
//! Needs `TEST_REDIS_URL` (skipped without it).
#![allow(clippy::unwrap_used)]

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;
use woolly::ratelimit::{Check, RateLimiter, RedisLimiter};
use woolly_testkit::needs_env;

use crate::scale_out::{redis_url, unique};

const T0: i64 = 1_000_000_000_000;

fn checks() -> [Check<'static>; 2] {
    [
        Check {
            key: "token",
            limit: 2,
            period_secs: 300,
        },
        Check {
            key: "user",
            limit: 10,
            period_secs: 300,
        },
    ]
}

async fn limiter(url: &str, prefix: &str) -> RedisLimiter {
    RedisLimiter::connect_with_prefix(url, prefix)
        .await
        .unwrap()
}

#[needs_env("TEST_REDIS_URL")]
#[tokio::test]
async fn one_call_counts_in_order_and_stops_at_the_first_over_its_limit() {
    let Some(url) = redis_url("one_call_counts_in_order_and_stops_at_the_first_over_its_limit")
    else {
        return;
    };
    let prefix = unique("woolly:test:");
    let (one, two) = (limiter(&url, &prefix).await, limiter(&url, &prefix).await);
    for i in 1..=2u64 {
        let hits = one.hit_all(&checks(), T0).await.unwrap();
        assert_eq!(hits.iter().map(|h| h.count).collect::<Vec<_>>(), [i, i]);
        assert_eq!(hits.iter().map(|h| h.limit).collect::<Vec<_>>(), [2, 10]);
        assert!(hits.iter().all(|h| !h.exceeded()));
        assert!(hits.iter().all(|h| h.reset_at_ms == 1_000_000_200_000));
    }
    // The third request, through the other process: refused by the first throttle, and the
    // second is not counted.
    let hits = two.hit_all(&checks(), T0).await.unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].count, 3);
    assert!(hits[0].exceeded());
    assert_eq!(two.hit("user", 10, 300, T0).await.unwrap().count, 3);
    // The next window starts from zero.
    let hits = one.hit_all(&checks(), T0 + 300_000).await.unwrap();
    assert_eq!(hits.iter().map(|h| h.count).collect::<Vec<_>>(), [1, 1]);
}

#[needs_env("TEST_REDIS_URL")]
#[tokio::test]
async fn a_counter_over_its_limit_is_refused_without_redis_until_its_window_ends() {
    let Some(url) =
        redis_url("a_counter_over_its_limit_is_refused_without_redis_until_its_window_ends")
    else {
        return;
    };
    let prefix = unique("woolly:test:");
    let (one, two) = (limiter(&url, &prefix).await, limiter(&url, &prefix).await);
    for _ in 0..3 {
        one.hit_all(&checks()[..1], T0).await.unwrap();
    }
    // Redis forgets every counter: the process that saw the token over its limit still
    // refuses it (no round trip), another process counts again from Redis.
    let client = redis::Client::open(url.as_str()).unwrap();
    let mut conn = client.get_multiplexed_async_connection().await.unwrap();
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg(format!("{prefix}*"))
        .query_async(&mut conn)
        .await
        .unwrap();
    let _: () = redis::cmd("DEL")
        .arg(&keys)
        .query_async(&mut conn)
        .await
        .unwrap();
    let hits = one.hit_all(&checks()[..1], T0 + 1_000).await.unwrap();
    assert!(hits[0].exceeded());
    assert_eq!(hits[0].reset_at_ms, 1_000_000_200_000);
    assert_eq!(two.hit_all(&checks()[..1], T0).await.unwrap()[0].count, 1);
    // The throttles before a remembered one are still counted.
    let user_first = [checks()[1], checks()[0]];
    let hits = one.hit_all(&user_first, T0).await.unwrap();
    assert_eq!(hits.len(), 2);
    assert_eq!(hits[0].count, 1);
    assert!(!hits[0].exceeded());
    assert!(hits[1].exceeded());
    // A new window asks Redis again.
    let hits = one.hit_all(&checks(), T0 + 300_000).await.unwrap();
    assert_eq!(hits.iter().map(|h| h.count).collect::<Vec<_>>(), [1, 1]);
}

#[needs_env("TEST_REDIS_URL")]
#[tokio::test]
async fn far_from_a_limit_requests_do_not_wait_and_the_one_crossing_it_is_still_found() {
    let Some(url) =
        redis_url("far_from_a_limit_requests_do_not_wait_and_the_one_crossing_it_is_still_found")
    else {
        return;
    };
    let prefix = unique("woolly:test:");
    let (one, two) = (limiter(&url, &prefix).await, limiter(&url, &prefix).await);
    let check = [Check {
        key: "token",
        limit: 100,
        period_secs: 300,
    }];
    // Two processes take turns: the first 100 requests pass, whichever serves them.
    for i in 0..100u64 {
        let process = if i % 2 == 0 { &one } else { &two };
        let hits = process.hit_all(&check, T0).await.unwrap();
        assert_eq!(hits.len(), 1);
        assert!(!hits[0].exceeded(), "request {} refused", i + 1);
    }
    // The 101st is refused through either, with the exact count.
    let hits = two.hit_all(&check, T0).await.unwrap();
    assert!(hits[0].exceeded());
    assert_eq!(hits[0].count, 101);
    assert!(one.hit_all(&check, T0).await.unwrap()[0].exceeded());
    // Most requests were counted ahead, without waiting for Redis (within a margin of the
    // limit, and for each process's first request, they wait).
    let waited = one.requests_waited() + two.requests_waited();
    assert!(waited < 80, "{waited} of 102 requests waited for Redis");
    // Every increment reached Redis.
    let client = redis::Client::open(url.as_str()).unwrap();
    let mut conn = client.get_multiplexed_async_connection().await.unwrap();
    let key = format!("{prefix}token:300:{}", T0 / 300_000);
    let mut stored = 0u64;
    for _ in 0..100 {
        stored = redis::cmd("GET")
            .arg(&key)
            .query_async::<Option<u64>>(&mut conn)
            .await
            .unwrap()
            .unwrap_or(0);
        if stored == 102 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(stored, 102);
}

/// A TCP relay to Redis that can be cut: connections through it fail once it is stopped.
struct Relay {
    port: u16,
    tasks: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl Relay {
    async fn start(target: String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let tasks: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::default();
        let inner = tasks.clone();
        let accept = tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let target = target.clone();
                let relay = tokio::spawn(async move {
                    if let Ok(mut server) = TcpStream::connect(target).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
                inner.lock().unwrap().push(relay);
            }
        });
        tasks.lock().unwrap().push(accept);
        Self { port, tasks }
    }

    fn stop(&self) {
        for task in self.tasks.lock().unwrap().drain(..) {
            task.abort();
        }
    }
}

#[needs_env("TEST_REDIS_URL")]
#[tokio::test]
async fn requests_pass_uncounted_while_redis_is_unreachable() {
    let Some(url) = redis_url("requests_pass_uncounted_while_redis_is_unreachable") else {
        return;
    };
    let parsed = url::Url::parse(&url).unwrap();
    let target = format!(
        "{}:{}",
        parsed.host_str().unwrap(),
        parsed.port().unwrap_or(6379)
    );
    let relay = Relay::start(target).await;
    let relayed = format!("redis://127.0.0.1:{}{}", relay.port, parsed.path());
    let prefix = unique("woolly:test:");
    let limiter = limiter(&relayed, &prefix).await;
    assert_eq!(limiter.hit_all(&checks(), T0).await.unwrap()[0].count, 1);
    relay.stop();
    tokio::time::sleep(Duration::from_millis(50)).await;
    let started = Instant::now();
    for _ in 0..3 {
        let hits = limiter.hit_all(&checks(), T0).await.unwrap();
        assert_eq!(hits.len(), 2);
        assert!(hits.iter().all(|h| h.count == 0 && !h.exceeded()));
    }
    assert!(started.elapsed() < Duration::from_secs(10));
}
