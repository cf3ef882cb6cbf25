//! `admin_action_logs`: the audit trail.

use sqlx::FromRow;

use crate::db::Exec;
use crate::db::query::rows::page_rows;
use crate::db::query::{Conditions, args, execute};
use crate::domain::admin_filters::LogFilter;
use crate::domain::page::Cursor;

#[derive(Debug, Clone, FromRow)]
pub struct ActionLogRow {
    pub id: i64,
    pub account_id: Option<i64>,
    pub action: String,
    pub target_type: String,
    pub target_id: i64,
    pub target_account_id: Option<i64>,
    pub human_identifier: Option<String>,
    pub text: String,
    pub created_at: i64,
}

pub async fn insert(ex: &mut Exec<'_>, r: &ActionLogRow) -> Result<(), sqlx::Error> {
    execute(
        ex,
        "INSERT INTO admin_action_logs (id, account_id, action, target_type, target_id, \
         target_account_id, human_identifier, text, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        &args![
            r.id,
            r.account_id,
            &r.action,
            &r.target_type,
            r.target_id,
            r.target_account_id,
            &r.human_identifier,
            &r.text,
            r.created_at
        ],
    )
    .await?;
    Ok(())
}

pub async fn list(
    ex: &mut Exec<'_>,
    f: &LogFilter,
    cursor: &Cursor,
) -> Result<Vec<ActionLogRow>, sqlx::Error> {
    let mut conds = Conditions::default();
    conds.eq_some("account_id", f.account_id);
    conds.eq_some("target_account_id", f.target_account_id);
    conds.eq_some("action", f.action.as_deref());
    page_rows(ex, "admin_action_logs", conds, cursor).await
}
