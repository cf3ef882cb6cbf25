//! `lists` and `list_accounts`.

use sqlx::FromRow;

use crate::db::Exec;
use crate::db::query::rows::execute_in;
use crate::db::query::{
    args, execute, fetch_all, fetch_one, fetch_optional, fetch_scalars, owner_page_args,
};
use crate::domain::page::Cursor;

#[derive(Debug, Clone, FromRow)]
pub struct ListRow {
    pub id: i64,
    pub account_id: i64,
    pub title: String,
    pub replies_policy: String,
    pub exclusive: bool,
}

const COLUMNS: &str = "l.id, l.account_id, l.title, l.replies_policy, l.exclusive";

/// All lists of an account (at most 50 exist), oldest first.
pub async fn of_account(ex: &mut Exec<'_>, account_id: i64) -> Result<Vec<ListRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM lists l WHERE l.account_id = $1 ORDER BY l.id");
    fetch_all(ex, &sql, &args![account_id]).await
}

pub async fn count(ex: &mut Exec<'_>, account_id: i64) -> Result<i64, sqlx::Error> {
    let row: (i64,) = fetch_one(
        ex,
        "SELECT COUNT(*) FROM lists WHERE account_id = $1",
        &args![account_id],
    )
    .await?;
    Ok(row.0)
}

/// A list owned by `account_id`.
pub async fn find(
    ex: &mut Exec<'_>,
    account_id: i64,
    id: i64,
) -> Result<Option<ListRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM lists l WHERE l.account_id = $1 AND l.id = $2");
    fetch_optional(ex, &sql, &args![account_id, id]).await
}

/// The lists of `account_id` that contain `member`.
pub async fn containing(
    ex: &mut Exec<'_>,
    account_id: i64,
    member: i64,
) -> Result<Vec<ListRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM lists l JOIN list_accounts la ON la.list_id = l.id \
         WHERE l.account_id = $1 AND la.account_id = $2 ORDER BY l.id"
    );
    fetch_all(ex, &sql, &args![account_id, member]).await
}

pub async fn insert(ex: &mut Exec<'_>, l: &ListRow, now: i64) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO lists (id, account_id, title, replies_policy, exclusive, created_at) VALUES ($1, $2, $3, $4, $5, $6)";
    execute(
        ex,
        sql,
        &args![
            l.id,
            l.account_id,
            &l.title,
            &l.replies_policy,
            l.exclusive,
            now
        ],
    )
    .await?;
    Ok(())
}

pub async fn update(ex: &mut Exec<'_>, l: &ListRow) -> Result<(), sqlx::Error> {
    let sql = "UPDATE lists SET title = $1, replies_policy = $2, exclusive = $3 WHERE id = $4";
    execute(
        ex,
        sql,
        &args![&l.title, &l.replies_policy, l.exclusive, l.id],
    )
    .await?;
    Ok(())
}

pub async fn delete(ex: &mut Exec<'_>, id: i64) -> Result<(), sqlx::Error> {
    execute(
        ex,
        "DELETE FROM list_accounts WHERE list_id = $1",
        &args![id],
    )
    .await?;
    execute(ex, "DELETE FROM lists WHERE id = $1", &args![id]).await?;
    Ok(())
}

pub async fn has_member(
    ex: &mut Exec<'_>,
    list_id: i64,
    account_id: i64,
) -> Result<bool, sqlx::Error> {
    let row: Option<(i64,)> = fetch_optional(
        ex,
        "SELECT id FROM list_accounts WHERE list_id = $1 AND account_id = $2",
        &args![list_id, account_id],
    )
    .await?;
    Ok(row.is_some())
}

pub async fn add_member(
    ex: &mut Exec<'_>,
    id: i64,
    list_id: i64,
    account_id: i64,
    follow_id: Option<i64>,
) -> Result<(), sqlx::Error> {
    let sql =
        "INSERT INTO list_accounts (id, list_id, account_id, follow_id) VALUES ($1, $2, $3, $4)";
    execute(ex, sql, &args![id, list_id, account_id, follow_id]).await?;
    Ok(())
}

pub async fn remove_members(
    ex: &mut Exec<'_>,
    list_id: i64,
    account_ids: &[i64],
) -> Result<(), sqlx::Error> {
    let sql = "DELETE FROM list_accounts WHERE list_id = $1 AND account_id IN ({list})";
    execute_in(ex, sql, args![list_id], account_ids).await?;
    Ok(())
}

/// A page of a list's members by account id descending, through the unique
/// `(list_id, account_id)` index; suspended accounts skipped. `usize::MAX` as the limit
/// reads them all.
pub async fn members_page(
    ex: &mut Exec<'_>,
    list_id: i64,
    cursor: &Cursor,
) -> Result<Vec<i64>, sqlx::Error> {
    let sql = "SELECT la.account_id FROM list_accounts la JOIN accounts a ON a.id = la.account_id \
               WHERE la.list_id = $1 AND la.account_id < $2 AND la.account_id > $3 AND a.suspended_at IS NULL \
               ORDER BY la.account_id DESC LIMIT $4";
    fetch_scalars(ex, sql, &owner_page_args(list_id, cursor)).await
}
