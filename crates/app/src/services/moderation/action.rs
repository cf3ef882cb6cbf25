//! `POST /api/v1/admin/accounts/:id/action` (upstream `Admin::AccountAction`): the action,
//! the strike, the report resolutions and their audit entries in one transaction; the
//! warning mail after commit.

use crate::db::Exec;
use crate::db::repo::accounts::AccountRecord;
use crate::db::repo::reports::{self, ReportRow};
use crate::db::repo::users;
use crate::db::repo::warnings::FlagColumn;
use crate::db::repo::warnings::{self, NewNotification, WarningRow};
use crate::domain::{acct, permissions, time};
use crate::error::{ApiError, ApiResult};
use crate::mail::Mail;
use crate::services::moderation::accounts::{Actor, account_target, load, user_target};
use crate::services::moderation::{Target, audit, canonical_email_hash};
use crate::state::AppState;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionType {
    None,
    Disable,
    Sensitive,
    Silence,
    Suspend,
}

impl ActionType {
    pub fn parse(s: Option<&str>) -> ApiResult<Self> {
        Ok(match s.map(str::trim) {
            Some("none") => Self::None,
            Some("disable") => Self::Disable,
            Some("sensitive") => Self::Sensitive,
            Some("silence") => Self::Silence,
            Some("suspend") => Self::Suspend,
            _ => {
                return Err(ApiError::Unprocessable(
                    "Validation failed: Type can't be blank, Type is not included in the list"
                        .into(),
                ));
            }
        })
    }

    /// Upstream's AccountWarning action values.
    pub fn strike_value(self) -> i64 {
        match self {
            Self::None => 0,
            Self::Disable => 1000,
            Self::Sensitive => 2000,
            Self::Silence => 3000,
            Self::Suspend => 4000,
        }
    }

    fn mail_subject(self, acct: &str) -> String {
        match self {
            Self::None => format!("Your account {acct} has received a warning"),
            Self::Disable => format!("Your account {acct} has been frozen"),
            Self::Sensitive => {
                format!("Your account {acct} posting media has been marked as sensitive")
            }
            Self::Silence => format!("Your account {acct} has been limited"),
            Self::Suspend => format!("Your account {acct} has been suspended"),
        }
    }
}

/// The parameters of an action.
#[derive(Debug, Clone)]
pub struct ActionRequest {
    pub kind: Option<String>,
    pub report_id: Option<i64>,
    pub warning_preset_id: Option<i64>,
    pub text: Option<String>,
    pub send_email_notification: bool,
}

pub async fn perform(
    state: &AppState,
    actor: &Actor,
    id: i64,
    req: ActionRequest,
) -> ApiResult<()> {
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    let target = load(&mut ex, id).await?;
    actor.require(permissions::MANAGE_USERS)?;
    let kind = ActionType::parse(req.kind.as_deref())?;
    let now = time::now();
    authorize_type(&mut ex, actor, &target, kind).await?;
    let report = match req.report_id {
        Some(rid) => Some(
            reports::find(&mut ex, rid)
                .await?
                .ok_or(ApiError::NotFound)?,
        ),
        None => None,
    };
    let text = warning_text(&mut ex, &req).await?;
    apply_type(&mut ex, state, actor, &target, kind, &text, now).await?;
    let warning = WarningRow {
        id: state.next_id(),
        account_id: actor.account_id,
        target_account_id: id,
        action: kind.strike_value(),
        text: text.clone(),
        report_id: report.as_ref().map(|r| r.id),
        status_ids: report.as_ref().map(|r| r.status_ids.clone()),
        overruled_at: None,
        created_at: now,
    };
    warnings::insert(&mut ex, &warning).await?;
    let acct = acct::acct(&target.account.username, target.account.domain.as_deref());
    if kind == ActionType::None && !text.is_empty() {
        let t = Target {
            kind: "AccountWarning",
            id: warning.id,
            account_id: Some(id),
            human: acct.clone(),
        };
        audit(&mut ex, state, actor.account_id, "create", &t, &text).await?;
    }
    let to_resolve: Vec<ReportRow> = if kind == ActionType::None {
        report.into_iter().collect()
    } else {
        reports::unresolved_against(&mut ex, id).await?
    };
    resolve_reports(&mut ex, state, actor, &to_resolve, &text, now).await?;
    let user = users::find_by_account(&mut ex, id).await?;
    let mail = match (
        user,
        req.send_email_notification && target.account.domain.is_none(),
    ) {
        (Some(u), true) => {
            Some(warning_mail(&mut ex, state, &warning, kind, &acct, u.email).await?)
        }
        _ => None,
    };
    tx.commit().await?;
    if let Some(m) = mail {
        state.send_mail(m);
    }
    Ok(())
}

