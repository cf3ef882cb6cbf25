//! Generic list reads over one table, built on [`Conditions`] and [`paginate`].

use super::run::{EitherRow, execute, fetch_all, fetch_all_unprepared};
use super::{Arg, Args, Conditions, paginate};
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

/// `sql` with every `{list}` (the inside of an `IN (…)`; each names the same values) numbered
/// after `leading`, and all the
/// values; `None` for an empty list, which matches nothing and needs no statement.
fn with_list<V: Into<Arg>>(
    sql: &str,
    mut args: Args,
    list: impl IntoIterator<Item = V>,
) -> Option<(String, Args)> {
    let before = args.len();
    let placeholders = args.list(list);
    // Every `{list}` names the same (numbered) parameters.
    (args.len() > before).then(|| (sql.replace("{list}", &placeholders), args))
}

/// The rows of `sql` whose `IN ({list})` takes `list` (after the `leading` values).
pub async fn fetch_in<T: EitherRow, V: Into<Arg>>(
    ex: &mut Exec<'_>,
    sql: &str,
    leading: Args,
    list: impl IntoIterator<Item = V>,
) -> Result<Vec<T>, sqlx::Error> {
    match with_list(sql, leading, list) {
        Some((sql, args)) => fetch_all(ex, &sql, &args).await,
        None => Ok(Vec::new()),
    }
}

/// [`fetch_in`] for the first column of each row.
pub async fn scalars_in<T, V: Into<Arg>>(
    ex: &mut Exec<'_>,
    sql: &str,
    leading: Args,
    list: impl IntoIterator<Item = V>,
) -> Result<Vec<T>, sqlx::Error>
where
    (T,): EitherRow,
{
    let rows: Vec<(T,)> = fetch_in(ex, sql, leading, list).await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Runs `sql` whose `IN ({list})` takes `list`; nothing to do for an empty list.
pub async fn execute_in<V: Into<Arg>>(
    ex: &mut Exec<'_>,
    sql: &str,
    leading: Args,
    list: impl IntoIterator<Item = V>,
) -> Result<u64, sqlx::Error> {
    match with_list(sql, leading, list) {
        Some((sql, args)) => execute(ex, &sql, &args).await,
        None => Ok(0),
    }
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
