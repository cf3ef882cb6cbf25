//! Process-local caches of what the database says, each entry valid only for the data
//! generation it was read at (`db::data_version`): none may outlive a commit it depends on.
//!
//! Invalidation is by generation alone: a commit anywhere moves the generation on, and an
//! entry kept for an older one is never served again (it is overwritten or evicted later).
//! So no write path names what it invalidates. Every cache is a [`ByGeneration`], read and
//! filled only through its `get_or_render`, `get` and `keep`.

pub mod by_generation;
pub mod instance_stats;
pub mod rendered_accounts;

pub use by_generation::ByGeneration;
pub use rendered_accounts::RenderedAccounts;
