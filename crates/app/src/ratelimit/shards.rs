//! Counters by key behind a few mutexes instead of one, so that requests on different cores
//! rarely wait for each other: the one way both limiters spread their maps.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::sync::{Mutex, MutexGuard};

const SHARDS: usize = 16;

#[derive(Debug)]
pub struct Shards<V> {
    shards: Vec<Mutex<HashMap<String, V>>>,
    hasher: RandomState,
}

impl<V> Default for Shards<V> {
    fn default() -> Self {
        Self {
            shards: (0..SHARDS).map(|_| Mutex::new(HashMap::new())).collect(),
            hasher: RandomState::new(),
        }
    }
}

impl<V> Shards<V> {
    /// The map holding `key`, locked; `None` if a panic poisoned it (callers then go on as
    /// if the key were unknown: a limiter must not fail a request).
    pub fn lock(&self, key: &str) -> Option<MutexGuard<'_, HashMap<String, V>>> {
        let index = usize::try_from(self.hasher.hash_one(key) % SHARDS as u64).unwrap_or(0);
        self.shards.get(index)?.lock().ok()
    }
}
