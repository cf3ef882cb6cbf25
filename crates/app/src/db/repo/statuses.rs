//! The `statuses` table: rows, counters, reblogs, pins, mentions and the visibility facts
//! (follows, blocks, mutes, mentions) the status rules need.

mod page;
mod visibility;

pub use page::{AccountFilter, Audience, account_page, account_page_sql};
pub use visibility::{Facts, blocks, excluded, facts};

use sqlx::FromRow;

use crate::db::Exec;
use crate::db::query::rows::{fetch_in, scalars_in};
use crate::db::query::{Args, args, execute, fetch_all, fetch_one, fetch_optional};

#[derive(Debug, Clone, FromRow)]
pub struct StatusRow {
    pub id: i64,
    pub account_id: i64,
    pub uri: Option<String>,
    pub url: Option<String>,
    pub text: String,
    pub content_html: String,
    pub spoiler_text: String,
    pub visibility: i64,
    pub sensitive: bool,
    pub language: Option<String>,
    pub in_reply_to_id: Option<i64>,
    pub in_reply_to_account_id: Option<i64>,
    pub reblog_of_id: Option<i64>,
    pub application_id: Option<i64>,
    pub has_media: bool,
    pub replies_count: i64,
    pub reblogs_count: i64,
    pub favourites_count: i64,
    pub edited_at: Option<i64>,
    pub created_at: i64,
}

pub(crate) const COLUMNS: &str = "s.id, s.account_id, s.uri, s.url, s.text, s.content_html, s.spoiler_text, \
    s.visibility, s.sensitive, s.language, s.in_reply_to_id, s.in_reply_to_account_id, s.reblog_of_id, \
    s.application_id, s.has_media, s.replies_count, s.reblogs_count, s.favourites_count, s.edited_at, s.created_at";

/// A new status as the services build it: a local post or reblog (no `uri`: its ActivityPub
/// id is derived from `id`), or a remote one as an inbound activity gives it.
#[derive(Debug, Clone)]
pub struct NewStatus<'a> {
    pub id: i64,
    pub account_id: i64,
    /// The ActivityPub id of a remote status (unique); `None` for a local one.
    pub uri: Option<&'a str>,
    pub url: Option<&'a str>,
    pub text: &'a str,
    pub content_html: &'a str,
    pub spoiler_text: &'a str,
    pub visibility: i64,
    pub sensitive: bool,
    pub language: Option<&'a str>,
    pub in_reply_to_id: Option<i64>,
    pub in_reply_to_account_id: Option<i64>,
    pub reblog_of_id: Option<i64>,
    pub application_id: Option<i64>,
    pub has_media: bool,
    /// When it was posted: `now` for a local status, the note's `published` for a remote one.
    pub created_at: i64,
    pub now: i64,
}

/// Inserts the status unless one with its `uri` exists (only a remote status has one); true
/// when inserted.
pub async fn insert(ex: &mut Exec<'_>, s: &NewStatus<'_>) -> Result<bool, sqlx::Error> {
    let sql = "INSERT INTO statuses (id, account_id, uri, url, text, content_html, spoiler_text, visibility, \
               sensitive, language, in_reply_to_id, in_reply_to_account_id, reblog_of_id, application_id, \
               has_media, created_at, updated_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) \
               ON CONFLICT (uri) DO NOTHING";
    let n = execute(
        ex,
        sql,
        &args![
            s.id,
            s.account_id,
            s.uri,
            s.url,
            s.text,
            s.content_html,
            s.spoiler_text,
            s.visibility,
            s.sensitive,
            s.language,
            s.in_reply_to_id,
            s.in_reply_to_account_id,
            s.reblog_of_id,
            s.application_id,
            s.has_media,
            s.created_at,
            s.now
        ],
    )
    .await?;
    Ok(n == 1)
}

/// A status that is not deleted.
pub async fn find(ex: &mut Exec<'_>, id: i64) -> Result<Option<StatusRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM statuses s WHERE s.id = $1 AND s.deleted_at IS NULL");
    fetch_optional(ex, &sql, &args![id]).await
}

/// The statuses of `ids` (any order; deleted ones skipped).
pub async fn find_many(ex: &mut Exec<'_>, ids: &[i64]) -> Result<Vec<StatusRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM statuses s WHERE s.id IN ({{list}}) AND s.deleted_at IS NULL"
    );
    fetch_in(ex, &sql, Args::new(), ids).await
}

/// `account_id`'s reblog of `original`, if any.
pub async fn find_reblog(
    ex: &mut Exec<'_>,
    account_id: i64,
    original: i64,
) -> Result<Option<StatusRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM statuses s WHERE s.account_id = $1 AND s.reblog_of_id = $2 AND s.deleted_at IS NULL"
    );
    fetch_optional(ex, &sql, &args![account_id, original]).await
}

/// Ids (and authors) of the reblogs of a status, for deleting them with it.
pub async fn reblogs_of(
    ex: &mut Exec<'_>,
    original: i64,
) -> Result<Vec<(i64, i64, i64)>, sqlx::Error> {
    let sql = "SELECT id, account_id, visibility FROM statuses WHERE reblog_of_id = $1 AND deleted_at IS NULL";
    fetch_all(ex, sql, &args![original]).await
}

pub async fn delete(ex: &mut Exec<'_>, id: i64) -> Result<u64, sqlx::Error> {
    let sql = "DELETE FROM statuses WHERE id = $1";
    execute(ex, sql, &args![id]).await
}

