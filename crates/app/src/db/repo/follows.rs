//! `follows` and `follow_requests`. Every change of a follow row updates both accounts'
//! `followers_count` / `following_count` in the same statement batch (the caller's transaction).

use sqlx::FromRow;

use crate::db::query::rows::{execute_in, fetch_in};
use crate::db::query::{
    Args, args, execute, fetch_all, fetch_one, fetch_optional, id_bounds, owner_page_args,
};
use crate::db::repo::pairs::{self, OnConflict, Pair};
use crate::db::sqlite_reads::query_rows;
use crate::db::{Db, Exec};
use crate::domain::page::Cursor;

/// Which of the two tables: a follow or a pending follow request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowKind {
    Follow,
    Request,
}

impl FollowKind {
    fn pair(self) -> Pair {
        match self {
            Self::Follow => pairs::FOLLOWS,
            Self::Request => pairs::FOLLOW_REQUESTS,
        }
    }

    fn table(self) -> &'static str {
        self.pair().table
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
    fetch_optional(ex, &sql, &args![account_id, target_account_id]).await
}

/// Inserts a follow or request from `row` (its id and times included). A follow also bumps
/// the two counters. False when the pair already has a row: a concurrent request made it
/// first (PostgreSQL's read-committed transactions both saw none), which is no error.
pub async fn insert(
    ex: &mut Exec<'_>,
    kind: FollowKind,
    row: &FollowRow,
) -> Result<bool, sqlx::Error> {
    let extra = [
        ("show_reblogs", row.show_reblogs.into()),
        ("notify", row.notify.into()),
        ("languages", row.languages.as_deref().into()),
    ];
    let (id, a, t, at) = (
        row.id,
        row.account_id,
        row.target_account_id,
        row.created_at,
    );
    let keep = OnConflict::Keep;
    let inserted = pairs::insert(ex, kind.pair(), id, a, t, at, &extra, keep).await?;
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
    execute(
        ex,
        &sql,
        &args![
            row.show_reblogs,
            row.notify,
            row.languages.as_deref(),
            row.id
        ],
    )
    .await?;
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
    let deleted = pairs::delete(ex, kind.pair(), account_id, target_account_id).await?;
    if deleted && kind == FollowKind::Follow {
        adjust_counters(ex, account_id, target_account_id, -1).await?;
    }
    Ok(deleted)
}

/// Accounts severed per statement: one domain suspension may sever thousands, and each
/// statement names its accounts as parameters.
const SEVER_CHUNK: usize = 500;

/// Deletes every follow and follow request of `accounts`, both ways, and takes them off both
/// sides' counters (never below 0): a remote actor deleted, a domain suspended, an account
/// purged. Four statements per [`SEVER_CHUNK`] accounts, however many follows they had; a
/// follow between two chunks goes with the first, whose counts include it.
pub async fn sever_all(ex: &mut Exec<'_>, accounts: &[i64]) -> Result<(), sqlx::Error> {
    const TOUCHED: &str = "(f.account_id IN ({list}) OR f.target_account_id IN ({list}))";
    for chunk in accounts.chunks(SEVER_CHUNK) {
        for (counter, side) in [
            ("following_count", "account_id"),
            ("followers_count", "target_account_id"),
        ] {
            let gone = format!(
                "(SELECT count(*) FROM follows f WHERE f.{side} = accounts.id AND {TOUCHED})"
            );
            let sql = format!(
                "UPDATE accounts SET {counter} = CASE WHEN {counter} > {gone} \
                 THEN {counter} - {gone} ELSE 0 END \
                 WHERE id IN (SELECT f.{side} FROM follows f WHERE {TOUCHED})"
            );
            execute_in(ex, &sql, Args::new(), chunk.iter().copied()).await?;
        }
        for table in ["follows", "follow_requests"] {
            let sql = format!(
                "DELETE FROM {table} WHERE account_id IN ({{list}}) OR target_account_id IN ({{list}})"
            );
            execute_in(ex, &sql, Args::new(), chunk.iter().copied()).await?;
        }
    }
    Ok(())
}

