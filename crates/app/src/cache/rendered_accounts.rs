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

use super::ByGeneration;
use super::by_generation::Weight;

/// The usual size of one account's JSON, to size the table.
pub const TYPICAL_ENTRY_BYTES: u64 = 1500;

/// Rendered accounts' JSON by account id (see the module's documentation).
pub type RenderedAccounts = ByGeneration<i64, Bytes>;

impl Weight for i64 {
    fn bytes(&self) -> u64 {
        std::mem::size_of::<Self>() as u64
    }
}

impl Weight for Bytes {
    fn bytes(&self) -> u64 {
        (std::mem::size_of::<Self>() + self.len()) as u64
    }
}
