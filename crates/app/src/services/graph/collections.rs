//! Paginated account collections: followers, following, follow requests, blocks, mutes,
//! endorsements. Each page is one index-backed id query plus one query for the records.

use std::collections::HashMap;

use bytes::Bytes;

use crate::api_types::Account;
use crate::api_types::account::MutedAccount;
use crate::db::Exec;
use crate::db::repo::accounts::{self, AccountRecord};
use crate::db::repo::follows::{self, Side};
use crate::db::repo::{blocks, endorsements, mutes};
use crate::domain::page::Cursor;
use crate::domain::time;
use crate::error::ApiResult;
use crate::services::accounts as account_service;
use crate::services::present::{self, unavailable};
use crate::state::AppState;

/// A rendered page and the cursors its Link header needs.
#[derive(Debug)]
pub struct AccountPage<T = Account> {
    pub items: Vec<T>,
    /// Cursor of the first / last item (a row id or an account id, per collection).
    pub first: Option<i64>,
    pub last: Option<i64>,
}

impl<T> Default for AccountPage<T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            first: None,
            last: None,
        }
    }
}

/// Cursors and limit as the handler parsed them.
#[derive(Debug, Clone, Copy)]
pub struct PageArgs {
    pub max_id: Option<i64>,
    pub since_id: Option<i64>,
    pub limit: usize,
}

impl PageArgs {
    pub(crate) fn cursor(self) -> Cursor {
        Cursor {
            max_id: self.max_id,
            since_id: self.since_id,
            min_id: None,
            limit: self.limit,
        }
    }
}

/// Loads the records of `ids` and keeps the given order (missing ones dropped).
pub async fn records_in_order(ex: &mut Exec<'_>, ids: &[i64]) -> ApiResult<Vec<AccountRecord>> {
    let mut by_id: HashMap<i64, AccountRecord> = accounts::find_many(ex, ids)
        .await?
        .into_iter()
        .map(|r| (r.account.id, r))
        .collect();
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}

async fn render_pairs(
    ex: &mut Exec<'_>,
    base: &str,
    pairs: &[(i64, i64)],
) -> ApiResult<AccountPage> {
    let ids: Vec<i64> = pairs.iter().map(|p| p.1).collect();
    let records = records_in_order(ex, &ids).await?;
    Ok(AccountPage {
        items: present::render_accounts(ex, base, &records).await?,
        first: pairs.first().map(|p| p.0),
        last: pairs.last().map(|p| p.0),
    })
}

/// Followers or following of `target` as `viewer` may see them: empty when the target is
/// unavailable, hides its collections from others, or blocks the viewer. The reads run
/// inline on SQLite; each account's JSON comes from this process's rendered-accounts cache
/// when nothing was committed since it was kept (`services::accounts::accounts_json`).
pub async fn follow_page(
    state: &AppState,
    side: Side,
    target_id: i64,
    viewer: Option<i64>,
    args: PageArgs,
) -> ApiResult<AccountPage<Bytes>> {
    let db = state.db();
    // Taken before the reads, so JSON kept from them is outdated by any commit racing them.
    let read_at = db.data_generation();
    let target = account_service::find_for_api_in(db, target_id).await?;
    let is_owner = viewer == Some(target_id);
    if unavailable(&target.account) || (target.account.hide_collections == Some(true) && !is_owner)
    {
        return Ok(AccountPage::default());
    }
    if let Some(v) = viewer
        && blocks::exists_in(db, target_id, v).await?
    {
        return Ok(AccountPage::default());
    }
    let exclude_for = viewer.filter(|_| !is_owner);
    let pairs = follows::page_in(
        db,
        side,
        target_id,
        exclude_for,
        &args.cursor(),
        time::now(),
    )
    .await?;
    let ids: Vec<i64> = pairs.iter().map(|p| p.1).collect();
    Ok(AccountPage {
        items: account_service::accounts_json(state, read_at, &ids).await?,
        first: pairs.first().map(|p| p.0),
        last: pairs.last().map(|p| p.0),
    })
}

/// Accounts with a pending request to `me`, by request id.
pub async fn requests_page(
    ex: &mut Exec<'_>,
    base: &str,
    me: i64,
    args: PageArgs,
) -> ApiResult<AccountPage> {
    let pairs = follows::page(ex, Side::Requesters, me, None, &args.cursor(), time::now()).await?;
    render_pairs(ex, base, &pairs).await
}

/// Accounts `me` blocks, by block id.
pub async fn blocks_page(
    ex: &mut Exec<'_>,
    base: &str,
    me: i64,
    args: PageArgs,
) -> ApiResult<AccountPage> {
    let pairs = blocks::page(ex, me, &args.cursor()).await?;
    render_pairs(ex, base, &pairs).await
}

/// Accounts `me` mutes (active mutes only), by mute id, with their expiry.
pub async fn mutes_page(
    ex: &mut Exec<'_>,
    base: &str,
    me: i64,
    args: PageArgs,
) -> ApiResult<AccountPage<MutedAccount>> {
    let rows = mutes::page(ex, me, &args.cursor(), time::now()).await?;
    let ids: Vec<i64> = rows.iter().map(|m| m.target_account_id).collect();
    let records = records_in_order(ex, &ids).await?;
    let rendered = present::render_accounts(ex, base, &records).await?;
    let expiry: HashMap<i64, Option<i64>> = rows
        .iter()
        .map(|m| (m.target_account_id, m.expires_at))
        .collect();
    let items = records
        .iter()
        .zip(rendered)
        .map(|(r, account)| MutedAccount {
            account,
            mute_expires_at: expiry
                .get(&r.account.id)
                .copied()
                .flatten()
                .map(time::iso8601),
        })
        .collect();
    Ok(AccountPage {
        items,
        first: rows.first().map(|m| m.id),
        last: rows.last().map(|m| m.id),
    })
}

/// Accounts `owner` endorses, by account id; `limit` None = all.
pub async fn endorsements_page(
    ex: &mut Exec<'_>,
    base: &str,
    owner: i64,
    max_id: Option<i64>,
    since_id: Option<i64>,
    limit: Option<usize>,
) -> ApiResult<AccountPage> {
    let cursor = Cursor {
        max_id,
        since_id,
        min_id: None,
        limit: limit.unwrap_or(usize::MAX),
    };
    let ids = endorsements::page(ex, owner, &cursor).await?;
    let records = records_in_order(ex, &ids).await?;
    Ok(AccountPage {
        items: present::render_accounts(ex, base, &records).await?,
        first: ids.first().copied(),
        last: ids.last().copied(),
    })
}

/// `GET /api/v1/accounts/:id/endorsements`: 404 for unknown ids, empty when `:id` is
/// unavailable.
pub async fn account_endorsements(
    ex: &mut Exec<'_>,
    base: &str,
    owner: i64,
    max_id: Option<i64>,
    since_id: Option<i64>,
    limit: usize,
) -> ApiResult<AccountPage> {
    let record = account_service::find_for_api(ex, owner).await?;
    if unavailable(&record.account) {
        return Ok(AccountPage::default());
    }
    endorsements_page(ex, base, owner, max_id, since_id, Some(limit)).await
}
