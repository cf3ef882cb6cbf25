//! `account_warnings` (strikes), `account_warning_presets`, the effects of a strike on the
//! account (silence, sensitive, suspension with its deletion request and e-mail block, purge)
//! and the moderation notifications (`moderation_warning`, `admin.report`, `admin.sign_up`).

use sqlx::FromRow;

use crate::db::Exec;
use crate::db::query::rows::{page_rows, rows_by_id};
use crate::db::query::{Arg, Conditions, args, execute, fetch_all, fetch_optional, fetch_scalars};
use crate::domain::page::Cursor;

#[derive(Debug, Clone, FromRow)]
pub struct WarningRow {
    pub id: i64,
    pub account_id: Option<i64>,
    pub target_account_id: i64,
    pub action: i64,
    pub text: String,
    pub report_id: Option<i64>,
    pub status_ids: Option<String>,
    pub overruled_at: Option<i64>,
    pub created_at: i64,
}

pub async fn insert(ex: &mut Exec<'_>, w: &WarningRow) -> Result<(), sqlx::Error> {
    execute(
        ex,
        "INSERT INTO account_warnings (id, account_id, target_account_id, action, text, report_id, \
         status_ids, overruled_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        &args![
            w.id,
            w.account_id,
            w.target_account_id,
            w.action,
            &w.text,
            w.report_id,
            &w.status_ids,
            w.overruled_at,
            w.created_at
        ],
    )
    .await?;
    Ok(())
}

/// One page of the strikes against an account, newest first (`min_id` pages come back newest
/// first too), served by `index_account_warnings_on_target_account_id (target_account_id, id)`.
pub async fn page_for_target(
    ex: &mut Exec<'_>,
    target_account_id: i64,
    cursor: &Cursor,
) -> Result<Vec<WarningRow>, sqlx::Error> {
    let mut conds = Conditions::default();
    conds.eq("target_account_id", target_account_id);
    page_rows(ex, "account_warnings", conds, cursor).await
}

pub async fn find(ex: &mut Exec<'_>, id: i64) -> Result<Option<WarningRow>, sqlx::Error> {
    fetch_optional(
        ex,
        "SELECT * FROM account_warnings WHERE id = $1",
        &args![id],
    )
    .await
}

/// Sets `overruled_at` unless it is already set; true when this call set it. The condition
/// makes concurrent calls agree: exactly one of them changes the row.
pub async fn overrule(ex: &mut Exec<'_>, id: i64, now: i64) -> Result<bool, sqlx::Error> {
    let n = execute(
        ex,
        "UPDATE account_warnings SET overruled_at = $1 WHERE id = $2 AND overruled_at IS NULL",
        &args![now, id],
    )
    .await?;
    Ok(n > 0)
}

/// The strikes with these ids (any order).
pub async fn find_many(ex: &mut Exec<'_>, ids: &[i64]) -> Result<Vec<WarningRow>, sqlx::Error> {
    rows_by_id(ex, "account_warnings", ids).await
}

#[derive(Debug, Clone, FromRow)]
pub struct PresetRow {
    pub id: i64,
    pub title: String,
    pub text: String,
    pub created_at: i64,
    pub updated_at: i64,
}

pub async fn find_preset(ex: &mut Exec<'_>, id: i64) -> Result<Option<PresetRow>, sqlx::Error> {
    fetch_optional(
        ex,
        "SELECT * FROM account_warning_presets WHERE id = $1",
        &args![id],
    )
    .await
}

pub async fn insert_preset(ex: &mut Exec<'_>, p: &PresetRow) -> Result<(), sqlx::Error> {
    execute(
        ex,
        "INSERT INTO account_warning_presets (id, title, text, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5)",
        &args![p.id, &p.title, &p.text, p.created_at, p.updated_at],
    )
    .await?;
    Ok(())
}

/// Presets ordered as upstream lists them (by title).
pub async fn presets(ex: &mut Exec<'_>) -> Result<Vec<PresetRow>, sqlx::Error> {
    fetch_all(
        ex,
        "SELECT * FROM account_warning_presets ORDER BY title, id",
        &args![],
    )
    .await
}

/// A notification row of one of the moderation types.
#[derive(Debug, Clone)]
pub struct NewNotification<'a> {
    pub id: i64,
    pub account_id: i64,
    pub from_account_id: i64,
    pub kind: &'a str,
    pub report_id: Option<i64>,
    pub account_warning_id: Option<i64>,
    pub now: i64,
}

pub async fn insert_notification(
    ex: &mut Exec<'_>,
    n: &NewNotification<'_>,
) -> Result<(), sqlx::Error> {
    execute(
        ex,
        "INSERT INTO notifications (id, account_id, from_account_id, type, report_id, \
         account_warning_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &args![
            n.id,
            n.account_id,
            n.from_account_id,
            n.kind,
            n.report_id,
            n.account_warning_id,
            n.now
        ],
    )
    .await?;
    Ok(())
}

