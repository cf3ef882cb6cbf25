//! Follow requests you received: authorize or reject.

use crate::api_types::Relationship;
use crate::db::repo::accounts as accounts_repo;
use crate::db::repo::follows::{self, FollowKind, FollowRow};
use crate::domain::time;
use crate::error::{ApiError, ApiResult};
use crate::services::retry::once_on_conflict;
use crate::services::{accounts, relationships};
use crate::state::AppState;

use super::withdraw_request;

/// Turns the pending request from `:id` into a follow (no follow limit, as upstream).
pub async fn authorize(state: &AppState, me: i64, requester: i64) -> ApiResult<Relationship> {
    once_on_conflict(|| authorize_once(state, me, requester)).await
}

async fn authorize_once(state: &AppState, me: i64, requester: i64) -> ApiResult<Relationship> {
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    accounts_repo::lock_pair(&mut ex, me, requester).await?;
    let account = accounts::find_undeleted(&mut ex, requester).await?;
    let request = follows::find(&mut ex, FollowKind::Request, requester, me)
        .await?
        .ok_or(ApiError::NotFound)?;
    withdraw_request(&mut ex, requester, me).await?;
    if follows::find(&mut ex, FollowKind::Follow, requester, me)
        .await?
        .is_none()
    {
        let row = FollowRow {
            id: state.next_id(),
            created_at: time::now(),
            ..request
        };
        follows::insert(&mut ex, FollowKind::Follow, &row).await?;
    }
    let r = relationships::one(&mut ex, me, requester, account.account.domain.as_deref()).await?;
    tx.commit().await?;
    Ok(r)
}

pub async fn reject(state: &AppState, me: i64, requester: i64) -> ApiResult<Relationship> {
    once_on_conflict(|| reject_once(state, me, requester)).await
}

async fn reject_once(state: &AppState, me: i64, requester: i64) -> ApiResult<Relationship> {
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    accounts_repo::lock_pair(&mut ex, me, requester).await?;
    let account = accounts::find_undeleted(&mut ex, requester).await?;
    if !withdraw_request(&mut ex, requester, me).await? {
        return Err(ApiError::NotFound);
    }
    let r = relationships::one(&mut ex, me, requester, account.account.domain.as_deref()).await?;
    tx.commit().await?;
    Ok(r)
}
