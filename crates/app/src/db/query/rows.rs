//! Generic list reads over one table, built on [`Conditions`] and [`paginate`].

use super::run::{EitherRow, fetch_all, fetch_all_unprepared};
use super::{Args, Conditions, paginate};
use crate::db::Exec;
use crate::domain::page::Cursor;

/// Runs `SELECT <i64 column> …` and returns the ids in row order, unprepared (these
/// filter statements are parameter-sensitive; see [`fetch_all_unprepared`]).
pub async fn select_ids(
    ex: &mut Exec<'_>,
    sql: &str,
    args: &Args,
) -> Result<Vec<i64>, sqlx::Error> {
    let rows: Vec<(i64,)> = fetch_all_unprepared(ex, sql, args).await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// One id-paginated page of `table`'s rows matching `conds`, newest first (a `min_id` page
/// is selected ascending and turned around): the admin lists of reports, the audit trail
/// and strikes.
pub async fn page_rows<T: EitherRow>(
    ex: &mut Exec<'_>,
    table: &str,
    mut conds: Conditions,
    cursor: &Cursor,
) -> Result<Vec<T>, sqlx::Error> {
    let tail = paginate(&mut conds, "id", cursor);
    let sql = format!("SELECT * FROM {table}{}{tail}", conds.sql());
    let mut rows: Vec<T> = fetch_all(ex, &sql, &conds.args).await?;
    if cursor.min_id.is_some() {
        rows.reverse();
    }
    Ok(rows)
}

/// Every row of `table` whose `column` is among `ids`, in no particular order.
pub async fn rows_where_in<T: EitherRow>(
    ex: &mut Exec<'_>,
    table: &str,
    column: &str,
    ids: &[i64],
) -> Result<Vec<T>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut args = Args::new();
    let sql = format!(
        "SELECT * FROM {table} WHERE {column} IN ({})",
        args.list(ids)
    );
    fetch_all(ex, &sql, &args).await
}

/// Every row of `table` whose `id` is among `ids`, in no particular order.
pub async fn rows_by_id<T: EitherRow>(
    ex: &mut Exec<'_>,
    table: &str,
    ids: &[i64],
) -> Result<Vec<T>, sqlx::Error> {
    rows_where_in(ex, table, "id", ids).await
}
