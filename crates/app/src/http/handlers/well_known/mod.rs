//! `/.well-known/…`

pub mod host_meta;
pub mod nodeinfo;
pub mod oauth_authorization_server;
pub mod webfinger;
