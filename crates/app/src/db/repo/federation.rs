//! Federation tables: account keys, what remote actors publish, the inbox's seen activity
//! ids, the uri of follows, and the persistent job queue (`federation_jobs`).

use sqlx::FromRow;

use crate::db::query::{args, execute, fetch_all, fetch_one, fetch_optional, fetch_scalars};
use crate::db::repo::follows::FollowKind;
use crate::db::{Backend, Exec};

/// An account's key; `private_key_pem` only for local accounts.
#[derive(Clone, FromRow)]
pub struct KeyRow {
    pub account_id: i64,
    pub key_id: String,
    pub public_key_pem: String,
    pub private_key_pem: Option<String>,
}

impl std::fmt::Debug for KeyRow {
    // The private key never reaches a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyRow")
            .field("account_id", &self.account_id)
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

const KEY_COLUMNS: &str = "account_id, key_id, public_key_pem, private_key_pem";

pub async fn key_of(ex: &mut Exec<'_>, account_id: i64) -> Result<Option<KeyRow>, sqlx::Error> {
    let sql = format!("SELECT {KEY_COLUMNS} FROM account_keys WHERE account_id = $1");
    fetch_optional(ex, &sql, &args![account_id]).await
}

pub async fn key_by_id(ex: &mut Exec<'_>, key_id: &str) -> Result<Option<KeyRow>, sqlx::Error> {
    let sql = format!("SELECT {KEY_COLUMNS} FROM account_keys WHERE key_id = $1");
    fetch_optional(ex, &sql, &args![key_id]).await
}

/// Stores a key unless the account has one (two first uses racing keep the first).
pub async fn insert_key(ex: &mut Exec<'_>, k: &KeyRow, now: i64) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO account_keys (account_id, key_id, public_key_pem, private_key_pem, created_at, updated_at) \
               VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (account_id) DO NOTHING";
    let a = args![
        k.account_id,
        &k.key_id,
        &k.public_key_pem,
        k.private_key_pem.as_deref(),
        now
    ];
    execute(ex, sql, &a).await?;
    Ok(())
}

/// Replaces a remote account's public key (a refetched actor document).
pub async fn upsert_remote_key(
    ex: &mut Exec<'_>,
    account_id: i64,
    key_id: &str,
    pem: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO account_keys (account_id, key_id, public_key_pem, private_key_pem, created_at, updated_at) \
               VALUES ($1, $2, $3, NULL, $4, $4) ON CONFLICT (account_id) DO UPDATE SET \
               key_id = excluded.key_id, public_key_pem = excluded.public_key_pem, updated_at = excluded.updated_at";
    execute(ex, sql, &args![account_id, key_id, pem, now]).await?;
    Ok(())
}

/// Where a remote account is reached.
#[derive(Debug, Clone, FromRow)]
pub struct RemoteActorRow {
    pub account_id: i64,
    pub inbox_url: String,
    pub shared_inbox_url: Option<String>,
    pub outbox_url: Option<String>,
    pub followers_url: Option<String>,
    pub following_url: Option<String>,
    pub featured_url: Option<String>,
    pub fetched_at: i64,
}

pub async fn remote_actor(
    ex: &mut Exec<'_>,
    account_id: i64,
) -> Result<Option<RemoteActorRow>, sqlx::Error> {
    let sql = "SELECT account_id, inbox_url, shared_inbox_url, outbox_url, followers_url, following_url, \
               featured_url, fetched_at FROM remote_actors WHERE account_id = $1";
    fetch_optional(ex, sql, &args![account_id]).await
}

pub async fn upsert_remote_actor(ex: &mut Exec<'_>, r: &RemoteActorRow) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO remote_actors (account_id, inbox_url, shared_inbox_url, outbox_url, followers_url, \
               following_url, featured_url, fetched_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
               ON CONFLICT (account_id) DO UPDATE SET inbox_url = excluded.inbox_url, \
               shared_inbox_url = excluded.shared_inbox_url, outbox_url = excluded.outbox_url, \
               followers_url = excluded.followers_url, following_url = excluded.following_url, \
               featured_url = excluded.featured_url, fetched_at = excluded.fetched_at";
    let a = args![
        r.account_id,
        &r.inbox_url,
        &r.shared_inbox_url,
        &r.outbox_url,
        &r.followers_url,
        &r.following_url,
        &r.featured_url,
        r.fetched_at
    ];
    execute(ex, sql, &a).await?;
    Ok(())
}

/// The account with this actor URI (remote ones; local URIs are matched too).
pub async fn account_by_uri(ex: &mut Exec<'_>, uri: &str) -> Result<Option<i64>, sqlx::Error> {
    let sql = "SELECT id FROM accounts WHERE uri = $1 ORDER BY id LIMIT 1";
    Ok(fetch_scalars(ex, sql, &args![uri])
        .await?
        .into_iter()
        .next())
}

/// Inboxes of the remote followers of `account_id`: the shared inbox where the actor has one,
/// each distinct inbox once.
pub async fn follower_inboxes(
    ex: &mut Exec<'_>,
    account_id: i64,
) -> Result<Vec<String>, sqlx::Error> {
    let sql = "SELECT DISTINCT COALESCE(r.shared_inbox_url, r.inbox_url) FROM follows f \
               JOIN remote_actors r ON r.account_id = f.account_id WHERE f.target_account_id = $1";
    fetch_scalars(ex, sql, &args![account_id]).await
}

/// The local accounts `account_id` follows.
pub async fn local_followed_by(
    ex: &mut Exec<'_>,
    account_id: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    let sql = "SELECT f.target_account_id FROM follows f JOIN accounts a ON a.id = f.target_account_id \
               WHERE f.account_id = $1 AND a.domain IS NULL ORDER BY f.target_account_id";
    fetch_scalars(ex, sql, &args![account_id]).await
}

/// Records an inbound activity id; false when it was seen before.
pub async fn mark_seen(ex: &mut Exec<'_>, uri: &str, now: i64) -> Result<bool, sqlx::Error> {
    let sql =
        "INSERT INTO inbox_seen (uri, created_at) VALUES ($1, $2) ON CONFLICT (uri) DO NOTHING";
    Ok(execute(ex, sql, &args![uri, now]).await? == 1)
}

fn table(kind: FollowKind) -> &'static str {
    match kind {
        FollowKind::Follow => "follows",
        FollowKind::Request => "follow_requests",
    }
}

