//! Lists of accounts you follow: CRUD, members, and the lists that hold an account.

use crate::api_types::list::List;

use crate::db::Exec;
use crate::db::repo::accounts;
use crate::db::repo::follows::{self, FollowKind};
use crate::db::repo::lists::{self, ListRow};
use crate::domain::page::Cursor;
use crate::domain::params::ruby_to_i;
use crate::domain::time;
use crate::error::{ApiError, ApiResult};
use crate::services::present::{self, unavailable};
use crate::state::AppState;

use super::accounts as account_service;
use super::graph::collections::{AccountPage, records_in_order};

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

pub async fn index(ex: &mut Exec<'_>, me: i64) -> ApiResult<Vec<List>> {
    Ok(lists::of_account(ex, me)
        .await?
        .iter()
        .map(entity)
        .collect())
}

pub async fn show(ex: &mut Exec<'_>, me: i64, id: i64) -> ApiResult<List> {
    let row = lists::find(ex, me, id).await?.ok_or(ApiError::NotFound)?;
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

/// Members of your list by account id; `limit` None = all (`limit=0`).
pub async fn members(
    ex: &mut Exec<'_>,
    base: &str,
    me: i64,
    id: i64,
    max_id: Option<i64>,
    since_id: Option<i64>,
    limit: Option<usize>,
) -> ApiResult<AccountPage> {
    lists::find(ex, me, id).await?.ok_or(ApiError::NotFound)?;
    let cursor = Cursor {
        max_id,
        since_id,
        min_id: None,
        limit: limit.unwrap_or(usize::MAX),
    };
    let ids = lists::members_page(ex, id, &cursor).await?;
    let records = records_in_order(ex, &ids).await?;
    Ok(AccountPage {
        items: present::render_accounts(ex, base, &records).await?,
        first: ids.first().copied(),
        last: ids.last().copied(),
    })
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
pub async fn containing(ex: &mut Exec<'_>, me: i64, account_id: i64) -> ApiResult<Vec<List>> {
    let record = account_service::find_for_api(ex, account_id).await?;
    if unavailable(&record.account) {
        return Ok(Vec::new());
    }
    Ok(lists::containing(ex, me, account_id)
        .await?
        .iter()
        .map(entity)
        .collect())
}
