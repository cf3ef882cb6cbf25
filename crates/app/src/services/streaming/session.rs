//! One streaming connection's subscriptions: the streams it asked for and its system
//! channels. Dropping the session ends every subscription it holds.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use super::bus::{Event, EventBus, Subscription};
use super::streams::{Client, Resolved, system_channels};

/// The system event that closes a stream (a revoked token, a disabled user).
pub const KILL: &str = "kill";

struct Group {
    key: String,
    stream: Vec<String>,
    filtered: bool,
    subscriptions: Vec<Subscription>,
}

/// What a session waits for.
pub enum Next {
    /// An event of the stream named `stream`; `filtered` when it must pass
    /// [`super::streams::visible`] first.
    Event {
        stream: Vec<String>,
        event: Arc<Event>,
        filtered: bool,
    },
    /// The stream must end.
    Kill,
}

pub struct Session {
    pub client: Client,
    groups: Vec<Group>,
    system: Vec<Subscription>,
    /// The process is stopping: the stream ends like a kill.
    stopping: tokio::sync::watch::Receiver<bool>,
}

type Recv<'a> = Pin<Box<dyn Future<Output = (Option<usize>, Option<Arc<Event>>)> + Send + 'a>>;

impl Session {
    /// A session listening on the client's system channels and on `stopping`
    /// (`AppState::stopping`).
    pub fn new(
        bus: &dyn EventBus,
        client: Client,
        stopping: tokio::sync::watch::Receiver<bool>,
    ) -> Self {
        let system = system_channels(&client)
            .iter()
            .map(|c| bus.subscribe(c))
            .collect();
        Self {
            client,
            groups: Vec::new(),
            system,
            stopping,
        }
    }

    /// Subscribes to a resolved stream; a stream already subscribed is left as it is.
    pub fn subscribe(&mut self, bus: &dyn EventBus, resolved: Resolved) {
        let key = resolved.key();
        if self.groups.iter().any(|g| g.key == key) {
            return;
        }
        let subscriptions = resolved.channels.iter().map(|c| bus.subscribe(c)).collect();
        self.groups.push(Group {
            key,
            stream: resolved.stream,
            filtered: resolved.filtered,
            subscriptions,
        });
    }

    pub fn unsubscribe(&mut self, resolved: &Resolved) {
        let key = resolved.key();
        self.groups.retain(|g| g.key != key);
    }

    /// The next event of any subscribed stream, or a kill. Cancel-safe: nothing is lost when
    /// the future is dropped before it finishes.
    pub async fn next(&mut self) -> Next {
        let mut waits: Vec<Recv<'_>> = Vec::new();
        let stopping = &mut self.stopping;
        waits.push(Box::pin(async move {
            // An error means the state (the sender) is gone: stopping as well.
            let _ = stopping.wait_for(|stop| *stop).await;
            (None, None)
        }));
        for s in &mut self.system {
            waits.push(Box::pin(async move { (None, s.recv().await) }));
        }
        for (i, g) in self.groups.iter_mut().enumerate() {
            for s in &mut g.subscriptions {
                waits.push(Box::pin(async move { (Some(i), s.recv().await) }));
            }
        }
        loop {
            let ((group, event), _, rest) = futures::future::select_all(waits).await;
            match (group, event) {
                (None, Some(e)) if e.event == KILL => return Next::Kill,
                (None, Some(_)) => waits = rest,
                (_, None) => return Next::Kill,
                (Some(i), Some(e)) => {
                    drop(rest);
                    let (stream, filtered) = self
                        .groups
                        .get(i)
                        .map(|g| (g.stream.clone(), g.filtered))
                        .unwrap_or_default();
                    return Next::Event {
                        stream,
                        event: e,
                        filtered,
                    };
                }
            }
        }
    }
}
