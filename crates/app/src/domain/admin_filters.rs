//! The filters of the admin lists whose criteria the handler reads straight from the request:
//! plain data shared by the HTTP layer, the moderation services and the repos that query them.

/// Upstream's ReportFilter: unresolved unless `resolved` is given; by reporter / target, and
/// (web console only, as upstream's `target_origin`) by whether the target is local or remote.
#[derive(Debug, Clone, Default)]
pub struct ReportFilter {
    pub resolved: bool,
    pub account_id: Option<i64>,
    pub target_account_id: Option<i64>,
    pub target_origin: Option<TargetOrigin>,
}

/// Where a report's target account lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetOrigin {
    Local,
    Remote,
}

impl TargetOrigin {
    /// `local` / `remote`; anything else is no filter (as upstream ignores unknown values).
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "local" => Some(Self::Local),
            "remote" => Some(Self::Remote),
            _ => None,
        }
    }
}

/// Filters of the audit trail (`GET /api/v1/admin/action_logs`); each is served by an
/// `(x, id)` index.
#[derive(Debug, Clone, Default)]
pub struct LogFilter {
    pub account_id: Option<i64>,
    pub target_account_id: Option<i64>,
    pub action: Option<String>,
}
