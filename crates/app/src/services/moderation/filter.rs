//! Translating the v1 and v2 admin accounts parameters into the shared filter model
//! (mastodon-behaviour.md §3.2–§3.4), and the parameters carried into Link headers.

use std::collections::BTreeMap;

use crate::db::repo::admin_accounts::{AccountFilter, Origin, Status};
use crate::domain::{ip, params};
use crate::error::{ApiError, ApiResult};

/// The scalar parameters of a request (key → raw value) and its `role_ids[]`.
#[derive(Debug, Clone, Default)]
pub struct RawParams {
    pub scalars: BTreeMap<String, String>,
    pub role_ids: Vec<String>,
}

impl RawParams {
    /// A non-blank value (Rails `present?`).
    fn present(&self, key: &str) -> Option<&str> {
        self.scalars
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.trim().is_empty())
    }

    /// `limit` and the given keys, as they came, for the Link header.
    fn carried_keys(&self, keys: &[&str]) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = keys
            .iter()
            .chain(std::iter::once(&"limit"))
            .filter_map(|k| self.scalars.get(*k).map(|v| ((*k).to_owned(), v.clone())))
            .collect();
        out.sort();
        out
    }
}

const V1_KEYS: &[&str] = &[
    "local",
    "remote",
    "by_domain",
    "active",
    "pending",
    "disabled",
    "sensitized",
    "silenced",
    "suspended",
    "username",
    "display_name",
    "email",
    "ip",
    "staff",
];

const V2_KEYS: &[&str] = &[
    "origin",
    "status",
    "permissions",
    "username",
    "by_domain",
    "display_name",
    "email",
    "ip",
    "invited_by",
];

/// Which admin accounts API a request came through: its parameters and defaults differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiVersion {
    V1,
    V2,
}

/// The params of a list request carried into its Link header: `limit` and the filter keys of
/// `version`, as they came.
pub fn carried(raw: &RawParams, version: ApiVersion) -> Vec<(String, String)> {
    raw.carried_keys(match version {
        ApiVersion::V1 => V1_KEYS,
        ApiVersion::V2 => V2_KEYS,
    })
}

/// Role ids whose computed permissions include manage_reports (upstream's `staff`).
pub type StaffRoles = Vec<i64>;

/// v1: defaults `origin=local`, `status=active`; flags translated as upstream.
pub fn v1(raw: &RawParams, staff_roles: &StaffRoles) -> ApiResult<AccountFilter> {
    let mut f = AccountFilter {
        origin: Some(Origin::Local),
        status: Some(Status::Active),
        ..AccountFilter::default()
    };
    if raw.present("remote").is_some() {
        f.origin = Some(Origin::Remote);
    }
    for (key, status) in [
        ("active", Status::Active),
        ("pending", Status::Pending),
        ("disabled", Status::Disabled),
        ("silenced", Status::Silenced),
        ("suspended", Status::Suspended),
    ] {
        if raw.present(key).is_some() {
            f.status = Some(status);
        }
    }
    if raw.present("staff").is_some() {
        f.role_ids = Some(staff_roles.clone());
    }
    shared_text_keys(raw, &mut f);
    Ok(f)
}

/// v2: no defaults; unknown origin / status are 400s.
pub fn v2(raw: &RawParams, staff_roles: &StaffRoles) -> ApiResult<AccountFilter> {
    let mut f = AccountFilter::default();
    if let Some(o) = raw.present("origin") {
        f.origin = Some(match o {
            "local" => Origin::Local,
            "remote" => Origin::Remote,
            other => return Err(ApiError::BadRequest(format!("Unknown origin: {other}"))),
        });
    }
    if let Some(s) = raw.present("status") {
        f.status = Some(match s {
            "active" => Status::Active,
            "pending" => Status::Pending,
            "disabled" => Status::Disabled,
            "silenced" => Status::Silenced,
            "suspended" => Status::Suspended,
            "sensitized" => Status::Sensitized,
            other => return Err(ApiError::BadRequest(format!("Unknown status: {other}"))),
        });
    }
    let role_ids: Vec<&String> = raw
        .role_ids
        .iter()
        .filter(|r| !r.trim().is_empty())
        .collect();
    if !role_ids.is_empty() {
        f.role_ids = Some(
            role_ids
                .iter()
                .filter_map(|r| r.trim().parse().ok())
                .collect(),
        );
    }
    if raw.present("permissions") == Some("staff") {
        f.role_ids = Some(staff_roles.clone());
    }
    if let Some(v) = raw.present("invited_by") {
        f.invited_by = Some(params::ruby_to_i(v));
    }
    shared_text_keys(raw, &mut f);
    Ok(f)
}

fn shared_text_keys(raw: &RawParams, f: &mut AccountFilter) {
    if let Some(d) = raw.present("by_domain") {
        f.by_domain = Some(d.trim().to_owned());
    }
    if let Some(u) = raw.present("username") {
        let u = u.trim();
        let u = u.strip_prefix('@').unwrap_or(u);
        f.username = Some(u.to_lowercase());
    }
    if let Some(d) = raw.present("display_name") {
        f.display_name = Some(d.trim().to_lowercase());
    }
    if let Some(e) = raw.present("email") {
        f.email = Some(e.trim().to_lowercase());
    }
    if let Some(v) = raw.present("ip") {
        f.ip = Some(ip::key_range(v));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(pairs: &[(&str, &str)]) -> RawParams {
        RawParams {
            scalars: pairs
                .iter()
                .map(|(k, v)| ((*k).into(), (*v).into()))
                .collect(),
            role_ids: Vec::new(),
        }
    }

    #[test]
    fn v1_last_status_flag_wins_and_remote_is_any_value() -> ApiResult<()> {
        let f = v1(
            &raw(&[("pending", "1"), ("suspended", "1"), ("remote", "false")]),
            &vec![],
        )?;
        assert_eq!(f.status, Some(Status::Suspended));
        assert_eq!(f.origin, Some(Origin::Remote));
        let params = raw(&[("sensitized", "1"), ("limit", "5")]);
        let f = v1(&params, &vec![])?;
        assert_eq!(f.status, Some(Status::Active));
        assert_eq!(carried(&params, ApiVersion::V1).len(), 2);
        Ok(())
    }

    #[test]
    fn v2_rejects_unknown_values() {
        assert!(
            matches!(v2(&raw(&[("origin", "x")]), &vec![]), Err(ApiError::BadRequest(m)) if m == "Unknown origin: x")
        );
        assert!(
            matches!(v2(&raw(&[("status", "y")]), &vec![]), Err(ApiError::BadRequest(m)) if m == "Unknown status: y")
        );
    }
}
