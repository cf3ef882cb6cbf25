//! Which committed state of a PostgreSQL database this process has seen, across processes:
//! the PostgreSQL form of [`super::data_version`].
//!
//! Every table but the lease table carries a statement trigger (migration 0023) that calls
//! `pg_notify('woolly_data', '')`; PostgreSQL delivers the notification to every listening
//! connection when the writing transaction commits (once per transaction, however many
//! statements), before the writer's client hears of the commit. Each process listens on one
//! connection of its own and moves its generation on for every notification, so its cached
//! renderings (`cache::rendered_accounts`) end with the commit that outdates them, whichever
//! process made it. A commit of this process also moves the generation on at once
//! (`Tx::commit`), so a client reads its own writes without waiting for the notification.
//!
//! A notification is asynchronous, though: under load the listening task may run after a
//! request that arrived later (a write through one process, then at once a read through
//! another, read the old rendering in the end-to-end test). So every request on PostgreSQL
//! first takes a fence ([`PgGeneration::fence`], `http::middleware::db_fence`): one trivial
//! round trip reading the database's transaction snapshot (`pg_current_snapshot()`: the
//! running and the next transaction ids), which changes with every commit anywhere, and is
//! complete before the committing client hears of its commit. A snapshot unlike the last one
//! seen moves the generation on, so no entry read before a commit that finished before the
//! request began is served: a write through one process is seen through every other on the
//! very next request. The notifications still drop outdated entries between requests.
//!
//! One round trip per request would cap a busy process at the database's round-trip rate,
//! so the fence is coalesced ([`super::fence_rounds`]): a background loop reads the snapshot
//! back to back while requests wait, and each request waits for the first read that *began*
//! after it arrived, shared with every request that arrived during the read before it.
//!
//! While the listening connection is down, notifications may be missed: the generation is
//! then unknown (`None`), nothing cached is served, and listening resumes with a new
//! generation once the connection is back.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use super::fence_rounds::FenceRounds;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgListener, PgPoolOptions};

/// The channel the triggers notify.
pub const CHANNEL: &str = "woolly_data";
/// Wait between attempts to listen again after the connection failed.
const RETRY_AFTER: Duration = Duration::from_secs(1);

#[derive(Debug)]
pub struct PgGeneration {
    generation: AtomicU64,
    listening: AtomicBool,
    /// The last transaction snapshot a fence read.
    snapshot: Mutex<String>,
    /// The coalesced fence; used when `coalesced` (its loop was started).
    rounds: Arc<FenceRounds>,
    coalesced: bool,
}

impl Default for PgGeneration {
    /// A watcher that fences by itself, one round trip per call (no loop; tests).
    fn default() -> Self {
        Self::new(false)
    }
}

impl Drop for PgGeneration {
    fn drop(&mut self) {
        self.rounds.close();
    }
}

impl PgGeneration {
    fn new(coalesced: bool) -> Self {
        Self {
            generation: AtomicU64::new(0),
            listening: AtomicBool::new(false),
            snapshot: Mutex::new(String::new()),
            rounds: Arc::new(FenceRounds::default()),
            coalesced,
        }
    }

    /// Starts listening on a connection of its own (outside the request pool), in the
    /// background; the generation is unknown until the first `LISTEN` has succeeded. Also
    /// starts the loop of coalesced fence rounds, which read the snapshot through `pool`.
    pub fn start(options: &PgConnectOptions, pool: &PgPool) -> Arc<Self> {
        let runtime = tokio::runtime::Handle::try_current().ok();
        let watcher = Arc::new(Self::new(runtime.is_some()));
        if let Some(runtime) = runtime {
            runtime.spawn(listen(Arc::downgrade(&watcher), options.clone()));
            let weak = Arc::downgrade(&watcher);
            let pool = pool.clone();
            runtime.spawn(watcher.rounds.clone().run(move || {
                let (weak, pool) = (weak.clone(), pool.clone());
                async move {
                    if let Some(w) = weak.upgrade() {
                        w.read_snapshot(&pool).await;
                    }
                }
            }));
        }
        watcher
    }

    /// The generation now, or `None` while commits of other processes may go unseen.
    pub fn current(&self) -> Option<u64> {
        self.listening
            .load(Ordering::Acquire)
            .then(|| self.generation.load(Ordering::Acquire))
    }

    /// The generation now, listening or not (tests of the fence).
    pub fn current_unchecked(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Something was (or may have been) committed: outdates every generation taken before.
    pub fn advance(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    /// Moves the generation on if anything was committed, in any process, since the last
    /// fence round, waiting for a round that began after this call (module documentation).
    pub async fn fence(&self, pool: &PgPool) {
        if self.coalesced && !self.rounds.is_closed() {
            self.rounds.wait().await;
            if !self.rounds.is_closed() {
                return;
            }
        }
        self.read_snapshot(pool).await;
    }

    /// Fence rounds begun by the coalescing loop (tests).
    pub fn fence_rounds(&self) -> u64 {
        self.rounds.rounds_begun()
    }

    /// One fence round: moves the generation on if the snapshot changed since the last read
    /// (or if it cannot be read: then nothing cached is trusted).
    async fn read_snapshot(&self, pool: &PgPool) {
        let read = sqlx::query_scalar::<_, String>("SELECT pg_current_snapshot()::text")
            .fetch_one(pool)
            .await;
        match read {
            Ok(now) => {
                let mut last = match self.snapshot.lock() {
                    Ok(l) => l,
                    Err(poisoned) => poisoned.into_inner(),
                };
                if *last != now {
                    *last = now;
                    self.advance();
                }
            }
            Err(_) => self.advance(),
        }
    }

    fn set_listening(&self, listening: bool) {
        self.advance();
        self.listening.store(listening, Ordering::Release);
        self.advance();
    }
}

async fn listen(watcher: Weak<PgGeneration>, options: PgConnectOptions) {
    loop {
        match listen_once(&watcher, &options).await {
            Ok(()) => return,
            Err(error) => {
                let Some(w) = watcher.upgrade() else { return };
                if w.listening.load(Ordering::Acquire) {
                    tracing::warn!(%error, "listening for commits failed: caches are off until it resumes");
                }
                w.set_listening(false);
            }
        }
        tokio::time::sleep(RETRY_AFTER).await;
    }
}

/// Listens until the watcher is dropped (`Ok`) or the connection fails (`Err`).
async fn listen_once(
    watcher: &Weak<PgGeneration>,
    options: &PgConnectOptions,
) -> Result<(), sqlx::Error> {
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .max_lifetime(None)
        .idle_timeout(None)
        .acquire_timeout(Duration::from_secs(5))
        .connect_with(options.clone())
        .await?;
    let mut listener = PgListener::connect_with(&pool).await?;
    listener.listen(CHANNEL).await?;
    match watcher.upgrade() {
        Some(w) => w.set_listening(true),
        None => return Ok(()),
    }
    loop {
        // Not wrapped in a timeout: a cancelled receive could leave half a message read.
        // The task ends with the runtime, or at the first notification after the watcher.
        let received = listener.try_recv().await?;
        let Some(w) = watcher.upgrade() else {
            return Ok(());
        };
        if received.is_none() {
            // The connection was lost and is back (listening again): what was committed
            // meanwhile went unheard.
            tracing::info!("listening for commits again after a lost connection");
        }
        w.advance();
    }
}
