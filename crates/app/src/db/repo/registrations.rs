//! What sign-up and e-mail confirmation read and write beyond the user row itself: invites,
//! e-mail domain blocks, canonical e-mail blocks and address changes.

use sqlx::FromRow;

use crate::db::Exec;
use crate::db::query::rows::scalars_in;
use crate::db::query::{Args, args, execute, fetch_optional};

/// An invite with what decides whether it is usable (its inviter's standing).
#[derive(Debug, Clone, FromRow)]
pub struct InviteRow {
    pub id: i64,
    pub max_uses: Option<i64>,
    pub uses: i64,
    pub expires_at: Option<i64>,
    pub inviter_disabled: bool,
    pub inviter_confirmed_at: Option<i64>,
    pub inviter_approved: bool,
    pub inviter_suspended_at: Option<i64>,
    pub inviter_memorial: bool,
    pub inviter_moved_to: Option<i64>,
    pub inviter_role_id: Option<i64>,
}

impl InviteRow {
    /// Upstream's `valid_for_use?`: uses left, not expired, and the inviter functional.
    pub fn valid_for_use(&self, now: i64) -> bool {
        self.max_uses.is_none_or(|max| self.uses < max)
            && self.expires_at.is_none_or(|at| at > now)
            && !self.inviter_disabled
            && self.inviter_confirmed_at.is_some()
            && self.inviter_approved
            && self.inviter_suspended_at.is_none()
            && !self.inviter_memorial
            && self.inviter_moved_to.is_none()
    }
}

pub async fn find_invite(ex: &mut Exec<'_>, code: &str) -> Result<Option<InviteRow>, sqlx::Error> {
    let sql = "SELECT i.id, CAST(i.max_uses AS BIGINT) AS max_uses, CAST(i.uses AS BIGINT) AS uses, \
        i.expires_at, u.disabled AS inviter_disabled, u.confirmed_at AS inviter_confirmed_at, \
        u.approved AS inviter_approved, a.suspended_at AS inviter_suspended_at, \
        a.memorial AS inviter_memorial, a.moved_to_account_id AS inviter_moved_to, \
        u.role_id AS inviter_role_id \
        FROM invites i JOIN users u ON u.id = i.user_id JOIN accounts a ON a.id = u.account_id \
        WHERE i.code = $1";
    fetch_optional(ex, sql, &args![code]).await
}

/// Counts one use of an invite (upstream's counter cache).
pub async fn use_invite(ex: &mut Exec<'_>, id: i64) -> Result<(), sqlx::Error> {
    let sql = "UPDATE invites SET uses = uses + 1 WHERE id = $1";
    execute(ex, sql, &args![id]).await?;
    Ok(())
}

/// The `allow_with_approval` flags of the e-mail domain blocks matching any of `domains`.
pub async fn email_domain_blocks(
    ex: &mut Exec<'_>,
    domains: &[String],
) -> Result<Vec<bool>, sqlx::Error> {
    let sql = "SELECT allow_with_approval FROM email_domain_blocks WHERE domain IN ({list})";
    scalars_in(ex, sql, Args::new(), domains).await
}

pub async fn canonical_email_blocked(ex: &mut Exec<'_>, hash: &str) -> Result<bool, sqlx::Error> {
    let row: Option<(i64,)> = fetch_optional(
        ex,
        "SELECT id FROM canonical_email_blocks WHERE canonical_email_hash = $1",
        &args![hash],
    )
    .await?;
    Ok(row.is_some())
}

/// Replaces the address of a user (before confirmation) or the address awaiting
/// confirmation (after it), with a fresh confirmation token.
pub async fn set_pending_email(
    ex: &mut Exec<'_>,
    user_id: i64,
    email: &str,
    confirmed: bool,
    now: i64,
) -> Result<(), sqlx::Error> {
    let sql = if confirmed {
        "UPDATE users SET unconfirmed_email = $1, updated_at = $2 WHERE id = $3"
    } else {
        "UPDATE users SET email = $1, updated_at = $2 WHERE id = $3"
    };
    execute(ex, sql, &args![email, now, user_id]).await?;
    Ok(())
}

/// Confirms a user: a pending address change takes effect, the token is spent.
pub async fn confirm_user(ex: &mut Exec<'_>, user_id: i64, now: i64) -> Result<(), sqlx::Error> {
    let sql = "UPDATE users SET confirmed_at = COALESCE(confirmed_at, $1), email = COALESCE(unconfirmed_email, email), \
         unconfirmed_email = NULL, confirmation_token_digest = NULL, updated_at = $1 WHERE id = $2";
    execute(ex, sql, &args![now, user_id]).await?;
    Ok(())
}

/// Addresses of enabled users holding one of `role_ids` (staff to tell about a sign-up).
pub async fn emails_of_roles(
    ex: &mut Exec<'_>,
    role_ids: &[i64],
) -> Result<Vec<String>, sqlx::Error> {
    let sql = "SELECT email FROM users WHERE disabled = FALSE AND role_id IN ({list}) ORDER BY id";
    scalars_in(ex, sql, Args::new(), role_ids).await
}

/// The reason a user gave when signing up, if any.
pub async fn invite_request_text(
    ex: &mut Exec<'_>,
    user_id: i64,
) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> = fetch_optional(
        ex,
        "SELECT text FROM user_invite_requests WHERE user_id = $1",
        &args![user_id],
    )
    .await?;
    Ok(row.map(|r| r.0))
}
