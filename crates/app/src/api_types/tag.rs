//! `Tag` (REST::TagSerializer) and its daily `history`.

use serde::Serialize;

/// One day of a tag's use: the day's start as UNIX seconds, statuses and distinct authors,
/// all strings as upstream renders them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TagHistory {
    pub day: String,
    pub accounts: String,
    pub uses: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tag {
    pub name: String,
    pub url: String,
    /// The last seven days, today first.
    pub history: Vec<TagHistory>,
    /// Only for a signed-in viewer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub following: Option<bool>,
}
