//! Renders pages of `Admin::Account` with a bounded number of queries: accounts, users,
//! known IPs, invite data and roles are loaded for the whole id list at once.

use std::collections::HashMap;

use crate::api_types::{Account, AdminAccount, AdminIp};
use crate::db::Exec;
use crate::db::repo::accounts::{self, AccountRecord};
use crate::db::repo::admin_accounts::{self, UserExtras};
use crate::db::repo::roles;
use crate::db::repo::users::{self, UserRow};
use crate::domain::time;
use crate::error::{ApiError, ApiResult};
use crate::services::present;

/// Admin::Account entities for `ids`, in that order (missing ids are skipped).
pub async fn admin_accounts(
    ex: &mut Exec<'_>,
    base_url: &str,
    ids: &[i64],
) -> ApiResult<Vec<AdminAccount>> {
    let records = accounts::find_many(ex, ids).await?;
    let mut by_id: HashMap<i64, AccountRecord> =
        records.into_iter().map(|r| (r.account.id, r)).collect();
    let users = admin_accounts::users_of_accounts(ex, ids).await?;
    let user_ids: Vec<i64> = users.iter().map(|u| u.id).collect();
    let mut ips: HashMap<i64, Vec<AdminIp>> = HashMap::new();
    for row in users::ips(ex, &user_ids).await? {
        ips.entry(row.user_id).or_default().push(AdminIp {
            ip: row.ip,
            used_at: time::iso8601(row.used_at),
        });
    }
    let extras: HashMap<i64, UserExtras> = admin_accounts::user_extras(ex, &user_ids)
        .await?
        .into_iter()
        .map(|e| (e.user_id, e))
        .collect();
    let users: HashMap<i64, UserRow> = users.into_iter().map(|u| (u.account_id, u)).collect();
    let everyone = roles::everyone_permissions(ex).await?;
    let all_roles = roles::all(ex).await?;
    let records: Vec<&AccountRecord> = by_id.values().collect();
    let mut accounts_out = rest_accounts(ex, base_url, &records).await?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let Some(record) = by_id.remove(id) else {
            continue;
        };
        let account = accounts_out.remove(id).ok_or(ApiError::NotFound)?;
        let mut entity = account_only(&record, account);
        if let Some(u) = users.get(id) {
            let mut known = ips.remove(&u.id).unwrap_or_default();
            if let Some(sign_up) = &u.sign_up_ip
                && !known.iter().any(|k| &k.ip == sign_up)
            {
                known.push(AdminIp {
                    ip: sign_up.clone(),
                    used_at: time::iso8601(u.created_at),
                });
            }
            let extra = extras.get(&u.id);
            entity.email = Some(u.email.clone());
            entity.ip = known.first().map(|k| k.ip.clone());
            entity.confirmed = Some(u.confirmed());
            entity.disabled = Some(u.disabled);
            entity.approved = Some(u.approved);
            entity.locale = u.locale.clone().filter(|l| !l.is_empty());
            entity.invite_request = extra.and_then(|e| e.invite_request.clone());
            entity.created_by_application_id = u.created_by_application_id.map(|i| i.to_string());
            entity.invited_by_account_id = extra
                .and_then(|e| e.invited_by_account_id)
                .map(|i| i.to_string());
            entity.ips = Some(known);
            let role = u
                .role_id
                .and_then(|rid| all_roles.iter().find(|r| r.id == rid));
            entity.role = Some(present::role_entity(role, everyone));
        }
        out.push(entity);
    }
    Ok(out)
}

/// The Admin::Account of an account without a user (a local one's user fields are filled in
/// afterwards).
fn account_only(record: &AccountRecord, account: Account) -> AdminAccount {
    let a = &record.account;
    AdminAccount {
        id: a.id.to_string(),
        username: a.username.clone(),
        domain: a.domain.clone(),
        created_at: time::iso8601(a.created_at),
        email: None,
        ip: None,
        confirmed: None,
        suspended: a.suspended_at.is_some(),
        silenced: a.silenced_at.is_some(),
        sensitized: a.sensitized_at.is_some(),
        disabled: None,
        approved: None,
        locale: None,
        invite_request: None,
        created_by_application_id: None,
        invited_by_account_id: None,
        ips: None,
        account,
        role: None,
    }
}

/// REST Accounts of `records` keyed by id, rendered in one batch.
pub async fn rest_accounts(
    ex: &mut Exec<'_>,
    base_url: &str,
    records: &[&AccountRecord],
) -> ApiResult<HashMap<i64, Account>> {
    let rendered = present::render_account_refs(ex, base_url, records).await?;
    Ok(records.iter().map(|r| r.account.id).zip(rendered).collect())
}

/// One Admin::Account, 404 when the account does not exist.
pub async fn admin_account(ex: &mut Exec<'_>, base_url: &str, id: i64) -> ApiResult<AdminAccount> {
    admin_accounts(ex, base_url, &[id])
        .await?
        .pop()
        .ok_or(ApiError::NotFound)
}
