//! OAuth: apps, the browser authorization flow, tokens, revocation and discovery.

mod apps;
mod authorize;
mod revoke;
mod sign_in;
pub mod support;
mod token;
mod well_known;
