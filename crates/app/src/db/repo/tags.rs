//! `tags` (hashtags, by normalised name) and `statuses_tags`.

use crate::db::Exec;
use crate::db::query::rows::fetch_in;
use crate::db::query::{Args, args, execute, fetch_all, fetch_one, fetch_optional};

/// The id of the tag `name_lower`, creating it with the display `name` if new.
pub async fn find_or_create(
    ex: &mut Exec<'_>,
    id: i64,
    name: &str,
    now: i64,
) -> Result<i64, sqlx::Error> {
    let lower = name.to_lowercase();
    let sql = "INSERT INTO tags (id, name, name_lower, created_at) VALUES ($1, $2, $3, $4) \
               ON CONFLICT (name_lower) DO NOTHING";
    execute(ex, sql, &args![id, name, &lower, now]).await?;
    let row: (i64,) = fetch_one(
        ex,
        "SELECT id FROM tags WHERE name_lower = $1",
        &args![&lower],
    )
    .await?;
    Ok(row.0)
}

/// A tag id by its (already normalised) name.
pub async fn find_by_name(ex: &mut Exec<'_>, name_lower: &str) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(i64,)> = fetch_optional(
        ex,
        "SELECT id FROM tags WHERE name_lower = $1",
        &args![name_lower],
    )
    .await?;
    Ok(row.map(|r| r.0))
}

pub async fn link(ex: &mut Exec<'_>, status_id: i64, tag_id: i64) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO statuses_tags (status_id, tag_id) VALUES ($1, $2) ON CONFLICT (tag_id, status_id) DO NOTHING";
    execute(ex, sql, &args![status_id, tag_id]).await?;
    Ok(())
}

/// `(status_id, tag name)` of the tags of `status_ids`.
pub async fn of_statuses(
    ex: &mut Exec<'_>,
    status_ids: &[i64],
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let sql = "SELECT st.status_id, t.name FROM statuses_tags st JOIN tags t ON t.id = st.tag_id \
         WHERE st.status_id IN ({list}) ORDER BY t.name_lower";
    fetch_in(ex, sql, Args::new(), status_ids).await
}

/// The tag ids of one status.
pub async fn ids_of_status(ex: &mut Exec<'_>, status_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    let rows: Vec<(i64,)> = fetch_all(
        ex,
        "SELECT tag_id FROM statuses_tags WHERE status_id = $1",
        &args![status_id],
    )
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// A tag found by a name search.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TagRow {
    pub id: i64,
    pub name: String,
}

/// Tags whose normalised name starts with `prefix_lower`, shortest name first, then by
/// name (upstream's `Tag.search_for` without a search index).
pub async fn search_prefix(
    ex: &mut Exec<'_>,
    prefix_lower: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<TagRow>, sqlx::Error> {
    let escaped = prefix_lower
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    let pattern = format!("{escaped}%");
    let sql = "SELECT id, name FROM tags WHERE name_lower LIKE $1 ESCAPE '\\' \
               ORDER BY LENGTH(name_lower), name_lower LIMIT $2 OFFSET $3";
    fetch_all(ex, sql, &args![&pattern, limit, offset]).await
}

/// `(tag_id, status created_at, author)` of the statuses of `tag_ids` made since `since`
/// (milliseconds), for the tags' daily history.
pub async fn uses_since(
    ex: &mut Exec<'_>,
    tag_ids: &[i64],
    since: i64,
) -> Result<Vec<(i64, i64, i64)>, sqlx::Error> {
    let sql = "SELECT st.tag_id, s.created_at, s.account_id FROM statuses_tags st \
         JOIN statuses s ON s.id = st.status_id \
         WHERE st.tag_id IN ({list}) AND s.created_at >= $1";
    fetch_in(ex, sql, args![since], tag_ids).await
}
