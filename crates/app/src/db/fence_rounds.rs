//! One fence round serves every request waiting for it (`pg_generation`'s fence, coalesced).
//!
//! A request needs a round that *began after it arrived*: only then has the round seen every
//! commit that finished before the request. Rounds are numbered; a waiter reads the number of
//! the latest round begun, asks for the next one and waits until it is done. One background
//! loop runs the rounds back to back while anyone is waiting, so however many requests arrive
//! during a round, the next round (one database round trip) answers all of them: the fence
//! costs one query per round trip time instead of one per request. Nothing is locked across
//! an await; the counters are atomics, the wake-ups a `Notify` and a `watch`.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::SeqCst};

use tokio::sync::{Notify, watch};

#[derive(Debug)]
pub struct FenceRounds {
    /// The number of the latest round begun (0: none yet).
    begun: AtomicU64,
    /// The highest round number a waiter needs.
    wanted: AtomicU64,
    /// Wakes the loop when `wanted` moves past `begun`, or when closed.
    wake: Notify,
    /// The number of the latest round done.
    done: watch::Sender<u64>,
    closed: AtomicBool,
}

impl Default for FenceRounds {
    fn default() -> Self {
        Self {
            begun: AtomicU64::new(0),
            wanted: AtomicU64::new(0),
            wake: Notify::new(),
            done: watch::Sender::new(0),
            closed: AtomicBool::new(false),
        }
    }
}

impl FenceRounds {
    /// Returns once a round that began after this call has finished (at once when the loop
    /// has ended: the caller must then fence by itself, see [`FenceRounds::is_closed`]).
    pub async fn wait(&self) {
        let mut done = self.done.subscribe();
        // Every round numbered above `need - 1` begins after this load.
        let need = self.begun.load(SeqCst) + 1;
        self.wanted.fetch_max(need, SeqCst);
        self.wake.notify_one();
        // Err: the sender is gone (the rounds were dropped); nothing more will be done.
        let _ = done
            .wait_for(|d| *d >= need || self.closed.load(SeqCst))
            .await;
    }

    /// The loop has ended (or never ran): waiting would not fence.
    pub fn is_closed(&self) -> bool {
        self.closed.load(SeqCst)
    }

    /// Ends the loop and releases every waiter.
    pub fn close(&self) {
        self.closed.store(true, SeqCst);
        self.wake.notify_one();
        self.done.send_modify(|_| {});
    }

    /// Runs `round` back to back while anyone waits, until [`FenceRounds::close`]. Each
    /// round's effects (the generation moved on) are visible to the waiters it releases.
    pub async fn run<F, Fut>(self: Arc<Self>, mut round: F)
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = ()>,
    {
        loop {
            loop {
                let woken = self.wake.notified();
                if self.closed.load(SeqCst) {
                    return;
                }
                if self.wanted.load(SeqCst) > self.begun.load(SeqCst) {
                    break;
                }
                woken.await;
            }
            let number = self.begun.fetch_add(1, SeqCst) + 1;
            round().await;
            self.done.send_replace(number);
        }
    }

    /// Rounds begun so far (tests).
    pub fn rounds_begun(&self) -> u64 {
        self.begun.load(SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;
    use std::time::Duration;
    use tokio::sync::Semaphore;

    /// A loop whose rounds each wait for a permit, counting the rounds begun.
    fn gated() -> (Arc<FenceRounds>, Arc<Semaphore>, Arc<AtomicUsize>) {
        let rounds = Arc::new(FenceRounds::default());
        let gate = Arc::new(Semaphore::new(0));
        let count = Arc::new(AtomicUsize::new(0));
        let (g, c) = (gate.clone(), count.clone());
        tokio::spawn(rounds.clone().run(move || {
            let (g, c) = (g.clone(), c.clone());
            async move {
                c.fetch_add(1, SeqCst);
                g.acquire().await.unwrap().forget();
            }
        }));
        (rounds, gate, count)
    }

    async fn settle() {
        for _ in 0..20 {
            tokio::task::yield_now().await;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    #[tokio::test]
    async fn a_waiter_is_never_released_by_a_round_that_began_before_it() {
        let (rounds, gate, count) = gated();
        let first = tokio::spawn({
            let r = rounds.clone();
            async move { r.wait().await }
        });
        settle().await;
        assert_eq!(count.load(SeqCst), 1, "round 1 is running");
        // Arrives while round 1 runs: round 1 must not release it.
        let second = tokio::spawn({
            let r = rounds.clone();
            async move { r.wait().await }
        });
        settle().await;
        gate.add_permits(1);
        first.await.unwrap();
        settle().await;
        assert!(!second.is_finished(), "released by a round older than it");
        assert_eq!(count.load(SeqCst), 2, "round 2 began for it");
        gate.add_permits(1);
        second.await.unwrap();
        assert_eq!(rounds.rounds_begun(), 2);
    }

    #[tokio::test]
    async fn concurrent_waiters_share_one_round() {
        let (rounds, gate, count) = gated();
        // Keep round 1 busy so the others pile up behind it.
        let first = tokio::spawn({
            let r = rounds.clone();
            async move { r.wait().await }
        });
        settle().await;
        let many: Vec<_> = (0..50)
            .map(|_| {
                let r = rounds.clone();
                tokio::spawn(async move { r.wait().await })
            })
            .collect();
        settle().await;
        gate.add_permits(2);
        first.await.unwrap();
        for w in many {
            w.await.unwrap();
        }
        assert_eq!(count.load(SeqCst), 2, "fifty waiters, one round for all");
        settle().await;
        assert_eq!(count.load(SeqCst), 2, "no round without a waiter");
    }

    #[tokio::test]
    async fn closing_releases_the_waiters() {
        let (rounds, _gate, _count) = gated();
        let waiter = tokio::spawn({
            let r = rounds.clone();
            async move { r.wait().await }
        });
        settle().await;
        rounds.close();
        waiter.await.unwrap();
        assert!(rounds.is_closed());
    }
}
