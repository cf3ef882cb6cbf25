//! Account lookups of the graph API: `GET /api/v1/accounts?id[]=`, `/lookup` and
//! `/familiar_followers`.

use std::collections::HashMap;

use crate::api_types::Account;
use crate::api_types::familiar_followers::FamiliarFollowers;
use crate::db::Exec;
use crate::db::repo::accounts::{self, AccountRecord};
use crate::db::repo::follows;
use crate::db::repo::relationships::existing_targets;
use crate::domain::acct::parse_acct;
use crate::domain::params::ruby_to_i;
use crate::error::{ApiError, ApiResult};
use crate::services::accounts::visible_locally;
use crate::services::present;
use crate::state::AppState;

use super::collections::records_in_order;

/// Upstream's `DEFAULT_ACCOUNTS_LIMIT` for `id[]`.
pub const MAX_IDS: usize = 40;

/// `id[]` made distinct (as given), then cast to integers.
fn distinct_ids(raw: &[String]) -> Vec<i64> {
    let mut seen: Vec<&String> = Vec::new();
    for r in raw {
        if !seen.contains(&r) {
            seen.push(r);
        }
    }
    seen.into_iter().map(|s| ruby_to_i(s)).collect()
}

/// The accounts among `id[]` that exist, are not deleted, and are remote or local with an
/// approved, confirmed user. More than 40 distinct ids: 422 `Mastodon::ValidationError`.
pub async fn by_ids(state: &AppState, raw: &[String]) -> ApiResult<Vec<Account>> {
    let ids = distinct_ids(raw);
    if ids.len() > MAX_IDS {
        return Err(ApiError::Unprocessable("Mastodon::ValidationError".into()));
    }
    let mut conn = state.db().conn().await?;
    let ex = &mut conn.exec();
    let records: Vec<AccountRecord> = accounts::find_many(ex, &ids)
        .await?
        .into_iter()
        .filter(|r| {
            r.account.deleted_at.is_none() && r.deletion_requested.is_none() && visible_locally(r)
        })
        .collect();
    present::render_accounts(ex, &state.base_url(), &records).await
}

/// `acct` = `user`, `@user`, `user@domain` or `@user@domain`, among known accounts only
/// (never WebFinger). Suspended accounts are found; deleted ones are not.
pub async fn lookup(state: &AppState, acct: Option<&str>) -> ApiResult<Account> {
    let (user, domain) = acct
        .and_then(|a| parse_acct(a, &state.config().domain))
        .ok_or(ApiError::NotFound)?;
    let mut conn = state.db().conn().await?;
    let ex = &mut conn.exec();
    let record = accounts::find_by_username(ex, user, domain)
        .await?
        .filter(|r| r.account.deleted_at.is_none())
        .ok_or(ApiError::NotFound)?;
    present::render_account(ex, &state.base_url(), &record).await
}

/// For each existing, non-suspended account of `id[]`: the accounts you follow that follow it
/// (none when it hides its collections; accounts hiding theirs are left out).
pub async fn familiar_followers(
    state: &AppState,
    viewer: i64,
    raw: &[String],
) -> ApiResult<Vec<FamiliarFollowers>> {
    let mut conn = state.db().conn().await?;
    let ex = &mut conn.exec();
    let base = &state.base_url();
    let mut ids: Vec<i64> = raw.iter().map(|s| ruby_to_i(s)).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut out = Vec::new();
    for chunk in ids.chunks(crate::services::relationships::CHUNK) {
        out.extend(familiar_chunk(ex, base, viewer, chunk).await?);
    }
    Ok(out)
}

async fn familiar_chunk(
    ex: &mut Exec<'_>,
    base: &str,
    viewer: i64,
    ids: &[i64],
) -> ApiResult<Vec<FamiliarFollowers>> {
    let targets: Vec<i64> = existing_targets(ex, ids, false)
        .await?
        .into_iter()
        .map(|t| t.0)
        .collect();
    let target_records = records_in_order(ex, &targets).await?;
    let open: Vec<i64> = target_records
        .iter()
        .filter(|r| r.account.hide_collections != Some(true))
        .map(|r| r.account.id)
        .collect();
    let pairs = follows::familiar_followers(ex, viewer, &open).await?;
    let mut follower_ids: Vec<i64> = pairs.iter().map(|p| p.1).collect();
    follower_ids.sort_unstable();
    follower_ids.dedup();
    let records = records_in_order(ex, &follower_ids).await?;
    let rendered = present::render_accounts(ex, base, &records).await?;
    let by_id: HashMap<i64, Account> = records.iter().map(|r| r.account.id).zip(rendered).collect();
    Ok(targets
        .iter()
        .map(|t| FamiliarFollowers {
            id: t.to_string(),
            accounts: pairs
                .iter()
                .filter(|p| p.0 == *t)
                .filter_map(|p| by_id.get(&p.1).cloned())
                .collect(),
        })
        .collect())
}
