//! Domain services: one call per handler; no HTTP types here.

pub mod accounts;
pub mod instance_stats;
pub mod oauth;
pub mod operator;
pub mod present;
pub mod viewer;
pub mod moderation;
pub mod seed;
pub mod confirmation;
pub mod registration;
// social graph
pub mod graph;
pub mod relationships;
pub mod search;
pub mod featured_tags;
pub mod lists;
pub mod notifications;
pub mod profile;
// statuses
pub mod media_attachments;
pub mod statuses;
