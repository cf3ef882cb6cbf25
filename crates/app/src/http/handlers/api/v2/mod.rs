pub mod admin;
pub mod instance;
pub mod search;
pub mod suggestions;
// statuses
pub mod media;
