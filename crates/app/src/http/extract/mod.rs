//! Request extractors: authentication with scopes, client IP, the `:id` of a route, parameters.

pub mod auth;
pub mod client_ip;
pub mod form;
pub mod params;
pub mod path_id;
pub mod scopes;

pub use auth::{Admin, MaybeUser, TokenAuth, User};
pub use client_ip::ClientIp;
pub use path_id::PathId;
