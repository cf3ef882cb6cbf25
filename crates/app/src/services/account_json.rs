//! Accounts as JSON, through this process's rendered-accounts caches (`cache/`): the
//! renderings that are the same for every viewer (`GET /api/v1/accounts/:id`, the account
//! lists) and a user's own `verify_credentials`. Each is served from the cache while nothing
//! has been committed since it was kept, else read on the inline path, rendered and kept for
//! the generation taken before the read (so a commit racing the read outdates it at once).

use std::collections::HashMap;

use bytes::Bytes;
use serde::Serialize;

use crate::db::repo::accounts::{self, AccountRecord};
use crate::db::repo::users::UserRow;
use crate::error::{ApiError, ApiResult};
use crate::services::accounts::{find_undeleted_inline, visible_locally};
use crate::services::present;
use crate::state::AppState;

fn to_json<T: Serialize>(entity: &T) -> ApiResult<Bytes> {
    Ok(Bytes::from(
        serde_json::to_vec(entity).map_err(ApiError::internal)?,
    ))
}

/// The JSON of `GET /api/v1/accounts/:id` (the same for every viewer).
pub async fn show(state: &AppState, id: i64) -> ApiResult<Bytes> {
    let db = state.db();
    // Taken before the read: a commit racing the read leaves the entry outdated at once.
    let generation = db.data_generation();
    let render = async {
        let record = find_undeleted_inline(state, id).await?;
        if !visible_locally(&record) {
            return Err(ApiError::NotFound);
        }
        to_json(&present::render_account_inline(db, &state.base_url(), &record).await?)
    };
    state
        .rendered_accounts()
        .get_or_render(id, generation, generation, render)
        .await
}

/// The JSON of `GET /api/v1/accounts/verify_credentials` for a signed-in user's own account,
/// kept by account for the generation at which the request's viewer rows (`record`, `user`)
/// were read, `read_at` (taken before that read).
pub async fn credentials(
    state: &AppState,
    record: &AccountRecord,
    user: &UserRow,
    read_at: Option<u64>,
) -> ApiResult<Bytes> {
    let db = state.db();
    let base_url = state.base_url();
    let render = async {
        to_json(&present::render_credential_account_inline(db, &base_url, record, user).await?)
    };
    state
        .credential_accounts()
        .get_or_render(record.account.id, db.data_generation(), read_at, render)
        .await
}

/// The JSON of accounts `ids` as `GET /api/v1/accounts/:id` renders them, in the given order
/// (ids without an account are dropped): the kept ones from the cache, the others read in one
/// query, rendered together and kept for `read_at`, the generation taken before the caller
/// read `ids`.
pub async fn many(state: &AppState, read_at: Option<u64>, ids: &[i64]) -> ApiResult<Vec<Bytes>> {
    let db = state.db();
    let cache = state.rendered_accounts();
    let now = db.data_generation();
    let mut found: Vec<Option<Bytes>> = ids.iter().map(|id| cache.get(id, now)).collect();
    let missing: Vec<i64> = ids
        .iter()
        .zip(&found)
        .filter(|(_, json)| json.is_none())
        .map(|(id, _)| *id)
        .collect();
    if !missing.is_empty() {
        let records = accounts::find_many_inline(db, &missing).await?;
        let entities = present::render_accounts_inline(db, &state.base_url(), &records).await?;
        let mut rendered = HashMap::with_capacity(records.len());
        for (record, entity) in records.iter().zip(&entities) {
            let json = to_json(entity)?;
            cache.keep(record.account.id, read_at, json.clone());
            rendered.insert(record.account.id, json);
        }
        for (id, slot) in ids.iter().zip(found.iter_mut()) {
            if slot.is_none() {
                *slot = rendered.get(id).cloned();
            }
        }
    }
    Ok(found.into_iter().flatten().collect())
}
