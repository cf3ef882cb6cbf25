//! Handlers, laid out as the URL tree.

pub mod activitypub;
pub mod admin_web;
pub mod api;
pub mod assets;
pub mod auth;
pub mod health;
pub mod media_files;
pub mod oauth;
pub mod well_known;
