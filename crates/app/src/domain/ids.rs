//! Mastodon-style snowflake ids: `unix_millis << 16 | tail`.
//!
//! The tail is `node << 10 | sequence`, so processes with distinct node ids (config `node_id`)
//! sharing one database never collide; 1024 ids per millisecond per process.

use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Debug)]
pub struct IdGenerator {
    node: u64,
    state: Mutex<(u64, u64)>,
}

impl IdGenerator {
    pub fn new(node: u16) -> Self {
        Self {
            node: u64::from(node & 0x3f),
            state: Mutex::new((0, 0)),
        }
    }

    /// A fresh id, strictly greater than every id this generator gave before.
    pub fn next(&self) -> i64 {
        let mut guard = match self.state.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        let (last_ms, seq) = *guard;
        let mut now = now_millis().max(last_ms);
        let next_seq = if now == last_ms { seq + 1 } else { 0 };
        let next_seq = if next_seq >= 1024 {
            // Out of sequence numbers in this millisecond: borrow the next one.
            now = last_ms + 1;
            0
        } else {
            next_seq
        };
        *guard = (now, next_seq);
        id_from_parts(now, (self.node << 10) | next_seq)
    }
}

fn id_from_parts(millis: u64, tail: u64) -> i64 {
    i64::try_from((millis << 16) | (tail & 0xffff)).unwrap_or(i64::MAX)
}

pub fn now_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

/// The id a cursor built from a timestamp takes: `(millis << 16)` with no tail.
pub fn id_at_millis(millis: u64) -> i64 {
    id_from_parts(millis, 0)
}

/// The creation time encoded in a snowflake id, in milliseconds.
pub fn millis_of_id(id: i64) -> i64 {
    id >> 16
}

/// Parses an id from a path or query; Mastodon ids are decimal integers.
pub fn parse_id(s: &str) -> Option<i64> {
    s.trim().parse::<i64>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ids_are_strictly_increasing_even_past_1024_per_ms() {
        let g = IdGenerator::new(3);
        let mut last = 0;
        for _ in 0..5000 {
            let id = g.next();
            assert!(id > last);
            last = id;
        }
    }

    #[test]
    fn node_id_lands_in_the_tail() {
        let g = IdGenerator::new(5);
        let id = g.next();
        assert_eq!((id >> 10) & 0x3f, 5);
    }

    proptest! {
        #[test]
        fn timestamp_roundtrips(ms in 0u64..(1u64 << 46)) {
            prop_assert_eq!(millis_of_id(id_at_millis(ms)), i64::try_from(ms).unwrap_or(0));
        }
    }
}
