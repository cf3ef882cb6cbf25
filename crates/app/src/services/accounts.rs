//! Creating local accounts (with their user) and looking accounts up for the API.

use std::collections::HashMap;

use bytes::Bytes;

use crate::cache::RenderedAccounts;
use crate::db::repo::accounts::{self, AccountRecord, NewAccount};
use crate::db::repo::users::{self, NewUser, UserRow};
use crate::db::{Db, Exec};
use crate::domain::{secrets, time};
use crate::error::{ApiError, ApiResult};
use crate::services::present;
use crate::state::AppState;

/// A local account to create, already validated.
pub struct LocalAccountSpec<'a> {
    pub username: &'a str,
    pub email: &'a str,
    pub password_hash: &'a str,
    pub role_id: Option<i64>,
    pub confirmed: bool,
    pub approved: bool,
    pub locale: Option<&'a str>,
    pub time_zone: Option<&'a str>,
    pub sign_up_ip: Option<&'a str>,
    pub created_by_application_id: Option<i64>,
    pub invite_id: Option<i64>,
}

/// What was created: ids, and the confirmation token to mail when unconfirmed.
pub struct CreatedAccount {
    pub account_id: i64,
    pub user_id: i64,
    pub confirmation_token: Option<String>,
}

/// Inserts the account and its user inside the caller's transaction.
pub async fn insert_local_account(
    state: &AppState,
    ex: &mut Exec<'_>,
    spec: &LocalAccountSpec<'_>,
) -> ApiResult<CreatedAccount> {
    let now = time::now();
    let account_id = state.next_id();
    let user_id = state.next_id();
    let base = state.base_url();
    let uri = format!("{base}/users/{}", spec.username);
    let url = format!("{base}/@{}", spec.username);
    accounts::insert(
        ex,
        &NewAccount {
            id: account_id,
            username: spec.username,
            domain: None,
            display_name: "",
            uri: &uri,
            url: Some(&url),
            locked: false,
            discoverable: None,
            indexable: false,
            now,
        },
    )
    .await?;
    let confirmation_token = if spec.confirmed {
        None
    } else {
        Some(secrets::random_token().map_err(ApiError::internal)?)
    };
    let digest = confirmation_token.as_deref().map(secrets::digest);
    users::insert(
        ex,
        &NewUser {
            id: user_id,
            account_id,
            email: spec.email,
            encrypted_password: spec.password_hash,
            role_id: spec.role_id,
            locale: spec.locale,
            time_zone: spec.time_zone,
            confirmed_at: spec.confirmed.then_some(now),
            confirmation_token_digest: digest.as_deref(),
            approved: spec.approved,
            sign_up_ip: spec.sign_up_ip,
            created_by_application_id: spec.created_by_application_id,
            invite_id: spec.invite_id,
            age_verified_at: None,
            now,
        },
    )
    .await?;
    if let Some(ip) = spec.sign_up_ip.and_then(|ip| ip.parse().ok()) {
        users::touch_ip(ex, user_id, ip, now).await?;
    }
    Ok(CreatedAccount {
        account_id,
        user_id,
        confirmation_token,
    })
}

/// `:id` lookup for `/api/v1/accounts/:id…`: 404 unless it exists and is not deleted.
pub async fn find_for_api(ex: &mut Exec<'_>, id: i64) -> ApiResult<AccountRecord> {
    match accounts::find(ex, id).await? {
        Some(r) if r.account.deleted_at.is_none() => Ok(r),
        _ => Err(ApiError::NotFound),
    }
}

/// [`find_for_api`] on the inline read path (no connection of the caller's).
pub async fn find_for_api_in(db: &Db, id: i64) -> ApiResult<AccountRecord> {
    match accounts::find_in(db, id).await? {
        Some(r) if r.account.deleted_at.is_none() => Ok(r),
        _ => Err(ApiError::NotFound),
    }
}

