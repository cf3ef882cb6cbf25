//! The database: native SQLite and PostgreSQL pools behind one enum. Repositories write one
//! SQL text (portable subset, `$n` placeholders) and run it with the kit's runners
//! ([`query`]: `execute`, `fetch_*`, over [`query::Args`]), which bind once per driver
//! through [`on!`]. Hot rows are declared once with [`row::db_row!`] (select list and the
//! decoders of sqlx and of the inline SQLite reads, [`sqlite_reads`]).

pub mod data_version;
pub mod fence_host;
pub mod fence_rounds;
pub mod migrate;
pub mod pg_generation;
pub mod query;
pub mod reachable;
pub mod repo;
pub mod row;
#[cfg(test)]
mod sql_snapshots;
pub mod sqlite_reads;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use tokio::sync::{Mutex, OwnedMutexGuard};

use self::data_version::{CheckOnRelease, DataVersion};
use self::pg_generation::PgGeneration;
use self::sqlite_reads::SqliteReads;
use sqlx::{Connection, PgConnection, PgPool, Postgres, Sqlite, SqliteConnection, SqlitePool};

/// Run `$body` with `$c` bound to the driver's `&mut Connection`.
///
/// `$ex` is a `&mut Exec<'_>`; the body is compiled once per backend. Crate-internal: the
/// runners of [`query`] are the API for statements.
macro_rules! on {
    ($ex:expr, $c:ident => $body:expr) => {
        match $ex {
            $crate::db::Exec::Sqlite(inner) => {
                let $c = &mut **inner;
                $body
            }
            $crate::db::Exec::Pg(inner) => {
                let $c = &mut **inner;
                $body
            }
        }
    };
}
pub(crate) use on;

/// Which SQL dialect is in use, for the rare query that truly differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, Clone)]
pub enum Db {
    /// The pool and the in-process writer lock: SQLite has one writer at a time, so write
    /// transactions queue here, in order, instead of in SQLite's busy handler, which sleeps
    /// and retries (tens of milliseconds at a time under load).
    ///
    /// The third part serves the hot reads without sqlx's thread hop ([`sqlite_reads`]).
    Sqlite(SqlitePool, Arc<Mutex<()>>, SqliteReads),
    /// The pool and the commits seen across processes (`pg_generation`).
    Pg(PgPool, Arc<PgGeneration>),
}

/// A borrowed connection of either backend: what repository functions take.
pub enum Exec<'a> {
    Sqlite(&'a mut SqliteConnection),
    Pg(&'a mut PgConnection),
}

impl Exec<'_> {
    pub fn backend(&self) -> Backend {
        match self {
            Self::Sqlite(..) => Backend::Sqlite,
            Self::Pg(..) => Backend::Postgres,
        }
    }
}

/// A pooled connection for reads and single statements. On SQLite, releasing it re-checks
/// the data version (a single statement may have written).
pub enum Conn {
    Sqlite(PoolConnection<Sqlite>, CheckOnRelease),
    Pg(PoolConnection<Postgres>),
}

impl Conn {
    pub fn exec(&mut self) -> Exec<'_> {
        match self {
            Self::Sqlite(c, _) => Exec::Sqlite(&mut *c),
            Self::Pg(c) => Exec::Pg(&mut *c),
        }
    }
}

/// A write transaction. Dropping it without `commit` rolls back.
pub enum Tx {
    /// Holds the writer lock until it commits or is dropped (fields drop in order: the
    /// transaction's rollback is queued before the lock is released). A commit re-checks
    /// the data version before it returns.
    Sqlite(
        sqlx::Transaction<'static, Sqlite>,
        OwnedMutexGuard<()>,
        Arc<DataVersion>,
    ),
    /// Moves the generation on when it commits (other processes hear of it by NOTIFY).
    Pg(sqlx::Transaction<'static, Postgres>, Arc<PgGeneration>),
}

impl Tx {
    pub fn exec(&mut self) -> Exec<'_> {
        match self {
            Self::Sqlite(t, ..) => Exec::Sqlite(&mut *t),
            Self::Pg(t, _) => Exec::Pg(&mut *t),
        }
    }

    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Self::Sqlite(t, _writer, data_version) => {
                let committed = t.commit().await;
                data_version.check();
                committed
            }
            Self::Pg(t, generation) => {
                let committed = t.commit().await;
                generation.advance();
                committed
            }
        }
    }
}

