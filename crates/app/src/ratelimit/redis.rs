//! Counters in Redis, shared by every process of a deployment: the same fixed windows as
//! [`super::MemoryLimiter`], one key per key, period and window.
//!
//! All the throttles of one request are counted by one Lua script in one round trip
//! ([`COUNT_SCRIPT`]): it increments each counter in order, gives a new counter its expiry
//! in the same atomic step (so a counter never outlives its window and no two processes can
//! lose each other's increments), and stops after the first counter over its limit, as
//! rack-attack does. Requests of many tasks share one multiplexed connection, so concurrent
//! scripts go out pipelined.
//!
//! A counter over its limit stays over until its window ends (counts only grow within a
//! window), so this process remembers it ([`OverLimits`]) and refuses the next requests of
//! that key without asking Redis again.
//!
//! When Redis cannot be reached the request is let through (and logged, at most every few
//! seconds): a rate limiter that fails closed turns a Redis restart into an outage of the
//! whole API.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use ::redis::aio::{ConnectionManager, ConnectionManagerConfig};

use super::{Check, Hit, RateLimiter, window};
use crate::domain::time;

/// Longest wait for Redis before a request goes on uncounted.
const RESPONSE_TIMEOUT: Duration = Duration::from_millis(500);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// Counters are kept a little past their window so a clock skew between processes cannot
/// restart a window early.
const EXPIRY_SLACK_SECS: u64 = 5;
/// At most one "Redis unavailable" warning in this many milliseconds.
const WARN_EVERY_MS: i64 = 5_000;

/// KEYS: the counters in order; ARGV: expiry seconds and limit of each, in pairs. Returns
/// the counts up to and including the first over its limit. A counter gets its expiry when
/// it is created, inside the script, so it can never be left without one.
const COUNT_SCRIPT: &str = "\
local out = {}
for i, key in ipairs(KEYS) do
  local c = redis.call('INCR', key)
  if c == 1 then redis.call('EXPIRE', key, ARGV[2 * i - 1]) end
  out[i] = c
  if c > tonumber(ARGV[2 * i]) then break end
end
return out";

pub struct RedisLimiter {
    conn: ConnectionManager,
    prefix: String,
    /// SHA1 of [`COUNT_SCRIPT`] as Redis reported it when it was loaded.
    script_sha: String,
    over: OverLimits,
    last_warning_ms: AtomicI64,
}

impl std::fmt::Debug for RedisLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisLimiter")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

impl RedisLimiter {
    /// Connects to `url` (`redis://host:port/db`), failing within seconds when it is down.
    pub async fn connect(url: &str) -> Result<Self, ::redis::RedisError> {
        Self::connect_with_prefix(url, "woolly:rl:").await
    }

    /// As [`Self::connect`], with the keys under `prefix` (tests keep theirs apart).
    pub async fn connect_with_prefix(url: &str, prefix: &str) -> Result<Self, ::redis::RedisError> {
        let client = ::redis::Client::open(url)?;
        let config = ConnectionManagerConfig::new()
            .set_response_timeout(Some(RESPONSE_TIMEOUT))
            .set_connection_timeout(Some(CONNECT_TIMEOUT))
            .set_number_of_retries(2);
        let mut conn = ConnectionManager::new_with_config(client, config).await?;
        let script_sha: String = ::redis::cmd("SCRIPT")
            .arg("LOAD")
            .arg(COUNT_SCRIPT)
            .query_async(&mut conn)
            .await?;
        Ok(Self {
            conn,
            prefix: prefix.to_owned(),
            script_sha,
            over: OverLimits::default(),
            last_warning_ms: AtomicI64::new(i64::MIN),
        })
    }

    /// The Redis key of `key`'s counter for window `n` of `period_secs`.
    fn full_key(&self, key: &str, period_secs: u64, n: i64) -> String {
        format!("{}{key}:{period_secs}:{n}", self.prefix)
    }

