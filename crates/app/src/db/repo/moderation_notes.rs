//! `account_moderation_notes`: staff notes about an account.

use sqlx::FromRow;

use crate::db::Exec;
use crate::db::query::{args, execute, fetch_all, fetch_optional};

#[derive(Debug, Clone, FromRow)]
pub struct NoteRow {
    pub id: i64,
    pub account_id: i64,
    pub target_account_id: i64,
    pub content: String,
    pub created_at: i64,
}

const COLUMNS: &str = "id, account_id, target_account_id, content, created_at";

pub async fn insert(ex: &mut Exec<'_>, n: &NoteRow) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO account_moderation_notes (id, account_id, target_account_id, content, created_at, updated_at) \
               VALUES ($1, $2, $3, $4, $5, $5)";
    execute(
        ex,
        sql,
        &args![
            n.id,
            n.account_id,
            n.target_account_id,
            n.content.as_str(),
            n.created_at
        ],
    )
    .await?;
    Ok(())
}

pub async fn find(ex: &mut Exec<'_>, id: i64) -> Result<Option<NoteRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM account_moderation_notes WHERE id = $1");
    fetch_optional(ex, &sql, &args![id]).await
}

/// The newest `limit` notes about `target_account_id`.
pub async fn for_target(
    ex: &mut Exec<'_>,
    target_account_id: i64,
    limit: i64,
) -> Result<Vec<NoteRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM account_moderation_notes WHERE target_account_id = $1 ORDER BY id DESC LIMIT $2"
    );
    fetch_all(ex, &sql, &args![target_account_id, limit]).await
}

pub async fn delete(ex: &mut Exec<'_>, id: i64) -> Result<(), sqlx::Error> {
    execute(
        ex,
        "DELETE FROM account_moderation_notes WHERE id = $1",
        &args![id],
    )
    .await?;
    Ok(())
}