impl Db {
    /// Opens the pool for a `sqlite://path` or `postgres://…` URL. SQLite files are created,
    /// with WAL, a busy timeout and foreign keys on.
    pub async fn connect(url: &str, pool_size: u32) -> Result<Self, sqlx::Error> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let options = PgConnectOptions::from_str(url)?;
            Self::connect_pg(options, pool_size).await
        } else {
            let options = SqliteConnectOptions::from_str(url)?;
            Self::connect_sqlite(options, pool_size).await
        }
    }

    pub async fn connect_sqlite(
        options: SqliteConnectOptions,
        pool_size: u32,
    ) -> Result<Self, sqlx::Error> {
        let options = options
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true)
            // 2 MB of page cache per connection (SQLite's default): the OS page cache keeps
            // the file's hot pages anyway, and a large per-connection cache multiplies RSS.
            .pragma("cache_size", "-2000")
            .statement_cache_capacity(256);
        let pool = SqlitePoolOptions::new()
            .max_connections(pool_size.max(1))
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(30))
            .test_before_acquire(false)
            .before_acquire(|conn, meta| Box::pin(ping_if_idle(conn, meta)))
            .connect_with(options.clone())
            .await?;
        let reads = SqliteReads::open(options.get_filename(), pool_size)?;
        Ok(Self::Sqlite(pool, Arc::new(Mutex::new(())), reads))
    }

    pub async fn connect_pg(
        options: PgConnectOptions,
        pool_size: u32,
    ) -> Result<Self, sqlx::Error> {
        let pool = PgPoolOptions::new()
            .max_connections(pool_size.max(1))
            .acquire_timeout(Duration::from_secs(30))
            .test_before_acquire(false)
            .before_acquire(|conn, meta| Box::pin(ping_if_idle(conn, meta)))
            .connect_with(options.clone())
            .await?;
        let generation = PgGeneration::start(&options);
        Ok(Self::Pg(pool, generation))
    }

    pub fn backend(&self) -> Backend {
        match self {
            Self::Sqlite(..) => Backend::Sqlite,
            Self::Pg(..) => Backend::Postgres,
        }
    }

    pub async fn conn(&self) -> Result<Conn, sqlx::Error> {
        Ok(match self {
            Self::Sqlite(p, _, reads) => Conn::Sqlite(
                p.acquire().await?,
                CheckOnRelease(reads.data_version().clone()),
            ),
            Self::Pg(p, _) => Conn::Pg(p.acquire().await?),
        })
    }

    /// Begins a write transaction; on SQLite `BEGIN IMMEDIATE` so writers queue on the
    /// database lock up front instead of failing to upgrade a read lock later.
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        Ok(match self {
            Self::Sqlite(p, writer, reads) => {
                let turn = writer.clone().lock_owned().await;
                let conn = p.acquire().await?;
                Tx::Sqlite(
                    sqlx::Transaction::begin(
                        conn,
                        Some(sqlx::SqlSafeStr::into_sql_str("BEGIN IMMEDIATE")),
                    )
                    .await?,
                    turn,
                    reads.data_version().clone(),
                )
            }
            Self::Pg(p, generation) => Tx::Pg(p.begin().await?, generation.clone()),
        })
    }

    /// The generation of committed data this process has seen (SQLite: db/data_version.rs;
    /// PostgreSQL: db/pg_generation.rs). `None`: no process-local cache of database reads
    /// may be used now.
    pub fn data_generation(&self) -> Option<u64> {
        match self {
            Self::Sqlite(.., reads) => Some(reads.data_version().current()),
            Self::Pg(_, generation) => generation.current(),
        }
    }

    /// Makes [`Db::data_generation`] account for every commit that finished before this call,
    /// in any process (PostgreSQL: a shared round trip, `pg_generation`; SQLite: a look at
    /// the file's data version, `data_version`).
    pub async fn fence(&self) {
        match self {
            Self::Pg(pool, generation) => generation.fence(pool).await,
            Self::Sqlite(.., reads) => reads.data_version().fence(),
        }
    }

    /// Fence rounds run so far, and of those the snapshot reads made in this process
    /// (PostgreSQL; SQLite's fence is a file look, counted as nothing).
    pub fn fence_stats(&self) -> (u64, u64) {
        match self {
            Self::Pg(_, generation) => (generation.fence_rounds(), generation.snapshot_reads()),
            Self::Sqlite(..) => (0, 0),
        }
    }

    /// Shares the fence with the other processes of this host that name the same `path`
    /// (`fence_host`; PostgreSQL only: SQLite's fence reads a local file anyway).
    pub async fn share_fence_on_host(&self, path: &std::path::Path) {
        if let Self::Pg(_, generation) = self {
            generation.share_on_host(path).await;
        }
    }

    /// Re-checks the data version now, after a write made outside [`Db::begin`] and
    /// [`Db::conn`] (straight on the pool).
    pub fn note_write(&self) {
        match self {
            Self::Sqlite(.., reads) => reads.data_version().check(),
            Self::Pg(_, generation) => generation.advance(),
        }
    }

    /// Connections open, idle and allowed in the pool (metrics).
    pub fn pool_stats(&self) -> (u32, usize, u32) {
        match self {
            Self::Sqlite(p, ..) => (p.size(), p.num_idle(), p.options().get_max_connections()),
            Self::Pg(p, _) => (p.size(), p.num_idle(), p.options().get_max_connections()),
        }
    }

    pub async fn close(&self) {
        match self {
            Self::Sqlite(p, ..) => p.close().await,
            Self::Pg(p, _) => p.close().await,
        }
    }
}

/// How long a pooled connection may sit idle before it is pinged on its way out.
const PING_AFTER_IDLE: Duration = Duration::from_secs(30);

/// sqlx pings every connection it hands out by default: a round trip to PostgreSQL (a
/// worker-thread hop on SQLite) before each query of a busy server, which answered every
/// pooled request twice (BENCHMARKS.md). A connection in steady use has just proved itself
/// (and sqlx pings it again on release); one that sat idle may have been dropped by the
/// server or a middlebox, so only those are checked. `Ok(false)` or an error makes sqlx
/// close it and hand out another.
async fn ping_if_idle<C: Connection>(
    conn: &mut C,
    meta: sqlx::pool::PoolConnectionMetadata,
) -> Result<bool, sqlx::Error> {
    if meta.idle_for >= PING_AFTER_IDLE {
        conn.ping().await?;
    }
    Ok(true)
}

/// Keeps `Connection` in scope for callers that open single connections.
pub async fn ping(db: &Db) -> Result<(), sqlx::Error> {
    let mut conn = db.conn().await?;
    match conn.exec() {
        Exec::Sqlite(c) => c.ping().await,
        Exec::Pg(c) => c.ping().await,
    }
}
