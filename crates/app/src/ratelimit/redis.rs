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
//! A request far under all its limits does not wait at all: it is counted ahead of Redis
//! ([`super::ahead`]) and its increments go in the next script call, added up per counter.
//! Only within a margin of a limit (or for a counter not heard of lately) does a request wait
//! for Redis's answer, so the request that crosses a limit is found exactly.
//!
//! A counter over its limit stays over until its window ends (counts only grow within a
//! window), so this process remembers it (in the same [`Ledger`]) and refuses the next
//! requests of that key without asking Redis again.
//!
//! When Redis cannot be reached the request is let through (and logged, at most every few
//! seconds): a rate limiter that fails closed turns a Redis restart into an outage of the
//! whole API.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use ::redis::aio::{ConnectionManager, ConnectionManagerConfig};
use tokio::sync::{Notify, mpsc, oneshot};

use super::ahead::{Ahead, Ledger};
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
/// How long increments counted ahead (which nobody waits for) may be gathered before they
/// are sent: fewer, fuller script calls. Well under [`super::ahead::FRESH`].
const AHEAD_GATHER: Duration = Duration::from_millis(5);

/// Several requests' counters. KEYS: every request's counters in order; ARGV: for each
/// request, how many counters it has, then the expiry seconds, limit and increment of each.
/// Returns one count per key: counted up to and including a request's first counter over its
/// limit, 0 for the request's counters after it (not counted). A counter gets its expiry when
/// it is created, inside the script, so it can never be left without one.
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
      local by = tonumber(ARGV[a + 2])
      local c = redis.call('INCRBY', KEYS[k], by)
      if c == by then redis.call('EXPIRE', KEYS[k], ARGV[a]) end
      out[k] = c
      over = c > tonumber(ARGV[a + 1])
    end
    k = k + 1
    a = a + 3
  end
end
return out";

pub struct RedisLimiter {
    batches: mpsc::UnboundedSender<Pending>,
    /// Told when a request that waits is sent: it cuts the gathering short ([`batcher`]).
    waiting_sent: Arc<Notify>,
    prefix: String,
    ledger: Arc<Ledger>,
    /// Requests that waited for Redis's answer (the others were counted ahead).
    waited: AtomicU64,
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
        let ledger = Arc::new(Ledger::default());
        let waiting_sent = Arc::new(Notify::new());
        tokio::spawn(batcher(
            conn,
            script_sha,
            pending,
            waiting_sent.clone(),
            ledger.clone(),
        ));
        Ok(Self {
            batches,
            waiting_sent,
            prefix: prefix.to_owned(),
            ledger,
            waited: AtomicU64::new(0),
            last_warning_ms: AtomicI64::new(i64::MIN),
        })
    }

    /// How many requests waited for Redis's answer so far; the others were counted ahead.
    pub fn requests_waited(&self) -> u64 {
        self.waited.load(Ordering::Relaxed)
    }

    /// The Redis key of `key`'s counter for window `n` of `period_secs`.
    fn full_key(&self, key: &str, period_secs: u64, n: i64) -> String {
        format!("{}{key}:{period_secs}:{n}", self.prefix)
    }

    /// Counts one request's `keys` (with their `(expiry, limit, 1)` triples in `args`) in the
    /// next script call: the counts, as [`COUNT_SCRIPT`] returns them.
    async fn run_script(&self, keys: Vec<String>, args: Vec<u64>) -> Result<Vec<u64>, String> {
        self.waited.fetch_add(1, Ordering::Relaxed);
        let (reply, answer) = oneshot::channel();
        self.batches
            .send(Pending::Answer { keys, args, reply })
            .map_err(|_| "the rate limit batcher stopped".to_owned())?;
        self.waiting_sent.notify_one();
        answer
            .await
            .map_err(|_| "the rate limit batcher stopped".to_owned())?
    }

    /// Sends the increment of a counter counted ahead with the next script call.
    fn send_ahead(&self, key: String, expiry_secs: u64) {
        // A stopped batcher already answered every waiting request with an error.
        let _ = self.batches.send(Pending::Ahead { key, expiry_secs });
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
        let args = vec![period_secs.saturating_add(EXPIRY_SLACK_SECS), u64::MAX, 1];
        match self.run_script(keys, args).await {
            Ok(counts) => Ok(counts.first().copied().unwrap_or(0)),
            Err(error) => {
                self.warn_unavailable(&error);
                Ok(0)
            }
        }
    }

    async fn hit_all(&self, checks: &[Check<'_>], now_ms: i64) -> Result<Vec<Hit>, String> {
        let now = Instant::now();
        let mut hits = Vec::with_capacity(checks.len());
        let mut keys = Vec::with_capacity(checks.len());
        let mut args = Vec::with_capacity(checks.len() * 3);
        let mut known_over = None;
        for c in checks {
            let (n, reset_at_ms) = window(c.period_secs, now_ms);
            let key = self.full_key(c.key, c.period_secs, n);
            let expiry = c.period_secs.saturating_add(EXPIRY_SLACK_SECS);
            // Checks are counted ahead only until one must ask: from there on, Redis counts
            // them in order and stops at the first over its limit.
            match self.ledger.try_ahead(&key, c.limit, now, keys.is_empty()) {
                Ahead::Over => {
                    // Refused whatever Redis says; the checks before it are still counted.
                    known_over = Some(Hit {
                        limit: c.limit,
                        count: c.limit.saturating_add(1),
                        reset_at_ms,
                    });
                    break;
                }
                Ahead::Counted(count) => {
                    self.send_ahead(key, expiry);
                    hits.push(Hit {
                        limit: c.limit,
                        count,
                        reset_at_ms,
                    });
                    continue;
                }
                Ahead::Ask => {}
            }
            keys.push(key);
            args.extend([expiry, c.limit, 1]);
        }
        if !keys.is_empty() {
            let asked = &checks[hits.len()..hits.len() + keys.len()];
            let counts = match self.run_script(keys, args).await {
                Ok(counts) => Some(counts),
                Err(error) => {
                    self.warn_unavailable(&error);
                    None
                }
            };
            for (i, c) in asked.iter().enumerate() {
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
                    self.ledger.over(&key, hit.reset_at_ms);
                    return Ok(hits);
                }
            }
        }
        hits.extend(known_over);
        Ok(hits)
    }
}

