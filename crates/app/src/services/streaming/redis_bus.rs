//! The event bus of a deployment of several processes: events travel through Redis pub/sub
//! (upstream's channel names under a prefix), so a client streaming from one process hears
//! what a write through any other process published.
//!
//! Each process keeps a [`LocalBus`] for its own streaming connections and subscribes in
//! Redis to the channels they listen on; what arrives from Redis is published into the local
//! bus. Publishing only sends to Redis: this process hears its own events back like
//! everyone else's, so events reach every subscriber in one order. Publishers skip the
//! rendering for channels nobody listens on (`is_subscribed`); which channels have a
//! listener in another process is known from Redis (`PUBSUB CHANNELS`, read every
//! [`REFRESH_EVERY`]) and from announcements a process sends as soon as its Redis
//! subscription to a new channel is in place.
//!
//! When Redis cannot be reached, events go to this process's subscribers only (logged), and
//! the subscriptions are made again once it answers.

use std::collections::HashSet;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use ::redis::aio::{ConnectionManager, ConnectionManagerConfig};
use futures::StreamExt;
use tokio::sync::mpsc;

use super::bus::{Event, EventBus, LocalBus, Subscription};

/// How often the channels with a listener in any process are read again from Redis (also how
/// long a channel nobody listens on any more stays subscribed here).
pub const REFRESH_EVERY: Duration = Duration::from_secs(1);
const RECONNECT_AFTER: Duration = Duration::from_secs(1);
const RESPONSE_TIMEOUT: Duration = Duration::from_millis(500);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// The channel (under the prefix) on which a process announces a channel it now listens on.
const ANNOUNCE: &str = "announce";

enum Outgoing {
    Publish { channel: String, event: Event },
    Announce(String),
}

pub struct RedisBus {
    local: Arc<LocalBus>,
    prefix: String,
    /// Channels (without the prefix) with a listener in some process, as last heard.
    elsewhere: Arc<RwLock<HashSet<String>>>,
    outgoing: mpsc::UnboundedSender<Outgoing>,
    subscribe: mpsc::UnboundedSender<String>,
}

impl std::fmt::Debug for RedisBus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisBus")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

impl RedisBus {
    /// Connects to `url` (`redis://host:port/db`), failing within seconds when it is down.
    /// Channels are named under `prefix` (pub/sub ignores the database number, so
    /// deployments and tests sharing one Redis keep theirs apart by prefix).
    pub async fn connect(url: &str, prefix: &str) -> Result<Self, ::redis::RedisError> {
        let client = ::redis::Client::open(url)?;
        let config = ConnectionManagerConfig::new()
            .set_response_timeout(Some(RESPONSE_TIMEOUT))
            .set_connection_timeout(Some(CONNECT_TIMEOUT))
            .set_number_of_retries(2);
        let conn = ConnectionManager::new_with_config(client.clone(), config).await?;
        let local = Arc::new(LocalBus::default());
        let elsewhere = Arc::new(RwLock::new(HashSet::new()));
        let (outgoing, outgoing_rx) = mpsc::unbounded_channel();
        let (subscribe, subscribe_rx) = mpsc::unbounded_channel();
        tokio::spawn(send_loop(
            conn,
            prefix.to_owned(),
            outgoing_rx,
            Arc::clone(&local),
            Arc::clone(&elsewhere),
        ));
        tokio::spawn(receive_loop(
            client,
            prefix.to_owned(),
            subscribe_rx,
            outgoing.clone(),
            Arc::clone(&local),
            Arc::clone(&elsewhere),
        ));
        Ok(Self {
            local,
            prefix: prefix.to_owned(),
            elsewhere,
            outgoing,
            subscribe,
        })
    }
}

fn read(set: &RwLock<HashSet<String>>) -> std::sync::RwLockReadGuard<'_, HashSet<String>> {
    set.read().unwrap_or_else(PoisonError::into_inner)
}

fn write(set: &RwLock<HashSet<String>>) -> std::sync::RwLockWriteGuard<'_, HashSet<String>> {
    set.write().unwrap_or_else(PoisonError::into_inner)
}

impl EventBus for RedisBus {
    fn publish(&self, channel: &str, event: Event) {
        let out = Outgoing::Publish {
            channel: channel.to_owned(),
            event,
        };
        if let Err(mpsc::error::SendError(Outgoing::Publish { channel, event })) =
            self.outgoing.send(out)
        {
            // The sending task is gone (the runtime is stopping): local listeners only.
            self.local.publish(&channel, event);
        }
    }

    fn subscribe(&self, channel: &str) -> Subscription {
        let subscription = self.local.subscribe(channel);
        // The receiving task subscribes in Redis once per channel (it ignores repeats).
        let _ = self.subscribe.send(channel.to_owned());
        subscription
    }

    fn is_subscribed(&self, channel: &str) -> bool {
        self.local.is_subscribed(channel) || read(&self.elsewhere).contains(channel)
    }

    fn live_subscriptions(&self) -> usize {
        self.local.live_subscriptions()
    }

    fn anyone_listening(&self) -> bool {
        self.local.live_subscriptions() > 0 || !read(&self.elsewhere).is_empty()
    }
}

