//! The admin accounts API besides `action`: list (v1/v2), show, approve, reject, enable,
//! unsilence, unsensitive, unsuspend and delete, with upstream's checks in upstream's order
//! (scope; 404; local-with-user; permission).

use crate::api_types::AdminAccount;
use crate::db::Exec;
use crate::db::repo::accounts::{self, AccountRecord};
use crate::db::repo::admin_accounts;
use crate::db::repo::users::{self, UserRow};
use crate::db::repo::warnings;
use crate::db::repo::warnings::FlagColumn;
use crate::domain::page::{Cursor, Page};
use crate::domain::permissions::{self, Standing};
use crate::domain::{acct, time};
use crate::error::{ApiError, ApiResult};
use crate::services::media_attachments;
use crate::services::moderation::filter::{self, RawParams};
use crate::services::moderation::{Target, audit, render, roles_that_can};
use crate::state::AppState;

/// Who is acting: the caller's role standing and account (None without a user).
#[derive(Debug, Clone, Copy)]
pub struct Actor {
    pub standing: Standing,
    pub account_id: Option<i64>,
}

impl Actor {
    pub fn require(&self, bits: i64) -> ApiResult<()> {
        if self.standing.can(bits) {
            Ok(())
        } else {
            Err(ApiError::not_allowed())
        }
    }
}

pub use super::filter::{ApiVersion, carried as carried_params};

/// `GET /api/v{1,2}/admin/accounts`: the filter is parsed before the permission check.
pub async fn list(
    state: &AppState,
    actor: &Actor,
    version: ApiVersion,
    raw: &RawParams,
    cursor: &Cursor,
) -> ApiResult<Page<AdminAccount>> {
    let mut conn = state.db().conn().await?;
    let mut ex = conn.exec();
    let staff = roles_that_can(&mut ex, permissions::MANAGE_REPORTS).await?;
    let f = match version {
        ApiVersion::V1 => filter::v1(raw, &staff)?,
        ApiVersion::V2 => filter::v2(raw, &staff)?,
    };
    actor.require(permissions::MANAGE_USERS)?;
    let filter_plan = admin_accounts::plan_for(&mut ex, &f).await?;
    let conds = admin_accounts::filter_conditions(&f, filter_plan, ex.backend());
    let ids = admin_accounts::page_ids(&mut ex, conds, cursor).await?;
    let items = render::admin_accounts(&mut ex, &state.base_url(), &ids).await?;
    Ok(Page::new(items, &ids, cursor))
}

pub(crate) async fn load(ex: &mut Exec<'_>, id: i64) -> ApiResult<AccountRecord> {
    accounts::find(ex, id).await?.ok_or(ApiError::NotFound)
}

pub(crate) fn account_target(a: &AccountRecord) -> Target {
    Target {
        kind: "Account",
        id: a.account.id,
        account_id: Some(a.account.id),
        human: acct::acct(&a.account.username, a.account.domain.as_deref()),
    }
}

pub(crate) fn user_target(a: &AccountRecord, u: &UserRow) -> Target {
    Target {
        kind: "User",
        id: u.id,
        account_id: Some(a.account.id),
        human: a.account.username.clone(),
    }
}

/// A local account's user, else 403 `Forbidden` (approve, reject, enable).
async fn local_user(ex: &mut Exec<'_>, a: &AccountRecord) -> ApiResult<UserRow> {
    if a.account.domain.is_some() {
        return Err(ApiError::forbidden());
    }
    users::find_by_account(ex, a.account.id)
        .await?
        .ok_or_else(ApiError::forbidden)
}

/// `GET /api/v1/admin/accounts/:id`
pub async fn show(state: &AppState, actor: &Actor, id: i64) -> ApiResult<AdminAccount> {
    let mut conn = state.db().conn().await?;
    let mut ex = conn.exec();
    load(&mut ex, id).await?;
    actor.require(permissions::MANAGE_USERS)?;
    render::admin_account(&mut ex, &state.base_url(), id).await
}

/// The single-account operations that answer with the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Approve,
    Enable,
    Unsilence,
    Unsensitive,
    Unsuspend,
}

