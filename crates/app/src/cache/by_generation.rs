//! A bounded map whose entries are served only at the data generation they were read at
//! (see `cache/mod.rs`): the one form of every per-request cache (rendered accounts,
//! `cache::rendered_accounts`; who a token stands for, `services::viewer`; relationship
//! pages, `services::relationships`).

use std::hash::Hash;

use quick_cache::sync::Cache;
use quick_cache::{Equivalent, Weighter};

use crate::ops::metrics::CacheCounters;

/// Entries' bookkeeping beside their values, for the weight.
const ENTRY_OVERHEAD_BYTES: u64 = 64;

/// What a value costs in memory (approximately: its heap parts and itself).
pub trait Weight {
    fn bytes(&self) -> u64;
}

#[derive(Clone)]
struct Entry<V> {
    generation: u64,
    value: V,
}

#[derive(Clone)]
struct EntryWeight;

impl<K: Weight, V: Weight> Weighter<K, Entry<V>> for EntryWeight {
    fn weight(&self, key: &K, entry: &Entry<V>) -> u64 {
        key.bytes() + entry.value.bytes() + ENTRY_OVERHEAD_BYTES
    }
}

/// Values by key, each valid for one data generation, at most `capacity_bytes` in all.
pub struct ByGeneration<K, V> {
    /// None: the cache is off.
    entries: Option<Cache<K, Entry<V>, EntryWeight>>,
    counters: CacheCounters,
}

impl<K, V> std::fmt::Debug for ByGeneration<K, V>
where
    K: Eq + Hash + Clone + Weight,
    V: Clone + Weight,
{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (entries, bytes) = self.usage();
        f.debug_struct("ByGeneration")
            .field("entries", &entries)
            .field("bytes", &bytes)
            .finish()
    }
}

impl<K, V> ByGeneration<K, V>
where
    K: Eq + Hash + Clone + Weight,
    V: Clone + Weight,
{
    /// Holds at most `capacity_bytes` (by [`Weight`]), sized for entries of about
    /// `typical_bytes`; 0 keeps nothing.
    pub fn with_capacity(capacity_bytes: u64, typical_bytes: u64) -> Self {
        let items = (capacity_bytes / (typical_bytes + ENTRY_OVERHEAD_BYTES)).max(1);
        Self {
            entries: (capacity_bytes > 0)
                .then(|| Cache::with_weighter(items as usize, capacity_bytes, EntryWeight)),
            counters: CacheCounters::default(),
        }
    }

    /// Counts hits and misses on `counters` (registered in the metrics).
    #[must_use]
    pub fn counting(mut self, counters: CacheCounters) -> Self {
        self.counters = counters;
        self
    }

    /// The value kept for `key` if it was read at `now`, the generation now (a `None`
    /// generation, PostgreSQL while not listening, serves nothing).
    pub fn get<Q>(&self, key: &Q, now: Option<u64>) -> Option<V>
    where
        Q: Hash + Equivalent<K> + ?Sized,
    {
        let entries = self.entries.as_ref()?;
        let found = now.and_then(|g| entries.get(key).filter(|e| e.generation == g));
        match found {
            Some(e) => {
                self.counters.hits.inc();
                Some(e.value)
            }
            None => {
                self.counters.misses.inc();
                None
            }
        }
    }

    /// The value kept for `key` at `now`; else `render`ed and kept for `read_at`, the
    /// generation taken before the rows it renders were read.
    pub async fn get_or_render<E>(
        &self,
        key: K,
        now: Option<u64>,
        read_at: Option<u64>,
        render: impl Future<Output = Result<V, E>>,
    ) -> Result<V, E> {
        if let Some(value) = self.get(&key, now) {
            return Ok(value);
        }
        let value = render.await?;
        self.keep(key, read_at, value.clone());
        Ok(value)
    }

    /// Keeps `value` for `read_at`, the generation taken *before* the rows it comes from were
    /// read, so a commit that raced the read leaves it already outdated (nothing when None).
    pub fn keep(&self, key: K, read_at: Option<u64>, value: V) {
        if let (Some(entries), Some(generation)) = (&self.entries, read_at) {
            entries.insert(key, Entry { generation, value });
        }
    }

    /// Entries held and their weight in bytes.
    pub fn usage(&self) -> (usize, u64) {
        self.entries
            .as_ref()
            .map_or((0, 0), |c| (c.len(), c.weight()))
    }
}

impl Weight for String {
    fn bytes(&self) -> u64 {
        (std::mem::size_of::<Self>() + self.capacity()) as u64
    }
}

impl Weight for Option<String> {
    fn bytes(&self) -> u64 {
        self.as_ref().map_or(0, |s| s.capacity() as u64) + std::mem::size_of::<Self>() as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Debug, PartialEq)]
    struct Blob(usize);

    impl Weight for Blob {
        fn bytes(&self) -> u64 {
            self.0 as u64
        }
    }

    #[test]
    fn an_entry_is_served_only_at_its_generation() {
        let cache = ByGeneration::<String, Blob>::with_capacity(1 << 20, 100);
        cache.keep("a".into(), Some(3), Blob(1));
        assert_eq!(cache.get("a", Some(3)), Some(Blob(1)));
        assert_eq!(cache.get("a", Some(4)), None, "a later commit outdates it");
        assert_eq!(
            cache.get("a", None),
            None,
            "an unknown generation serves nothing"
        );
        cache.keep("b".into(), None, Blob(1));
        assert_eq!(
            cache.get("b", Some(3)),
            None,
            "nothing kept without a generation"
        );
    }

    #[test]
    fn the_capacity_bounds_the_bytes_held() {
        let cache = ByGeneration::<String, Blob>::with_capacity(100_000, 1_000);
        for i in 0..1_000 {
            cache.keep(format!("k{i}"), Some(1), Blob(1_000));
        }
        let (entries, bytes) = cache.usage();
        assert!(bytes <= 100_000, "{bytes}");
        assert!(entries < 1_000);
    }
}
