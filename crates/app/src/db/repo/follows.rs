//! `follows` and `follow_requests`. Every change of a follow row updates both accounts'
//! `followers_count` / `following_count` in the same statement batch (the caller's transaction).

use sqlx::FromRow;

use crate::db::sqlite_reads::query_rows;
use crate::db::{Db, Exec};
use crate::on;

/// Which of the two tables: a follow or a pending follow request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowKind {
    Follow,
    Request,
}

impl FollowKind {
    fn table(self) -> &'static str {
        match self {
            Self::Follow => "follows",
            Self::Request => "follow_requests",
        }
    }
}

/// A follow or a follow request (same columns).
#[derive(Debug, Clone, FromRow)]
pub struct FollowRow {
    pub id: i64,
    pub account_id: i64,
    pub target_account_id: i64,
    pub show_reblogs: bool,
    pub notify: bool,
    /// JSON array of ISO 639 codes; NULL for all languages.
    pub languages: Option<String>,
    pub created_at: i64,
}

const COLUMNS: &str =
    "id, account_id, target_account_id, show_reblogs, notify, languages, created_at";

pub async fn find(
    ex: &mut Exec<'_>,
    kind: FollowKind,
    account_id: i64,
    target_account_id: i64,
) -> Result<Option<FollowRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM {} WHERE account_id = $1 AND target_account_id = $2",
        kind.table()
    );
    on!(ex, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(account_id)
        .bind(target_account_id)
        .fetch_optional(c)
        .await)
}