async fn adjust_counters(
    ex: &mut Exec<'_>,
    account_id: i64,
    target_account_id: i64,
    delta: i64,
) -> Result<(), sqlx::Error> {
    let following = "UPDATE accounts SET following_count = following_count + $1 WHERE id = $2";
    execute(ex, following, &args![delta, account_id]).await?;
    let followers = "UPDATE accounts SET followers_count = followers_count + $1 WHERE id = $2";
    execute(ex, followers, &args![delta, target_account_id]).await?;
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

/// A page of followers / following / requesters of `target`, ordered by follow-row id
/// descending, through the `(target_account_id, id)` / `(account_id, id)` indexes. Suspended and
/// deleted accounts are skipped; with `viewer` set, so are accounts the viewer blocks, that block
/// the viewer, or that the viewer mutes (mutes expired at `now` do not count).
pub async fn page(
    ex: &mut Exec<'_>,
    side: Side,
    target: i64,
    viewer: Option<i64>,
    cursor: &Cursor,
    now: i64,
) -> Result<PageRows, sqlx::Error> {
    let sql = page_sql(side, viewer.is_some());
    let mut args = owner_page_args(target, cursor);
    if let Some(v) = viewer {
        args = args.with(v).with(now);
    }
    fetch_all(ex, &sql, &args).await
}

/// [`page`] without a connection of the caller's: inline on SQLite, pooled on PostgreSQL.
pub async fn page_inline(
    db: &Db,
    side: Side,
    target: i64,
    viewer: Option<i64>,
    cursor: &Cursor,
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
    let (upper, lower) = id_bounds(cursor);
    let limit = cursor.limit_i64();
    let values: [&dyn rusqlite::ToSql; 6];
    let values: &[&dyn rusqlite::ToSql] = match &viewer {
        Some(v) => {
            values = [&target, &upper, &lower, &limit, v, &now];
            &values
        }
        None => &[&target, &upper, &lower, &limit],
    };
    reads.with(|c| query_rows(c, &sql, values, |r| Ok((r.take()?, r.take()?))))
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
    let sql = "SELECT f2.target_account_id, f2.account_id FROM follows f1 \
         JOIN follows f2 ON f2.account_id = f1.target_account_id \
         JOIN accounts a ON a.id = f2.account_id \
         WHERE f1.account_id = $1 AND f2.target_account_id IN ({list}) \
         AND (a.hide_collections IS NULL OR a.hide_collections = FALSE) \
         AND a.suspended_at IS NULL AND a.deleted_at IS NULL ORDER BY f2.id DESC";
    fetch_in(ex, sql, args![viewer], targets).await
}

/// Pending follow requests to `account_id` from non-suspended accounts, capped at 40 as
/// upstream (`source.follow_requests_count`).
const FOLLOW_REQUESTS_COUNT: &str = "SELECT COUNT(*) FROM (SELECT 1 FROM follow_requests fr \
    JOIN accounts a ON a.id = fr.account_id \
    WHERE fr.target_account_id = $1 AND a.suspended_at IS NULL LIMIT 40) t";

pub async fn follow_requests_count(ex: &mut Exec<'_>, account_id: i64) -> Result<i64, sqlx::Error> {
    let row: (i64,) = fetch_one(ex, FOLLOW_REQUESTS_COUNT, &args![account_id]).await?;
    Ok(row.0)
}

/// [`follow_requests_count`] on the inline read path.
pub async fn follow_requests_count_inline(db: &Db, account_id: i64) -> Result<i64, sqlx::Error> {
    match db {
        Db::Sqlite(_, _, reads) => reads.with(|c| {
            let rows = query_rows(c, FOLLOW_REQUESTS_COUNT, &[&account_id], |r| r.take())?;
            Ok(rows.first().copied().unwrap_or(0))
        }),
        Db::Pg(..) => follow_requests_count(&mut db.conn().await?.exec(), account_id).await,
    }
}