/// Sets one of the moderation timestamps (`silenced_at`, `sensitized_at`) or clears it.
pub async fn set_flag_at(
    ex: &mut Exec<'_>,
    account_id: i64,
    column: FlagColumn,
    at: Option<i64>,
    now: i64,
) -> Result<(), sqlx::Error> {
    let col = match column {
        FlagColumn::Silenced => "silenced_at",
        FlagColumn::Sensitized => "sensitized_at",
    };
    let sql = format!("UPDATE accounts SET {col} = $1, updated_at = $2 WHERE id = $3");
    execute(ex, &sql, &args![at, now, account_id]).await?;
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagColumn {
    Silenced,
    Sensitized,
}

/// Suspends (`Some(now)`, origin) or lifts the suspension (`None`).
pub async fn set_suspended(
    ex: &mut Exec<'_>,
    account_id: i64,
    at: Option<i64>,
    origin: Option<&str>,
    now: i64,
) -> Result<(), sqlx::Error> {
    let sql = "UPDATE accounts SET suspended_at = $1, suspension_origin = $2, updated_at = $3 WHERE id = $4";
    execute(ex, sql, &args![at, origin, now, account_id]).await?;
    Ok(())
}

pub async fn insert_deletion_request(
    ex: &mut Exec<'_>,
    id: i64,
    account_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    execute(
        ex,
        "INSERT INTO account_deletion_requests (id, account_id, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (account_id) DO NOTHING",
        &args![id, account_id, now],
    )
    .await?;
    Ok(())
}

pub async fn delete_deletion_request(
    ex: &mut Exec<'_>,
    account_id: i64,
) -> Result<(), sqlx::Error> {
    let sql = "DELETE FROM account_deletion_requests WHERE account_id = $1";
    execute(ex, sql, &args![account_id]).await?;
    Ok(())
}

/// Suspended accounts whose deletion request was made at or before `cutoff`, oldest first.
pub async fn deletion_requests_due(
    ex: &mut Exec<'_>,
    cutoff: i64,
    limit: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    let sql = "SELECT d.account_id FROM account_deletion_requests d JOIN accounts a ON a.id = d.account_id \
         WHERE d.created_at <= $1 AND a.suspended_at IS NOT NULL ORDER BY d.created_at, d.id LIMIT $2";
    fetch_scalars(ex, sql, &args![cutoff, limit]).await
}

/// Claims a due deletion request by deleting it while it is still due and the account still
/// suspended. True for exactly one caller: a concurrent claimer (another process) waits on the
/// row and then deletes nothing, and an unsuspension in between removes the request.
pub async fn claim_deletion_request(
    ex: &mut Exec<'_>,
    account_id: i64,
    cutoff: i64,
) -> Result<bool, sqlx::Error> {
    let n = execute(
        ex,
        "DELETE FROM account_deletion_requests WHERE account_id = $1 AND created_at <= $2 \
         AND account_id IN (SELECT id FROM accounts WHERE suspended_at IS NOT NULL)",
        &args![account_id, cutoff],
    )
    .await?;
    Ok(n > 0)
}

pub async fn insert_canonical_email_block(
    ex: &mut Exec<'_>,
    id: i64,
    hash: &str,
    account_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO canonical_email_blocks (id, canonical_email_hash, reference_account_id, created_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (canonical_email_hash) DO NOTHING";
    execute(ex, sql, &args![id, hash, account_id, now]).await?;
    Ok(())
}

pub async fn delete_canonical_email_blocks(
    ex: &mut Exec<'_>,
    account_id: i64,
) -> Result<(), sqlx::Error> {
    execute(
        ex,
        "DELETE FROM canonical_email_blocks WHERE reference_account_id = $1",
        &args![account_id],
    )
    .await?;
    Ok(())
}

/// Destroys an account and (by cascade) its user and everything they own: a rejected sign-up.
pub async fn destroy_account(ex: &mut Exec<'_>, account_id: i64) -> Result<(), sqlx::Error> {
    execute(ex, "DELETE FROM accounts WHERE id = $1", &args![account_id]).await?;
    Ok(())
}

/// Statements that fix other accounts' and statuses' stored counters before the purge deletes
/// the account's statuses (and, by cascade, others' reblogs of them); its follows go first,
/// with their counters, through `follows::sever_all`. Each
/// is one set-based statement; the counting rules are those of status creation and deletion
/// (`services/statuses`): direct statuses do not count, replies count when public or unlisted.
const PURGE_COUNTERS: &[&str] = &[
    // authors of reblogs of the purged statuses, which cascade away
    "UPDATE accounts SET statuses_count = CASE \
       WHEN statuses_count - (SELECT COUNT(*) FROM statuses r JOIN statuses o ON o.id = r.reblog_of_id \
         WHERE o.account_id = $1 AND r.account_id = accounts.id AND r.visibility <> 3) < 0 THEN 0 \
       ELSE statuses_count - (SELECT COUNT(*) FROM statuses r JOIN statuses o ON o.id = r.reblog_of_id \
         WHERE o.account_id = $1 AND r.account_id = accounts.id AND r.visibility <> 3) END \
     WHERE id IN (SELECT r.account_id FROM statuses r JOIN statuses o ON o.id = r.reblog_of_id \
       WHERE o.account_id = $1 AND r.visibility <> 3) AND id <> $1",
    // other accounts' statuses the purged account reblogged (one reblog per status)
    "UPDATE statuses SET reblogs_count = CASE WHEN reblogs_count > 0 THEN reblogs_count - 1 ELSE 0 END \
     WHERE id IN (SELECT reblog_of_id FROM statuses WHERE account_id = $1 AND reblog_of_id IS NOT NULL) \
     AND account_id <> $1",
    // other accounts' statuses the purged account replied to
    "UPDATE statuses SET replies_count = CASE \
       WHEN replies_count - (SELECT COUNT(*) FROM statuses r WHERE r.in_reply_to_id = statuses.id \
         AND r.account_id = $1 AND r.visibility <= 1) < 0 THEN 0 \
       ELSE replies_count - (SELECT COUNT(*) FROM statuses r WHERE r.in_reply_to_id = statuses.id \
         AND r.account_id = $1 AND r.visibility <= 1) END \
     WHERE id IN (SELECT in_reply_to_id FROM statuses WHERE account_id = $1 \
       AND in_reply_to_id IS NOT NULL AND visibility <= 1) AND account_id <> $1",
];

/// Statements that purge an account's data, keeping the account row as a tombstone.
const PURGE: &[&str] = &[
    "DELETE FROM blocks WHERE account_id = $1 OR target_account_id = $1",
    "DELETE FROM mutes WHERE account_id = $1 OR target_account_id = $1",
    "DELETE FROM account_domain_blocks WHERE account_id = $1",
    "DELETE FROM account_notes WHERE account_id = $1 OR target_account_id = $1",
    "DELETE FROM account_pins WHERE account_id = $1 OR target_account_id = $1",
    "DELETE FROM status_pins WHERE account_id = $1",
    "DELETE FROM featured_tags WHERE account_id = $1",
    "DELETE FROM list_accounts WHERE account_id = $1",
    "DELETE FROM lists WHERE account_id = $1",
    "DELETE FROM notifications WHERE account_id = $1 OR from_account_id = $1",
    "DELETE FROM mentions WHERE account_id = $1",
    "DELETE FROM media_attachments WHERE account_id = $1",
    "DELETE FROM statuses WHERE account_id = $1",
    "DELETE FROM account_deletion_requests WHERE account_id = $1",
    "DELETE FROM account_name_words WHERE account_id = $1",
];

/// Storage keys of the account's files: its attachments and its avatar and header.
async fn file_keys(ex: &mut Exec<'_>, account_id: i64) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<(Option<String>, Option<String>)> = fetch_all(
        ex,
        "SELECT file_key, preview_key FROM media_attachments WHERE account_id = $1 \
         UNION ALL SELECT avatar_key, avatar_static_key FROM accounts WHERE id = $1 \
         UNION ALL SELECT header_key, header_static_key FROM accounts WHERE id = $1",
        &args![account_id],
    )
    .await?;
    let mut keys: Vec<String> = rows
        .into_iter()
        .flat_map(|(a, b)| [a, b])
        .flatten()
        .filter(|k| !k.is_empty())
        .collect();
    keys.sort_unstable();
    keys.dedup();
    Ok(keys)
}

/// Deletes the account's data and blanks its profile; the row stays (suspended, `deleted_at`),
/// the user stays disabled and its unused invites go. Other accounts' and statuses' counters
/// are corrected first. Returns the storage keys of the account's files, for the caller to
/// delete after commit.
pub async fn purge_account(
    ex: &mut Exec<'_>,
    account_id: i64,
    now: i64,
) -> Result<Vec<String>, sqlx::Error> {
    let keys = file_keys(ex, account_id).await?;
    // Follows first, with both sides' counters; the rest of the counters before the rows go.
    crate::db::repo::follows::sever_all(ex, &[account_id]).await?;
    for sql in PURGE_COUNTERS.iter().chain(PURGE) {
        execute(ex, sql, &[Arg::Int(account_id)]).await?;
    }
    execute(
        ex,
        "UPDATE accounts SET display_name = '', display_name_lower = '', note = '', note_html = '', \
         fields = '[]', avatar_key = NULL, avatar_static_key = NULL, header_key = NULL, \
         header_static_key = NULL, avatar_remote_url = NULL, header_remote_url = NULL, \
         followers_count = 0, following_count = 0, statuses_count = 0, last_status_at = NULL, \
         deleted_at = $2, updated_at = $2 WHERE id = $1",
        &[Arg::Int(account_id), Arg::Int(now)],
    )
    .await?;
    execute(
        ex,
        "UPDATE users SET disabled = TRUE, updated_at = $2 WHERE account_id = $1",
        &[Arg::Int(account_id), Arg::Int(now)],
    )
    .await?;
    execute(
        ex,
        "DELETE FROM invites WHERE uses = 0 AND user_id IN (SELECT id FROM users WHERE account_id = $1)",
        &[Arg::Int(account_id)],
    )
    .await?;
    Ok(keys)
}
