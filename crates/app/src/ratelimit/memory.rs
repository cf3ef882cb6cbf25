//! In-process counters: right for one process; use a shared store when scaling out.

use super::RateLimiter;
use super::shards::Shards;

/// Counters by key and period: the window number they count, and the count.
#[derive(Debug, Default)]
pub struct MemoryLimiter {
    counters: Shards<(i64, u64)>,
}

#[async_trait::async_trait]
impl RateLimiter for MemoryLimiter {
    async fn count(&self, key: &str, period_secs: u64, n: i64) -> Result<u64, String> {
        let full_key = format!("{key}:{period_secs}");
        let mut map = self
            .counters
            .lock(&full_key)
            .ok_or_else(|| "a rate limit shard was poisoned".to_owned())?;
        if map.len() > 50_000 {
            // Drop counters of past windows so the map stays bounded.
            map.retain(|_, (w, _)| *w >= n);
        }
        let entry = map.entry(full_key).or_insert((n, 0));
        if entry.0 != n {
            *entry = (n, 0);
        }
        entry.1 += 1;
        Ok(entry.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ratelimit::Hit;

    #[tokio::test]
    async fn counts_within_a_window_and_resets_after() {
        let l = MemoryLimiter::default();
        let t0 = 1_000_000;
        for i in 1..=3 {
            let hit = l.hit("k", 2, 60, t0).await.unwrap_or(Hit {
                limit: 0,
                count: 0,
                reset_at_ms: 0,
            });
            assert_eq!(hit.count, i);
            assert_eq!(hit.exceeded(), i > 2);
        }
        let later = l.hit("k", 2, 60, t0 + 60_000).await.unwrap_or(Hit {
            limit: 0,
            count: 0,
            reset_at_ms: 0,
        });
        assert_eq!(later.count, 1);
        assert_eq!(later.reset_at_ms % 60_000, 0);
    }
}
