//! `/.well-known/…`

pub mod oauth_authorization_server;
