//! Counters in Redis, shared by every process of a deployment: the same fixed windows as
//! [`super::MemoryLimiter`], one key per key, period and window, counted with `INCR` and
//! given an expiry in the same `MULTI`/`EXEC`, so a counter never outlives its window and no
//! two processes can lose each other's increments.
//!
//! When Redis cannot be reached the request is let through (and logged): a rate limiter
//! that fails closed turns a Redis restart into an outage of the whole API.

use std::time::Duration;

use ::redis::aio::{ConnectionManager, ConnectionManagerConfig};

use super::RateLimiter;

/// Longest wait for Redis before a request goes on uncounted.
const RESPONSE_TIMEOUT: Duration = Duration::from_millis(500);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// Counters are kept a little past their window so a clock skew between processes cannot
/// restart a window early.
const EXPIRY_SLACK_SECS: u64 = 5;

pub struct RedisLimiter {
    conn: ConnectionManager,
    prefix: String,
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
        let conn = ConnectionManager::new_with_config(client, config).await?;
        Ok(Self {
            conn,
            prefix: prefix.to_owned(),
        })
    }

    async fn incr(&self, key: &str, ttl_secs: u64) -> Result<u64, ::redis::RedisError> {
        let mut conn = self.conn.clone();
        let (count,): (u64,) = ::redis::pipe()
            .atomic()
            .incr(key, 1)
            .expire(key, i64::try_from(ttl_secs).unwrap_or(i64::MAX))
            .ignore()
            .query_async(&mut conn)
            .await?;
        Ok(count)
    }
}

#[async_trait::async_trait]
impl RateLimiter for RedisLimiter {
    async fn count(&self, key: &str, period_secs: u64, n: i64) -> Result<u64, String> {
        let full_key = format!("{}{key}:{period_secs}:{n}", self.prefix);
        match self
            .incr(&full_key, period_secs.saturating_add(EXPIRY_SLACK_SECS))
            .await
        {
            Ok(count) => Ok(count),
            Err(error) => {
                tracing::warn!(%error, "rate limit counter unavailable in Redis: request not counted");
                Ok(0)
            }
        }
    }
}
