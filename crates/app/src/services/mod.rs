//! Domain services: one call per handler; no HTTP types here.

pub mod account_json;
pub mod accounts;
pub mod confirmation;
pub mod custom_emojis;
pub mod directory;
pub mod email_policy;
pub mod instance_activity;
pub mod instance_stats;
pub mod instance_texts;
pub mod moderation;
pub mod node_lease;
pub mod oauth;
pub mod operator;
pub mod preferences;
pub mod present;
pub mod registration;
pub mod retry;
pub mod seed;
pub mod viewer;
// social graph
pub mod featured_tags;
pub mod graph;
pub mod lists;
pub mod markers;
pub mod notifications;
pub mod profile;
pub mod relationships;
pub mod search;
pub mod search_v2;
pub mod suggestions;
// statuses
pub mod image_jobs;
pub mod media_attachments;
pub mod statuses;
pub mod streaming;
