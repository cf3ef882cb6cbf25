//! Pure domain code: no I/O, no HTTP types.

pub mod acct;
pub mod admin_filters;
pub mod domain_name;
pub mod domain_rules;
pub mod ids;
pub mod ip;
pub mod languages;
pub mod name_words;
pub mod page;
pub mod params;
pub mod password;
pub mod permissions;
pub mod redirect_uris;
pub mod registration_rules;
pub mod scopes;
pub mod search_rank;
pub mod secrets;
pub mod text;
pub mod time;
