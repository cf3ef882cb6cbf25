//! The entities of the instance's sub-resources: `Rule`, `ExtendedDescription`,
//! `PrivacyPolicy`, `TermsOfService` and the `languages` items.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rule {
    pub id: String,
    pub text: String,
    pub hint: String,
}

/// `ExtendedDescription` and `PrivacyPolicy` share this shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DatedText {
    pub updated_at: String,
    pub content: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TermsOfService {
    pub effective_date: String,
    pub effective: bool,
    pub content: String,
    pub succeeded_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Language {
    pub code: String,
    pub name: String,
}
