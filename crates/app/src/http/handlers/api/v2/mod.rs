pub mod instance;
pub mod admin;
// statuses
pub mod media;