/// What the next script call counts.
enum Pending {
    /// A request waiting for the counts of its `keys` (`args`: expiry, limit and 1 for each).
    Answer {
        keys: Vec<String>,
        args: Vec<u64>,
        reply: oneshot::Sender<Result<Vec<u64>, String>>,
    },
    /// One increment of a counter already counted ahead; nobody waits for it.
    Ahead { key: String, expiry_secs: u64 },
}

/// Owns the connection: takes everything waiting (up to [`MAX_BATCH`] requests), counts it
/// all in one script call (the increments counted ahead first, added up per counter, then
/// each waiting request in order), answers the requests, tells the ledger what Redis
/// counted, and starts again; ends with the limiter. When only increments counted ahead are
/// pending, nobody waits for them: they are gathered for up to [`AHEAD_GATHER`] (or until a
/// request that waits arrives), so one call carries more of them.
async fn batcher(
    mut conn: ConnectionManager,
    script_sha: String,
    mut pending: mpsc::UnboundedReceiver<Pending>,
    waiting_sent: Arc<Notify>,
    ledger: Arc<Ledger>,
) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while pending.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let mut ahead: Vec<(String, u64, u64)> = Vec::new();
        let mut ahead_index: HashMap<String, usize> = HashMap::new();
        let mut waiting = Vec::with_capacity(batch.len());
        let mut take = |p: Pending, waiting: &mut Vec<_>| match p {
            Pending::Ahead { key, expiry_secs } => match ahead_index.get(&key) {
                Some(&i) => ahead[i].2 += 1,
                None => {
                    ahead_index.insert(key.clone(), ahead.len());
                    ahead.push((key, expiry_secs, 1));
                }
            },
            Pending::Answer { keys, args, reply } => waiting.push((keys, args, reply)),
        };
        for p in batch.drain(..) {
            take(p, &mut waiting);
        }
        if waiting.is_empty() {
            // Not woken for each increment meanwhile (a wake-up per request cost more than
            // the rest of the limiter): they are all taken when the time is up.
            tokio::select! {
                () = tokio::time::sleep(AHEAD_GATHER) => {}
                () = waiting_sent.notified() => {}
            }
            while let Ok(p) = pending.try_recv() {
                take(p, &mut waiting);
            }
        }
        let keys: Vec<&str> = ahead
            .iter()
            .map(|(key, _, _)| key.as_str())
            .chain(
                waiting
                    .iter()
                    .flat_map(|(keys, _, _)| keys.iter().map(String::as_str)),
            )
            .collect();
        let mut args = Vec::with_capacity(keys.len() * 4);
        for (_, expiry, by) in &ahead {
            args.extend([1, *expiry, u64::MAX, *by]);
        }
        for (keys, request_args, _) in &waiting {
            args.push(keys.len() as u64);
            args.extend_from_slice(request_args);
        }
        let invocation = |command: &str, script: &str| {
            let mut cmd = ::redis::cmd(command);
            cmd.arg(script).arg(keys.len()).arg(&keys).arg(&args);
            cmd
        };
        let sent_at = Instant::now();
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
        if let Ok(counts) = &result {
            for ((key, _, by), count) in ahead.iter().zip(counts) {
                ledger.heard(key, *count, *by, sent_at);
            }
            for (key, count) in keys.iter().zip(counts).skip(ahead.len()) {
                if *count > 0 {
                    ledger.heard(key, *count, 0, sent_at);
                }
            }
        }
        let mut offset = ahead.len();
        for (keys, _, reply) in waiting {
            let answer = match &result {
                Ok(counts) => counts
                    .get(offset..offset + keys.len())
                    .map(<[u64]>::to_vec)
                    .ok_or_else(|| "Redis answered too few counts".to_owned()),
                Err(e) => Err(e.to_string()),
            };
            offset += keys.len();
            let _ = reply.send(answer);
        }
    }
}
