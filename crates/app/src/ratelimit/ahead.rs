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

use std::time::{Duration, Instant};

use super::shards::Shards;

/// How long a count heard from Redis may be counted ahead of.
pub const FRESH: Duration = Duration::from_millis(50);

/// Past this many counters in a shard, those neither heard of for [`FRESH`] nor over their
/// limit in a window still running are forgotten (forgetting only costs a round trip).
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
    /// The end of the counter's window (ms since the epoch) once Redis answered a count over
    /// its limit: counts only grow within a window, so until then every request of it is
    /// refused without asking. 0 while not known to be over.
    over_until_ms: i64,
}

/// What this process may do with one request's counter without asking Redis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ahead {
    /// Over its limit until its window ends: refuse.
    Over,
    /// Counted ahead of Redis: the count to report.
    Counted(u64),
    /// Ask Redis and wait for its answer.
    Ask,
}

/// What this process knows of each counter in Redis (the keys name their window).
#[derive(Debug, Default)]
pub struct Ledger {
    counters: Shards<Heard>,
}

impl Ledger {
    /// Counts one request against `key` ahead of Redis when that is safe (see the module),
    /// unless `may_count` is false; in any case tells whether the counter is known over.
    pub fn try_ahead(&self, key: &str, limit: u64, now: Instant, may_count: bool) -> Ahead {
        let Some(mut shard) = self.counters.lock(key) else {
            return Ahead::Ask;
        };
        let Some(heard) = shard.get_mut(key) else {
            return Ahead::Ask;
        };
        if heard.over_until_ms != 0 {
            return Ahead::Over;
        }
        let margin = margin(limit);
        let count = heard.count.saturating_add(heard.ahead).saturating_add(1);
        let safe = may_count
            && now.saturating_duration_since(heard.sent_at) < FRESH
            && count.saturating_add(margin) <= limit
            && heard.ahead < margin / 4;
        if !safe {
            return Ahead::Ask;
        }
        heard.ahead += 1;
        Ahead::Counted(count)
    }

    /// Redis answered `count` for `key` to a call sent at `sent_at`, which carried `applied`
    /// of this process's increments counted ahead.
    pub fn heard(&self, key: &str, count: u64, applied: u64, sent_at: Instant) {
        self.update(key, sent_at, |heard| {
            heard.count = heard.count.max(count);
            heard.sent_at = heard.sent_at.max(sent_at);
            heard.ahead = heard.ahead.saturating_sub(applied);
        });
    }

    /// Redis answered a count over its limit for `key`, whose window ends at `reset_at_ms`.
    pub fn over(&self, key: &str, reset_at_ms: i64) {
        self.update(key, Instant::now(), |heard| {
            heard.over_until_ms = reset_at_ms.max(1);
        });
    }

    fn update(&self, key: &str, now: Instant, change: impl FnOnce(&mut Heard)) {
        let Some(mut shard) = self.counters.lock(key) else {
            return;
        };
        if shard.len() >= SHARD_MAX && !shard.contains_key(key) {
            let now_ms = crate::domain::time::now();
            shard.retain(|_, h| {
                now.saturating_duration_since(h.sent_at) < FRESH || h.over_until_ms > now_ms
            });
            if shard.len() >= SHARD_MAX {
                return;
            }
        }
        let heard = shard.entry(key.to_owned()).or_insert(Heard {
            count: 0,
            sent_at: now,
            ahead: 0,
            over_until_ms: 0,
        });
        change(heard);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_counter_asks_redis() {
        assert_eq!(
            Ledger::default().try_ahead("k", 1_000, Instant::now(), true),
            Ahead::Ask
        );
    }

    #[test]
    fn counts_ahead_while_far_from_the_limit_and_fresh() {
        let ledger = Ledger::default();
        let now = Instant::now();
        ledger.heard("k", 10, 0, now);
        assert_eq!(ledger.try_ahead("k", 1_000, now, true), Ahead::Counted(11));
        assert_eq!(ledger.try_ahead("k", 1_000, now, true), Ahead::Counted(12));
        // Redis applied both: the count goes on from its answer.
        ledger.heard("k", 12, 2, now);
        assert_eq!(ledger.try_ahead("k", 1_000, now, true), Ahead::Counted(13));
        // Stale: ask again.
        assert_eq!(ledger.try_ahead("k", 1_000, now + FRESH, true), Ahead::Ask);
    }

    #[test]
    fn within_a_margin_of_the_limit_every_request_asks() {
        let ledger = Ledger::default();
        let now = Instant::now();
        // limit 300: margin 30, so up to a count of 270 may be counted ahead.
        ledger.heard("k", 268, 0, now);
        assert_eq!(ledger.try_ahead("k", 300, now, true), Ahead::Counted(269));
        assert_eq!(ledger.try_ahead("k", 300, now, true), Ahead::Counted(270));
        assert_eq!(ledger.try_ahead("k", 300, now, true), Ahead::Ask);
        // Small limits are never counted ahead.
        ledger.heard("small", 0, 0, now);
        assert_eq!(ledger.try_ahead("small", 20, now, true), Ahead::Ask);
    }

    #[test]
    fn runs_at_most_a_quarter_of_a_margin_ahead_of_redis() {
        let ledger = Ledger::default();
        let now = Instant::now();
        ledger.heard("k", 0, 0, now);
        // limit 1,000: margin 100, at most 25 unanswered increments.
        for i in 1..=25 {
            assert_eq!(ledger.try_ahead("k", 1_000, now, true), Ahead::Counted(i));
        }
        assert_eq!(ledger.try_ahead("k", 1_000, now, true), Ahead::Ask);
        ledger.heard("k", 25, 25, now);
        assert_eq!(ledger.try_ahead("k", 1_000, now, true), Ahead::Counted(26));
    }

    #[test]
    fn an_older_answer_never_lowers_the_count() {
        let ledger = Ledger::default();
        let now = Instant::now();
        ledger.heard("k", 40, 0, now);
        ledger.heard("k", 30, 0, now);
        assert_eq!(ledger.try_ahead("k", 1_000, now, true), Ahead::Counted(41));
    }

    #[test]
    fn a_counter_over_its_limit_is_refused_without_asking() {
        let ledger = Ledger::default();
        let now = Instant::now();
        ledger.heard("k", 10, 0, now);
        // Not counted ahead when the caller may not (a check after one that asks).
        assert_eq!(ledger.try_ahead("k", 1_000, now, false), Ahead::Ask);
        ledger.over("k", i64::MAX);
        assert_eq!(ledger.try_ahead("k", 1_000, now, true), Ahead::Over);
        assert_eq!(ledger.try_ahead("k", 1_000, now, false), Ahead::Over);
        // Known over even when never heard of below its limit, and however stale.
        ledger.over("fresh", i64::MAX);
        assert_eq!(
            ledger.try_ahead("fresh", 5, now + FRESH * 100, true),
            Ahead::Over
        );
    }
}