/// Adds `delta` to the author's `statuses_count`; a positive delta also sets `last_status_at`.
pub async fn bump_account(
    ex: &mut Exec<'_>,
    account_id: i64,
    delta: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    if delta > 0 {
        let sql = "UPDATE accounts SET statuses_count = statuses_count + $2, last_status_at = $3 WHERE id = $1";
        execute(ex, sql, &args![account_id, delta, now]).await?;
    } else {
        let sql = "UPDATE accounts SET statuses_count = CASE WHEN statuses_count + $2 < 0 THEN 0 \
                   ELSE statuses_count + $2 END WHERE id = $1";
        execute(ex, sql, &args![account_id, delta]).await?;
    }
    Ok(())
}

/// Which counter of a status to move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counter {
    Replies,
    Reblogs,
}

pub async fn bump_counter(
    ex: &mut Exec<'_>,
    id: i64,
    counter: Counter,
    delta: i64,
) -> Result<(), sqlx::Error> {
    let sql = match counter {
        Counter::Replies => {
            "UPDATE statuses SET replies_count = CASE WHEN replies_count + $2 < 0 THEN 0 ELSE replies_count + $2 END WHERE id = $1"
        }
        Counter::Reblogs => {
            "UPDATE statuses SET reblogs_count = CASE WHEN reblogs_count + $2 < 0 THEN 0 ELSE reblogs_count + $2 END WHERE id = $1"
        }
    };
    execute(ex, sql, &args![id, delta]).await?;
    Ok(())
}

pub async fn insert_mention(
    ex: &mut Exec<'_>,
    id: i64,
    status_id: i64,
    account_id: i64,
) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO mentions (id, status_id, account_id, silent) VALUES ($1, $2, $3, FALSE) \
               ON CONFLICT (account_id, status_id) DO NOTHING";
    execute(ex, sql, &args![id, status_id, account_id]).await?;
    Ok(())
}

/// `(status_id, account_id)` of the mentions of `status_ids`, in mention order.
pub async fn mentions_of(
    ex: &mut Exec<'_>,
    status_ids: &[i64],
) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    let sql = "SELECT status_id, account_id FROM mentions WHERE status_id IN ({list}) AND silent = FALSE ORDER BY id";
    fetch_in(ex, sql, Args::new(), status_ids).await
}

pub async fn mentions(
    ex: &mut Exec<'_>,
    status_id: i64,
    account_id: i64,
) -> Result<bool, sqlx::Error> {
    let sql = "SELECT id FROM mentions WHERE account_id = $1 AND status_id = $2";
    let row: Option<(i64,)> = fetch_optional(ex, sql, &args![account_id, status_id]).await?;
    Ok(row.is_some())
}

/// The ids among `originals` that `viewer` has reblogged.
pub async fn reblogged_by(
    ex: &mut Exec<'_>,
    viewer: i64,
    originals: &[i64],
) -> Result<Vec<i64>, sqlx::Error> {
    let sql = "SELECT reblog_of_id FROM statuses WHERE account_id = $1 AND reblog_of_id IN ({list}) AND deleted_at IS NULL";
    scalars_in(ex, sql, args![viewer], originals).await
}

/// The ids among `ids` that `account_id` has pinned.
pub async fn pinned_among(
    ex: &mut Exec<'_>,
    account_id: i64,
    ids: &[i64],
) -> Result<Vec<i64>, sqlx::Error> {
    let sql = "SELECT status_id FROM status_pins WHERE account_id = $1 AND status_id IN ({list})";
    scalars_in(ex, sql, args![account_id], ids).await
}

pub async fn pin_count(ex: &mut Exec<'_>, account_id: i64) -> Result<i64, sqlx::Error> {
    // At most a handful of rows per account (the pin limit), through the unique index.
    let sql = "SELECT COUNT(*) FROM status_pins WHERE account_id = $1";
    let row: (i64,) = fetch_one(ex, sql, &args![account_id]).await?;
    Ok(row.0)
}

pub async fn insert_pin(
    ex: &mut Exec<'_>,
    id: i64,
    account_id: i64,
    status_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    let sql =
        "INSERT INTO status_pins (id, account_id, status_id, created_at) VALUES ($1, $2, $3, $4)";
    execute(ex, sql, &args![id, account_id, status_id, now]).await?;
    Ok(())
}

pub async fn delete_pin(
    ex: &mut Exec<'_>,
    account_id: i64,
    status_id: i64,
) -> Result<u64, sqlx::Error> {
    let sql = "DELETE FROM status_pins WHERE account_id = $1 AND status_id = $2";
    execute(ex, sql, &args![account_id, status_id]).await
}

/// A notification about a status (`mention`, `reblog`).
pub async fn notify(
    ex: &mut Exec<'_>,
    id: i64,
    (account_id, from_account_id): (i64, i64),
    kind: &str,
    status_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO notifications (id, account_id, from_account_id, type, status_id, created_at) \
               VALUES ($1, $2, $3, $4, $5, $6)";
    execute(
        ex,
        sql,
        &args![id, account_id, from_account_id, kind, status_id, now],
    )
    .await?;
    Ok(())
}

/// `(name, website)` of applications by id.
pub async fn applications(
    ex: &mut Exec<'_>,
    ids: &[i64],
) -> Result<Vec<(i64, String, Option<String>)>, sqlx::Error> {
    let sql = "SELECT id, name, website FROM oauth_applications WHERE id IN ({list})";
    fetch_in(ex, sql, Args::new(), ids).await
}
