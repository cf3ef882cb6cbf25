//! Rendered account JSON (`GET /api/v1/accounts/:id`, and `verify_credentials` in a second
//! instance), kept per account for as long as nothing has been committed to the database
//! since it was read.
//!
//! The whole-database generation is deliberately coarse: an account's rendering depends on
//! its row, its user, its role, the everyone role and its deletion request, and any commit
//! may touch one of them. A commit anywhere therefore invalidates every entry at once: a
//! read-mostly server (a popular profile fetched by many clients and instances) answers
//! from memory, a write-heavy one falls back to the database without ever serving stale
//! JSON. Per-account invalidation would need every write path to name the accounts it
//! touches; the generation needs none of them.

use bytes::Bytes;
use quick_cache::Weighter;
use quick_cache::sync::Cache;

use crate::ops::metrics::CacheCounters;

/// Entries' bookkeeping beside their bytes, for the weight.
const ENTRY_OVERHEAD_BYTES: u64 = 64;
/// The usual size of one account's JSON, to size the table.
const TYPICAL_ENTRY_BYTES: u64 = 1500;

#[derive(Clone)]
struct Entry {
    generation: u64,
    json: Bytes,
}

#[derive(Clone)]
struct EntryWeight;

impl Weighter<i64, Entry> for EntryWeight {
    fn weight(&self, _id: &i64, entry: &Entry) -> u64 {
        entry.json.len() as u64 + ENTRY_OVERHEAD_BYTES
    }
}

/// Rendered accounts by id (see the module's documentation).
pub struct RenderedAccounts {
    /// None: the cache is off.
    entries: Option<Cache<i64, Entry, EntryWeight>>,
    counters: CacheCounters,
}

impl std::fmt::Debug for RenderedAccounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (entries, bytes) = self
            .entries
            .as_ref()
            .map_or((0, 0), |c| (c.len(), c.weight()));
        f.debug_struct("RenderedAccounts")
            .field("entries", &entries)
            .field("bytes", &bytes)
            .finish()
    }
}

impl RenderedAccounts {
    /// A cache holding at most `capacity_bytes` of JSON (and bookkeeping); 0 keeps nothing.
    pub fn with_capacity(capacity_bytes: u64) -> Self {
        let items = (capacity_bytes / (TYPICAL_ENTRY_BYTES + ENTRY_OVERHEAD_BYTES)).max(1);
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

    /// Account `id`'s JSON if it was kept at `now`, the generation now; else `render`ed and
    /// kept for `read_at`, the generation taken before the rows it renders were read. A
    /// `None` generation (PostgreSQL while not listening) serves and keeps nothing.
    pub async fn get_or_render<E>(
        &self,
        id: i64,
        now: Option<u64>,
        read_at: Option<u64>,
        render: impl Future<Output = Result<Bytes, E>>,
    ) -> Result<Bytes, E> {
        if let Some(json) = now.and_then(|g| self.get(id, g)) {
            return Ok(json);
        }
        let json = render.await?;
        self.keep(id, read_at, json.clone());
        Ok(json)
    }

    /// The kept JSON of each of `ids` valid at `now` (None where there is none).
    pub fn get_many(&self, ids: &[i64], now: Option<u64>) -> Vec<Option<Bytes>> {
        ids.iter()
            .map(|id| now.and_then(|g| self.get(*id, g)))
            .collect()
    }

    /// Keeps `json` of account `id` for `read_at` (nothing when it is None).
    pub fn keep(&self, id: i64, read_at: Option<u64>, json: Bytes) {
        if let Some(g) = read_at {
            self.insert(id, g, json);
        }
    }

    /// The JSON of account `id` if it was read at `generation`, the generation now.
    pub fn get(&self, id: i64, generation: u64) -> Option<Bytes> {
        let found = self
            .entries
            .as_ref()?
            .get(&id)
            .filter(|e| e.generation == generation)
            .map(|e| e.json);
        match found {
            Some(_) => self.counters.hits.inc(),
            None => self.counters.misses.inc(),
        };
        found
    }

    /// Keeps the JSON of account `id`, read at `generation`: the generation taken *before*
    /// the read, so a commit that raced the read leaves the entry already outdated.
    pub fn insert(&self, id: i64, generation: u64, json: Bytes) {
        if let Some(entries) = &self.entries {
            entries.insert(id, Entry { generation, json });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_is_served_only_at_its_generation() {
        let cache = RenderedAccounts::with_capacity(1 << 20);
        cache.insert(7, 3, Bytes::from_static(b"{}"));
        assert_eq!(cache.get(7, 3).as_deref(), Some(&b"{}"[..]));
        assert_eq!(cache.get(7, 4), None, "a later commit outdates it");
        assert_eq!(cache.get(8, 3), None);
    }

    #[test]
    fn the_capacity_bounds_the_bytes_held() {
        let cache = RenderedAccounts::with_capacity(100_000);
        for id in 0..1_000 {
            cache.insert(id, 1, Bytes::from(vec![b'x'; 1_000]));
        }
        let entries = cache.entries.as_ref().unwrap();
        assert!(entries.weight() <= 100_000);
        assert!(entries.len() < 1_000);
    }

    #[test]
    fn a_zero_capacity_keeps_nothing() {
        let cache = RenderedAccounts::with_capacity(0);
        cache.insert(7, 3, Bytes::from_static(b"{}"));
        assert_eq!(cache.get(7, 3), None);
    }
}
