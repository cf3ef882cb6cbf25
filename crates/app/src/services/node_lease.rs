//! Node-id leases: snowflake ids carry the process's node id (`domain::ids`), so two live
//! processes on one database must never share one. `woolly serve` takes its configured id
//! and is refused while another live process holds it, or, with none configured, the lowest
//! free id; the short-lived `woolly admin` takes the highest free id, leaving the low ones to
//! servers. The holder renews the lease every
//! [`HEARTBEAT`] and deletes it at shutdown; a crashed holder's lease lapses after [`TTL_MS`],
//! or at once when the holder ran on this machine and its process is gone.

use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::config::MAX_NODE_ID;
use crate::db::Db;
use crate::db::repo::node_leases;
use crate::domain::time;

/// How long a lease outlives its last heartbeat: how long a restart waits after a crash.
pub const TTL_MS: i64 = 30_000;
/// How often the holder renews its lease (a third of the TTL: two renewals may fail).
pub const HEARTBEAT: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
pub enum LeaseError {
    #[error(
        "node id {node_id} is in use by another live process ({holder}) on this database; \
         give each process its own node_id (0..={MAX_NODE_ID}), or, if that process has died, \
         retry in {wait_secs} s when its lease lapses"
    )]
    Held {
        node_id: u16,
        holder: String,
        wait_secs: i64,
    },
    #[error("every node id (0..={MAX_NODE_ID}) is in use by a live process on this database")]
    NoneFree,
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

/// A name for this process in the lease table, unique even when pids repeat across hosts:
/// `<host> pid <pid> in <kernel boot>/<pid namespace> #<nonce>`.
pub fn holder_name() -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_owned())
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "host".into());
    let mut nonce = [0u8; 4];
    let _ = getrandom::fill(&mut nonce);
    format!(
        "{host} pid {} in {} #{}",
        std::process::id(),
        pid_space().unwrap_or_default(),
        hex::encode(nonce)
    )
}

/// This kernel boot and pid namespace: where a pid names one process (Linux only).
fn pid_space() -> Option<String> {
    let boot = std::fs::read_to_string("/proc/sys/kernel/random/boot_id").ok()?;
    let ns = std::fs::read_link("/proc/self/ns/pid").ok()?;
    Some(format!("{}/{}", boot.trim(), ns.display()))
}

/// True when `holder` ran in this very pid space and its process is gone: a crash on this
/// machine (the usual `kill -9` and restart), whose lease need not be waited out. Anything
/// else (another host, an unreadable name, a pid in use again) is treated as alive.
fn died_here(holder: &str) -> bool {
    let Some(space) = pid_space() else {
        return false;
    };
    let Some((_, rest)) = holder.split_once(" pid ") else {
        return false;
    };
    let Some((pid, rest)) = rest.split_once(" in ") else {
        return false;
    };
    let Some((their_space, _)) = rest.split_once(" #") else {
        return false;
    };
    let Ok(pid) = pid.parse::<u32>() else {
        return false;
    };
    their_space == space && !std::path::Path::new(&format!("/proc/{pid}")).exists()
}

/// Takes `node_id` for `holder` at `now` (ms), or says who holds it.
pub async fn take(db: &Db, node_id: u16, holder: &str, now: i64) -> Result<(), LeaseError> {
    let mut tx = db.begin().await?;
    let id = i64::from(node_id);
    let mut taken = node_leases::try_take(&mut tx.exec(), id, holder, now, now + TTL_MS).await?;
    let mut current = None;
    if !taken {
        current = node_leases::find(&mut tx.exec(), id).await?;
        if let Some(row) = current.as_ref().filter(|row| died_here(&row.holder)) {
            taken =
                node_leases::take_over(&mut tx.exec(), id, &row.holder, holder, now, now + TTL_MS)
                    .await?;
            if taken {
                tracing::info!(node_id, previous = %row.holder, "took over the node id of a process that died on this machine");
            }
        }
    }
    tx.commit().await?;
    match current {
        _ if taken => Ok(()),
        Some(row) => Err(LeaseError::Held {
            node_id,
            holder: row.holder,
            wait_secs: ((row.expires_at - now) / 1000).max(1),
        }),
        // Released between the two statements: try again.
        None => Box::pin(take(db, node_id, holder, now)).await,
    }
}

/// Takes the highest free node id.
pub async fn take_any(db: &Db, holder: &str, now: i64) -> Result<u16, LeaseError> {
    take_first_free(db, holder, now, (0..=MAX_NODE_ID).rev()).await
}

