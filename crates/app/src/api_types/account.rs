//! `Account`, `CredentialAccount`, `MutedAccount`, `Field`, `CustomEmoji`.

use serde::Serialize;

use super::Role;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field {
    pub name: String,
    pub value: String,
    pub verified_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CustomEmoji {
    pub shortcode: String,
    pub url: String,
    pub static_url: String,
    pub visible_in_picker: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
}

/// `roles[]` on a local Account: only highlighted roles, with three fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoleBadge {
    pub id: String,
    pub name: String,
    pub color: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FeatureApproval {
    pub automatic: Vec<String>,
    pub manual: Vec<String>,
    pub current_user: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Account {
    pub id: String,
    pub username: String,
    pub acct: String,
    pub display_name: String,
    pub locked: bool,
    pub bot: bool,
    pub discoverable: Option<bool>,
    pub indexable: bool,
    pub group: bool,
    pub created_at: String,
    pub note: String,
    pub url: String,
    pub uri: String,
    pub avatar: String,
    pub avatar_static: String,
    pub avatar_description: String,
    pub header: String,
    pub header_static: String,
    pub header_description: String,
    pub followers_count: i64,
    pub following_count: i64,
    pub statuses_count: i64,
    pub last_status_at: Option<String>,
    pub hide_collections: Option<bool>,
    pub show_media: bool,
    pub show_media_replies: bool,
    pub show_featured: bool,
    /// Present only when the account has moved; `null` if this account is unavailable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moved: Option<Option<Box<Account>>>,
    pub emojis: Vec<CustomEmoji>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suspended: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limited: Option<bool>,
    /// Present only for local accounts (null when the account has no user).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub noindex: Option<Option<bool>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memorial: Option<bool>,
    pub feature_approval: FeatureApproval,
    /// Present only for local accounts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<RoleBadge>>,
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Source {
    pub privacy: String,
    pub sensitive: bool,
    pub language: Option<String>,
    pub note: String,
    pub fields: Vec<Field>,
    pub follow_requests_count: i64,
    pub hide_collections: bool,
    pub discoverable: bool,
    pub indexable: bool,
    pub attribution_domains: Vec<String>,
    pub quote_policy: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CredentialAccount {
    #[serde(flatten)]
    pub account: Account,
    pub source: Source,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MutedAccount {
    #[serde(flatten)]
    pub account: Account,
    pub mute_expires_at: Option<String>,
}