/// Inserts a follow or request from `row` (its id and times included). A follow also bumps
/// the two counters. False when the pair already has a row: a concurrent request made it
/// first (PostgreSQL's read-committed transactions both saw none), which is no error.
pub async fn insert(
    ex: &mut Exec<'_>,
    kind: FollowKind,
    row: &FollowRow,
) -> Result<bool, sqlx::Error> {
    let sql = format!(
        "INSERT INTO {} (id, account_id, target_account_id, show_reblogs, notify, languages, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (account_id, target_account_id) DO NOTHING",
        kind.table()
    );
    let inserted = on!(ex, c => sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(row.id)
        .bind(row.account_id)
        .bind(row.target_account_id)
        .bind(row.show_reblogs)
        .bind(row.notify)
        .bind(row.languages.as_deref())
        .bind(row.created_at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?
        == 1;
    if inserted && kind == FollowKind::Follow {
        adjust_counters(ex, row.account_id, row.target_account_id, 1).await?;
    }
    Ok(inserted)
}

/// Stores new options (reblogs, notify, languages) on an existing row.
pub async fn update_options(
    ex: &mut Exec<'_>,
    kind: FollowKind,
    row: &FollowRow,
) -> Result<(), sqlx::Error> {
    let sql = format!(
        "UPDATE {} SET show_reblogs = $1, notify = $2, languages = $3 WHERE id = $4",
        kind.table()
    );
    on!(ex, c => sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(row.show_reblogs)
        .bind(row.notify)
        .bind(row.languages.as_deref())
        .bind(row.id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Deletes the row from `account_id` to `target_account_id`; true if there was one. Deleting a
/// follow lowers the two counters.
pub async fn delete(
    ex: &mut Exec<'_>,
    kind: FollowKind,
    account_id: i64,
    target_account_id: i64,
) -> Result<bool, sqlx::Error> {
    let sql = format!(
        "DELETE FROM {} WHERE account_id = $1 AND target_account_id = $2",
        kind.table()
    );
    let n = on!(ex, c => sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(account_id)
        .bind(target_account_id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if n > 0 && kind == FollowKind::Follow {
        adjust_counters(ex, account_id, target_account_id, -1).await?;
    }
    Ok(n > 0)
}

async fn adjust_counters(
    ex: &mut Exec<'_>,
    account_id: i64,
    target_account_id: i64,
    delta: i64,
) -> Result<(), sqlx::Error> {
    let following = "UPDATE accounts SET following_count = following_count + $1 WHERE id = $2";
    on!(ex, c => sqlx::query(following).bind(delta).bind(account_id).execute(c).await.map(|r| r.rows_affected()))?;
    let followers = "UPDATE accounts SET followers_count = followers_count + $1 WHERE id = $2";
    on!(ex, c => sqlx::query(followers).bind(delta).bind(target_account_id).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// One page of a collection: (cursor id, account id) pairs, newest first.
pub type PageRows = Vec<(i64, i64)>;

/// Which side of the follow graph a page lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Accounts following the target (`follows.target_account_id = target`).
    Followers,
    /// Accounts the target follows (`follows.account_id = target`).
    Following,
    /// Accounts with a pending request to the target.
    Requesters,
}

/// The cursors of one page: follow-row ids, exclusive bounds.
#[derive(Debug, Clone, Copy, Default)]
pub struct Cursor {
    pub max_id: Option<i64>,
    pub since_id: Option<i64>,
    pub limit: i64,
}

/// A page of followers / following / requesters of `target`, ordered by follow-row id
/// descending, through the `(target_account_id, id)` / `(account_id, id)` indexes. Suspended and
/// deleted accounts are skipped; with `viewer` set, so are accounts the viewer blocks, that block
/// the viewer, or that the viewer mutes (mutes expired at `now` do not count).
pub async fn page(
    ex: &mut Exec<'_>,
    side: Side,
    target: i64,
    viewer: Option<i64>,
    cursor: Cursor,
    now: i64,
) -> Result<PageRows, sqlx::Error> {
    let sql = page_sql(side, viewer.is_some());
    on!(ex, c => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(target)
            .bind(cursor.max_id.unwrap_or(i64::MAX))
            .bind(cursor.since_id.unwrap_or(i64::MIN))
            .bind(cursor.limit);
        if let Some(v) = viewer {
            q = q.bind(v).bind(now);
        }
        q.fetch_all(c).await
    })
}

/// [`page`] without a connection of the caller's: inline on SQLite, pooled on PostgreSQL.
pub async fn page_in(
    db: &Db,
    side: Side,
    target: i64,
    viewer: Option<i64>,
    cursor: Cursor,
    now: i64,
) -> Result<PageRows, sqlx::Error> {
    let Db::Sqlite(_, _, reads) = db else {
        return page(
            &mut db.conn().await?.exec(),
            side,
            target,
            viewer,
            cursor,
            now,
        )
        .await;
    };
    let sql = page_sql(side, viewer.is_some());
    let max_id = cursor.max_id.unwrap_or(i64::MAX);
    let since_id = cursor.since_id.unwrap_or(i64::MIN);
    let viewer = viewer.unwrap_or_default();
    let values: [&dyn rusqlite::ToSql; 6] =
        [&target, &max_id, &since_id, &cursor.limit, &viewer, &now];
    reads.with(|c| query_rows(c, &sql, &values, |r| Ok((r.take()?, r.take()?))))
}

/// The page query text (exposed for plan checks in tests and reports).
pub fn page_sql(side: Side, with_viewer: bool) -> String {
    let (table, own, other) = match side {
        Side::Followers => ("follows", "target_account_id", "account_id"),
        Side::Following => ("follows", "account_id", "target_account_id"),
        Side::Requesters => ("follow_requests", "target_account_id", "account_id"),
    };
    let mut sql = format!(
        "SELECT f.id, f.{other} FROM {table} f JOIN accounts a ON a.id = f.{other} \
         WHERE f.{own} = $1 AND f.id < $2 AND f.id > $3 \
         AND a.suspended_at IS NULL AND a.deleted_at IS NULL"
    );
    if with_viewer {
        sql.push_str(&format!(
            " AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.account_id = $5 AND b.target_account_id = f.{other}) \
             AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.account_id = f.{other} AND b.target_account_id = $5) \
             AND NOT EXISTS (SELECT 1 FROM mutes m WHERE m.account_id = $5 AND m.target_account_id = f.{other} \
             AND (m.expires_at IS NULL OR m.expires_at > $6))"
        ));
    }
    sql.push_str(" ORDER BY f.id DESC LIMIT $4");
    sql
}

/// Accounts that `viewer` follows and that follow one of `targets`, skipping accounts that
/// hide their collections and unavailable ones: (target id, follower id) pairs.
pub async fn familiar_followers(
    ex: &mut Exec<'_>,
    viewer: i64,
    targets: &[i64],
) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    if targets.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT f2.target_account_id, f2.account_id FROM follows f1 \
         JOIN follows f2 ON f2.account_id = f1.target_account_id \
         JOIN accounts a ON a.id = f2.account_id \
         WHERE f1.account_id = $1 AND f2.target_account_id IN ({}) \
         AND (a.hide_collections IS NULL OR a.hide_collections = FALSE) \
         AND a.suspended_at IS NULL AND a.deleted_at IS NULL ORDER BY f2.id DESC",
        super::placeholders(2, targets.len())
    );
    on!(ex, c => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(viewer);
        for t in targets {
            q = q.bind(*t);
        }
        q.fetch_all(c).await
    })
}

/// Pending follow requests to `account_id` from non-suspended accounts, capped at 40 as
/// upstream (`source.follow_requests_count`).
const FOLLOW_REQUESTS_COUNT: &str = "SELECT COUNT(*) FROM (SELECT 1 FROM follow_requests fr \
    JOIN accounts a ON a.id = fr.account_id \
    WHERE fr.target_account_id = $1 AND a.suspended_at IS NULL LIMIT 40) t";

pub async fn follow_requests_count(ex: &mut Exec<'_>, account_id: i64) -> Result<i64, sqlx::Error> {
    let row: (i64,) =
        on!(ex, c => sqlx::query_as(FOLLOW_REQUESTS_COUNT).bind(account_id).fetch_one(c).await)?;
    Ok(row.0)
}

/// [`follow_requests_count`] on the inline read path.
pub async fn follow_requests_count_in(db: &Db, account_id: i64) -> Result<i64, sqlx::Error> {
    match db {
        Db::Sqlite(_, _, reads) => reads.with(|c| {
            let rows = query_rows(c, FOLLOW_REQUESTS_COUNT, &[&account_id], |r| r.take())?;
            Ok(rows.first().copied().unwrap_or(0))
        }),
        Db::Pg(..) => follow_requests_count(&mut db.conn().await?.exec(), account_id).await,
    }
}
