//! Statuses: posting, media, actions on a status and an account's statuses.

mod account;
mod actions;
mod create;
pub mod media;
pub mod support;
