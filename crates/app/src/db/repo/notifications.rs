//! `notifications` of local accounts.

use sqlx::FromRow;

use crate::db::Exec;
use crate::db::query::{args, execute, fetch_all, fetch_optional};
use crate::domain::page::Cursor;

#[derive(Debug, Clone, FromRow)]
pub struct NotificationRow {
    pub id: i64,
    pub account_id: i64,
    pub from_account_id: i64,
    #[sqlx(rename = "type")]
    pub kind: String,
    pub status_id: Option<i64>,
    pub report_id: Option<i64>,
    pub account_warning_id: Option<i64>,
    pub created_at: i64,
}

const COLUMNS: &str = "n.id, n.account_id, n.from_account_id, n.type, n.status_id, n.report_id, \
     n.account_warning_id, n.created_at";

pub async fn insert(
    ex: &mut Exec<'_>,
    id: i64,
    account_id: i64,
    from_account_id: i64,
    kind: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO notifications (id, account_id, from_account_id, type, created_at) VALUES ($1, $2, $3, $4, $5)";
    execute(ex, sql, &args![id, account_id, from_account_id, kind, now]).await?;
    Ok(())
}

/// Filters and cursors of a notifications page.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub types: Vec<String>,
    pub from_account_id: Option<i64>,
    pub cursor: Cursor,
}

/// A page of `account_id`'s notifications (from non-suspended accounts) through
/// `(account_id, id)`: newest first, or the ones right after `min_id` when given.
pub async fn page(
    ex: &mut Exec<'_>,
    account_id: i64,
    q: &Query,
) -> Result<Vec<NotificationRow>, sqlx::Error> {
    if q.types.is_empty() {
        return Ok(Vec::new());
    }
    let ascending = q.cursor.min_id.is_some();
    let upper = q.cursor.max_id.unwrap_or(i64::MAX);
    let lower = q.cursor.min_id.or(q.cursor.since_id).unwrap_or(i64::MIN);
    let mut args = args![account_id, upper, lower, q.cursor.limit_i64()];
    let mut sql = format!(
        "SELECT {COLUMNS} FROM notifications n JOIN accounts a ON a.id = n.from_account_id \
         WHERE n.account_id = $1 AND n.id < $2 AND n.id > $3 AND a.suspended_at IS NULL \
         AND n.type IN ({})",
        args.list(&q.types)
    );
    if let Some(from) = q.from_account_id {
        sql.push_str(&format!(" AND n.from_account_id = {}", args.push(from)));
    }
    sql.push_str(if ascending {
        " ORDER BY n.id ASC LIMIT $4"
    } else {
        " ORDER BY n.id DESC LIMIT $4"
    });
    let mut rows: Vec<NotificationRow> = fetch_all(ex, &sql, &args).await?;
    if ascending {
        rows.reverse();
    }
    Ok(rows)
}

/// One notification of `account_id`; `visible_only` skips those from suspended accounts.
pub async fn find(
    ex: &mut Exec<'_>,
    account_id: i64,
    id: i64,
    visible_only: bool,
) -> Result<Option<NotificationRow>, sqlx::Error> {
    let extra = if visible_only {
        " AND a.suspended_at IS NULL"
    } else {
        ""
    };
    let sql = format!(
        "SELECT {COLUMNS} FROM notifications n JOIN accounts a ON a.id = n.from_account_id \
         WHERE n.account_id = $1 AND n.id = $2{extra}"
    );
    fetch_optional(ex, &sql, &args![account_id, id]).await
}

pub async fn delete(ex: &mut Exec<'_>, account_id: i64, id: i64) -> Result<bool, sqlx::Error> {
    let sql = "DELETE FROM notifications WHERE account_id = $1 AND id = $2";
    let n = execute(ex, sql, &args![account_id, id]).await?;
    Ok(n > 0)
}

pub async fn clear(ex: &mut Exec<'_>, account_id: i64) -> Result<(), sqlx::Error> {
    let sql = "DELETE FROM notifications WHERE account_id = $1";
    execute(ex, sql, &args![account_id]).await?;
    Ok(())
}

/// Removes the notification a follow or follow request made (`kind` = `follow` or
/// `follow_request`), when that follow or request goes away, as upstream's dependent destroy.
pub async fn delete_activity(
    ex: &mut Exec<'_>,
    account_id: i64,
    from: i64,
    kind: &str,
) -> Result<(), sqlx::Error> {
    let sql =
        "DELETE FROM notifications WHERE account_id = $1 AND from_account_id = $2 AND type = $3";
    execute(ex, sql, &args![account_id, from, kind]).await?;
    Ok(())
}
