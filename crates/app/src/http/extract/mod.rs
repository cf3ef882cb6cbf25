//! Request extractors: authentication with scopes, client IP, parameters.

pub mod auth;
pub mod client_ip;
pub mod form;
pub mod params;
pub mod scopes;

pub use auth::{Admin, MaybeUser, TokenAuth, User};
pub use client_ip::ClientIp;
