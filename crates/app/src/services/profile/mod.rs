//! The account's own profile: `update_credentials`, its fields, its images, and the
//! rendering of the bio.

pub mod fields;
pub mod images;
pub mod text;
pub mod update_credentials;
pub mod verify;
pub mod verify_jobs;

use crate::api_types::CredentialAccount;
use crate::db::Exec;
use crate::db::repo::accounts::AccountRecord;
use crate::db::repo::users::UserRow;
use crate::db::repo::{accounts, profile, users};
use crate::domain::time;
use crate::error::{ApiError, ApiResult};
use crate::services::present;
use crate::state::AppState;

/// Which profile image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Image {
    Avatar,
    Header,
}

/// `DELETE /api/v1/profile/{avatar,header}`: clears the image (files removed after commit).
pub async fn delete_image(
    state: &AppState,
    user_id: i64,
    account_id: i64,
    which: Image,
) -> ApiResult<CredentialAccount> {
    let base_url = state.base_url();
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    let old = accounts::find(&mut ex, account_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    profile::clear_image(&mut ex, account_id, which == Image::Header, time::now()).await?;
    let (record, user) = own_rows(&mut ex, account_id, user_id).await?;
    let entity = present::render_credential_account(&mut ex, &base_url, &record, &user).await?;
    crate::services::federation::outbound::update_actor(state, &mut ex, &record.account).await?;
    tx.commit().await?;
    let keys = match which {
        Image::Avatar => [old.account.avatar_key, old.account.avatar_static_key],
        Image::Header => [old.account.header_key, old.account.header_static_key],
    };
    images::delete_keys(state, keys.into_iter().flatten().collect()).await;
    Ok(entity)
}

/// The signed-in user's account record and user row as the transaction sees them now.
pub(crate) async fn own_rows(
    ex: &mut Exec<'_>,
    account_id: i64,
    user_id: i64,
) -> ApiResult<(AccountRecord, UserRow)> {
    let record = accounts::find(ex, account_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let user = users::find(ex, user_id).await?.ok_or(ApiError::NotFound)?;
    Ok((record, user))
}
