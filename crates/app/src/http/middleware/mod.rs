//! Middleware of the API: token resolution, rate limits and upstream's default headers.

pub mod api;
pub mod cors;
pub mod db_fence;
