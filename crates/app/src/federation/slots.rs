//! The process-wide bound on outbound fetches: at most `total` requests in flight at once, and
//! at most `per_host` to any one host. Every outbound request (profile link checks now,
//! federation later) holds a [`Slot`] while its connection is open, so the sockets this
//! process opens to other servers are bounded whatever callers do.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Shared bound; cheap to clone.
#[derive(Clone)]
pub struct FetchSlots {
    inner: Arc<Inner>,
}

struct Inner {
    total: Arc<Semaphore>,
    per_host: usize,
    /// One semaphore per host with a request in flight or waiting; removed when idle.
    hosts: Mutex<HashMap<String, Arc<Semaphore>>>,
    /// Longest wait for a slot before the fetch is given up.
    max_wait: Duration,
}

/// Permission for one request to `host`; the slots are released on drop.
pub struct Slot {
    inner: Arc<Inner>,
    host: String,
    host_permit: Option<OwnedSemaphorePermit>,
    _total_permit: OwnedSemaphorePermit,
}

impl FetchSlots {
    /// `total` and `per_host` are raised to at least 1.
    pub fn new(total: usize, per_host: usize, max_wait: Duration) -> Self {
        Self {
            inner: Arc::new(Inner {
                total: Arc::new(Semaphore::new(total.max(1))),
                per_host: per_host.max(1),
                hosts: Mutex::default(),
                max_wait,
            }),
        }
    }

    /// Waits for a slot for `host` (its own cap first, so callers queued on one slow host
    /// never hold slots other hosts could use); None when none came within `max_wait`.
    pub async fn acquire(&self, host: &str) -> Option<Slot> {
        let host = host.to_ascii_lowercase();
        let host_sem = {
            let mut hosts = self
                .inner
                .hosts
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            hosts
                .entry(host.clone())
                .or_insert_with(|| Arc::new(Semaphore::new(self.inner.per_host)))
                .clone()
        };
        let wait = async {
            let host_permit = host_sem.acquire_owned().await.ok()?;
            let total_permit = self.inner.total.clone().acquire_owned().await.ok()?;
            Some((host_permit, total_permit))
        };
        let acquired = tokio::time::timeout(self.inner.max_wait, wait).await;
        let Ok(Some((host_permit, total_permit))) = acquired else {
            self.inner.forget_if_idle(&host, None);
            return None;
        };
        Some(Slot {
            inner: self.inner.clone(),
            host,
            host_permit: Some(host_permit),
            _total_permit: total_permit,
        })
    }

    /// Requests in flight now (for tests and diagnostics).
    pub fn in_flight(&self) -> usize {
        let hosts = self
            .inner
            .hosts
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        hosts
            .values()
            .map(|s| self.inner.per_host - s.available_permits())
            .sum()
    }

    /// Hosts with a request in flight or waiting.
    pub fn hosts_tracked(&self) -> usize {
        self.inner
            .hosts
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

impl Inner {
    /// Releases `permit` (if any) and drops the host's semaphore when nobody else holds or
    /// waits for it, under the map lock so no new caller can pick it up meanwhile.
    fn forget_if_idle(&self, host: &str, permit: Option<OwnedSemaphorePermit>) {
        let mut hosts = self.hosts.lock().unwrap_or_else(PoisonError::into_inner);
        drop(permit);
        if hosts.get(host).is_some_and(|s| Arc::strong_count(s) == 1) {
            hosts.remove(host);
        }
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let permit = self.host_permit.take();
        self.inner.forget_if_idle(&self.host, permit);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WAIT: Duration = Duration::from_millis(50);

    #[tokio::test]
    async fn per_host_and_total_caps_hold() {
        let slots = FetchSlots::new(3, 2, WAIT);
        let a1 = slots.acquire("a.example").await;
        let a2 = slots.acquire("A.example").await;
        assert!(a1.is_some() && a2.is_some());
        // a third request to the same host waits, then gives up
        assert!(slots.acquire("a.example").await.is_none());
        let b1 = slots.acquire("b.example").await;
        assert!(b1.is_some());
        // the total is used up: another host waits too
        assert!(slots.acquire("c.example").await.is_none());
        assert_eq!(slots.in_flight(), 3);
        drop(a1);
        assert!(slots.acquire("c.example").await.is_some());
        drop((a2, b1));
        assert_eq!(slots.in_flight(), 0);
        assert_eq!(slots.hosts_tracked(), 0, "idle hosts are forgotten");
    }

    #[tokio::test]
    async fn a_waiter_gets_the_released_slot() {
        let slots = FetchSlots::new(1, 1, Duration::from_secs(5));
        let first = slots.acquire("a.example").await;
        let waiter = {
            let slots = slots.clone();
            tokio::spawn(async move { slots.acquire("a.example").await.is_some() })
        };
        tokio::time::sleep(Duration::from_millis(20)).await;
        drop(first);
        assert!(matches!(waiter.await, Ok(true)));
        assert_eq!(slots.hosts_tracked(), 0);
    }
}
