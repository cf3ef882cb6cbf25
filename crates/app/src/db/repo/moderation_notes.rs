//! `account_moderation_notes`: staff notes about an account.

use sqlx::FromRow;

use crate::db::Exec;
use crate::on;

#[derive(Debug, Clone, FromRow)]
pub struct NoteRow {
    pub id: i64,
    pub account_id: i64,
    pub target_account_id: i64,
    pub content: String,
    pub created_at: i64,
}

pub async fn insert(ex: &mut Exec<'_>, n: &NoteRow) -> Result<(), sqlx::Error> {
    on!(ex, c => sqlx::query(
        "INSERT INTO account_moderation_notes (id, account_id, target_account_id, content, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5)",
    )
    .bind(n.id)
    .bind(n.account_id)
    .bind(n.target_account_id)
    .bind(&n.content)
    .bind(n.created_at)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn find(ex: &mut Exec<'_>, id: i64) -> Result<Option<NoteRow>, sqlx::Error> {
    on!(ex, c => sqlx::query_as(
        "SELECT id, account_id, target_account_id, content, created_at FROM account_moderation_notes WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(c)
    .await)
}

/// The newest `limit` notes about `target_account_id`.
pub async fn for_target(
    ex: &mut Exec<'_>,
    target_account_id: i64,
    limit: i64,
) -> Result<Vec<NoteRow>, sqlx::Error> {
    on!(ex, c => sqlx::query_as(
        "SELECT id, account_id, target_account_id, content, created_at FROM account_moderation_notes \
         WHERE target_account_id = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(target_account_id)
    .bind(limit)
    .fetch_all(c)
    .await)
}

pub async fn delete(ex: &mut Exec<'_>, id: i64) -> Result<(), sqlx::Error> {
    on!(ex, c => sqlx::query("DELETE FROM account_moderation_notes WHERE id = $1")
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}
