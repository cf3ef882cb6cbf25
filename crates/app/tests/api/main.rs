//! In-process API tests, one module per handler area; every test runs on SQLite and, with
//! `TEST_DATABASE_URL`, on PostgreSQL.

mod accounts_search;
mod accounts_show;
mod admin_account_warnings;
mod admin_accounts_list;
mod admin_accounts_plans;
mod admin_authz;
mod admin_support;
mod auth;
mod inline_reads;
mod instance;
mod migrations;
mod oauth_apps;
mod oauth_authorize;
mod oauth_revoke;
mod oauth_sign_in;
mod oauth_support;
mod oauth_token;
mod oauth_well_known;
mod params_input;
mod registration;
// social graph
mod admin_accounts_actions;
mod graph_follow;
mod graph_support;
mod profile;
mod profile_images;
mod profile_unlock;
mod profile_verify;
mod registration_confirmation;
// statuses
mod admin_action_logs;
mod admin_reports;
mod graph_block;
mod graph_collections;
mod graph_featured_tags;
mod graph_lists;
mod graph_lookup;
mod graph_notifications;
mod graph_races;
mod ratelimit;
mod statuses_account;
mod statuses_actions;
mod statuses_create;
mod statuses_media;
mod statuses_support;
