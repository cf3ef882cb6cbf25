//! In-process API tests, one module per handler area; every test runs on SQLite and, with
//! `TEST_DATABASE_URL`, on PostgreSQL.

mod accounts_show;
mod auth;
mod instance;
mod migrations;
mod oauth_apps;
mod oauth_authorize;
mod oauth_sign_in;
mod oauth_support;
mod oauth_token;
mod oauth_revoke;
mod oauth_well_known;
mod registration;
mod admin_authz;
mod admin_support;
mod admin_accounts_list;
// social graph
mod graph_follow;
mod graph_support;
mod admin_accounts_actions;
mod registration_confirmation;
mod profile;
mod profile_unlock;
mod profile_images;
// statuses
mod statuses_account;
mod statuses_actions;
mod statuses_create;
mod statuses_media;
mod statuses_support;
mod graph_block;
mod graph_collections;
mod graph_lookup;
mod graph_featured_tags;
mod graph_lists;
mod graph_notifications;
mod admin_reports;
mod admin_action_logs;
mod ratelimit;
