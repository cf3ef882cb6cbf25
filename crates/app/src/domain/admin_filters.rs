//! The filters of the admin lists whose criteria the handler reads straight from the request:
//! plain data shared by the HTTP layer, the moderation services and the repos that query them.

/// Upstream's ReportFilter: unresolved unless `resolved` is given; by reporter / target.
#[derive(Debug, Clone, Default)]
pub struct ReportFilter {
    pub resolved: bool,
    pub account_id: Option<i64>,
    pub target_account_id: Option<i64>,
}

/// Filters of the audit trail (`GET /api/v1/admin/action_logs`); each is served by an
/// `(x, id)` index.
#[derive(Debug, Clone, Default)]
pub struct LogFilter {
    pub account_id: Option<i64>,
    pub target_account_id: Option<i64>,
    pub action: Option<String>,
}
