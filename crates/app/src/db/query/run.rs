//! Running a statement with its [`Args`] on either driver: the crate's one bind loop.

use sqlx::FromRow;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;

use super::Arg;
use crate::db::{Exec, on};

/// A row type both drivers decode (what `sqlx::FromRow` derives for a plain struct or tuple).
pub trait EitherRow:
    Send + Unpin + for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow>
{
}

impl<T> EitherRow for T where
    T: Send + Unpin + for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow>
{
}

/// Binds every value of `$args` to the sqlx query `$q`, in order.
macro_rules! bind_args {
    ($q:expr, $args:expr) => {{
        let mut q = $q;
        for a in $args.iter() {
            q = match a {
                $crate::db::query::Arg::Int(v) => q.bind(*v),
                $crate::db::query::Arg::Text(s) => q.bind(s.as_str()),
                $crate::db::query::Arg::Bool(b) => q.bind(*b),
                $crate::db::query::Arg::NullInt => q.bind(None::<i64>),
                $crate::db::query::Arg::NullText => q.bind(None::<&str>),
                $crate::db::query::Arg::NullBool => q.bind(None::<bool>),
            };
        }
        q
    }};
}
pub(crate) use bind_args;

/// Runs a statement that returns no rows; the number of rows it changed.
pub async fn execute(ex: &mut Exec<'_>, sql: &str, args: &[Arg]) -> Result<u64, sqlx::Error> {
    on!(ex, c => bind_args!(sqlx::query(sqlx::AssertSqlSafe(sql)), args)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))
}

/// Every row, decoded as `T`.
pub async fn fetch_all<T: EitherRow>(
    ex: &mut Exec<'_>,
    sql: &str,
    args: &[Arg],
) -> Result<Vec<T>, sqlx::Error> {
    on!(ex, c => bind_args!(sqlx::query_as(sqlx::AssertSqlSafe(sql)), args).fetch_all(c).await)
}

/// [`fetch_all`] without a cached prepared statement: for parameter-sensitive statements
/// (a prefix that matches ten rows or a million), which PostgreSQL would otherwise switch
/// to a generic plan after five runs, planned without the values (seen as 55 ms p99 spikes
/// at 1M accounts).
pub async fn fetch_all_unprepared<T: EitherRow>(
    ex: &mut Exec<'_>,
    sql: &str,
    args: &[Arg],
) -> Result<Vec<T>, sqlx::Error> {
    on!(ex, c => bind_args!(sqlx::query_as(sqlx::AssertSqlSafe(sql)).persistent(false), args)
        .fetch_all(c)
        .await)
}

/// The row, if any.
pub async fn fetch_optional<T: EitherRow>(
    ex: &mut Exec<'_>,
    sql: &str,
    args: &[Arg],
) -> Result<Option<T>, sqlx::Error> {
    on!(ex, c => bind_args!(sqlx::query_as(sqlx::AssertSqlSafe(sql)), args)
        .fetch_optional(c)
        .await)
}

/// Exactly one row.
pub async fn fetch_one<T: EitherRow>(
    ex: &mut Exec<'_>,
    sql: &str,
    args: &[Arg],
) -> Result<T, sqlx::Error> {
    on!(ex, c => bind_args!(sqlx::query_as(sqlx::AssertSqlSafe(sql)), args).fetch_one(c).await)
}

/// The first column of every row.
pub async fn fetch_scalars<T>(
    ex: &mut Exec<'_>,
    sql: &str,
    args: &[Arg],
) -> Result<Vec<T>, sqlx::Error>
where
    (T,): EitherRow,
    T: Send + Unpin,
{
    let rows: Vec<(T,)> = fetch_all(ex, sql, args).await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}