/// approve / enable / unsilence / unsensitive / unsuspend.
pub async fn apply(state: &AppState, actor: &Actor, id: i64, op: Op) -> ApiResult<AdminAccount> {
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    let a = load(&mut ex, id).await?;
    let now = time::now();
    match op {
        Op::Approve => {
            let u = pending_user(&mut ex, state, actor, &a, "approve").await?;
            users::set_approved(&mut ex, u.id, true, now).await?;
        }
        Op::Enable => {
            let u = local_user(&mut ex, &a).await?;
            actor.require(permissions::MANAGE_USERS)?;
            audit(
                &mut ex,
                state,
                actor.account_id,
                "enable",
                &user_target(&a, &u),
                "",
            )
            .await?;
            users::set_disabled(&mut ex, u.id, false, now).await?;
        }
        Op::Unsilence | Op::Unsensitive => {
            actor.require(permissions::MANAGE_USERS)?;
            let (name, col) = if op == Op::Unsilence {
                ("unsilence", FlagColumn::Silenced)
            } else {
                ("unsensitive", FlagColumn::Sensitized)
            };
            audit(
                &mut ex,
                state,
                actor.account_id,
                name,
                &account_target(&a),
                "",
            )
            .await?;
            warnings::set_flag_at(&mut ex, id, col, None, now).await?;
        }
        Op::Unsuspend => {
            actor.require(permissions::MANAGE_USERS)?;
            if a.account.suspended_at.is_none()
                || a.account.suspension_origin.as_deref() != Some("local")
            {
                return Err(ApiError::not_allowed());
            }
            warnings::delete_deletion_request(&mut ex, id).await?;
            warnings::set_suspended(&mut ex, id, None, None, now).await?;
            warnings::delete_canonical_email_blocks(&mut ex, id).await?;
            crate::services::federation::outbound::update_actor(state, &mut ex, &a.account).await?;
            audit(
                &mut ex,
                state,
                actor.account_id,
                "unsuspend",
                &account_target(&a),
                "",
            )
            .await?;
        }
    }
    let entity = render::admin_account(&mut ex, &state.base_url(), id).await?;
    tx.commit().await?;
    if op == Op::Unsuspend && a.account.domain.is_some() {
        // Upstream's `refresh_remote_account!`: its server may have suspended it meanwhile.
        let _ = crate::services::federation::remote::resolve(state, &a.account.uri, true).await;
    }
    Ok(entity)
}

/// The local user of `a` awaiting approval, audited as `action` (approve or reject): 403
/// `Forbidden` without a user, `This action is not allowed` once it is approved.
async fn pending_user(
    ex: &mut Exec<'_>,
    state: &AppState,
    actor: &Actor,
    a: &AccountRecord,
    action: &str,
) -> ApiResult<UserRow> {
    let u = local_user(ex, a).await?;
    actor.require(permissions::MANAGE_USERS)?;
    if u.approved {
        return Err(ApiError::not_allowed());
    }
    audit(ex, state, actor.account_id, action, &user_target(a, &u), "").await?;
    Ok(u)
}

/// `POST /api/v1/admin/accounts/:id/reject`: destroys the pending user and its account.
pub async fn reject(state: &AppState, actor: &Actor, id: i64) -> ApiResult<()> {
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    let a = load(&mut ex, id).await?;
    pending_user(&mut ex, state, actor, &a, "reject").await?;
    warnings::destroy_account(&mut ex, id).await?;
    tx.commit().await?;
    Ok(())
}

/// `DELETE /api/v1/admin/accounts/:id`: purges a suspended account that still has its
/// deletion request; the row stays as a tombstone and the user stays, disabled. Upstream
/// writes no audit entry here; we write `destroy` (docs/admin-action-logs.md).
pub async fn delete(state: &AppState, actor: &Actor, id: i64) -> ApiResult<()> {
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    let a = load(&mut ex, id).await?;
    actor.require(permissions::DELETE_USER_DATA)?;
    if a.account.suspended_at.is_none() || a.deletion_requested.is_none() {
        return Err(ApiError::not_allowed());
    }
    audit(
        &mut ex,
        state,
        actor.account_id,
        "destroy",
        &account_target(&a),
        "",
    )
    .await?;
    crate::services::federation::outbound::delete_actor(state, &mut ex, &a.account).await?;
    let keys = warnings::purge_account(&mut ex, id, time::now()).await?;
    tx.commit().await?;
    media_attachments::delete_keys(state, keys).await;
    Ok(())
}