/// The JSON of `GET /api/v1/accounts/:id` (the same for every viewer): from this process's
/// cache while nothing has been committed since it was rendered, else read, rendered and
/// kept (`cache::rendered_accounts`).
pub async fn show_json(state: &AppState, id: i64) -> ApiResult<Bytes> {
    let db = state.db();
    // Taken before the read: a commit racing the read leaves the entry outdated at once.
    let generation = db.data_generation();
    let render = async {
        let record = find_for_api_in(db, id).await?;
        if !visible_locally(&record) {
            return Err(ApiError::NotFound);
        }
        present::render_account_in(db, &state.base_url(), &record).await
    };
    cached_json(
        state.rendered_accounts(),
        generation,
        generation,
        id,
        render,
    )
    .await
}

/// The JSON of `GET /api/v1/accounts/verify_credentials` for a signed-in user's own account,
/// kept like [`show_json`]'s: by account, valid for the generation at which the request's
/// viewer rows (`record`, `user`) were read, `read_at` (taken before that read).
pub async fn credentials_json(
    state: &AppState,
    record: &AccountRecord,
    user: &UserRow,
    read_at: Option<u64>,
) -> ApiResult<Bytes> {
    let db = state.db();
    let base_url = state.base_url();
    let render = present::render_credential_account_in(db, &base_url, record, user);
    let cache = state.credential_accounts();
    cached_json(
        cache,
        db.data_generation(),
        read_at,
        record.account.id,
        render,
    )
    .await
}

/// The JSON of accounts `ids` as `GET /api/v1/accounts/:id` renders them, in the given order
/// (ids without an account are dropped): each from this process's cache when nothing was
/// committed since it was kept, the others read in one query, rendered and kept for
/// `read_at`, the generation taken before the caller read `ids` (as [`show_json`]).
pub async fn accounts_json(
    state: &AppState,
    read_at: Option<u64>,
    ids: &[i64],
) -> ApiResult<Vec<Bytes>> {
    let db = state.db();
    let cache = state.rendered_accounts();
    let now = db.data_generation();
    let mut found: Vec<Option<Bytes>> = ids
        .iter()
        .map(|id| now.and_then(|g| cache.get(*id, g)))
        .collect();
    let missing: Vec<i64> = ids
        .iter()
        .zip(&found)
        .filter(|(_, json)| json.is_none())
        .map(|(id, _)| *id)
        .collect();
    if !missing.is_empty() {
        let base_url = state.base_url();
        let mut rendered = HashMap::with_capacity(missing.len());
        for record in accounts::find_many_in(db, &missing).await? {
            let entity = present::render_account_in(db, &base_url, &record).await?;
            let json = Bytes::from(serde_json::to_vec(&entity).map_err(ApiError::internal)?);
            if let Some(g) = read_at {
                cache.insert(record.account.id, g, json.clone());
            }
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

/// Account `id`'s JSON from `cache` if nothing was committed since it was kept (`now` is the
/// generation now), else `render`ed and kept for `read_at`: the generation taken before the
/// rows it renders were read. `None` (PostgreSQL) keeps nothing.
async fn cached_json<T: serde::Serialize>(
    cache: &RenderedAccounts,
    now: Option<u64>,
    read_at: Option<u64>,
    id: i64,
    render: impl Future<Output = ApiResult<T>>,
) -> ApiResult<Bytes> {
    if let Some(g) = now
        && let Some(json) = cache.get(id, g)
    {
        return Ok(json);
    }
    let entity = render.await?;
    let json = Bytes::from(serde_json::to_vec(&entity).map_err(ApiError::internal)?);
    if let Some(g) = read_at {
        cache.insert(id, g, json.clone());
    }
    Ok(json)
}

/// Local accounts whose user is pending approval or unconfirmed are hidden (404), as upstream.
pub fn visible_locally(r: &AccountRecord) -> bool {
    if r.account.domain.is_some() {
        return true;
    }
    r.user_id.is_some() && r.user_approved == Some(true) && r.user_confirmed_at.is_some()
}
