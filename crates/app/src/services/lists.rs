//! Lists of accounts you follow: CRUD, members, and the lists that hold an account.

use crate::api_types::Account;
use crate::api_types::list::List;

use crate::db::repo::accounts;
use crate::db::repo::follows::{self, FollowKind};
use crate::db::repo::lists::{self, ListRow};
use crate::domain::page::{Cursor, Page};
use crate::domain::params::ruby_to_i;
use crate::domain::time;
use crate::error::{ApiError, ApiResult};
use crate::services::present::{self, unavailable};
use crate::state::AppState;

use super::accounts as account_service;
use super::graph::collections::records_in_order;

/// Upstream's `List::PER_ACCOUNT_LIMIT`.
pub const PER_ACCOUNT_LIMIT: i64 = 50;
const REPLIES_POLICIES: &[&str] = &["list", "followed", "none"];

pub fn entity(l: &ListRow) -> List {
    List {
        id: l.id.to_string(),
        title: l.title.clone(),
        replies_policy: l.replies_policy.clone(),
        exclusive: l.exclusive,
    }
}

/// The attributes a create or update gives; `None` = not given.
#[derive(Debug, Clone, Default)]
pub struct ListParams {
    pub title: Option<String>,
    pub replies_policy: Option<String>,
    pub exclusive: Option<bool>,
}

fn apply(row: &mut ListRow, p: &ListParams) -> Vec<String> {
    if let Some(t) = &p.title {
        row.title.clone_from(t);
    }
    if let Some(r) = &p.replies_policy {
        row.replies_policy.clone_from(r);
    }
    if let Some(e) = p.exclusive {
        row.exclusive = e;
    }
    let mut errors = Vec::new();
    if row.title.trim().is_empty() {
        errors.push("Title can't be blank".to_owned());
    }
    if !REPLIES_POLICIES.contains(&row.replies_policy.as_str()) {
        errors.push("Replies policy is not included in the list".to_owned());
    }
    errors
}

fn invalid(errors: &[String]) -> ApiResult<()> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Unprocessable(format!(
            "Validation failed: {}",
            errors.join(", ")
        )))
    }
}

pub async fn index(state: &AppState, me: i64) -> ApiResult<Vec<List>> {
    let mut conn = state.db().conn().await?;
    Ok(lists::of_account(&mut conn.exec(), me)
        .await?
        .iter()
        .map(entity)
        .collect())
}

pub async fn show(state: &AppState, me: i64, id: i64) -> ApiResult<List> {
    let mut conn = state.db().conn().await?;
    let row = lists::find(&mut conn.exec(), me, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(entity(&row))
}

pub async fn create(state: &AppState, me: i64, p: &ListParams) -> ApiResult<List> {
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    let mut row = ListRow {
        id: state.next_id(),
        account_id: me,
        title: String::new(),
        replies_policy: "list".into(),
        exclusive: false,
    };
    let mut errors = apply(&mut row, p);
    if lists::count(&mut ex, me).await? >= PER_ACCOUNT_LIMIT {
        errors.push("You have reached the maximum number of lists".into());
    }
    invalid(&errors)?;
    lists::insert(&mut ex, &row, time::now()).await?;
    tx.commit().await?;
    Ok(entity(&row))
}

pub async fn update(state: &AppState, me: i64, id: i64, p: &ListParams) -> ApiResult<List> {
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    let mut row = lists::find(&mut ex, me, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    invalid(&apply(&mut row, p))?;
    lists::update(&mut ex, &row).await?;
    tx.commit().await?;
    Ok(entity(&row))
}

pub async fn destroy(state: &AppState, me: i64, id: i64) -> ApiResult<()> {
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    lists::find(&mut ex, me, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    lists::delete(&mut ex, id).await?;
    tx.commit().await?;
    Ok(())
}

/// Members of your list by account id; no cursor (`limit=0`) = all of them.
pub async fn members(
    state: &AppState,
    me: i64,
    id: i64,
    cursor: Option<&Cursor>,
) -> ApiResult<Page<Account>> {
    let mut conn = state.db().conn().await?;
    let mut ex = conn.exec();
    lists::find(&mut ex, me, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let c = cursor.copied().unwrap_or(Cursor::first(usize::MAX));
    let ids = lists::members_page(&mut ex, id, &c).await?;
    let records = records_in_order(&mut ex, &ids).await?;
    let items = present::render_accounts(&mut ex, &state.base_url(), &records).await?;
    Ok(Page::new(items, &ids, &c))
}

/// Adds `account_ids[]`: each must exist (404) and be followed by you (404 otherwise, as
/// upstream's `find_by!`); one already in the list is a 422. All or nothing.
pub async fn add_members(state: &AppState, me: i64, id: i64, raw: &[String]) -> ApiResult<()> {
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    lists::find(&mut ex, me, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let mut ids: Vec<i64> = raw.iter().map(|s| ruby_to_i(s)).collect();
    ids.dedup();
    let found = accounts::find_many(&mut ex, &ids).await?;
    if ids
        .iter()
        .any(|i| !found.iter().any(|r| r.account.id == *i))
    {
        return Err(ApiError::NotFound);
    }
    for account_id in ids {
        let follow_id = if account_id == me {
            None
        } else {
            let follow = follows::find(&mut ex, FollowKind::Follow, me, account_id).await?;
            Some(follow.ok_or(ApiError::NotFound)?.id)
        };
        if lists::has_member(&mut ex, id, account_id).await? {
            return Err(ApiError::Unprocessable(
                "Validation failed: Account has already been taken".into(),
            ));
        }
        lists::add_member(&mut ex, state.next_id(), id, account_id, follow_id).await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn remove_members(state: &AppState, me: i64, id: i64, raw: &[String]) -> ApiResult<()> {
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    lists::find(&mut ex, me, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let ids: Vec<i64> = raw.iter().map(|s| ruby_to_i(s)).collect();
    lists::remove_members(&mut ex, id, &ids).await?;
    tx.commit().await?;
    Ok(())
}

/// Your lists that contain `:id` (`[]` when it is suspended).
pub async fn containing(state: &AppState, me: i64, account_id: i64) -> ApiResult<Vec<List>> {
    let mut conn = state.db().conn().await?;
    let mut ex = conn.exec();
    let record = account_service::find_undeleted(&mut ex, account_id).await?;
    if unavailable(&record.account) {
        return Ok(Vec::new());
    }
    Ok(lists::containing(&mut ex, me, account_id)
        .await?
        .iter()
        .map(entity)
        .collect())
}