    /// Runs [`COUNT_SCRIPT`] over `keys` (with their `(expiry, limit)` pairs in `args`),
    /// loading it again when Redis has lost it (a restart or `SCRIPT FLUSH`).
    async fn run_script(
        &self,
        keys: &[String],
        args: &[u64],
    ) -> Result<Vec<u64>, ::redis::RedisError> {
        let mut conn = self.conn.clone();
        let invocation = |command: &str, script: &str| {
            let mut cmd = ::redis::cmd(command);
            cmd.arg(script).arg(keys.len()).arg(keys).arg(args);
            cmd
        };
        match invocation("EVALSHA", &self.script_sha)
            .query_async(&mut conn)
            .await
        {
            Err(e) if e.code() == Some("NOSCRIPT") => {
                invocation("EVAL", COUNT_SCRIPT)
                    .query_async(&mut conn)
                    .await
            }
            other => other,
        }
    }

    fn warn_unavailable(&self, error: &::redis::RedisError) {
        let now = time::now();
        let last = self.last_warning_ms.load(Ordering::Relaxed);
        if now.saturating_sub(last) >= WARN_EVERY_MS
            && self
                .last_warning_ms
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            tracing::warn!(%error, "rate limit counters unavailable in Redis: requests not counted");
        }
    }
}

#[async_trait::async_trait]
impl RateLimiter for RedisLimiter {
    async fn count(&self, key: &str, period_secs: u64, n: i64) -> Result<u64, String> {
        let keys = [self.full_key(key, period_secs, n)];
        let args = [period_secs.saturating_add(EXPIRY_SLACK_SECS), u64::MAX];
        match self.run_script(&keys, &args).await {
            Ok(counts) => Ok(counts.first().copied().unwrap_or(0)),
            Err(error) => {
                self.warn_unavailable(&error);
                Ok(0)
            }
        }
    }

    async fn hit_all(&self, checks: &[Check<'_>], now_ms: i64) -> Result<Vec<Hit>, String> {
        let mut keys = Vec::with_capacity(checks.len());
        let mut args = Vec::with_capacity(checks.len() * 2);
        let mut known_over = None;
        for c in checks {
            let (n, reset_at_ms) = window(c.period_secs, now_ms);
            let key = self.full_key(c.key, c.period_secs, n);
            if self.over.contains(&key, now_ms) {
                // Refused whatever Redis says; the checks before it are still counted.
                known_over = Some(Hit {
                    limit: c.limit,
                    count: c.limit.saturating_add(1),
                    reset_at_ms,
                });
                break;
            }
            keys.push(key);
            args.push(c.period_secs.saturating_add(EXPIRY_SLACK_SECS));
            args.push(c.limit);
        }
        let mut hits = Vec::with_capacity(checks.len());
        if !keys.is_empty() {
            let counts = match self.run_script(&keys, &args).await {
                Ok(counts) => Some(counts),
                Err(error) => {
                    self.warn_unavailable(&error);
                    None
                }
            };
            for (i, (c, key)) in checks.iter().zip(&keys).enumerate() {
                // Without an answer from Redis, every check passes uncounted.
                let count = match &counts {
                    Some(counts) => match counts.get(i) {
                        Some(count) => *count,
                        None => break,
                    },
                    None => 0,
                };
                let hit = Hit {
                    limit: c.limit,
                    count,
                    reset_at_ms: window(c.period_secs, now_ms).1,
                };
                hits.push(hit);
                if hit.exceeded() {
                    self.over.insert(key.clone(), hit.reset_at_ms, now_ms);
                    return Ok(hits);
                }
            }
        }
        hits.extend(known_over);
        Ok(hits)
    }
}

/// Counters known to be over their limit in this process, until their window ends (the key
/// names the window, so a new window is a new key).
#[derive(Debug, Default)]
struct OverLimits {
    keys: Mutex<HashMap<String, i64>>,
}

/// Past this many remembered keys, those whose window ended are dropped (and all of them if
/// that is not enough: forgetting only costs a round trip).
const OVER_LIMITS_MAX: usize = 10_000;

impl OverLimits {
    fn contains(&self, key: &str, now_ms: i64) -> bool {
        let Ok(keys) = self.keys.lock() else {
            return false;
        };
        !keys.is_empty() && keys.get(key).is_some_and(|reset| *reset > now_ms)
    }

    fn insert(&self, key: String, reset_at_ms: i64, now_ms: i64) {
        let Ok(mut keys) = self.keys.lock() else {
            return;
        };
        if keys.len() >= OVER_LIMITS_MAX {
            keys.retain(|_, reset| *reset > now_ms);
            if keys.len() >= OVER_LIMITS_MAX {
                keys.clear();
            }
        }
        keys.insert(key, reset_at_ms);
    }
}
