//! The moderation members of notifications: the `report` (Admin::Report) of `admin.report`
//! and the `moderation_warning` (AccountWarning) of `moderation_warning`, loaded for a whole
//! page at once.

use std::collections::HashMap;

use crate::api_types::AdminReport;
use crate::api_types::account_warning::AccountWarning;
use crate::db::Exec;
use crate::db::repo::{reports, warnings};
use crate::error::ApiResult;
use crate::services::moderation::{reports as report_svc, strikes};

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
    // keyed by each entity's own id: a report whose accounts do not render is left out
    let reports = rendered
        .into_iter()
        .filter_map(|r| r.id.parse::<i64>().ok().map(|id| (id, r)))
        .collect();
    let strike_rows = warnings::find_many(ex, &sorted(warning_ids)).await?;
    let warnings = strikes::render_warnings(ex, base_url, strike_rows)
        .await?
        .into_iter()
        .map(|(row, entity)| (row.id, entity))
        .collect();
    Ok(Members { reports, warnings })
}
