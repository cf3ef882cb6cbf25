//! `featured_tags` (hashtags featured on a profile) and the `tags` they point to.

use sqlx::FromRow;

use crate::db::Exec;
use crate::db::query::{args, execute, fetch_all, fetch_one, fetch_optional, fetch_scalars};

#[derive(Debug, Clone, FromRow)]
pub struct FeaturedTagRow {
    pub id: i64,
    pub account_id: i64,
    pub tag_id: i64,
    pub name: String,
    pub statuses_count: i64,
    pub last_status_at: Option<i64>,
}

const COLUMNS: &str = "id, account_id, tag_id, name, statuses_count, last_status_at";

/// An account's featured tags (at most 10), oldest first.
pub async fn of_account(
    ex: &mut Exec<'_>,
    account_id: i64,
) -> Result<Vec<FeaturedTagRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM featured_tags WHERE account_id = $1 ORDER BY id");
    fetch_all(ex, &sql, &args![account_id]).await
}

pub async fn find(
    ex: &mut Exec<'_>,
    account_id: i64,
    id: i64,
) -> Result<Option<FeaturedTagRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM featured_tags WHERE account_id = $1 AND id = $2");
    fetch_optional(ex, &sql, &args![account_id, id]).await
}

pub async fn delete(ex: &mut Exec<'_>, id: i64) -> Result<(), sqlx::Error> {
    execute(ex, "DELETE FROM featured_tags WHERE id = $1", &args![id]).await?;
    Ok(())
}

/// Public and unlisted statuses of `account_id` tagged with `tag_id`: count and latest time.
pub async fn usage(
    ex: &mut Exec<'_>,
    account_id: i64,
    tag_id: i64,
) -> Result<(i64, Option<i64>), sqlx::Error> {
    let sql = "SELECT COUNT(*), MAX(s.created_at) FROM statuses_tags st JOIN statuses s ON s.id = st.status_id \
               WHERE st.tag_id = $1 AND s.account_id = $2 AND s.visibility IN (0, 1) AND s.deleted_at IS NULL";
    fetch_one(ex, sql, &args![tag_id, account_id]).await
}

pub async fn insert(ex: &mut Exec<'_>, r: &FeaturedTagRow, now: i64) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO featured_tags (id, account_id, tag_id, name, statuses_count, last_status_at, created_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7)";
    execute(
        ex,
        sql,
        &args![
            r.id,
            r.account_id,
            r.tag_id,
            &r.name,
            r.statuses_count,
            r.last_status_at,
            now
        ],
    )
    .await?;
    Ok(())
}

/// Names of tags `account_id` used recently in its statuses and does not feature yet, most
/// recent first (through `(account_id, id)` on statuses; bounded to the latest 200 statuses).
pub async fn suggestions(
    ex: &mut Exec<'_>,
    account_id: i64,
    limit: i64,
) -> Result<Vec<String>, sqlx::Error> {
    let sql = "SELECT t.name FROM (SELECT id FROM statuses WHERE account_id = $1 AND deleted_at IS NULL \
               ORDER BY id DESC LIMIT 200) s JOIN statuses_tags st ON st.status_id = s.id JOIN tags t ON t.id = st.tag_id \
               WHERE NOT EXISTS (SELECT 1 FROM featured_tags f WHERE f.account_id = $1 AND f.tag_id = t.id) \
               GROUP BY t.id, t.name ORDER BY MAX(s.id) DESC LIMIT $2";
    fetch_scalars(ex, sql, &args![account_id, limit]).await
}

/// Daily use of a tag since `from` (ms, a day start): (day start, uses, distinct accounts).
/// Status ids are snowflakes, so `status_id >= from << 16` keeps it a range of the primary key.
pub async fn history(
    ex: &mut Exec<'_>,
    name: &str,
    from: i64,
) -> Result<Vec<(i64, i64, i64)>, sqlx::Error> {
    let sql = "SELECT (s.created_at / 86400000) * 86400000 AS day, COUNT(*), COUNT(DISTINCT s.account_id) \
               FROM tags t JOIN statuses_tags st ON st.tag_id = t.id JOIN statuses s ON s.id = st.status_id \
               WHERE t.name_lower = $1 AND st.status_id >= $3 AND s.created_at >= $2 AND s.deleted_at IS NULL \
               GROUP BY (s.created_at / 86400000) * 86400000";
    fetch_all(ex, sql, &args![name.to_lowercase(), from, from << 16]).await
}

/// A new public or unlisted status of `account_id` tagged with `tag_ids`: the matching featured
/// tags count it (upstream's `FeaturedTag#increment`).
pub async fn count_new_status(
    ex: &mut Exec<'_>,
    account_id: i64,
    tag_ids: &[i64],
    created_at: i64,
) -> Result<(), sqlx::Error> {
    for tag_id in tag_ids {
        let sql = "UPDATE featured_tags SET statuses_count = statuses_count + 1, last_status_at = $3 \
                   WHERE account_id = $1 AND tag_id = $2";
        execute(ex, sql, &args![account_id, *tag_id, created_at]).await?;
    }
    Ok(())
}

/// After a status of `account_id` tagged with `tag_ids` is gone: the matching featured tags'
/// count and latest time are computed again from what remains (upstream's `decrement`).
pub async fn recount(
    ex: &mut Exec<'_>,
    account_id: i64,
    tag_ids: &[i64],
) -> Result<(), sqlx::Error> {
    for tag_id in tag_ids {
        let (count, last) = usage(ex, account_id, *tag_id).await?;
        let sql = "UPDATE featured_tags SET statuses_count = $3, last_status_at = $4 \
                   WHERE account_id = $1 AND tag_id = $2";
        execute(ex, sql, &args![account_id, *tag_id, count, last]).await?;
    }
    Ok(())
}