/// Takes the lowest free node id.
pub async fn take_lowest(db: &Db, holder: &str, now: i64) -> Result<u16, LeaseError> {
    take_first_free(db, holder, now, 0..=MAX_NODE_ID).await
}

async fn take_first_free(
    db: &Db,
    holder: &str,
    now: i64,
    order: impl Iterator<Item = u16>,
) -> Result<u16, LeaseError> {
    for node_id in order {
        match take(db, node_id, holder, now).await {
            Ok(()) => return Ok(node_id),
            Err(LeaseError::Held { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    Err(LeaseError::NoneFree)
}

/// Extends the lease to `now + TTL`; false when `holder` lost it.
pub async fn renew(db: &Db, node_id: u16, holder: &str, now: i64) -> Result<bool, LeaseError> {
    let mut tx = db.begin().await?;
    let kept = node_leases::renew(&mut tx.exec(), i64::from(node_id), holder, now + TTL_MS).await?;
    tx.commit().await?;
    Ok(kept)
}

pub async fn release(db: &Db, node_id: u16, holder: &str) -> Result<(), LeaseError> {
    let mut tx = db.begin().await?;
    node_leases::release(&mut tx.exec(), i64::from(node_id), holder).await?;
    tx.commit().await?;
    Ok(())
}

/// A held lease with its heartbeat running.
pub struct Lease {
    db: Db,
    node_id: u16,
    holder: String,
    heartbeat: JoinHandle<()>,
    lost: watch::Receiver<bool>,
}

impl Lease {
    /// Takes `node_id`, refused while another live process holds it.
    pub async fn acquire(db: &Db, node_id: u16) -> Result<Self, LeaseError> {
        let holder = holder_name();
        take(db, node_id, &holder, time::now()).await?;
        Ok(Self::start(db, node_id, holder))
    }

    /// Takes the lowest free node id (servers with no `node_id` configured).
    pub async fn acquire_lowest(db: &Db) -> Result<Self, LeaseError> {
        let holder = holder_name();
        let node_id = take_lowest(db, &holder, time::now()).await?;
        Ok(Self::start(db, node_id, holder))
    }

    /// Takes the highest free node id (short-lived processes: the CLI).
    pub async fn acquire_any(db: &Db) -> Result<Self, LeaseError> {
        let holder = holder_name();
        let node_id = take_any(db, &holder, time::now()).await?;
        Ok(Self::start(db, node_id, holder))
    }

    fn start(db: &Db, node_id: u16, holder: String) -> Self {
        let (lost_tx, lost) = watch::channel(false);
        let heartbeat = tokio::spawn(heartbeat(db.clone(), node_id, holder.clone(), lost_tx));
        Self {
            db: db.clone(),
            node_id,
            holder,
            heartbeat,
            lost,
        }
    }

    pub fn node_id(&self) -> u16 {
        self.node_id
    }

    /// Resolves when the lease is lost: its ids may now collide, so the process must stop.
    pub async fn lost(&self) {
        let mut lost = self.lost.clone();
        let _ = lost.wait_for(|l| *l).await;
    }

    pub fn is_lost(&self) -> bool {
        *self.lost.borrow()
    }

    /// Stops the heartbeat and frees the node id for the next process.
    pub async fn release(self) {
        self.heartbeat.abort();
        if let Err(error) = release(&self.db, self.node_id, &self.holder).await {
            tracing::warn!(%error, node_id = self.node_id, "releasing the node id lease failed; it lapses by itself");
        }
    }
}

async fn heartbeat(db: Db, node_id: u16, holder: String, lost: watch::Sender<bool>) {
    let mut held_until = time::now() + TTL_MS;
    let mut every = tokio::time::interval(HEARTBEAT);
    every.tick().await;
    loop {
        every.tick().await;
        let now = time::now();
        match renew(&db, node_id, &holder, now).await {
            Ok(true) => held_until = now + TTL_MS,
            Ok(false) => {
                tracing::error!(
                    node_id,
                    "the node id lease was taken over by another process"
                );
                let _ = lost.send(true);
                return;
            }
            // Still ours until it lapses; another process may take it after that.
            Err(error) if time::now() < held_until => {
                tracing::warn!(%error, node_id, "renewing the node id lease failed; retrying");
            }
            Err(error) => {
                tracing::error!(%error, node_id, "the node id lease lapsed: could not renew it");
                let _ = lost.send(true);
                return;
            }
        }
    }
}
