//! Reading accounts: the account entity and account search.

mod search;
mod show;
