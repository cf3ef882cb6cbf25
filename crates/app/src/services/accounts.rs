//! Creating local accounts (with their user) and looking accounts up for the API.

use crate::db::Exec;
use crate::db::repo::accounts::{self, AccountRecord, NewAccount};
use crate::db::repo::users::{self, NewUser};
use crate::domain::{secrets, time};
use crate::error::{ApiError, ApiResult};
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
pub async fn find_undeleted(ex: &mut Exec<'_>, id: i64) -> ApiResult<AccountRecord> {
    match accounts::find(ex, id).await? {
        Some(r) if r.account.deleted_at.is_none() => Ok(r),
        _ => Err(ApiError::NotFound),
    }
}

/// [`find_undeleted`] on the inline read path (no connection of the caller's; on SQLite none
/// taken from the pool at all).
pub async fn find_undeleted_inline(state: &AppState, id: i64) -> ApiResult<AccountRecord> {
    match accounts::find_in(state.db(), id).await? {
        Some(r) if r.account.deleted_at.is_none() => Ok(r),
        _ => Err(ApiError::NotFound),
    }
}

/// Local accounts whose user is pending approval or unconfirmed are hidden (404), as upstream.
pub fn visible_locally(r: &AccountRecord) -> bool {
    if r.account.domain.is_some() {
        return true;
    }
    r.user_id.is_some() && r.user_approved == Some(true) && r.user_confirmed_at.is_some()
}