/// Publishes in order on one connection, and reads the channels with listeners every
/// [`REFRESH_EVERY`].
async fn send_loop(
    mut conn: ConnectionManager,
    prefix: String,
    mut outgoing: mpsc::UnboundedReceiver<Outgoing>,
    local: Arc<LocalBus>,
    elsewhere: Arc<RwLock<HashSet<String>>>,
) {
    let mut refresh = tokio::time::interval(REFRESH_EVERY);
    let announce = format!("{prefix}{ANNOUNCE}");
    loop {
        tokio::select! {
            next = outgoing.recv() => match next {
                Some(Outgoing::Publish { channel, event }) => {
                    let Ok(payload) = serde_json::to_string(&event) else { continue };
                    let sent = ::redis::cmd("PUBLISH")
                        .arg(format!("{prefix}{channel}"))
                        .arg(payload)
                        .query_async::<i64>(&mut conn)
                        .await;
                    if let Err(error) = sent {
                        tracing::warn!(%error, "streaming event not sent through Redis: local listeners only");
                        local.publish(&channel, event);
                    }
                }
                Some(Outgoing::Announce(channel)) => {
                    let _ = ::redis::cmd("PUBLISH")
                        .arg(&announce)
                        .arg(channel)
                        .query_async::<i64>(&mut conn)
                        .await;
                }
                None => return,
            },
            _ = refresh.tick() => {
                let listed = ::redis::cmd("PUBSUB")
                    .arg("CHANNELS")
                    .arg(format!("{prefix}*"))
                    .query_async::<Vec<String>>(&mut conn)
                    .await;
                if let Ok(listed) = listed {
                    let now: HashSet<String> = listed
                        .into_iter()
                        .filter(|c| *c != announce)
                        .filter_map(|c| c.strip_prefix(prefix.as_str()).map(str::to_owned))
                        .collect();
                    *write(&elsewhere) = now;
                }
            }
        }
    }
}

/// Holds this process's Redis subscriptions, feeding what arrives into the local bus; makes
/// them again after a lost connection.
async fn receive_loop(
    client: ::redis::Client,
    prefix: String,
    mut subscribe: mpsc::UnboundedReceiver<String>,
    outgoing: mpsc::UnboundedSender<Outgoing>,
    local: Arc<LocalBus>,
    elsewhere: Arc<RwLock<HashSet<String>>>,
) {
    let ctx = Receiving {
        prefix,
        outgoing,
        local,
        elsewhere,
    };
    loop {
        match ctx.receive(&client, &mut subscribe).await {
            Ok(()) => return,
            Err(error) => {
                tracing::warn!(%error, "streaming through Redis interrupted: resubscribing");
                tokio::time::sleep(RECONNECT_AFTER).await;
            }
        }
    }
}

struct Receiving {
    prefix: String,
    outgoing: mpsc::UnboundedSender<Outgoing>,
    local: Arc<LocalBus>,
    elsewhere: Arc<RwLock<HashSet<String>>>,
}

impl Receiving {
    /// One connection's life: `Ok` when the bus is gone, `Err` when the connection failed.
    async fn receive(
        &self,
        client: &::redis::Client,
        subscribe: &mut mpsc::UnboundedReceiver<String>,
    ) -> Result<(), ::redis::RedisError> {
        let (mut sink, mut stream) = client.get_async_pubsub().await?.split();
        sink.subscribe(format!("{}{ANNOUNCE}", self.prefix)).await?;
        let mut subscribed: HashSet<String> = HashSet::new();
        for channel in self.local.channels() {
            self.add(&mut sink, &mut subscribed, channel).await?;
        }
        let mut tidy = tokio::time::interval(REFRESH_EVERY);
        loop {
            tokio::select! {
                message = stream.next() => {
                    let Some(message) = message else {
                        return Err(::redis::RedisError::from(std::io::Error::other("connection closed")));
                    };
                    self.deliver(&message);
                }
                wanted = subscribe.recv() => match wanted {
                    Some(channel) => self.add(&mut sink, &mut subscribed, channel).await?,
                    None => return Ok(()),
                },
                _ = tidy.tick() => {
                    let gone: Vec<String> = subscribed
                        .iter()
                        .filter(|c| !self.local.is_subscribed(c))
                        .cloned()
                        .collect();
                    for channel in gone {
                        sink.unsubscribe(format!("{}{channel}", self.prefix)).await?;
                        subscribed.remove(&channel);
                    }
                }
            }
        }
    }

    async fn add(
        &self,
        sink: &mut ::redis::aio::PubSubSink,
        subscribed: &mut HashSet<String>,
        channel: String,
    ) -> Result<(), ::redis::RedisError> {
        if subscribed.contains(&channel) {
            return Ok(());
        }
        sink.subscribe(format!("{}{channel}", self.prefix)).await?;
        let _ = self.outgoing.send(Outgoing::Announce(channel.clone()));
        subscribed.insert(channel);
        Ok(())
    }

    fn deliver(&self, message: &::redis::Msg) {
        let Some(channel) = message
            .get_channel_name()
            .strip_prefix(self.prefix.as_str())
        else {
            return;
        };
        let Ok(payload) = message.get_payload::<String>() else {
            return;
        };
        if channel == ANNOUNCE {
            write(&self.elsewhere).insert(payload);
            return;
        }
        match serde_json::from_str::<Event>(&payload) {
            Ok(event) => self.local.publish(channel, event),
            Err(error) => tracing::warn!(%error, channel, "unreadable streaming event from Redis"),
        }
    }
}
