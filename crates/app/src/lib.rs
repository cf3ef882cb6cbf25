//! Woolly: a Mastodon-compatible server. This crate holds everything testable; the `woolly`
//! binary only wires it up.

pub mod api_types;
pub mod cache;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod federation;
pub mod http;
pub mod mail;
pub mod media;
pub mod ops;
pub mod ratelimit;
pub mod services;
pub mod state;

pub use config::Config;
pub use error::{ApiError, ApiResult};
pub use state::AppState;
