//! `Admin::Account` as `REST::Admin::AccountSerializer` renders it.

use serde::Serialize;

use super::{Account, Role};

/// One known address of a user: `REST::Admin::IpSerializer`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AdminIp {
    pub ip: String,
    pub used_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AdminAccount {
    pub id: String,
    pub username: String,
    pub domain: Option<String>,
    /// Full precision, not midnight.
    pub created_at: String,
    pub email: Option<String>,
    pub ip: Option<String>,
    /// From the user; null for remote accounts.
    pub confirmed: Option<bool>,
    pub suspended: bool,
    pub silenced: bool,
    pub sensitized: bool,
    pub disabled: Option<bool>,
    pub approved: Option<bool>,
    pub locale: Option<String>,
    pub invite_request: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_by_application_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invited_by_account_id: Option<String>,
    /// Null for remote accounts.
    pub ips: Option<Vec<AdminIp>>,
    pub account: Account,
    /// Null for remote accounts; the everyone role for local users without one.
    pub role: Option<Role>,
}
