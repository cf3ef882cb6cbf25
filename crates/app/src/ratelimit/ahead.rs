//! Counting ahead of Redis: what this process last heard of each shared counter, so that a
//! request far under its limits is let through at once and its increment sent behind it,
//! instead of waiting a round trip.
//!
//! A counter's count may be let through without asking only while
//! - this process heard it from Redis less than [`FRESH`] ago, and
//! - that count, plus this process's increments not yet answered, plus one, stays at least
//!   [`margin`] under the limit, and
//! - this process is at most a quarter of a margin ahead of Redis on it.
//!
//! Near a limit every request asks Redis and waits, so the request that crosses it is found
//! exactly, whichever process serves it. Far from it, the increments of the other processes
//! that this one has not heard of yet are covered by the margin (a tenth of the limit, at
//! least 20): up to four other processes can each be a quarter of it ahead, so a limit is
//! overshot only with more processes than that, or when one counter gets about a margin of
//! requests in less than [`FRESH`] across the deployment. The count this process reports
//! (`X-RateLimit-Remaining`) is low by what it has not heard of yet, less than the margin.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a count heard from Redis may be counted ahead of.
pub const FRESH: Duration = Duration::from_millis(50);

const SHARDS: usize = 16;
/// Past this many counters in a shard, those not heard of for [`FRESH`] are forgotten
/// (they could not be counted ahead of anyway).
const SHARD_MAX: usize = 4_096;

/// How far under its limit a counter must stay to be counted ahead of.
pub fn margin(limit: u64) -> u64 {
    (limit / 10).max(20)
}

#[derive(Debug, Clone, Copy)]
struct Heard {
    /// The highest count Redis answered for the counter.
    count: u64,
    /// When the call that answered it was sent.
    sent_at: Instant,
    /// Increments let through by this process and not yet answered by Redis.
    ahead: u64,
}

#[derive(Debug)]
pub struct Ledger {
    shards: Vec<Mutex<HashMap<String, Heard>>>,
    hasher: RandomState,
}

impl Default for Ledger {
    fn default() -> Self {
        Self {
            shards: (0..SHARDS).map(|_| Mutex::new(HashMap::new())).collect(),
            hasher: RandomState::new(),
        }
    }
}

impl Ledger {
    fn shard(&self, key: &str) -> &Mutex<HashMap<String, Heard>> {
        let index = usize::try_from(self.hasher.hash_one(key) % SHARDS as u64).unwrap_or(0);
        &self.shards[index]
    }

    /// Counts one request against `key` ahead of Redis when that is safe (see the module):
    /// the count to report, or `None` when the request must ask Redis.
    pub fn try_ahead(&self, key: &str, limit: u64, now: Instant) -> Option<u64> {
        let Ok(mut shard) = self.shard(key).lock() else {
            return None;
        };
        let heard = shard.get_mut(key)?;
        let margin = margin(limit);
        let count = heard.count.saturating_add(heard.ahead).saturating_add(1);
        let safe = now.saturating_duration_since(heard.sent_at) < FRESH
            && count.saturating_add(margin) <= limit
            && heard.ahead < margin / 4;
        if !safe {
            return None;
        }
        heard.ahead += 1;
        Some(count)
    }

    /// Redis answered `count` for `key` to a call sent at `sent_at`, which carried `applied`
    /// of this process's increments counted ahead.
    pub fn heard(&self, key: &str, count: u64, applied: u64, sent_at: Instant) {
        let Ok(mut shard) = self.shard(key).lock() else {
            return;
        };
        if shard.len() >= SHARD_MAX && !shard.contains_key(key) {
            shard.retain(|_, h| sent_at.saturating_duration_since(h.sent_at) < FRESH);
            if shard.len() >= SHARD_MAX {
                return;
            }
        }
        let heard = shard.entry(key.to_owned()).or_insert(Heard {
            count,
            sent_at,
            ahead: 0,
        });
        heard.count = heard.count.max(count);
        heard.sent_at = heard.sent_at.max(sent_at);
        heard.ahead = heard.ahead.saturating_sub(applied);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_counter_asks_redis() {
        assert_eq!(
            Ledger::default().try_ahead("k", 1_000, Instant::now()),
            None
        );
    }

    #[test]
    fn counts_ahead_while_far_from_the_limit_and_fresh() {
        let ledger = Ledger::default();
        let now = Instant::now();
        ledger.heard("k", 10, 0, now);
        assert_eq!(ledger.try_ahead("k", 1_000, now), Some(11));
        assert_eq!(ledger.try_ahead("k", 1_000, now), Some(12));
        // Redis applied both: the count goes on from its answer.
        ledger.heard("k", 12, 2, now);
        assert_eq!(ledger.try_ahead("k", 1_000, now), Some(13));
        // Stale: ask again.
        assert_eq!(ledger.try_ahead("k", 1_000, now + FRESH), None);
    }

    #[test]
    fn within_a_margin_of_the_limit_every_request_asks() {
        let ledger = Ledger::default();
        let now = Instant::now();
        // limit 300: margin 30, so up to a count of 270 may be counted ahead.
        ledger.heard("k", 268, 0, now);
        assert_eq!(ledger.try_ahead("k", 300, now), Some(269));
        assert_eq!(ledger.try_ahead("k", 300, now), Some(270));
        assert_eq!(ledger.try_ahead("k", 300, now), None);
        // Small limits are never counted ahead.
        ledger.heard("small", 0, 0, now);
        assert_eq!(ledger.try_ahead("small", 20, now), None);
    }

    #[test]
    fn runs_at_most_a_quarter_of_a_margin_ahead_of_redis() {
        let ledger = Ledger::default();
        let now = Instant::now();
        ledger.heard("k", 0, 0, now);
        // limit 1,000: margin 100, at most 25 unanswered increments.
        for i in 1..=25 {
            assert_eq!(ledger.try_ahead("k", 1_000, now), Some(i));
        }
        assert_eq!(ledger.try_ahead("k", 1_000, now), None);
        ledger.heard("k", 25, 25, now);
        assert_eq!(ledger.try_ahead("k", 1_000, now), Some(26));
    }

    #[test]
    fn an_older_answer_never_lowers_the_count() {
        let ledger = Ledger::default();
        let now = Instant::now();
        ledger.heard("k", 40, 0, now);
        ledger.heard("k", 30, 0, now);
        assert_eq!(ledger.try_ahead("k", 1_000, now), Some(41));
    }
}
