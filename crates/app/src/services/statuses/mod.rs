//! Statuses: posting, showing, deleting, reblogging, pinning, and the account's status list,
//! with upstream's visibility rules (`StatusPolicy#show?`, `AccountStatusesFilter`).

pub mod account;
pub mod actions;
pub mod create;
pub mod render;

use crate::api_types::Status;
use crate::db::Exec;
use crate::db::repo::accounts::{self, AccountRecord};
use crate::db::repo::statuses::{self, StatusRow};
use crate::error::{ApiError, ApiResult};
use crate::services::present::unavailable;
use crate::state::AppState;

pub const PUBLIC: i64 = 0;
pub const UNLISTED: i64 = 1;
pub const PRIVATE: i64 = 2;
pub const DIRECT: i64 = 3;

const NAMES: [&str; 5] = ["public", "unlisted", "private", "direct", "limited"];

/// The wire name of a stored visibility.
pub fn visibility_name(v: i64) -> &'static str {
    usize::try_from(v)
        .ok()
        .and_then(|i| NAMES.get(i))
        .copied()
        .unwrap_or("public")
}

/// A visibility a client may ask for (`limited` is federation-only).
pub fn parse_visibility(name: &str) -> Option<i64> {
    NAMES[..4]
        .iter()
        .position(|n| *n == name)
        .and_then(|i| i64::try_from(i).ok())
}

/// Upstream `StatusPolicy#show?`.
pub async fn can_see(
    ex: &mut Exec<'_>,
    viewer: Option<i64>,
    s: &StatusRow,
    author: &AccountRecord,
) -> ApiResult<bool> {
    if unavailable(&author.account) {
        return Ok(false);
    }
    let owned = viewer == Some(s.account_id);
    if owned {
        return Ok(true);
    }
    let Some(v) = viewer else {
        return Ok(s.visibility <= UNLISTED);
    };
    Ok(match s.visibility {
        PUBLIC | UNLISTED => {
            !statuses::facts(ex, v, s.account_id)
                .await?
                .blocked_by_author
        }
        PRIVATE => {
            statuses::facts(ex, v, s.account_id).await?.following
                || statuses::mentions(ex, s.id, v).await?
        }
        _ => statuses::mentions(ex, s.id, v).await?,
    })
}

/// `GET /api/v1/statuses/:id`: the status rendered for `viewer`, 404 unless they may see it.
pub async fn show(state: &AppState, viewer: Option<i64>, id: i64) -> ApiResult<Status> {
    let row = {
        let mut conn = state.db().conn().await?;
        find_visible(&mut conn.exec(), viewer, id).await?.0
    };
    render::status_for(state, viewer, &row).await
}

/// A status `viewer` may see, with its author; 404 otherwise.
pub async fn find_visible(
    ex: &mut Exec<'_>,
    viewer: Option<i64>,
    id: i64,
) -> ApiResult<(StatusRow, AccountRecord)> {
    let s = statuses::find(ex, id).await?.ok_or(ApiError::NotFound)?;
    let author = accounts::find(ex, s.account_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if !can_see(ex, viewer, &s, &author).await? {
        return Err(ApiError::NotFound);
    }
    Ok((s, author))
}
