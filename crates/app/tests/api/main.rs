//! In-process API tests, one binary, one folder per area (`support.rs` holds an area's
//! fixtures). Every `#[db_test]` runs on SQLite and, with `TEST_DATABASE_URL`, on PostgreSQL.

mod accounts;
mod admin;
mod auth;
mod client;
mod federation;
mod graph;
mod hot_caches;
mod inline_reads;
mod instance;
mod migrations;
mod net;
mod node_lease;
mod oauth;
mod params_input;
mod profile;
mod ratelimit_redis;
mod registration;
mod scale_out;
mod search_v2;
mod statuses;
mod streaming;
mod streaming_redis;
