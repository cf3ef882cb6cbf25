//! `media_attachments`: uploads of local accounts, attached to at most one status.

use sqlx::FromRow;

use crate::db::Exec;
use crate::db::query::rows::fetch_in;
use crate::db::query::{Args, args, execute, fetch_all, fetch_optional};

#[derive(Debug, Clone, FromRow)]
pub struct MediaRow {
    pub id: i64,
    pub account_id: Option<i64>,
    pub status_id: Option<i64>,
    pub media_type: i64,
    pub file_key: Option<String>,
    pub preview_key: Option<String>,
    pub content_type: Option<String>,
    pub description: Option<String>,
    pub blurhash: Option<String>,
    pub meta: String,
    pub remote_url: Option<String>,
    pub created_at: i64,
}

const COLUMNS: &str = "id, account_id, status_id, media_type, file_key, preview_key, content_type, \
    description, blurhash, meta, remote_url, created_at";

/// A new local image attachment.
#[derive(Debug, Clone)]
pub struct NewMedia<'a> {
    pub id: i64,
    pub account_id: i64,
    pub file_key: &'a str,
    pub preview_key: &'a str,
    pub content_type: &'a str,
    pub description: Option<&'a str>,
    pub blurhash: &'a str,
    pub meta: &'a str,
    pub now: i64,
}

pub async fn insert(ex: &mut Exec<'_>, m: &NewMedia<'_>) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO media_attachments (id, account_id, media_type, file_key, preview_key, content_type, \
               description, blurhash, meta, created_at, updated_at) \
               VALUES ($1, $2, 0, $3, $4, $5, $6, $7, $8, $9, $9)";
    execute(
        ex,
        sql,
        &args![
            m.id,
            m.account_id,
            m.file_key,
            m.preview_key,
            m.content_type,
            m.description,
            m.blurhash,
            m.meta,
            m.now
        ],
    )
    .await?;
    Ok(())
}

/// An attachment owned by `account_id`.
pub async fn find_own(
    ex: &mut Exec<'_>,
    account_id: i64,
    id: i64,
) -> Result<Option<MediaRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM media_attachments WHERE id = $1 AND account_id = $2");
    fetch_optional(ex, &sql, &args![id, account_id]).await
}

pub async fn update(
    ex: &mut Exec<'_>,
    id: i64,
    description: Option<&str>,
    meta: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    let sql =
        "UPDATE media_attachments SET description = $2, meta = $3, updated_at = $4 WHERE id = $1";
    execute(ex, sql, &args![id, description, meta, now]).await?;
    Ok(())
}

/// The unattached attachments of `account_id` among `ids`.
pub async fn unattached(
    ex: &mut Exec<'_>,
    account_id: i64,
    ids: &[i64],
) -> Result<Vec<MediaRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM media_attachments WHERE account_id = $1 AND status_id IS NULL AND id IN ({{list}})"
    );
    fetch_in(ex, &sql, args![account_id], ids).await
}

/// Attaches an attachment to a status, if still unattached; the number of rows changed.
pub async fn attach(ex: &mut Exec<'_>, id: i64, status_id: i64) -> Result<u64, sqlx::Error> {
    let sql = "UPDATE media_attachments SET status_id = $2 WHERE id = $1 AND status_id IS NULL";
    execute(ex, sql, &args![id, status_id]).await
}

/// The attachments of `status_ids`, in upload order.
pub async fn of_statuses(
    ex: &mut Exec<'_>,
    status_ids: &[i64],
) -> Result<Vec<MediaRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM media_attachments WHERE status_id IN ({{list}}) ORDER BY id"
    );
    fetch_in(ex, &sql, Args::new(), status_ids).await
}

/// Deletes the attachments of a status; returns their stored keys.
pub async fn delete_of_status(
    ex: &mut Exec<'_>,
    status_id: i64,
) -> Result<Vec<String>, sqlx::Error> {
    let sql = "DELETE FROM media_attachments WHERE status_id = $1 RETURNING file_key, preview_key";
    let rows: Vec<(Option<String>, Option<String>)> = fetch_all(ex, sql, &args![status_id]).await?;
    Ok(rows
        .into_iter()
        .flat_map(|(a, b)| [a, b])
        .flatten()
        .collect())
}

/// Detaches the attachments of a status (kept for a re-draft, as upstream).
pub async fn detach_from_status(ex: &mut Exec<'_>, status_id: i64) -> Result<(), sqlx::Error> {
    let sql = "UPDATE media_attachments SET status_id = NULL WHERE status_id = $1";
    execute(ex, sql, &args![status_id]).await?;
    Ok(())
}
