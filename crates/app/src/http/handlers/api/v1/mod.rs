pub mod accounts;
pub mod apps;
pub mod instance;
pub mod admin;
pub mod reports;
pub mod emails;
// social graph
pub mod blocks;
pub mod follow_requests;
pub mod mutes;
pub mod endorsements;
pub mod featured_tags;
pub mod lists;
pub mod notifications;
pub mod profile;
// statuses
pub mod media;
pub mod statuses;
