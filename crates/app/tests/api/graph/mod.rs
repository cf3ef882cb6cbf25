//! The social graph: follows, blocks, mutes, lists, relationships, the notifications they
//! raise, and races between writes of one pair of accounts.

mod block;
mod collections;
mod featured_tags;
mod follow;
mod lists;
mod lookup;
mod notifications;
mod races;
pub mod support;
