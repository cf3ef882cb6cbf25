//! `FamiliarFollowers`: accounts you follow that follow a given account.

use serde::Serialize;

use super::Account;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FamiliarFollowers {
    pub id: String,
    pub accounts: Vec<Account>,
}
