pub mod accounts;
pub mod admin;
pub mod apps;
pub mod emails;
pub mod instance;
pub mod reports;
// social graph
pub mod blocks;
pub mod endorsements;
pub mod featured_tags;
pub mod follow_requests;
pub mod lists;
pub mod mutes;
pub mod notifications;
pub mod profile;
// statuses
pub mod media;
pub mod statuses;
