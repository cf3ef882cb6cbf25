//! Repositories: all SQL lives here. Each function takes an [`Exec`](super::Exec) so it runs
//! on a pooled connection or inside a transaction alike.

pub mod account_migration;
pub mod accounts;
pub mod action_logs;
pub mod activity;
pub mod admin_accounts;
pub mod availability;
pub mod domain_blocks;
pub mod explain;
pub mod federation;
pub mod instance;
pub mod node_leases;
pub mod oauth;
pub mod reports;
pub mod roles;
pub mod sessions;
pub mod users;
pub mod viewers;
pub mod warnings;
// social graph
pub mod account_domain_blocks;
pub mod blocks;
pub mod console;
pub mod directory;
pub mod endorsements;
pub mod featured_tags;
pub mod follows;
pub mod lists;
pub mod markers;
pub mod moderation_notes;
pub mod mutes;
pub mod notes;
pub mod notifications;
pub mod pairs;
pub mod profile;
pub mod registrations;
pub mod relationships;
pub mod search;
pub mod seed;
pub mod streaming;
// statuses
pub mod media_attachments;
pub mod remote_statuses;
pub mod statuses;
pub mod suggestions;
pub mod tags;
