//! `reports`.

use sqlx::FromRow;

use crate::db::Exec;
use crate::db::query::rows::scalars_in;
use crate::db::query::rows::{page_rows, rows_by_id};
use crate::db::query::{Conditions, args, execute, fetch_all, fetch_optional};
use crate::domain::admin_filters::{ReportFilter, TargetOrigin};
use crate::domain::page::Cursor;

#[derive(Debug, Clone, FromRow)]
pub struct ReportRow {
    pub id: i64,
    pub account_id: i64,
    pub target_account_id: i64,
    pub status_ids: String,
    pub rule_ids: String,
    pub comment: String,
    pub forwarded: bool,
    pub category: String,
    pub action_taken_at: Option<i64>,
    pub action_taken_by_account_id: Option<i64>,
    pub assigned_account_id: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

pub async fn insert(ex: &mut Exec<'_>, r: &ReportRow) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO reports (id, account_id, target_account_id, status_ids, rule_ids, comment, \
         forwarded, category, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)";
    execute(
        ex,
        sql,
        &args![
            r.id,
            r.account_id,
            r.target_account_id,
            &r.status_ids,
            &r.rule_ids,
            &r.comment,
            r.forwarded,
            &r.category,
            r.created_at
        ],
    )
    .await?;
    Ok(())
}

pub async fn find(ex: &mut Exec<'_>, id: i64) -> Result<Option<ReportRow>, sqlx::Error> {
    let sql = "SELECT * FROM reports WHERE id = $1";
    fetch_optional(ex, sql, &args![id]).await
}

/// The reports with these ids (any order).
pub async fn find_many(ex: &mut Exec<'_>, ids: &[i64]) -> Result<Vec<ReportRow>, sqlx::Error> {
    rows_by_id(ex, "reports", ids).await
}

pub async fn list(
    ex: &mut Exec<'_>,
    f: &ReportFilter,
    cursor: &Cursor,
) -> Result<Vec<ReportRow>, sqlx::Error> {
    let mut conds = Conditions::default();
    conds.push(if f.resolved {
        "action_taken_at IS NOT NULL"
    } else {
        "action_taken_at IS NULL"
    });
    conds.eq_some("account_id", f.account_id);
    conds.eq_some("target_account_id", f.target_account_id);
    match f.target_origin {
        Some(TargetOrigin::Local) => {
            conds.push("target_account_id IN (SELECT id FROM accounts WHERE domain IS NULL)")
        }
        Some(TargetOrigin::Remote) => {
            conds.push("target_account_id IN (SELECT id FROM accounts WHERE domain IS NOT NULL)")
        }
        None => {}
    }
    page_rows(ex, "reports", conds, cursor).await
}

/// Unresolved reports against an account (bounded: the moderation queue of one account).
pub async fn unresolved_against(
    ex: &mut Exec<'_>,
    target_account_id: i64,
) -> Result<Vec<ReportRow>, sqlx::Error> {
    let sql = "SELECT * FROM reports WHERE target_account_id = $1 AND action_taken_at IS NULL ORDER BY id LIMIT 1000";
    fetch_all(ex, sql, &args![target_account_id]).await
}

/// Whether another unresolved report against the same account exists.
pub async fn has_unresolved_sibling(
    ex: &mut Exec<'_>,
    target_account_id: i64,
    except_id: i64,
) -> Result<bool, sqlx::Error> {
    let sql = "SELECT id FROM reports WHERE target_account_id = $1 AND action_taken_at IS NULL AND id <> $2 LIMIT 1";
    let row: Option<(i64,)> = fetch_optional(ex, sql, &args![target_account_id, except_id]).await?;
    Ok(row.is_some())
}

pub async fn set_assigned(
    ex: &mut Exec<'_>,
    id: i64,
    assigned: Option<i64>,
    now: i64,
) -> Result<(), sqlx::Error> {
    execute(
        ex,
        "UPDATE reports SET assigned_account_id = $1, updated_at = $2 WHERE id = $3",
        &args![assigned, now, id],
    )
    .await?;
    Ok(())
}

/// Resolves (`Some(by)`) or reopens (`None`) a report.
pub async fn set_resolved(
    ex: &mut Exec<'_>,
    id: i64,
    by: Option<i64>,
    now: i64,
) -> Result<(), sqlx::Error> {
    let at = by.map(|_| now);
    let sql = "UPDATE reports SET action_taken_at = $1, action_taken_by_account_id = $2, updated_at = $3 WHERE id = $4";
    execute(ex, sql, &args![at, by, now, id]).await?;
    Ok(())
}

/// Which of `ids` are statuses of `account_id` (deleted ones included, as upstream).
pub async fn statuses_of(
    ex: &mut Exec<'_>,
    account_id: i64,
    ids: &[i64],
) -> Result<Vec<i64>, sqlx::Error> {
    let sql = "SELECT id FROM statuses WHERE account_id = $1 AND id IN ({list}) ORDER BY id";
    scalars_in(ex, sql, args![account_id], ids).await
}
