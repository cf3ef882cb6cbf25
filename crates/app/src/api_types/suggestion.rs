//! Suggestion (upstream's `REST::SuggestionSerializer`, `/api/v2/suggestions`).

use serde::Serialize;

use super::Account;

#[derive(Debug, Clone, Serialize)]
pub struct Suggestion {
    /// The deprecated single source: `staff`, `global` or `past_interactions`.
    pub source: &'static str,
    pub sources: Vec<&'static str>,
    pub account: Account,
}
