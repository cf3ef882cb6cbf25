//! `Notification` (REST::NotificationSerializer).

use serde::Serialize;

use super::account_warning::AccountWarning;
use super::{Account, AdminReport, Status};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Notification {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub created_at: String,
    pub group_key: String,
    pub account: Account,
    /// The types about a status (mention, status, reblog, favourite, poll, update, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// `admin.report` only (`Some(None)` renders null when the report is gone).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report: Option<Option<AdminReport>>,
    /// `moderation_warning` only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moderation_warning: Option<Option<AccountWarning>>,
}
