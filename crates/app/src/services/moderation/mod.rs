//! Moderation: the admin accounts API (filters, actions and their effects), reports, strikes,
//! staff notifications and the audit trail. Upstream-exact unless noted in
//! `docs/admin-action-logs.md`.

pub mod accounts;
pub mod action;
pub mod explain;
pub mod filter;
pub mod logs;
pub mod maintenance;
pub mod notification_members;
pub mod render;
pub mod reports;
pub mod strikes;

use sha2::{Digest, Sha256};

use crate::db::Exec;
use crate::db::repo::action_logs::{self, ActionLogRow};
use crate::db::repo::warnings::{self, NewNotification};
use crate::db::repo::{admin_accounts, roles};
use crate::domain::{permissions, time};
use crate::error::ApiResult;
use crate::state::AppState;

/// Upstream's canonical e-mail: lower-cased, dots and `+tag` removed from the local part.
pub fn canonical_email(email: &str) -> String {
    let email = email.trim().to_lowercase();
    match email.split_once('@') {
        Some((local, domain)) => {
            let local = local.replace('.', "");
            let local = local.split('+').next().unwrap_or_default();
            format!("{local}@{domain}")
        }
        None => email,
    }
}

/// SHA-256 hex of the canonical e-mail, as stored in `canonical_email_blocks`.
pub fn canonical_email_hash(email: &str) -> String {
    hex::encode(Sha256::digest(canonical_email(email).as_bytes()))
}

/// Ids of the roles whose computed permissions include `bit` (upstream `those_who_can`).
pub async fn roles_that_can(ex: &mut Exec<'_>, bit: i64) -> ApiResult<Vec<i64>> {
    let everyone = roles::everyone_permissions(ex).await?;
    Ok(roles::all(ex)
        .await?
        .into_iter()
        .filter(|r| r.id != permissions::EVERYONE_ROLE_ID)
        .filter(|r| {
            let bits = permissions::computed(r.permissions, everyone);
            bits & bit == bit
        })
        .map(|r| r.id)
        .collect())
}

/// What an audit entry is about.
#[derive(Debug, Clone)]
pub struct Target {
    /// `Account`, `User`, `Report`, `AccountWarning`
    pub kind: &'static str,
    pub id: i64,
    pub account_id: Option<i64>,
    pub human: String,
}

/// Writes one audit-trail entry.
pub async fn audit(
    ex: &mut Exec<'_>,
    state: &AppState,
    actor: Option<i64>,
    action: &str,
    target: &Target,
    text: &str,
) -> ApiResult<()> {
    action_logs::insert(
        ex,
        &ActionLogRow {
            id: state.next_id(),
            account_id: actor,
            action: action.to_owned(),
            target_type: target.kind.to_owned(),
            target_id: target.id,
            target_account_id: target.account_id,
            human_identifier: Some(target.human.clone()),
            text: text.to_owned(),
            created_at: time::now(),
        },
    )
    .await?;
    Ok(())
}

/// Sends `kind` notifications to every staff member whose role can `bit`.
pub(crate) async fn notify_staff(
    ex: &mut Exec<'_>,
    state: &AppState,
    bit: i64,
    kind: &str,
    from_account_id: i64,
    report_id: Option<i64>,
) -> ApiResult<Vec<i64>> {
    let role_ids = roles_that_can(ex, bit).await?;
    let staff = admin_accounts::users_with_roles(ex, &role_ids).await?;
    let now = time::now();
    let mut notified = Vec::with_capacity(staff.len());
    for (_, account_id) in staff {
        warnings::insert_notification(
            ex,
            &NewNotification {
                id: state.next_id(),
                account_id,
                from_account_id,
                kind,
                report_id,
                account_warning_id: None,
                now,
            },
        )
        .await?;
        notified.push(account_id);
    }
    Ok(notified)
}

/// `admin.sign_up` notifications for staff who can manage users. Registration calls this
/// inside its transaction once the new account and user exist.
pub async fn notify_staff_sign_up(
    ex: &mut Exec<'_>,
    state: &AppState,
    account_id: i64,
) -> ApiResult<()> {
    notify_staff(
        ex,
        state,
        permissions::MANAGE_USERS,
        "admin.sign_up",
        account_id,
        None,
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_email_as_upstream() {
        assert_eq!(
            canonical_email("Jo.Hn+spam@Example.com"),
            "john@example.com"
        );
        assert_eq!(canonical_email_hash("a@b.c").len(), 64);
    }
}
