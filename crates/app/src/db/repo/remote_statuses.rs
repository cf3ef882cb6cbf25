//! Statuses across servers: remote statuses stored by their ActivityPub id (`statuses.uri`,
//! unique since migration 0028), their attachments as remote URLs, and the lists the
//! federation collections page through (followers' and followings' actor ids).

use crate::db::Exec;
use crate::db::query::{args, execute, fetch_optional, fetch_scalars};
use crate::db::repo::statuses::{COLUMNS, StatusRow};

/// A status (not deleted) by its ActivityPub id.
pub async fn find_by_uri(ex: &mut Exec<'_>, uri: &str) -> Result<Option<StatusRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM statuses s WHERE s.uri = $1 AND s.deleted_at IS NULL");
    fetch_optional(ex, &sql, &args![uri]).await
}

/// What an Update of a remote note may change.
#[derive(Debug, Clone)]
pub struct RemoteEdit<'a> {
    pub content_html: &'a str,
    pub spoiler_text: &'a str,
    pub sensitive: bool,
    pub language: Option<&'a str>,
    pub edited_at: i64,
}

pub async fn update(ex: &mut Exec<'_>, id: i64, e: &RemoteEdit<'_>) -> Result<u64, sqlx::Error> {
    let sql = "UPDATE statuses SET content_html = $2, spoiler_text = $3, sensitive = $4, language = $5, \
               edited_at = $6, updated_at = $6 WHERE id = $1";
    execute(
        ex,
        sql,
        &args![
            id,
            e.content_html,
            e.spoiler_text,
            e.sensitive,
            e.language,
            e.edited_at
        ],
    )
    .await
}

/// A remote attachment, kept as its URL.
#[derive(Debug, Clone)]
pub struct RemoteMedia<'a> {
    pub id: i64,
    pub account_id: i64,
    pub status_id: i64,
    /// upstream's enum: 0 image, 1 gifv, 2 video, 3 unknown, 4 audio
    pub media_type: i64,
    pub content_type: Option<&'a str>,
    pub remote_url: &'a str,
    pub description: Option<&'a str>,
    pub blurhash: Option<&'a str>,
    pub now: i64,
}

pub async fn insert_media(ex: &mut Exec<'_>, m: &RemoteMedia<'_>) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO media_attachments (id, account_id, status_id, media_type, content_type, remote_url, \
               description, blurhash, meta, created_at, updated_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '{}', $9, $9)";
    execute(
        ex,
        sql,
        &args![
            m.id,
            m.account_id,
            m.status_id,
            m.media_type,
            m.content_type,
            m.remote_url,
            m.description,
            m.blurhash,
            m.now
        ],
    )
    .await?;
    Ok(())
}

/// One page (newest first, `offset` rows in) of the actor ids following `account_id`
/// (`followers`) or followed by it, suspended accounts left out, as upstream's
/// `FollowerAccountsController`.
pub async fn graph_page(
    ex: &mut Exec<'_>,
    account_id: i64,
    followers: bool,
    offset: i64,
    limit: i64,
) -> Result<Vec<String>, sqlx::Error> {
    let sql = if followers {
        "SELECT a.uri FROM follows f JOIN accounts a ON a.id = f.account_id \
         WHERE f.target_account_id = $1 AND a.suspended_at IS NULL AND a.deleted_at IS NULL \
         ORDER BY f.id DESC LIMIT $2 OFFSET $3"
    } else {
        "SELECT a.uri FROM follows f JOIN accounts a ON a.id = f.target_account_id \
         WHERE f.account_id = $1 AND a.suspended_at IS NULL AND a.deleted_at IS NULL \
         ORDER BY f.id DESC LIMIT $2 OFFSET $3"
    };
    fetch_scalars(ex, sql, &args![account_id, limit, offset]).await
}

/// Does any local account follow `account_id`?
pub async fn followed_locally(ex: &mut Exec<'_>, account_id: i64) -> Result<bool, sqlx::Error> {
    let sql = "SELECT f.id FROM follows f JOIN accounts a ON a.id = f.account_id \
               WHERE f.target_account_id = $1 AND a.domain IS NULL LIMIT 1";
    let row: Vec<i64> = fetch_scalars(ex, sql, &args![account_id]).await?;
    Ok(!row.is_empty())
}
