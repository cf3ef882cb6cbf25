//! The data of the console pages that show more than one service's answer. Each part is the
//! moderation service's own answer (with its permission checks); parts the actor's role may
//! not see are None.

use std::collections::BTreeMap;

use serde::Serialize;

use super::if_allowed;
use super::notes::{self, Note};
use crate::api_types::account_warning::AdminAccountWarning;
use crate::api_types::{ActionLog, AdminAccount, AdminReport};
use crate::db::Exec;
use crate::db::repo::{console, roles, warnings};
use crate::domain::admin_filters::{LogFilter, ReportFilter};
use crate::domain::page::{Cursor, Page};
use crate::domain::{permissions, time};
use crate::error::ApiResult;
use crate::services::moderation::accounts::{self, Actor, ApiVersion};
use crate::services::moderation::filter::RawParams;
use crate::services::moderation::{logs, reports, strikes};
use crate::state::AppState;

/// How many strikes, reports and audit entries an account page shows.
const HISTORY: usize = 40;

/// A role in the accounts filter.
#[derive(Debug, Clone, Serialize)]
pub struct RoleOption {
    pub id: String,
    pub name: String,
}

/// A warning preset moderators can start a strike from.
#[derive(Debug, Clone, Serialize)]
pub struct Preset {
    pub id: String,
    pub title: String,
    pub text: String,
}

/// What a moderator scans besides the Admin::Account: where the user signed up from and
/// when they last signed in (local accounts only).
#[derive(Debug, Clone, Default, Serialize)]
pub struct RowFacts {
    pub sign_up_ip: Option<String>,
    pub last_sign_in_at: Option<String>,
}

pub struct AccountsPage {
    pub listed: Page<AdminAccount>,
    /// By account id.
    pub facts: BTreeMap<String, RowFacts>,
    pub roles: Vec<RoleOption>,
}

async fn row_facts(ex: &mut Exec<'_>, ids: &[i64]) -> ApiResult<BTreeMap<String, RowFacts>> {
    Ok(console::sign_up_facts(ex, ids)
        .await?
        .into_iter()
        .map(|(id, ip, at)| {
            let facts = RowFacts {
                sign_up_ip: ip,
                last_sign_in_at: at.map(time::iso8601),
            };
            (id.to_string(), facts)
        })
        .collect())
}

/// The accounts list (the v2 API's filters and checks) and the roles of its filter form.
pub async fn accounts(
    state: &AppState,
    actor: &Actor,
    raw: &RawParams,
    cursor: &Cursor,
) -> ApiResult<AccountsPage> {
    let listed = accounts::list(state, actor, ApiVersion::V2, raw, cursor).await?;
    let ids: Vec<i64> = listed
        .items
        .iter()
        .filter_map(|a| a.id.parse().ok())
        .collect();
    let mut conn = state.db().conn().await?;
    let mut ex = conn.exec();
    let facts = row_facts(&mut ex, &ids).await?;
    let roles = roles::all(&mut ex)
        .await?
        .into_iter()
        .filter(|r| r.id != permissions::EVERYONE_ROLE_ID)
        .map(|r| RoleOption {
            id: r.id.to_string(),
            name: r.name,
        })
        .collect();
    Ok(AccountsPage {
        listed,
        facts,
        roles,
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct AccountPage {
    pub account: AdminAccount,
    pub facts: RowFacts,
    pub strikes: Option<Vec<AdminAccountWarning>>,
    /// Reports against the account (unresolved first), and those it filed.
    pub reports_against: Option<Vec<AdminReport>>,
    pub reports_by: Option<Vec<AdminReport>>,
    pub audit: Option<Vec<ActionLog>>,
    pub notes: Vec<Note>,
    pub presets: Vec<Preset>,
}

async fn reports_where(
    state: &AppState,
    actor: &Actor,
    by: Option<i64>,
    against: Option<i64>,
) -> ApiResult<Option<Vec<AdminReport>>> {
    let mut out = Vec::new();
    for resolved in [false, true] {
        let filter = ReportFilter {
            resolved,
            account_id: by,
            target_account_id: against,
            target_origin: None,
        };
        match if_allowed(reports::list(state, actor, &filter, &Cursor::first(HISTORY)).await)? {
            Some(listed) => out.extend(listed.items),
            None => return Ok(None),
        }
    }
    Ok(Some(out))
}

/// Everything about one account on one screen: 404 / 403 as `GET /api/v1/admin/accounts/:id`.
pub async fn account(state: &AppState, actor: &Actor, id: i64) -> ApiResult<AccountPage> {
    let account = accounts::show(state, actor, id).await?;
    let strikes = if_allowed(
        strikes::list(state, actor, Some(id), &Cursor::first(HISTORY))
            .await
            .map(|l| l.items),
    )?;
    let reports_against = reports_where(state, actor, None, Some(id)).await?;
    let reports_by = reports_where(state, actor, Some(id), None).await?;
    let filter = LogFilter {
        target_account_id: Some(id),
        ..LogFilter::default()
    };
    let audit = if_allowed(
        logs::list(state, actor, &filter, &Cursor::first(HISTORY))
            .await
            .map(|l| l.items),
    )?;
    let (facts, notes) = {
        let mut conn = state.db().conn().await?;
        let mut ex = conn.exec();
        let facts = row_facts(&mut ex, &[id])
            .await?
            .remove(&id.to_string())
            .unwrap_or_default();
        (facts, notes::for_target(&mut ex, actor, id).await?)
    };
    Ok(AccountPage {
        account,
        facts,
        strikes,
        reports_against,
        reports_by,
        audit,
        notes,
        presets: presets(state).await?,
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportPage {
    pub report: AdminReport,
    pub presets: Vec<Preset>,
}

/// A report and the presets of its "act on the target" form: 404 / 403 as the API.
pub async fn report(state: &AppState, actor: &Actor, id: i64) -> ApiResult<ReportPage> {
    let report = reports::show(state, actor, id).await?;
    Ok(ReportPage {
        report,
        presets: presets(state).await?,
    })
}

async fn presets(state: &AppState) -> ApiResult<Vec<Preset>> {
    let mut conn = state.db().conn().await?;
    Ok(warnings::presets(&mut conn.exec())
        .await?
        .into_iter()
        .map(|p| Preset {
            id: p.id.to_string(),
            title: p.title,
            text: p.text,
        })
        .collect())
}
