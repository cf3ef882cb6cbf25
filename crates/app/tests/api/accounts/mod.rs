//! Reading accounts: the account entity, pages of accounts rendered together, and account
//! search.

mod migration;
mod rendering;
mod search;
mod show;
