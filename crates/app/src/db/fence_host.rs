//! One fence for the processes of a host (`fence_socket`): they share one process's snapshot
//! reads over a Unix socket instead of each reading PostgreSQL for itself.
//!
//! Every round of a process's fence (`pg_generation`) needs a snapshot read that *began after*
//! the requests it releases arrived. Each process running its own rounds back to back costs
//! PostgreSQL one read per round trip per process: three processes on a host made 0.35–0.41
//! reads per request against 0.14 for one, at some 60–95 µs of PostgreSQL CPU each.
//!
//! So the first process to bind the socket serves the others (the *leader*): a follower's
//! round sends one byte, the leader waits for a round of its own that began after the byte
//! arrived (so after the follower's requests arrived) and answers that round's snapshot, or
//! that it failed. The follower then moves its generation on exactly as if it had read the
//! snapshot itself. The leader's rounds are shared by its own requests and every follower's,
//! so the host makes about one read per round trip, however many processes it runs.
//!
//! Correctness never rests on the socket: a follower that cannot reach a leader, or hears
//! nothing within [`REPLY_TIMEOUT`], reads the snapshot itself for that round, and tries to
//! become the leader (or find the new one) at most once per [`ELECT_EVERY`]. A socket file
//! left by a process that died is found dead (nobody accepts) and replaced.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{UnixListener, UnixStream};
use tokio::sync::Mutex;
use tokio::task::JoinHandle;

use super::pg_generation::PgGeneration;

/// Longest wait for the leader's answer before a follower reads for itself.
const REPLY_TIMEOUT: Duration = Duration::from_secs(2);
/// How often a process without a leader tries to become one (or to find one).
const ELECT_EVERY: Duration = Duration::from_secs(1);
/// The longest snapshot text accepted from a leader (`xmin:xmax:xip,…`).
const MAX_SNAPSHOT_BYTES: u32 = 1 << 20;

/// What a round learnt from the leader.
#[derive(Debug, PartialEq, Eq)]
pub enum LeaderRead {
    /// The snapshot of a leader's round that began after the request.
    Snapshot(String),
    /// The leader's round failed: nothing cached may be trusted.
    Failed,
}

/// This process's side of the host fence: the leader's listener, or a follower's connection.
#[derive(Debug)]
pub struct FenceHost {
    path: PathBuf,
    role: Mutex<Role>,
}

#[derive(Debug)]
enum Role {
    /// Serving the others; the task accepts them.
    Leader(JoinHandle<()>),
    Follower(UnixStream),
    /// Neither (the last try failed at `since`): reading for itself.
    Alone {
        since: Instant,
    },
}

impl Drop for FenceHost {
    fn drop(&mut self) {
        if let Role::Leader(task) = self.role.get_mut() {
            task.abort();
            // Followers then find no leader and elect another at once.
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

impl FenceHost {
    /// Joins (or leads) the processes sharing `path`; `watcher` is this process's fence,
    /// whose rounds a leader shares.
    pub async fn join(path: &Path, watcher: Weak<PgGeneration>) -> Arc<Self> {
        Arc::new(Self {
            path: path.to_owned(),
            role: Mutex::new(elect(path, watcher).await),
        })
    }

    /// Whether this process serves the others (tests).
    pub async fn is_leader(&self) -> bool {
        matches!(*self.role.lock().await, Role::Leader(_))
    }

    /// One round through the leader: `None` when this process must read for itself (it is
    /// the leader, or no leader answered).
    pub async fn read(&self, watcher: &Weak<PgGeneration>) -> Option<LeaderRead> {
        let mut role = self.role.lock().await;
        if let Role::Alone { since } = &*role {
            if since.elapsed() < ELECT_EVERY {
                return None;
            }
            *role = elect(&self.path, watcher.clone()).await;
        }
        let Role::Follower(stream) = &mut *role else {
            return None;
        };
        match tokio::time::timeout(REPLY_TIMEOUT, ask(stream)).await {
            Ok(Ok(read)) => Some(read),
            Ok(Err(error)) => {
                tracing::info!(%error, "the host's fence leader is gone: reading the snapshot here");
                *role = Role::Alone {
                    since: Instant::now(),
                };
                None
            }
            Err(_) => {
                tracing::warn!(
                    "the host's fence leader did not answer in time: reading the snapshot here"
                );
                *role = Role::Alone {
                    since: Instant::now(),
                };
                None
            }
        }
    }
}

/// Finds the leader at `path`, or becomes it.
async fn elect(path: &Path, watcher: Weak<PgGeneration>) -> Role {
    if let Ok(stream) = UnixStream::connect(path).await {
        return Role::Follower(stream);
    }
    // Nobody accepts there: the file (if any) is a dead leader's.
    let _ = std::fs::remove_file(path);
    match UnixListener::bind(path) {
        Ok(listener) => {
            tracing::info!(path = %path.display(), "leading the host's fence");
            Role::Leader(tokio::spawn(lead(listener, watcher)))
        }
        Err(error) => {
            // Another process bound it first: follow it.
            match UnixStream::connect(path).await {
                Ok(stream) => Role::Follower(stream),
                Err(_) => {
                    tracing::warn!(%error, path = %path.display(), "cannot share the fence on this host: reading the snapshot here");
                    Role::Alone {
                        since: Instant::now(),
                    }
                }
            }
        }
    }
}

/// A follower's round: one byte out, then the status byte (1: a snapshot follows, 0: the
/// round failed), and a snapshot as a length (u32, little-endian) and its text.
async fn ask(stream: &mut UnixStream) -> std::io::Result<LeaderRead> {
    stream.write_all(&[1]).await?;
    if stream.read_u8().await? == 0 {
        return Ok(LeaderRead::Failed);
    }
    let len = stream.read_u32_le().await?;
    if len > MAX_SNAPSHOT_BYTES {
        return Err(std::io::Error::other(
            "oversized snapshot from the fence leader",
        ));
    }
    let mut text = vec![0; len as usize];
    stream.read_exact(&mut text).await?;
    String::from_utf8(text)
        .map(LeaderRead::Snapshot)
        .map_err(std::io::Error::other)
}

/// The leader: serves every follower that connects, until aborted.
async fn lead(listener: UnixListener, watcher: Weak<PgGeneration>) {
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                tokio::spawn(serve(stream, watcher.clone()));
            }
            Err(error) => {
                tracing::warn!(%error, "accepting a fence follower failed");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
}

/// Answers one follower's rounds until it goes (or this process's fence is gone).
async fn serve(mut stream: UnixStream, watcher: Weak<PgGeneration>) {
    let mut ask = [0u8; 1];
    while stream.read_exact(&mut ask).await.is_ok() {
        let Some(w) = watcher.upgrade() else { return };
        // A round that began after the byte arrived, shared with this process's requests.
        let read = w.round_for_follower().await;
        drop(w);
        let mut reply = Vec::with_capacity(8);
        match read {
            Some(snapshot) => {
                let Ok(len) = u32::try_from(snapshot.len()) else {
                    return;
                };
                reply.push(1);
                reply.extend_from_slice(&len.to_le_bytes());
                reply.extend_from_slice(snapshot.as_bytes());
            }
            None => reply.push(0),
        }
        if stream.write_all(&reply).await.is_err() {
            return;
        }
    }
}
