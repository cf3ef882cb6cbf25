//! One entry of our audit-trail API (`GET /api/v1/admin/action_logs`; not in upstream).

use serde::Serialize;

use super::Account;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActionLog {
    pub id: String,
    pub action: String,
    pub target_type: String,
    pub target_id: String,
    pub target_account_id: Option<String>,
    pub human_identifier: Option<String>,
    pub text: String,
    pub created_at: String,
    /// The acting staff member; null when that account is gone.
    pub account: Option<Account>,
}
