//! `FeaturedTag` (REST::FeaturedTagSerializer) and the `Tag` of suggestions.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FeaturedTag {
    pub id: String,
    pub name: String,
    pub url: String,
    /// An integer rendered as a string, as upstream does.
    pub statuses_count: String,
    pub last_status_at: Option<String>,
}

/// One day of a tag's usage history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TagHistory {
    /// Unix time of the day's start, as a string.
    pub day: String,
    pub accounts: String,
    pub uses: String,
}

/// `Tag` (REST::TagSerializer) without the viewer-specific `following`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tag {
    pub name: String,
    pub url: String,
    pub history: Vec<TagHistory>,
}
