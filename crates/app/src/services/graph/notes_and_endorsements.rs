//! Private notes and endorsements (account pins).

use crate::api_types::Relationship;
use crate::db::repo::follows::{self, FollowKind};
use crate::db::repo::{endorsements, notes};
use crate::domain::time;
use crate::error::{ApiError, ApiResult};
use crate::services::{accounts, relationships};
use crate::state::AppState;

/// Upstream's `AccountNote::COMMENT_SIZE_LIMIT`.
pub const COMMENT_LIMIT: usize = 2000;

/// Sets (or, when blank, deletes) your private note on `:id`.
pub async fn note(
    state: &AppState,
    me: i64,
    target_id: i64,
    comment: Option<&str>,
) -> ApiResult<Relationship> {
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    let target = accounts::find_undeleted(&mut ex, target_id).await?;
    match comment.filter(|c| !c.trim().is_empty()) {
        None => notes::delete(&mut ex, me, target_id).await?,
        Some(c) => {
            if c.chars().count() > COMMENT_LIMIT {
                return Err(ApiError::Unprocessable(format!(
                    "Validation failed: Comment is too long (maximum is {COMMENT_LIMIT} characters)"
                )));
            }
            notes::upsert(&mut ex, state.next_id(), me, target_id, c, time::now()).await?;
        }
    }
    let r = relationships::one(&mut ex, me, target_id, target.account.domain.as_deref()).await?;
    tx.commit().await?;
    Ok(r)
}

/// Endorses `:id`; you must follow it.
pub async fn endorse(state: &AppState, me: i64, target_id: i64) -> ApiResult<Relationship> {
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    let target = accounts::find_undeleted(&mut ex, target_id).await?;
    if follows::find(&mut ex, FollowKind::Follow, me, target_id)
        .await?
        .is_none()
    {
        return Err(ApiError::Unprocessable(
            "Validation failed: You must be already following the person you want to endorse"
                .into(),
        ));
    }
    endorsements::insert(&mut ex, state.next_id(), me, target_id, time::now()).await?;
    let r = relationships::one(&mut ex, me, target_id, target.account.domain.as_deref()).await?;
    tx.commit().await?;
    Ok(r)
}

pub async fn unendorse(state: &AppState, me: i64, target_id: i64) -> ApiResult<Relationship> {
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    let target = accounts::find_undeleted(&mut ex, target_id).await?;
    endorsements::delete(&mut ex, me, target_id).await?;
    let r = relationships::one(&mut ex, me, target_id, target.account.domain.as_deref()).await?;
    tx.commit().await?;
    Ok(r)
}
