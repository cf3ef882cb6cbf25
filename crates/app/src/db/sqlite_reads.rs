//! Hot reads on SQLite, run on the calling thread.
//!
//! sqlx-sqlite runs each connection on a worker thread of its own and hands every statement
//! and every row over channels: for a point read of ~10 µs the thread wake-ups cost more than
//! the query (about 40 % of CPU under load went to the scheduler; BENCHMARKS.md, profile).
//! The few reads on every request's path (the viewer, an account, relationship facts) run
//! here instead: a pool of rusqlite connections to the same WAL file, used without an await
//! in between, so a read is a plain function call. In WAL mode a reader never waits for the
//! writer and sees every committed write. The connections are `query_only`: writes still go
//! through sqlx, its transactions and the writer lock.

use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use r2d2::Pool;
use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::config::DbConfig;
use rusqlite::types::FromSql;
use rusqlite::{Connection, OpenFlags, Row, Statement};
use scheduled_thread_pool::ScheduledThreadPool;

use super::data_version::DataVersion;

/// The read pool of one database file, and the watcher of its committed data version.
#[derive(Debug, Clone)]
pub struct SqliteReads {
    pool: Pool<SqliteConnectionManager>,
    data_version: Arc<DataVersion>,
}

/// One helper thread for every read pool of the process (tests open hundreds of databases;
/// r2d2 would start three threads for each).
fn maintenance_threads() -> Arc<ScheduledThreadPool> {
    static THREADS: OnceLock<Arc<ScheduledThreadPool>> = OnceLock::new();
    THREADS
        .get_or_init(|| {
            Arc::new(
                ScheduledThreadPool::builder()
                    .num_threads(1)
                    .thread_name_pattern("sqlite-reads-{}")
                    .build(),
            )
        })
        .clone()
}

impl SqliteReads {
    /// Opens up to `size` read connections to the existing database file at `path`.
    pub fn open(path: &Path, size: u32) -> Result<Self, sqlx::Error> {
        let manager = SqliteConnectionManager::file(path)
            .with_flags(
                OpenFlags::SQLITE_OPEN_READ_WRITE
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX
                    | OpenFlags::SQLITE_OPEN_URI,
            )
            .with_init(|c| {
                c.busy_timeout(Duration::from_secs(10))?;
                // Same page cache as the sqlx connections (db/mod.rs).
                c.execute_batch("PRAGMA query_only = ON; PRAGMA cache_size = -2000;")?;
                c.set_prepared_statement_cache_capacity(64);
                // Plans that ignore bound values (QPSG): with `sqlite_stat4` present SQLite
                // would re-prepare on every new binding. `.cargo/config.toml` builds SQLite
                // with it on by default; this keeps the hot reads stable in a build that
                // does not read that file.
                c.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
                Ok(())
            });
        let pool = Pool::builder()
            .max_size(size.max(1))
            .min_idle(Some(1))
            .test_on_check_out(false)
            .connection_timeout(WAIT_FOR_CONNECTION)
            .thread_pool(maintenance_threads())
            .build(manager)
            .map_err(io_error)?;
        let data_version = DataVersion::open(path).map_err(io_error)?;
        Ok(Self { pool, data_version })
    }

    /// What this process has seen of the file's commits (db/data_version.rs).
    pub fn data_version(&self) -> &Arc<DataVersion> {
        &self.data_version
    }

    /// Runs `read` on a pooled connection, on this thread.
    ///
    /// A free connection is taken without waiting. When all are in use (more concurrent
    /// reads than connections), the wait for one, up to [`WAIT_FOR_CONNECTION`], happens
    /// under `block_in_place`, so the tokio worker hands its other tasks to another thread
    /// instead of stalling them; the read itself (microseconds) runs in place either way.
    pub fn with<T>(
        &self,
        read: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> Result<T, sqlx::Error> {
        let conn = match self.pool.try_get() {
            Some(conn) => conn,
            None => {
                wait_blocking(|| self.pool.get_timeout(WAIT_FOR_CONNECTION)).map_err(io_error)?
            }
        };
        read(&conn).map_err(driver_error)
    }
}

/// How long a read waits for a pooled connection before it fails.
const WAIT_FOR_CONNECTION: Duration = Duration::from_secs(5);

/// Runs a blocking wait: under `block_in_place` on a multi-threaded tokio runtime, plainly
/// elsewhere (a current-thread runtime, such as a `#[tokio::test]`, cannot hand off its
/// tasks; there the wait is bounded by [`WAIT_FOR_CONNECTION`]).
fn wait_blocking<T>(wait: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current() {
        Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(wait)
        }
        _ => wait(),
    }
}

fn io_error(e: impl std::error::Error + Send + Sync + 'static) -> sqlx::Error {
    sqlx::Error::Io(std::io::Error::other(e))
}

/// Repository functions answer `sqlx::Error`, whichever driver ran them.
fn driver_error(e: rusqlite::Error) -> sqlx::Error {
    match e {
        rusqlite::Error::FromSqlConversionFailure(..)
        | rusqlite::Error::InvalidColumnType(..)
        | rusqlite::Error::IntegralValueOutOfRange(..) => sqlx::Error::Decode(Box::new(e)),
        other => io_error(other),
    }
}

