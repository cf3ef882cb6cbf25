pub mod admin;
pub mod instance;
// statuses
pub mod media;
