//! The profile directory's accounts (upstream's `Account.discoverable` and the directory's
//! scopes).

use crate::db::Exec;
use crate::db::query::{args, fetch_scalars};

/// What one directory page asks for.
#[derive(Debug, Clone, Copy)]
pub struct DirectoryQuery {
    /// `order=new`: newest accounts first; else most recently posting first.
    pub newest: bool,
    pub local_only: bool,
    /// The signed-in viewer: accounts blocking, blocked or muted by them are left out, and
    /// (unless `local_only`) accounts of domains they block.
    pub viewer: Option<i64>,
    pub offset: i64,
    pub limit: i64,
    pub now: i64,
}

/// `a` (accounts, with its user LEFT JOINed as `u`) may be listed: discoverable, not
/// suspended, silenced, moved, deleted or being deleted, and if local approved and confirmed
/// (upstream's `Account.discoverable`).
pub const LISTED: &str = "a.discoverable = TRUE AND a.suspended_at IS NULL AND a.silenced_at IS NULL \
     AND a.deleted_at IS NULL AND a.moved_to_account_id IS NULL \
     AND NOT EXISTS (SELECT 1 FROM account_deletion_requests d WHERE d.account_id = a.id) \
     AND (a.domain IS NOT NULL OR (u.approved = TRUE AND u.confirmed_at IS NOT NULL))";

/// `a` neither blocks nor is blocked or muted by the viewer `v` (mutes ended at `now` do not
/// count): upstream's `not_excluded_by_account`.
pub fn not_excluded_by(v: &str, now: &str) -> String {
    format!(
        "NOT EXISTS (SELECT 1 FROM blocks b WHERE (b.account_id = {v} AND b.target_account_id = a.id) \
         OR (b.account_id = a.id AND b.target_account_id = {v})) \
         AND NOT EXISTS (SELECT 1 FROM mutes m WHERE m.account_id = {v} AND m.target_account_id = a.id \
         AND (m.expires_at IS NULL OR m.expires_at > {now}))"
    )
}

/// `a` is local or of a domain the viewer `v` does not block.
pub fn not_domain_blocked_by(v: &str) -> String {
    format!(
        "(a.domain IS NULL OR a.domain NOT IN \
         (SELECT db.domain FROM account_domain_blocks db WHERE db.account_id = {v}))"
    )
}

/// Ids of one page of [`LISTED`] accounts.
pub async fn page(ex: &mut Exec<'_>, q: DirectoryQuery) -> Result<Vec<i64>, sqlx::Error> {
    let mut sql = format!(
        "SELECT a.id FROM accounts a LEFT JOIN users u ON u.account_id = a.id WHERE {LISTED}"
    );
    if q.local_only {
        sql.push_str(" AND a.domain IS NULL");
    }
    if q.viewer.is_some() {
        sql.push_str(" AND ");
        sql.push_str(&not_excluded_by("$3", "$4"));
        if !q.local_only {
            sql.push_str(" AND ");
            sql.push_str(&not_domain_blocked_by("$3"));
        }
    }
    sql.push_str(if q.newest {
        " ORDER BY a.id DESC"
    } else {
        " ORDER BY a.last_status_at DESC NULLS LAST, a.id DESC"
    });
    sql.push_str(" LIMIT $1 OFFSET $2");
    let mut args = args![q.limit, q.offset];
    if let Some(v) = q.viewer {
        args = args.with(v).with(q.now);
    }
    fetch_scalars(ex, &sql, &args).await
}