/// Binds `$1…$n` (the placeholders every repository statement uses) by name, so their
/// numbers need not follow their order of appearance. A value without its placeholder, or a
/// parameter without a value, is an error: silently dropping either would run a different
/// statement than the caller wrote.
pub fn bind_numbered(
    stmt: &mut Statement<'_>,
    values: &[&dyn rusqlite::ToSql],
) -> rusqlite::Result<()> {
    let count = stmt.parameter_count();
    if count != values.len() {
        return Err(rusqlite::Error::InvalidParameterCount(values.len(), count));
    }
    let mut name = String::with_capacity(4);
    for (i, value) in values.iter().enumerate() {
        name.clear();
        name.push('$');
        name.push_str(&(i + 1).to_string());
        match stmt.parameter_index(&name)? {
            Some(index) => stmt.raw_bind_parameter(index, value)?,
            None => return Err(rusqlite::Error::InvalidParameterName(name)),
        }
    }
    Ok(())
}

/// Reads a row's columns in select-list order.
pub struct Columns<'r, 's> {
    row: &'r Row<'s>,
    next: usize,
}

impl<'r, 's> Columns<'r, 's> {
    pub fn new(row: &'r Row<'s>) -> Self {
        Self { row, next: 0 }
    }

    /// The next column's value.
    pub fn take<T: FromSql>(&mut self) -> rusqlite::Result<T> {
        let value = self.row.get(self.next)?;
        self.next += 1;
        Ok(value)
    }

    /// Whether the next column is NULL, without taking it.
    pub fn next_is_null(&self) -> rusqlite::Result<bool> {
        Ok(matches!(
            self.row.get_ref(self.next)?,
            rusqlite::types::ValueRef::Null
        ))
    }
}

/// Runs a cached statement with numbered parameters and maps every row.
pub fn query_rows<T>(
    conn: &Connection,
    sql: &str,
    values: &[&dyn rusqlite::ToSql],
    mut map: impl FnMut(&mut Columns<'_, '_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<Vec<T>> {
    let mut stmt = conn.prepare_cached(sql)?;
    bind_numbered(&mut stmt, values)?;
    let mut rows = stmt.raw_query();
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(map(&mut Columns::new(row))?);
    }
    Ok(out)
}

/// [`query_rows`] for at most one row.
pub fn query_optional<T>(
    conn: &Connection,
    sql: &str,
    values: &[&dyn rusqlite::ToSql],
    map: impl FnMut(&mut Columns<'_, '_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<Option<T>> {
    Ok(query_rows(conn, sql, values, map)?.into_iter().next())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn bind(sql: &str, values: &[&dyn rusqlite::ToSql]) -> rusqlite::Result<()> {
        let conn = Connection::open_in_memory()?;
        let mut stmt = conn.prepare(sql)?;
        bind_numbered(&mut stmt, values)
    }

    /// The hot read's cost with the non-blocking take (`with`) against r2d2's blocking
    /// `get`, on a free pool: `cargo test -p woolly --release --lib -- --ignored
    /// hot_read_take --nocapture`. Not a pass/fail check; it prints the two timings.
    #[test]
    #[ignore = "a measurement, run by hand"]
    fn hot_read_take_costs_what_a_blocking_get_did() {
        let dir = std::env::temp_dir().join(format!("woolly-take-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("db.sqlite");
        Connection::open(&path)
            .unwrap()
            .execute_batch("PRAGMA journal_mode = WAL; CREATE TABLE t (id INTEGER PRIMARY KEY); INSERT INTO t VALUES (1);")
            .unwrap();
        let reads = SqliteReads::open(&path, 4).unwrap();
        let read = |c: &Connection| {
            query_rows(c, "SELECT id FROM t WHERE id = $1", &[&1], |r| {
                r.take::<i64>()
            })
        };
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .build()
            .unwrap();
        runtime.block_on(async {
            let n = 100_000;
            let take = || {
                let start = std::time::Instant::now();
                for _ in 0..n {
                    reads.with(read).unwrap();
                }
                start.elapsed() / n
            };
            let get = || {
                let start = std::time::Instant::now();
                for _ in 0..n {
                    let conn = reads.pool.get().unwrap();
                    read(&conn).unwrap();
                }
                start.elapsed() / n
            };
            for round in 0..6 {
                // alternate which goes first: the first of a round warms the caches
                let (with, get) = if round % 2 == 0 {
                    let w = take();
                    (w, get())
                } else {
                    let g = get();
                    (take(), g)
                };
                println!("round {round}: with() {with:?}/read, pool.get() {get:?}/read");
            }
        });
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn every_value_needs_its_placeholder_and_every_placeholder_a_value() {
        assert!(bind("SELECT $2, $1", &[&1, &2]).is_ok());
        assert!(bind("SELECT $1, $1", &[&1]).is_ok());
        // a value with no `$2` in the statement
        assert!(matches!(
            bind("SELECT $1", &[&1, &2]),
            Err(rusqlite::Error::InvalidParameterCount(2, 1))
        ));
        // a `$2` with no value
        assert!(matches!(
            bind("SELECT $1, $2", &[&1]),
            Err(rusqlite::Error::InvalidParameterCount(1, 2))
        ));
        // as many parameters as values, but not numbered `$1…$n`
        assert!(matches!(
            bind("SELECT $1, $3", &[&1, &2]),
            Err(rusqlite::Error::InvalidParameterName(name)) if name == "$2"
        ));
    }
}