/// The warning's text: the preset's (404 for an unknown preset) and the given one, in that
/// order, blank ones left out.
async fn warning_text(ex: &mut Exec<'_>, req: &ActionRequest) -> ApiResult<String> {
    let preset_text = match req.warning_preset_id {
        Some(pid) => Some(
            warnings::find_preset(ex, pid)
                .await?
                .ok_or(ApiError::NotFound)?
                .text,
        ),
        None => None,
    };
    let text: Vec<String> = [preset_text, req.text.clone()]
        .into_iter()
        .flatten()
        .filter(|t| !t.is_empty())
        .collect();
    Ok(text.join("\n\n"))
}

/// Resolves `reports` (each needs manage_reports), with an audit entry each.
async fn resolve_reports(
    ex: &mut Exec<'_>,
    state: &AppState,
    actor: &Actor,
    to_resolve: &[ReportRow],
    text: &str,
    now: i64,
) -> ApiResult<()> {
    for r in to_resolve {
        actor.require(permissions::MANAGE_REPORTS)?;
        audit(
            ex,
            state,
            actor.account_id,
            "resolve",
            &report_target(r),
            text,
        )
        .await?;
        reports::set_resolved(ex, r.id, actor.account_id, now).await?;
    }
    Ok(())
}

/// Notifies the warned local user of `warning` and writes the mail to send them at `to`.
async fn warning_mail(
    ex: &mut Exec<'_>,
    state: &AppState,
    warning: &WarningRow,
    kind: ActionType,
    acct: &str,
    to: String,
) -> ApiResult<Mail> {
    let target = warning.target_account_id;
    warnings::insert_notification(
        ex,
        &NewNotification {
            id: state.next_id(),
            account_id: target,
            from_account_id: target,
            kind: "moderation_warning",
            report_id: None,
            account_warning_id: Some(warning.id),
            now: warning.created_at,
        },
    )
    .await?;
    Ok(Mail {
        to,
        subject: kind.mail_subject(acct),
        body: if warning.text.is_empty() {
            kind.mail_subject(acct)
        } else {
            warning.text.clone()
        },
    })
}

/// The report as an audit target.
pub(crate) fn report_target(r: &ReportRow) -> Target {
    Target {
        kind: "Report",
        id: r.id,
        account_id: Some(r.target_account_id),
        human: r.id.to_string(),
    }
}

/// Step 1a: the type's checks (role position, a user to disable, never the instance actor),
/// before the report and preset are looked up, as upstream's `authorize` comes first.
async fn authorize_type(
    ex: &mut Exec<'_>,
    actor: &Actor,
    target: &AccountRecord,
    kind: ActionType,
) -> ApiResult<()> {
    if kind == ActionType::None {
        return Ok(());
    }
    let position = match target.user_id {
        Some(_) => Some(target_position(ex, target).await?),
        None => None,
    };
    if !actor.standing.overrides(position) {
        return Err(ApiError::not_allowed());
    }
    if kind == ActionType::Suspend && target.account.id == -99 {
        return Err(ApiError::not_allowed());
    }
    if kind == ActionType::Disable && target.user_id.is_none() {
        return Err(ApiError::not_allowed());
    }
    Ok(())
}

/// Step 1b: the type's audit entry (with the strike text), then the change.
async fn apply_type(
    ex: &mut Exec<'_>,
    state: &AppState,
    actor: &Actor,
    target: &AccountRecord,
    kind: ActionType,
    text: &str,
    now: i64,
) -> ApiResult<()> {
    let id = target.account.id;
    match kind {
        ActionType::None => {}
        ActionType::Disable => {
            let u = users::find_by_account(ex, id)
                .await?
                .ok_or_else(ApiError::not_allowed)?;
            audit(
                ex,
                state,
                actor.account_id,
                "disable",
                &user_target(target, &u),
                text,
            )
            .await?;
            users::set_disabled(ex, u.id, true, now).await?;
        }
        ActionType::Sensitive | ActionType::Silence => {
            let (name, col) = if kind == ActionType::Silence {
                ("silence", FlagColumn::Silenced)
            } else {
                ("sensitive", FlagColumn::Sensitized)
            };
            audit(
                ex,
                state,
                actor.account_id,
                name,
                &account_target(target),
                text,
            )
            .await?;
            warnings::set_flag_at(ex, id, col, Some(now), now).await?;
        }
        ActionType::Suspend => {
            audit(
                ex,
                state,
                actor.account_id,
                "suspend",
                &account_target(target),
                text,
            )
            .await?;
            warnings::set_suspended(ex, id, Some(now), Some("local"), now).await?;
            warnings::insert_deletion_request(ex, state.next_id(), id, now).await?;
            if let Some(u) = users::find_by_account(ex, id).await? {
                let hash = canonical_email_hash(&u.email);
                warnings::insert_canonical_email_block(ex, state.next_id(), &hash, id, now).await?;
            }
        }
    }
    Ok(())
}

/// The target's role position; local users without a role have the everyone role (-1).
pub(crate) async fn target_position(ex: &mut Exec<'_>, target: &AccountRecord) -> ApiResult<i64> {
    let standing = crate::services::viewer::standing_of(ex, target.role_id).await?;
    Ok(standing.position)
}