/// The activity id of a follow or request (the Follow that made it).
pub async fn follow_uri(
    ex: &mut Exec<'_>,
    kind: FollowKind,
    account_id: i64,
    target_account_id: i64,
) -> Result<Option<String>, sqlx::Error> {
    let sql = format!(
        "SELECT uri FROM {} WHERE account_id = $1 AND target_account_id = $2",
        table(kind)
    );
    let uris: Vec<Option<String>> =
        fetch_scalars(ex, &sql, &args![account_id, target_account_id]).await?;
    Ok(uris.into_iter().next().flatten())
}

pub async fn set_follow_uri(
    ex: &mut Exec<'_>,
    kind: FollowKind,
    account_id: i64,
    target_account_id: i64,
    uri: &str,
) -> Result<(), sqlx::Error> {
    let sql = format!(
        "UPDATE {} SET uri = $1 WHERE account_id = $2 AND target_account_id = $3",
        table(kind)
    );
    execute(ex, &sql, &args![uri, account_id, target_account_id]).await?;
    Ok(())
}

/// A queued job.
#[derive(Debug, Clone, FromRow)]
pub struct JobRow {
    pub id: i64,
    pub kind: String,
    pub account_id: Option<i64>,
    pub target_url: Option<String>,
    pub payload: String,
    pub attempts: i32,
}

pub struct NewJob<'a> {
    pub id: i64,
    pub kind: &'a str,
    pub account_id: Option<i64>,
    pub target_url: Option<&'a str>,
    pub payload: &'a str,
    pub run_at: i64,
}

pub async fn enqueue(ex: &mut Exec<'_>, j: &NewJob<'_>) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO federation_jobs (id, kind, account_id, target_url, payload, attempts, run_at, created_at) \
               VALUES ($1, $2, $3, $4, $5, 0, $6, $6)";
    let a = args![
        j.id,
        j.kind,
        j.account_id,
        j.target_url,
        j.payload,
        j.run_at
    ];
    execute(ex, sql, &a).await?;
    Ok(())
}

