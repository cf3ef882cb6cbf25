//! Process-local caches of what the database says, each entry valid only for the data
//! generation it was read at (`db::data_version`): none may outlive a commit it depends on.

pub mod rendered_accounts;

pub use rendered_accounts::RenderedAccounts;
