//! Streaming across processes: two buses on one Redis (as two `woolly serve` processes
//! would hold) hear each other's events, know each other's listeners, and forget channels
//! nobody listens on any more.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use woolly::services::streaming::redis_bus::REFRESH_EVERY;
use woolly::services::streaming::{Event, EventBus, RedisBus};
use woolly_testkit::needs_env;

use crate::scale_out::{redis_url, unique};

/// Waits up to `within` for `probe` to hold.
async fn eventually(within: Duration, probe: impl Fn() -> bool) -> bool {
    let deadline = tokio::time::Instant::now() + within;
    while tokio::time::Instant::now() < deadline {
        if probe() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    probe()
}

#[needs_env("TEST_REDIS_URL")]
#[tokio::test]
async fn an_event_published_in_one_process_reaches_a_listener_in_another() {
    let Some(url) = redis_url("an_event_published_in_one_process_reaches_a_listener_in_another")
    else {
        return;
    };
    let prefix = unique("woolly-test:stream:");
    let one = RedisBus::connect(&url, &prefix).await.unwrap();
    let two = RedisBus::connect(&url, &prefix).await.unwrap();
    assert!(!two.is_subscribed("timeline:7"));
    assert!(!two.anyone_listening());

    let mut listener = one.subscribe("timeline:7");
    // The other process learns of the listener from the announcement, well before its
    // periodic read of Redis' channel list.
    assert!(
        eventually(REFRESH_EVERY / 2, || two.is_subscribed("timeline:7")).await,
        "the second process never heard of the listener"
    );
    assert!(two.anyone_listening());
    assert!(!two.is_subscribed("timeline:8"));

    two.publish(
        "timeline:7",
        Event::new("notification", "{\"id\":\"1\"}".into()),
    );
    one.publish("timeline:7", Event::new("delete", "2".into()));
    let first = tokio::time::timeout(Duration::from_secs(2), listener.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(first.event, "notification");
    assert_eq!(first.payload, "{\"id\":\"1\"}");
    let second = tokio::time::timeout(Duration::from_secs(2), listener.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (second.event.as_str(), second.payload.as_str()),
        ("delete", "2")
    );

    // Gone from one process: the other forgets the channel after its next reads.
    drop(listener);
    assert_eq!(one.live_subscriptions(), 0);
    assert!(
        eventually(REFRESH_EVERY * 4, || !two.is_subscribed("timeline:7")).await,
        "the channel outlived its last listener"
    );
    assert!(!two.anyone_listening());
}

#[tokio::test]
async fn a_bus_without_redis_is_refused_at_start() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap();
    let refused = tokio::time::timeout(
        Duration::from_secs(10),
        RedisBus::connect(&format!("redis://127.0.0.1:{port}/0"), "woolly-test:"),
    )
    .await
    .unwrap();
    assert!(refused.is_err());
}
