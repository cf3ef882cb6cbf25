//! Process-local caches of what the database says, each entry valid only for the data
//! generation it was read at (`db::data_version`): none may outlive a commit it depends on.
//!
//! Invalidation is by generation alone: a commit anywhere moves the generation on, and an
//! entry kept for an older one is never served again (it is overwritten or evicted later).
//! So no write path names what it invalidates. Services read and fill a cache only through
//! its get-or-render API (`RenderedAccounts::get_or_render`, `get_many`, `keep`) or, for the
//! others ([`ByGeneration`]: `services::viewer`'s tokens, `services::relationships`' pages),
//! its `get` and `keep`.

pub mod by_generation;
pub mod instance_stats;
pub mod rendered_accounts;

pub use by_generation::ByGeneration;
pub use rendered_accounts::RenderedAccounts;
