pub mod admin;
pub mod instance;
pub mod search;
// statuses
pub mod media;
