//! A user's domain blocks (`/api/v1/domain_blocks`): the list, blocking with upstream's
//! clean-up (`AfterBlockDomainFromAccountService`), and unblocking.

use crate::db::Exec;
use crate::db::repo::account_domain_blocks as repo;
use crate::db::repo::follows::{self, FollowKind};
use crate::db::repo::{accounts, blocks};
use crate::domain::domain_name;
use crate::domain::page::{Cursor, Page};
use crate::domain::time;
use crate::error::{ApiError, ApiResult};
use crate::services::retry::once_on_conflict;
use crate::state::AppState;

use super::sever;

/// The blocked domains, newest block first; the cursors are block ids.
pub async fn page(state: &AppState, me: i64, cursor: &Cursor) -> ApiResult<Page<String>> {
    let mut conn = state.db().conn().await?;
    let rows = repo::page(&mut conn.exec(), me, cursor).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    Ok(Page::new(
        rows.into_iter().map(|r| r.1).collect(),
        &ids,
        cursor,
    ))
}

/// Blocks the typed domain and cleans up what the block forbids.
pub async fn block(state: &AppState, me: i64, raw: Option<&str>) -> ApiResult<()> {
    once_on_conflict(|| block_once(state, me, raw)).await
}

async fn block_once(state: &AppState, me: i64, raw: Option<&str>) -> ApiResult<()> {
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    // Upstream's `find_or_create_by!`: the lookup uses the text as typed, the record it
    // creates the normalised domain, so a differently spelled repeat fails uniqueness.
    let existing = match raw {
        Some(r) => blocks::domain_blocked(&mut ex, me, r).await?,
        None => false,
    };
    let domain = match raw {
        Some(r) if existing => r.to_owned(),
        _ => {
            let d = domain_name::normalize(raw)
                .map_err(|e| ApiError::Unprocessable(e.message().into()))?;
            if blocks::domain_blocked(&mut ex, me, &d).await? {
                return Err(ApiError::Unprocessable(
                    "Validation failed: Domain has already been taken".into(),
                ));
            }
            repo::insert(&mut ex, state.next_id(), me, &d, time::now()).await?;
            d
        }
    };
    clean_up(&mut ex, me, &domain).await?;
    tx.commit().await?;
    Ok(())
}

/// Upstream's `AfterBlockDomainFromAccountService`: your notifications from the domain go,
/// you unfollow its accounts (their list memberships go with the follows), and its accounts'
/// follows of you and pending requests to you are removed. Run in the blocking transaction
/// rather than a job, so the answer already reflects it.
async fn clean_up(ex: &mut Exec<'_>, me: i64, domain: &str) -> ApiResult<()> {
    repo::clear_notifications(ex, me, domain).await?;
    let repo::DomainGraph {
        followed,
        followers,
        requesters,
    } = repo::graph_with(ex, me, domain).await?;
    let mut all: Vec<i64> = std::iter::once(me)
        .chain(
            followed
                .iter()
                .chain(&followers)
                .chain(&requesters)
                .copied(),
        )
        .collect();
    all.sort_unstable();
    all.dedup();
    if all.len() == 1 {
        return Ok(());
    }
    accounts::lock(ex, &all).await?;
    for id in followed {
        sever(ex, me, id).await?;
    }
    for id in followers {
        sever(ex, id, me).await?;
    }
    for id in requesters {
        follows::delete(ex, FollowKind::Request, id, me).await?;
    }
    Ok(())
}

/// Removes the block of the domain as typed (no normalisation, as upstream); always succeeds.
pub async fn unblock(state: &AppState, me: i64, raw: Option<&str>) -> ApiResult<()> {
    let Some(raw) = raw else {
        return Ok(());
    };
    let mut conn = state.db().conn().await?;
    repo::delete(&mut conn.exec(), me, raw).await?;
    Ok(())
}
