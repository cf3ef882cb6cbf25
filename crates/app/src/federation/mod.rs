//! Talking to other servers. For now: the outbound fetch every remote request goes through
//! (one SSRF address filter for all of them) and the rel="me" link check of profile fields.

pub mod address;
pub mod fetch;
pub mod rel_me;
pub mod slots;
