//! Which committed state of an SQLite database this process has seen.
//!
//! A process-local cache of anything read from the database is only correct while nobody has
//! committed since the read. [`DataVersion`] turns SQLite's `PRAGMA data_version` (it changes
//! when any *other* connection, in this process or another, has committed) into a generation
//! number: a cache entry records the generation taken before its read and is served only
//! while the generation is unchanged.
//!
//! The generation is re-checked
//! - after every write transaction of this process commits (`Tx::commit`) and whenever a
//!   pooled sqlx connection is released (`Conn`), before the request that wrote answers, so a
//!   client always reads its own writes;
//! - before every API request (`Db::fence`, `http::middleware::db_fence`) unless a look began
//!   less than [`FENCE_SLACK`] before the request arrived, so a commit of another process
//!   (the `woolly admin` CLI revoking a token, a second server on the same file) that
//!   finished that long before the request is seen by it (a look per request under the
//!   watcher's mutex cost a quarter of `accounts/:id`'s throughput);
//! - every [`POLL_INTERVAL`] in the background, for commits of other processes between
//!   requests.
//!
//! PostgreSQL's form, across processes on one server, is `pg_generation`.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use rusqlite::{Connection, OpenFlags};

/// How often commits of other processes are looked for.
pub const POLL_INTERVAL: Duration = Duration::from_millis(50);
/// A look that began this recently before a request also serves it ([`DataVersion::fence`]).
pub const FENCE_SLACK: Duration = Duration::from_millis(1);

#[derive(Debug)]
pub struct DataVersion {
    generation: AtomicU64,
    probe: Mutex<Probe>,
    /// When the last look began, in microseconds since `started`.
    last_look_us: AtomicU64,
    started: Instant,
}

#[derive(Debug)]
struct Probe {
    conn: Connection,
    last_seen: Option<i64>,
}

impl DataVersion {
    /// Watches the database file at `path` (which must exist) and starts the background poll
    /// when called inside a Tokio runtime; the poll ends when the watcher is dropped.
    pub fn open(path: &Path) -> Result<Arc<Self>, rusqlite::Error> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(Duration::from_secs(10))?;
        let watcher = Arc::new(Self {
            generation: AtomicU64::new(0),
            probe: Mutex::new(Probe {
                conn,
                last_seen: None,
            }),
            last_look_us: AtomicU64::new(0),
            started: Instant::now(),
        });
        watcher.check();
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(poll(Arc::downgrade(&watcher)));
        }
        Ok(watcher)
    }

    /// The generation now: equal generations mean no commit was seen in between.
    pub fn current(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    fn micros_now(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_micros()).unwrap_or(u64::MAX)
    }

    /// Before a request: looks unless a look began less than [`FENCE_SLACK`] ago.
    pub fn fence(&self) {
        let slack = u64::try_from(FENCE_SLACK.as_micros()).unwrap_or(0);
        let last = self.last_look_us.load(Ordering::Acquire);
        if last != 0 && self.micros_now().saturating_sub(last) < slack {
            return;
        }
        self.check();
    }

    /// Looks at the database's data version and moves the generation on if anything was
    /// committed since the last look (or if the look fails: then nothing cached is trusted).
    pub fn check(&self) {
        let mut probe = match self.probe.lock() {
            Ok(p) => p,
            Err(poisoned) => poisoned.into_inner(),
        };
        // the look begins now (with the lock held: a look that began earlier has ended)
        self.last_look_us
            .store(self.micros_now().max(1), Ordering::Release);
        let version = probe
            .conn
            .prepare_cached("PRAGMA data_version")
            .and_then(|mut s| s.query_row([], |row| row.get::<_, i64>(0)));
        match version {
            Ok(v) if probe.last_seen == Some(v) => {}
            Ok(v) => {
                probe.last_seen = Some(v);
                self.generation.fetch_add(1, Ordering::AcqRel);
            }
            Err(error) => {
                tracing::warn!(%error, "reading the SQLite data version failed");
                probe.last_seen = None;
                self.generation.fetch_add(1, Ordering::AcqRel);
            }
        }
    }
}

async fn poll(watcher: Weak<DataVersion>) {
    let mut ticks = tokio::time::interval(POLL_INTERVAL);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        match watcher.upgrade() {
            Some(w) => w.check(),
            None => return,
        }
    }
}

/// Checks the data version when dropped: held by a pooled connection, whose statements (and
/// so their commits) have all finished by then.
#[derive(Debug)]
pub struct CheckOnRelease(pub Arc<DataVersion>);

impl Drop for CheckOnRelease {
    fn drop(&mut self) {
        self.0.check();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file_db() -> (tempfile::TempDir, std::path::PathBuf, Connection) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.sqlite3");
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("PRAGMA journal_mode = WAL; CREATE TABLE t (x INTEGER);")
            .unwrap();
        (dir, path, conn)
    }

    #[test]
    fn a_commit_by_another_connection_moves_the_generation_on() {
        let (_dir, path, writer) = file_db();
        let watcher = DataVersion::open(&path).unwrap();
        let before = watcher.current();
        watcher.check();
        assert_eq!(watcher.current(), before, "no commit, same generation");
        writer.execute("INSERT INTO t VALUES (1)", []).unwrap();
        watcher.check();
        let after = watcher.current();
        assert_ne!(after, before, "a commit is seen");
        watcher.check();
        assert_eq!(watcher.current(), after, "seen once");
    }

    #[test]
    fn a_rolled_back_write_keeps_the_generation() {
        let (_dir, path, mut writer) = file_db();
        let watcher = DataVersion::open(&path).unwrap();
        let before = watcher.current();
        let tx = writer.transaction().unwrap();
        tx.execute("INSERT INTO t VALUES (1)", []).unwrap();
        tx.rollback().unwrap();
        watcher.check();
        assert_eq!(watcher.current(), before);
    }

    #[tokio::test]
    async fn the_background_poll_sees_other_processes_commits() {
        let (_dir, path, writer) = file_db();
        let watcher = DataVersion::open(&path).unwrap();
        let before = watcher.current();
        writer.execute("INSERT INTO t VALUES (1)", []).unwrap();
        let deadline = tokio::time::Instant::now() + POLL_INTERVAL * 40;
        while watcher.current() == before && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(POLL_INTERVAL / 2).await;
        }
        assert_ne!(watcher.current(), before);
    }
}