/// Claims up to `limit` due jobs for `lease_ms`: they are invisible to other workers until
/// the lease ends (a worker that dies mid-job leaves it to be retried). PostgreSQL skips rows
/// other workers are claiming; SQLite's single writer serializes claims.
pub async fn claim(
    ex: &mut Exec<'_>,
    now: i64,
    lease_ms: i64,
    limit: i64,
) -> Result<Vec<JobRow>, sqlx::Error> {
    let lock = match ex.backend() {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let sql = format!(
        "UPDATE federation_jobs SET locked_until = $1 + $2 WHERE id IN (\
         SELECT id FROM federation_jobs WHERE run_at <= $1 AND (locked_until IS NULL OR locked_until <= $1) \
         ORDER BY run_at LIMIT $3{lock}) \
         RETURNING id, kind, account_id, target_url, payload, attempts"
    );
    fetch_all(ex, &sql, &args![now, lease_ms, limit]).await
}

pub async fn finish(ex: &mut Exec<'_>, id: i64) -> Result<(), sqlx::Error> {
    execute(ex, "DELETE FROM federation_jobs WHERE id = $1", &args![id]).await?;
    Ok(())
}

/// Puts a failed job back, due at `run_at`.
pub async fn retry_at(
    ex: &mut Exec<'_>,
    id: i64,
    run_at: i64,
    error: &str,
) -> Result<(), sqlx::Error> {
    let sql = "UPDATE federation_jobs SET attempts = attempts + 1, run_at = $1, locked_until = NULL, \
               last_error = $2 WHERE id = $3";
    execute(ex, sql, &args![run_at, error, id]).await?;
    Ok(())
}

/// A job as `woolly admin deliveries` lists it: (kind, target, attempts, last error).
pub type PendingJob = (String, Option<String>, i32, Option<String>);

/// Jobs waiting, due first.
pub async fn pending(ex: &mut Exec<'_>) -> Result<Vec<PendingJob>, sqlx::Error> {
    let sql =
        "SELECT kind, target_url, attempts, last_error FROM federation_jobs ORDER BY run_at, id";
    fetch_all(ex, sql, &[]).await
}

/// Jobs in the queue: (all, due by `now`).
pub async fn queue_depth(ex: &mut Exec<'_>, now: i64) -> Result<(i64, i64), sqlx::Error> {
    let sql = "SELECT COUNT(*), COALESCE(SUM(CASE WHEN run_at <= $1 THEN 1 ELSE 0 END), 0) \
               FROM federation_jobs";
    fetch_one(ex, sql, &args![now]).await
}

/// The instance actor's (public, private) PEM.
pub async fn instance_key(ex: &mut Exec<'_>) -> Result<Option<(String, String)>, sqlx::Error> {
    let sql = "SELECT public_key_pem, private_key_pem FROM instance_actor_keys WHERE id = 1";
    fetch_optional(ex, sql, &[]).await
}

pub async fn insert_instance_key(
    ex: &mut Exec<'_>,
    public: &str,
    private: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO instance_actor_keys (id, public_key_pem, private_key_pem, created_at) \
               VALUES (1, $1, $2, $3) ON CONFLICT (id) DO NOTHING";
    execute(ex, sql, &args![public, private, now]).await?;
    Ok(())
}

/// The profile of a remote account as its actor document gives it.
pub struct RemoteProfile<'a> {
    pub display_name: &'a str,
    pub note_html: &'a str,
    pub fields_json: &'a str,
    pub url: Option<&'a str>,
    pub actor_type: &'a str,
    pub locked: bool,
    pub discoverable: Option<bool>,
    pub indexable: bool,
    pub memorial: bool,
    pub avatar_remote_url: Option<&'a str>,
    pub header_remote_url: Option<&'a str>,
    pub followers_count: Option<i64>,
    pub following_count: Option<i64>,
    pub statuses_count: Option<i64>,
    /// The actor says its server suspended it (`suspended: true`).
    pub suspended: bool,
    pub now: i64,
}

/// Overwrites a remote account's profile (counters only where the collections told them).
pub async fn update_remote_profile(
    ex: &mut Exec<'_>,
    account_id: i64,
    p: &RemoteProfile<'_>,
) -> Result<(), sqlx::Error> {
    let sql = "UPDATE accounts SET display_name = $1, display_name_lower = $2, note_html = $3, fields = $4, \
               url = $5, actor_type = $6, locked = $7, discoverable = $8, indexable = $9, memorial = $10, \
               avatar_remote_url = $11, header_remote_url = $12, \
               followers_count = COALESCE($13, followers_count), following_count = COALESCE($14, following_count), \
               statuses_count = COALESCE($15, statuses_count), updated_at = $16, \
               suspended_at = CASE WHEN $18 THEN COALESCE(suspended_at, $16) \
                 WHEN suspension_origin = 'remote' THEN NULL ELSE suspended_at END, \
               suspension_origin = CASE WHEN $18 THEN COALESCE(suspension_origin, 'remote') \
                 WHEN suspension_origin = 'remote' THEN NULL ELSE suspension_origin END \
               WHERE id = $17 AND domain IS NOT NULL";
    let a = args![
        p.display_name,
        p.display_name.to_lowercase(),
        p.note_html,
        p.fields_json,
        p.url,
        p.actor_type,
        p.locked,
        p.discoverable,
        p.indexable,
        p.memorial,
        p.avatar_remote_url,
        p.header_remote_url,
        p.followers_count,
        p.following_count,
        p.statuses_count,
        p.now,
        account_id,
        p.suspended
    ];
    execute(ex, sql, &a).await?;
    crate::db::repo::search::index_name(ex, account_id, p.display_name).await
}

/// Marks a remote account deleted (its actor sent Delete): a tombstone remains, as upstream.
pub async fn mark_deleted(ex: &mut Exec<'_>, account_id: i64, now: i64) -> Result<(), sqlx::Error> {
    let sql = "UPDATE accounts SET deleted_at = $1, suspended_at = COALESCE(suspended_at, $1), \
               suspension_origin = COALESCE(suspension_origin, 'remote'), updated_at = $1 \
               WHERE id = $2 AND domain IS NOT NULL";
    execute(ex, sql, &args![now, account_id]).await?;
    Ok(())
}
