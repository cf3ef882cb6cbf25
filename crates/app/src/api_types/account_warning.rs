//! `AccountWarning` (REST::AccountWarningSerializer): a strike as its target sees it, e.g. in a
//! `moderation_warning` notification; and our admin view of it, which adds `overruled_at`.

use serde::Serialize;

use super::Account;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccountWarning {
    pub id: String,
    /// `none`, `disable`, `mark_statuses_as_sensitive`, `delete_statuses`, `sensitive`,
    /// `silence` or `suspend`.
    pub action: String,
    pub text: String,
    pub status_ids: Option<Vec<String>>,
    pub created_at: String,
    pub target_account: Account,
    /// Appeals are not implemented yet: always null.
    pub appeal: Option<serde_json::Value>,
}

/// A strike as staff see it in `GET /api/v1/admin/account_warnings` (ours): upstream's
/// AccountWarning fields, then `overruled_at` (null until the strike is overruled).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AdminAccountWarning {
    #[serde(flatten)]
    pub warning: AccountWarning,
    pub overruled_at: Option<String>,
}

/// Upstream's `AccountWarning#action` enum name of a stored value.
pub fn action_name(value: i64) -> &'static str {
    match value {
        1000 => "disable",
        1250 => "mark_statuses_as_sensitive",
        1500 => "delete_statuses",
        2000 => "sensitive",
        3000 => "silence",
        4000 => "suspend",
        _ => "none",
    }
}
