//! The moderation members of notifications: the `report` (Admin::Report) of `admin.report`
//! and the `moderation_warning` (AccountWarning) of `moderation_warning`, loaded for a whole
//! page at once.

use std::collections::HashMap;

use crate::api_types::account_warning::{AccountWarning, action_name};
use crate::api_types::{Account, AdminReport};
use crate::db::Exec;
use crate::db::repo::accounts::{self, AccountRecord};
use crate::db::repo::{reports, warnings};
use crate::domain::time;
use crate::error::ApiResult;
use crate::services::moderation::{render, reports as report_svc};

/// Rendered members, keyed by report id and by strike id.
#[derive(Debug, Default)]
pub struct Members {
    pub reports: HashMap<i64, AdminReport>,
    pub warnings: HashMap<i64, AccountWarning>,
}

fn sorted(mut ids: Vec<i64>) -> Vec<i64> {
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Loads and renders the given reports and strikes (missing ones are left out).
pub async fn load(
    ex: &mut Exec<'_>,
    base_url: &str,
    report_ids: Vec<i64>,
    warning_ids: Vec<i64>,
) -> ApiResult<Members> {
    let rows = reports::find_many(ex, &sorted(report_ids)).await?;
    let rendered = report_svc::admin_reports(ex, base_url, &rows).await?;
    let reports = rows.iter().map(|r| r.id).zip(rendered).collect();
    let strikes = warnings::find_many(ex, &sorted(warning_ids)).await?;
    let target_ids = sorted(strikes.iter().map(|w| w.target_account_id).collect());
    let records = accounts::find_many(ex, &target_ids).await?;
    let refs: Vec<&AccountRecord> = records.iter().collect();
    let targets: HashMap<i64, Account> = render::rest_accounts(ex, base_url, &refs).await?;
    let warnings = strikes
        .into_iter()
        .filter_map(|w| {
            let target_account = targets.get(&w.target_account_id)?.clone();
            let status_ids = w.status_ids.as_deref().map(|json| {
                serde_json::from_str::<Vec<i64>>(json)
                    .unwrap_or_default()
                    .iter()
                    .map(ToString::to_string)
                    .collect()
            });
            Some((
                w.id,
                AccountWarning {
                    id: w.id.to_string(),
                    action: action_name(w.action).to_owned(),
                    text: w.text,
                    status_ids,
                    created_at: time::iso8601(w.created_at),
                    target_account,
                    appeal: None,
                },
            ))
        })
        .collect();
    Ok(Members { reports, warnings })
}
