//! Rate limits with upstream's semantics: fixed windows aligned to the epoch, counted per key.
//! The counter store is a trait: in memory for one process (the default), in Redis when
//! several processes must share the limits (`redis_url`).

mod ahead;
mod memory;
mod redis;
mod shards;
pub mod throttles;

pub use memory::MemoryLimiter;
pub use redis::RedisLimiter;

/// The state of one throttle after counting a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub limit: u64,
    pub count: u64,
    /// End of the current window, milliseconds since the epoch.
    pub reset_at_ms: i64,
}

impl Hit {
    pub fn exceeded(&self) -> bool {
        self.count > self.limit
    }

    pub fn remaining(&self) -> u64 {
        self.limit.saturating_sub(self.count)
    }
}

/// One throttle to count a request against: its key (already carrying the throttle's name),
/// limit and period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Check<'a> {
    pub key: &'a str,
    pub limit: u64,
    pub period_secs: u64,
}

#[async_trait::async_trait]
pub trait RateLimiter: Send + Sync + 'static {
    /// Counts one request against `key` in window number `n` of `period_secs`: the new count.
    async fn count(&self, key: &str, period_secs: u64, n: i64) -> Result<u64, String>;

    /// Counts one request against `key` in the window of `period_secs` that contains `now_ms`.
    async fn hit(
        &self,
        key: &str,
        limit: u64,
        period_secs: u64,
        now_ms: i64,
    ) -> Result<Hit, String> {
        let (n, reset_at_ms) = window(period_secs, now_ms);
        let count = self.count(key, period_secs, n).await?;
        Ok(Hit {
            limit,
            count,
            reset_at_ms,
        })
    }

    /// Counts one request against each check in order and stops after the first one over
    /// its limit, as rack-attack does (the throttles after it are not counted): one hit per
    /// check counted, so the last is exceeded exactly when the request is refused. A shared
    /// store answers all of them in one round trip.
    async fn hit_all(&self, checks: &[Check<'_>], now_ms: i64) -> Result<Vec<Hit>, String> {
        let mut hits = Vec::with_capacity(checks.len());
        for c in checks {
            let hit = self.hit(c.key, c.limit, c.period_secs, now_ms).await?;
            hits.push(hit);
            if hit.exceeded() {
                break;
            }
        }
        Ok(hits)
    }
}

/// Window number and end for a period: `floor(now / period)` as rack-attack does.
pub fn window(period_secs: u64, now_ms: i64) -> (i64, i64) {
    let period_ms = i64::try_from(period_secs.saturating_mul(1000))
        .unwrap_or(i64::MAX)
        .max(1);
    let n = now_ms.div_euclid(period_ms);
    (n, (n + 1) * period_ms)
}
