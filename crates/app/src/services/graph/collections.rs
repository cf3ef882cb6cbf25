//! Paginated account collections: followers, following, follow requests, blocks, mutes,
//! endorsements. Each page is one index-backed id query plus one query for the records.

use std::collections::HashMap;

use bytes::Bytes;

use crate::api_types::Account;
use crate::api_types::account::MutedAccount;
use crate::db::Exec;
use crate::db::repo::accounts::{self, AccountRecord};
use crate::db::repo::follows;
use crate::db::repo::{blocks, endorsements, mutes};
use crate::domain::page::{Cursor, Page};
use crate::domain::time;
use crate::error::ApiResult;
use crate::services::account_json;
use crate::services::accounts as account_service;
use crate::services::present::{self, unavailable};
use crate::state::AppState;

/// Which follow collection of an account: the accounts following it, or those it follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowSide {
    Followers,
    Following,
}

impl FollowSide {
    fn repo(self) -> follows::Side {
        match self {
            Self::Followers => follows::Side::Followers,
            Self::Following => follows::Side::Following,
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

/// The accounts of `(cursor id, account id)` pairs, rendered, paged by the cursor ids.
async fn render_pairs(
    ex: &mut Exec<'_>,
    base: &str,
    pairs: &[(i64, i64)],
    cursor: &Cursor,
) -> ApiResult<Page<Account>> {
    let ids: Vec<i64> = pairs.iter().map(|p| p.1).collect();
    let records = records_in_order(ex, &ids).await?;
    let cursors: Vec<i64> = pairs.iter().map(|p| p.0).collect();
    let items = present::render_accounts(ex, base, &records).await?;
    Ok(Page::new(items, &cursors, cursor))
}

/// Followers or following of `target` as `viewer` may see them: empty when the target is
/// unavailable, hides its collections from others, or blocks the viewer. The reads run
/// inline on SQLite; each account's JSON comes from the rendered-accounts cache when nothing
/// was committed since it was kept (`services::account_json::many`).
pub async fn follow_page(
    state: &AppState,
    side: FollowSide,
    target_id: i64,
    viewer: Option<i64>,
    cursor: &Cursor,
) -> ApiResult<Page<Bytes>> {
    let db = state.db();
    // Taken before the reads, so JSON kept from them is outdated by any commit racing them.
    let read_at = db.data_generation();
    let target = account_service::find_undeleted_inline(state, target_id).await?;
    let is_owner = viewer == Some(target_id);
    if unavailable(&target.account) || (target.account.hide_collections == Some(true) && !is_owner)
    {
        return Ok(Page::default());
    }
    if let Some(v) = viewer
        && blocks::exists_in(db, target_id, v).await?
    {
        return Ok(Page::default());
    }
    let exclude_for = viewer.filter(|_| !is_owner);
    let now = time::now();
    let pairs = follows::page_in(db, side.repo(), target_id, exclude_for, cursor, now).await?;
    let ids: Vec<i64> = pairs.iter().map(|p| p.1).collect();
    let cursors: Vec<i64> = pairs.iter().map(|p| p.0).collect();
    let items = account_json::many(state, read_at, &ids).await?;
    Ok(Page::new(items, &cursors, cursor))
}

/// Accounts with a pending request to `me`, by request id.
pub async fn requests_page(state: &AppState, me: i64, cursor: &Cursor) -> ApiResult<Page<Account>> {
    let mut conn = state.db().conn().await?;
    let mut ex = conn.exec();
    let requesters = follows::Side::Requesters;
    let pairs = follows::page(&mut ex, requesters, me, None, cursor, time::now()).await?;
    render_pairs(&mut ex, &state.base_url(), &pairs, cursor).await
}

/// Accounts `me` blocks, by block id.
pub async fn blocks_page(state: &AppState, me: i64, cursor: &Cursor) -> ApiResult<Page<Account>> {
    let mut conn = state.db().conn().await?;
    let mut ex = conn.exec();
    let pairs = blocks::page(&mut ex, me, cursor).await?;
    render_pairs(&mut ex, &state.base_url(), &pairs, cursor).await
}

/// Accounts `me` mutes (active mutes only), by mute id, with their expiry.
pub async fn mutes_page(
    state: &AppState,
    me: i64,
    cursor: &Cursor,
) -> ApiResult<Page<MutedAccount>> {
    let mut conn = state.db().conn().await?;
    let mut ex = conn.exec();
    let rows = mutes::page(&mut ex, me, cursor, time::now()).await?;
    let ids: Vec<i64> = rows.iter().map(|m| m.target_account_id).collect();
    let records = records_in_order(&mut ex, &ids).await?;
    let rendered = present::render_accounts(&mut ex, &state.base_url(), &records).await?;
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
    let cursors: Vec<i64> = rows.iter().map(|m| m.id).collect();
    Ok(Page::new(items, &cursors, cursor))
}

/// Accounts `owner` endorses, by account id; no cursor = all of them.
async fn endorsed(
    ex: &mut Exec<'_>,
    base: &str,
    owner: i64,
    cursor: Option<&Cursor>,
) -> ApiResult<Page<Account>> {
    let c = cursor.copied().unwrap_or(Cursor::first(usize::MAX));
    let ids = endorsements::page(ex, owner, &c).await?;
    let records = records_in_order(ex, &ids).await?;
    let items = present::render_accounts(ex, base, &records).await?;
    Ok(Page::new(items, &ids, &c))
}

/// `GET /api/v1/endorsements`: the accounts `me` features; no cursor (`limit=0`) = all.
pub async fn my_endorsements(
    state: &AppState,
    me: i64,
    cursor: Option<&Cursor>,
) -> ApiResult<Page<Account>> {
    let mut conn = state.db().conn().await?;
    endorsed(&mut conn.exec(), &state.base_url(), me, cursor).await
}

/// `GET /api/v1/accounts/:id/endorsements`: 404 for unknown ids, empty when `:id` is
/// unavailable.
pub async fn account_endorsements(
    state: &AppState,
    owner: i64,
    cursor: &Cursor,
) -> ApiResult<Page<Account>> {
    let mut conn = state.db().conn().await?;
    let mut ex = conn.exec();
    let record = account_service::find_undeleted(&mut ex, owner).await?;
    if unavailable(&record.account) {
        return Ok(Page::default());
    }
    endorsed(&mut ex, &state.base_url(), owner, Some(cursor)).await
}
