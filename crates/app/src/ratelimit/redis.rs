//! Counters in Redis, shared by every process of a deployment: the same fixed windows as
//! [`super::MemoryLimiter`], one key per key, period and window.
//!
//! All the throttles of one request are counted by one Lua script ([`COUNT_SCRIPT`]): it
//! increments each counter in order, gives a new counter its expiry in the same atomic step
//! (so a counter never outlives its window and no two processes can lose each other's
//! increments), and stops after the first counter over its limit, as rack-attack does. The
//! requests that arrive while a script call is in flight wait for the next one, which
//! counts all of them in order ([`batcher`]): one round trip, and one script call in Redis,
//! for however many requests a process serves at once.
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
use tokio::sync::{mpsc, oneshot};

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

/// Requests counted by one script call at most.
const MAX_BATCH: usize = 256;

/// Several requests' counters. KEYS: every request's counters in order; ARGV: for each
/// request, how many counters it has, then the expiry seconds and limit of each. Returns one
/// count per key: counted up to and including a request's first counter over its limit, 0
/// for the request's counters after it (not counted). A counter gets its expiry when it is
/// created, inside the script, so it can never be left without one.
const COUNT_SCRIPT: &str = "\
local out, k, a = {}, 1, 1
while a <= #ARGV do
  local n = tonumber(ARGV[a])
  a = a + 1
  local over = false
  for _ = 1, n do
    if over then
      out[k] = 0
    else
      local c = redis.call('INCR', KEYS[k])
      if c == 1 then redis.call('EXPIRE', KEYS[k], ARGV[a]) end
      out[k] = c
      over = c > tonumber(ARGV[a + 1])
    end
    k = k + 1
    a = a + 2
  end
end
return out";

pub struct RedisLimiter {
    batches: mpsc::UnboundedSender<Pending>,
    prefix: String,
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
        let (batches, pending) = mpsc::unbounded_channel();
        tokio::spawn(batcher(conn, script_sha, pending));
        Ok(Self {
            batches,
            prefix: prefix.to_owned(),
            over: OverLimits::default(),
            last_warning_ms: AtomicI64::new(i64::MIN),
        })
    }

    /// The Redis key of `key`'s counter for window `n` of `period_secs`.
    fn full_key(&self, key: &str, period_secs: u64, n: i64) -> String {
        format!("{}{key}:{period_secs}:{n}", self.prefix)
    }

    /// Counts one request's `keys` (with their `(expiry, limit)` pairs in `args`) in the
    /// next script call: the counts, as [`COUNT_SCRIPT`] returns them.
    async fn run_script(&self, keys: Vec<String>, args: Vec<u64>) -> Result<Vec<u64>, String> {
        let (reply, answer) = oneshot::channel();
        self.batches
            .send(Pending { keys, args, reply })
            .map_err(|_| "the rate limit batcher stopped".to_owned())?;
        answer
            .await
            .map_err(|_| "the rate limit batcher stopped".to_owned())?
    }

    fn warn_unavailable(&self, error: &str) {
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
        let keys = vec![self.full_key(key, period_secs, n)];
        let args = vec![period_secs.saturating_add(EXPIRY_SLACK_SECS), u64::MAX];
        match self.run_script(keys, args).await {
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
            let sent = keys.len();
            let counts = match self.run_script(keys, args).await {
                Ok(counts) => Some(counts),
                Err(error) => {
                    self.warn_unavailable(&error);
                    None
                }
            };
            for (i, c) in checks.iter().take(sent).enumerate() {
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
                    let (n, _) = window(c.period_secs, now_ms);
                    let key = self.full_key(c.key, c.period_secs, n);
                    self.over.insert(key, hit.reset_at_ms, now_ms);
                    return Ok(hits);
                }
            }
        }
        hits.extend(known_over);
        Ok(hits)
    }
}

/// One request waiting for the next script call.
struct Pending {
    keys: Vec<String>,
    args: Vec<u64>,
    reply: oneshot::Sender<Result<Vec<u64>, String>>,
}

/// Owns the connection: takes every request waiting (up to [`MAX_BATCH`]), counts them all
/// in one script call, answers each, and starts again; ends with the limiter.
async fn batcher(
    mut conn: ConnectionManager,
    script_sha: String,
    mut pending: mpsc::UnboundedReceiver<Pending>,
) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while pending.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let keys: Vec<&str> = batch
            .iter()
            .flat_map(|p| p.keys.iter().map(String::as_str))
            .collect();
        let mut args = Vec::with_capacity(keys.len() * 2 + batch.len());
        for p in &batch {
            args.push(p.keys.len() as u64);
            args.extend_from_slice(&p.args);
        }
        let invocation = |command: &str, script: &str| {
            let mut cmd = ::redis::cmd(command);
            cmd.arg(script).arg(keys.len()).arg(&keys).arg(&args);
            cmd
        };
        // EVAL loads the script again when Redis lost it (a restart or `SCRIPT FLUSH`).
        let result: Result<Vec<u64>, ::redis::RedisError> = match invocation("EVALSHA", &script_sha)
            .query_async(&mut conn)
            .await
        {
            Err(e) if e.code() == Some("NOSCRIPT") => {
                invocation("EVAL", COUNT_SCRIPT)
                    .query_async(&mut conn)
                    .await
            }
            other => other,
        };
        let mut offset = 0;
        for p in batch.drain(..) {
            let answer = match &result {
                Ok(counts) => counts
                    .get(offset..offset + p.keys.len())
                    .map(<[u64]>::to_vec)
                    .ok_or_else(|| "Redis answered too few counts".to_owned()),
                Err(e) => Err(e.to_string()),
            };
            offset += p.keys.len();
            let _ = p.reply.send(answer);
        }
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
