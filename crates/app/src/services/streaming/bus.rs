//! The event bus: named channels (upstream's Redis channel names, `timeline:<account_id>`,
//! `timeline:public`, …) carrying [`Event`]s to the streaming connections subscribed to them.
//!
//! [`EventBus`] is the seam for sharing events between processes: [`LocalBus`] serves one
//! process; `super::redis_bus::RedisBus` publishes through Redis and feeds what it receives
//! into a [`LocalBus`], whose [`Subscription`]s the connections hold either way.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

/// Events a channel buffers for a slow reader; a reader further behind skips the oldest.
pub const CHANNEL_CAPACITY: usize = 256;

/// One message on a channel, as upstream publishes it: `event` and `payload`, the payload
/// already encoded as the client receives it (an entity's JSON, or an id for `delete`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub event: String,
    pub payload: String,
}

impl Event {
    pub fn new(event: &str, payload: String) -> Self {
        Self {
            event: event.to_owned(),
            payload,
        }
    }
}

/// What publishers and streaming connections need from a bus.
pub trait EventBus: Send + Sync {
    /// Sends `event` to everyone subscribed to `channel` now (nobody: nothing happens).
    fn publish(&self, channel: &str, event: Event);
    /// Starts receiving `channel`; dropping the subscription ends it.
    fn subscribe(&self, channel: &str) -> Subscription;
    /// True if someone listens on `channel` (publishers skip rendering otherwise).
    fn is_subscribed(&self, channel: &str) -> bool;
    /// Subscriptions alive in this process (tests and metrics: returns to zero when every
    /// client is gone).
    fn live_subscriptions(&self) -> usize;
    /// True if anyone streams at all, in this process or (shared buses) another one:
    /// publishers skip all work otherwise.
    fn anyone_listening(&self) -> bool {
        self.live_subscriptions() > 0
    }
}

type Channels = Mutex<HashMap<String, broadcast::Sender<Arc<Event>>>>;

/// The in-process bus: one `tokio::sync::broadcast` channel per subscribed name, removed
/// with its last subscriber.
#[derive(Default)]
pub struct LocalBus {
    channels: Arc<Channels>,
    live: Arc<AtomicUsize>,
}

impl LocalBus {
    /// The channels someone in this process listens on now.
    pub fn channels(&self) -> Vec<String> {
        lock(&self.channels).keys().cloned().collect()
    }
}

fn lock(channels: &Channels) -> MutexGuard<'_, HashMap<String, broadcast::Sender<Arc<Event>>>> {
    // Nothing panics while holding the lock; a poisoned map is still consistent.
    channels.lock().unwrap_or_else(PoisonError::into_inner)
}

impl EventBus for LocalBus {
    fn publish(&self, channel: &str, event: Event) {
        let sender = lock(&self.channels).get(channel).cloned();
        if let Some(sender) = sender {
            // An error only means every receiver left meanwhile.
            let _ = sender.send(Arc::new(event));
        }
    }

    fn subscribe(&self, channel: &str) -> Subscription {
        let receiver = lock(&self.channels)
            .entry(channel.to_owned())
            .or_insert_with(|| broadcast::channel(CHANNEL_CAPACITY).0)
            .subscribe();
        self.live.fetch_add(1, Ordering::AcqRel);
        Subscription {
            channel: channel.to_owned(),
            receiver: Some(receiver),
            channels: self.channels.clone(),
            live: self.live.clone(),
        }
    }

    fn is_subscribed(&self, channel: &str) -> bool {
        lock(&self.channels).contains_key(channel)
    }

    fn live_subscriptions(&self) -> usize {
        self.live.load(Ordering::Acquire)
    }
}

/// A live subscription to one channel.
pub struct Subscription {
    channel: String,
    receiver: Option<broadcast::Receiver<Arc<Event>>>,
    channels: Arc<Channels>,
    live: Arc<AtomicUsize>,
}

impl Subscription {
    pub fn channel(&self) -> &str {
        &self.channel
    }

    /// The next event; `None` once the channel is gone. A reader that fell more than
    /// [`CHANNEL_CAPACITY`] events behind loses the oldest and goes on.
    pub async fn recv(&mut self) -> Option<Arc<Event>> {
        let receiver = self.receiver.as_mut()?;
        loop {
            match receiver.recv().await {
                Ok(event) => return Some(event),
                Err(broadcast::error::RecvError::Lagged(skipped)) => {
                    tracing::debug!(channel = %self.channel, skipped, "slow stream skipped events");
                }
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let mut channels = lock(&self.channels);
        // The receiver goes while the map is locked, so the last one out always sees a
        // count of zero and removes the channel.
        drop(self.receiver.take());
        if channels
            .get(&self.channel)
            .is_some_and(|s| s.receiver_count() == 0)
        {
            channels.remove(&self.channel);
        }
        drop(channels);
        self.live.fetch_sub(1, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn delivers_and_forgets_channels_without_subscribers() {
        let bus = LocalBus::default();
        bus.publish("timeline:1", Event::new("update", "{}".into()));
        let mut a = bus.subscribe("timeline:1");
        let b = bus.subscribe("timeline:1");
        assert_eq!(bus.live_subscriptions(), 2);
        bus.publish("timeline:1", Event::new("delete", "7".into()));
        let got = a.recv().await.map(|e| e.payload.clone());
        assert_eq!(got.as_deref(), Some("7"));
        drop(b);
        assert!(bus.is_subscribed("timeline:1"));
        drop(a);
        assert!(!bus.is_subscribed("timeline:1"));
        assert_eq!(bus.live_subscriptions(), 0);
    }
}
