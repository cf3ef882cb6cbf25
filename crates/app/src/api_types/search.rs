//! `Search` (REST::SearchSerializer): the v2 search results.

use serde::Serialize;

use super::{Account, Status, Tag};

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SearchResults {
    pub accounts: Vec<Account>,
    pub statuses: Vec<Status>,
    pub hashtags: Vec<Tag>,
}
