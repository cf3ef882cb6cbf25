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

use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU64, Ordering};

use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock, Weak};

use super::fence_host::{FenceHost, LeaderRead};
use super::fence_rounds::FenceRounds;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgConnection, PgListener, PgPoolOptions};
use sqlx::{Connection, PgPool};

/// The channel the triggers notify.
pub const CHANNEL: &str = "woolly_data";
/// Wait between attempts to listen again after the connection failed.
const RETRY_AFTER: Duration = Duration::from_secs(1);
/// The fence's read: the running and the next transaction ids, changed by every commit.
const SNAPSHOT: &str = "SELECT pg_current_snapshot()::text";
/// How long a fence round (with connecting, when needed) may take before it counts as failed.
const FENCE_TIMEOUT: Duration = Duration::from_secs(5);

/// What the latest fence round read.
#[derive(Debug, Default)]
struct LastRound {
    /// The last transaction snapshot read.
    snapshot: String,
    /// Whether the latest round read it (false: that round failed).
    ok: bool,
}

#[derive(Debug)]
pub struct PgGeneration {
    generation: AtomicU64,
    listening: AtomicBool,
    /// The last fence round's outcome.
    last_round: Mutex<LastRound>,
    /// The processes of this host sharing one fence (`fence_host`), once joined.
    host: OnceLock<Arc<FenceHost>>,
    /// The coalesced fence; used when `coalesced` (its loop was started).
    rounds: Arc<FenceRounds>,
    /// Snapshots the coalescing loop read from PostgreSQL itself (not through a leader).
    snapshot_reads: AtomicU64,
    /// The PostgreSQL backend of the fence rounds' connection (0: none open).
    fence_backend: Arc<AtomicI32>,
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
            last_round: Mutex::new(LastRound::default()),
            host: OnceLock::new(),
            rounds: Arc::new(FenceRounds::default()),
            snapshot_reads: AtomicU64::new(0),
            fence_backend: Arc::new(AtomicI32::new(0)),
            coalesced,
        }
    }

    /// Starts listening on a connection of its own (outside the request pool), in the
    /// background; the generation is unknown until the first `LISTEN` has succeeded. Also
    /// starts the loop of coalesced fence rounds, which read the snapshot on a second
    /// connection of their own ([`FenceConnection`]).
    pub fn start(options: &PgConnectOptions) -> Arc<Self> {
        let runtime = tokio::runtime::Handle::try_current().ok();
        let watcher = Arc::new(Self::new(runtime.is_some()));
        if let Some(runtime) = runtime {
            runtime.spawn(listen(Arc::downgrade(&watcher), options.clone()));
            let weak = Arc::downgrade(&watcher);
            let connection = Arc::new(tokio::sync::Mutex::new(FenceConnection {
                options: options.clone().application_name("woolly fence"),
                connection: None,
                backend: watcher.fence_backend.clone(),
            }));
            runtime.spawn(watcher.rounds.clone().run(move || {
                let (weak, connection) = (weak.clone(), connection.clone());
                async move {
                    let Some(w) = weak.upgrade() else { return };
                    let from_leader = match w.host.get() {
                        Some(host) => host.read(&weak).await,
                        None => None,
                    };
                    let read = match from_leader {
                        Some(LeaderRead::Snapshot(text)) => Some(text),
                        Some(LeaderRead::Failed) => None,
                        None => {
                            w.snapshot_reads.fetch_add(1, Ordering::Relaxed);
                            connection.lock().await.read_snapshot().await.ok()
                        }
                    };
                    w.saw_snapshot(read);
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

    /// Of those, the rounds that read PostgreSQL here rather than through the host's leader
    /// (tests).
    pub fn snapshot_reads(&self) -> u64 {
        self.snapshot_reads.load(Ordering::Relaxed)
    }

    /// The process id of the PostgreSQL backend the fence rounds read on, once one is open
    /// (tests: they end it to show the rounds recover).
    pub fn fence_backend_pid(&self) -> Option<i32> {
        Some(self.fence_backend.load(Ordering::Acquire)).filter(|pid| *pid != 0)
    }

    /// One fence round by itself, through the pool (no loop running; tests).
    async fn read_snapshot(&self, pool: &PgPool) {
        let read = sqlx::query_scalar::<_, String>(SNAPSHOT)
            .fetch_one(pool)
            .await;
        self.saw_snapshot(read.ok());
    }

    /// Moves the generation on if the snapshot changed since the last read, or if it could
    /// not be read (`None`: then nothing cached is trusted).
    fn saw_snapshot(&self, read: Option<String>) {
        let mut last = match self.last_round.lock() {
            Ok(l) => l,
            Err(poisoned) => poisoned.into_inner(),
        };
        last.ok = read.is_some();
        match read {
            Some(now) if now == last.snapshot => {}
            Some(now) => {
                last.snapshot = now;
                self.advance();
            }
            None => self.advance(),
        }
    }

    /// Shares this process's fence with the other processes of the host at `path`
    /// (`fence_host`): leads them, or follows the one that does.
    pub async fn share_on_host(self: &Arc<Self>, path: &Path) {
        let host = FenceHost::join(path, Arc::downgrade(self)).await;
        let _ = self.host.set(host);
    }

    /// Whether this process leads its host's fence (tests).
    pub async fn leads_host_fence(&self) -> bool {
        match self.host.get() {
            Some(host) => host.is_leader().await,
            None => false,
        }
    }

    /// For a follower on this host: waits for a round of this process's that began after
    /// the call, and gives its snapshot (`None`: it failed, or the rounds have ended).
    pub(super) async fn round_for_follower(&self) -> Option<String> {
        if !self.coalesced || self.rounds.is_closed() {
            return None;
        }
        self.rounds.wait().await;
        if self.rounds.is_closed() {
            return None;
        }
        let last = match self.last_round.lock() {
            Ok(l) => l,
            Err(poisoned) => poisoned.into_inner(),
        };
        last.ok.then(|| last.snapshot.clone())
    }

    fn set_listening(&self, listening: bool) {
        self.advance();
        self.listening.store(listening, Ordering::Release);
        self.advance();
    }
}

/// The connection the fence rounds read on, opened when first needed and again after a
/// failure. One connection of its own rather than the request pool's: the rounds run back
/// to back on it, so one PostgreSQL backend stays awake and warm for them instead of a
/// different pooled backend being woken for each round, and a round never waits behind
/// requests for a pooled connection.
struct FenceConnection {
    options: PgConnectOptions,
    connection: Option<PgConnection>,
    /// Its backend's process id, for [`PgGeneration::fence_backend_pid`].
    backend: Arc<AtomicI32>,
}

impl FenceConnection {
    /// Reads the snapshot, opening the connection first if needed. A round that takes longer
    /// than [`FENCE_TIMEOUT`] fails (the requests waiting for it go on with caches off) and
    /// the connection is opened afresh next round.
    async fn read_snapshot(&mut self) -> Result<String, sqlx::Error> {
        let read = tokio::time::timeout(FENCE_TIMEOUT, self.read_on_connection())
            .await
            .unwrap_or(Err(sqlx::Error::PoolTimedOut));
        if read.is_err() {
            // A failed or abandoned connection may be half-way through a reply.
            self.connection = None;
            self.backend.store(0, Ordering::Release);
        }
        read
    }

    async fn read_on_connection(&mut self) -> Result<String, sqlx::Error> {
        let connection = match &mut self.connection {
            Some(c) => c,
            None => {
                let mut opened = PgConnection::connect_with(&self.options).await?;
                let pid = sqlx::query_scalar::<_, i32>("SELECT pg_backend_pid()")
                    .fetch_one(&mut opened)
                    .await?;
                self.backend.store(pid, Ordering::Release);
                self.connection.insert(opened)
            }
        };
        sqlx::query_scalar::<_, String>(SNAPSHOT)
            .fetch_one(connection)
            .await
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
        .connect_with(options.clone().application_name("woolly listen"))
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
