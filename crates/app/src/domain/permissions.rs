//! Upstream's role permission bits and the rule for who may act on whom.

pub const ADMINISTRATOR: i64 = 1 << 0;
pub const VIEW_DEVOPS: i64 = 1 << 1;
pub const VIEW_AUDIT_LOG: i64 = 1 << 2;
pub const VIEW_DASHBOARD: i64 = 1 << 3;
pub const MANAGE_REPORTS: i64 = 1 << 4;
pub const MANAGE_FEDERATION: i64 = 1 << 5;
pub const MANAGE_SETTINGS: i64 = 1 << 6;
pub const MANAGE_BLOCKS: i64 = 1 << 7;
pub const MANAGE_TAXONOMIES: i64 = 1 << 8;
pub const MANAGE_APPEALS: i64 = 1 << 9;
pub const MANAGE_USERS: i64 = 1 << 10;
pub const MANAGE_INVITES: i64 = 1 << 11;
pub const MANAGE_RULES: i64 = 1 << 12;
pub const MANAGE_ANNOUNCEMENTS: i64 = 1 << 13;
pub const MANAGE_CUSTOM_EMOJIS: i64 = 1 << 14;
pub const MANAGE_WEBHOOKS: i64 = 1 << 15;
pub const INVITE_USERS: i64 = 1 << 16;
pub const MANAGE_ROLES: i64 = 1 << 17;
pub const MANAGE_USER_ACCESS: i64 = 1 << 18;
pub const DELETE_USER_DATA: i64 = 1 << 19;
pub const VIEW_FEEDS: i64 = 1 << 20;
pub const INVITE_BYPASS_APPROVAL: i64 = 1 << 21;
pub const MANAGE_EMAIL_SUBSCRIPTIONS: i64 = 1 << 22;

/// Every bit (4.6+).
pub const ALL: i64 = (1 << 23) - 1;

/// Bits the everyone role may hold.
pub const EVERYONE_ALLOWED: i64 = INVITE_USERS | INVITE_BYPASS_APPROVAL;

pub const EVERYONE_ROLE_ID: i64 = -99;

/// Flag names for the CLI and the documentation, in bit order.
pub const NAMES: &[(&str, i64)] = &[
    ("administrator", ADMINISTRATOR),
    ("view_devops", VIEW_DEVOPS),
    ("view_audit_log", VIEW_AUDIT_LOG),
    ("view_dashboard", VIEW_DASHBOARD),
    ("manage_reports", MANAGE_REPORTS),
    ("manage_federation", MANAGE_FEDERATION),
    ("manage_settings", MANAGE_SETTINGS),
    ("manage_blocks", MANAGE_BLOCKS),
    ("manage_taxonomies", MANAGE_TAXONOMIES),
    ("manage_appeals", MANAGE_APPEALS),
    ("manage_users", MANAGE_USERS),
    ("manage_invites", MANAGE_INVITES),
    ("manage_rules", MANAGE_RULES),
    ("manage_announcements", MANAGE_ANNOUNCEMENTS),
    ("manage_custom_emojis", MANAGE_CUSTOM_EMOJIS),
    ("manage_webhooks", MANAGE_WEBHOOKS),
    ("invite_users", INVITE_USERS),
    ("manage_roles", MANAGE_ROLES),
    ("manage_user_access", MANAGE_USER_ACCESS),
    ("delete_user_data", DELETE_USER_DATA),
    ("view_feeds", VIEW_FEEDS),
    ("invite_bypass_approval", INVITE_BYPASS_APPROVAL),
    ("manage_email_subscriptions", MANAGE_EMAIL_SUBSCRIPTIONS),
];

/// Parses `manage_users,manage_reports` (or a decimal number) into bits.
pub fn parse_flags(s: &str) -> Option<i64> {
    if let Ok(n) = s.trim().parse::<i64>() {
        return Some(n & ALL);
    }
    let mut bits = 0;
    for name in s.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        bits |= NAMES.iter().find(|(n, _)| *n == name)?.1;
    }
    Some(bits)
}

/// What a role can do: its own bits OR the everyone role's, or all bits for administrators.
pub fn computed(own: i64, everyone: i64) -> i64 {
    let bits = own | everyone;
    if bits & ADMINISTRATOR != 0 { ALL } else { bits }
}

/// The acting role's standing, for permission and position checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    pub permissions: i64,
    pub position: i64,
}

impl Standing {
    /// The role of a request without a user.
    pub const NOBODY: Standing = Standing {
        permissions: 0,
        position: -1,
    };

    pub fn can(&self, bits: i64) -> bool {
        self.permissions & ADMINISTRATOR != 0 || self.permissions & bits == bits
    }

    /// Upstream's `overrides?`: strictly higher position, or a target with no role (remote).
    pub fn overrides(&self, target_position: Option<i64>) -> bool {
        target_position.is_none_or(|p| self.position > p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_values_match_upstream() {
        let moderator = VIEW_DASHBOARD
            | VIEW_AUDIT_LOG
            | VIEW_FEEDS
            | MANAGE_USERS
            | MANAGE_REPORTS
            | MANAGE_TAXONOMIES;
        assert_eq!(moderator, 1_049_884);
        assert_eq!(computed(moderator, INVITE_USERS), 1_115_420);
        assert_eq!(computed(ADMINISTRATOR, INVITE_USERS), 8_388_607);
        let admin = VIEW_DASHBOARD
            | VIEW_AUDIT_LOG
            | VIEW_FEEDS
            | MANAGE_USERS
            | MANAGE_USER_ACCESS
            | DELETE_USER_DATA
            | MANAGE_REPORTS
            | MANAGE_TAXONOMIES
            | MANAGE_FEDERATION
            | MANAGE_SETTINGS
            | MANAGE_BLOCKS
            | MANAGE_APPEALS
            | MANAGE_RULES
            | MANAGE_INVITES
            | MANAGE_ANNOUNCEMENTS
            | MANAGE_CUSTOM_EMOJIS
            | MANAGE_WEBHOOKS
            | MANAGE_ROLES;
        assert_eq!(admin, 2_031_612);
    }

    #[test]
    fn equal_positions_do_not_override() {
        let admin = Standing {
            permissions: ALL,
            position: 100,
        };
        assert!(!admin.overrides(Some(100)));
        assert!(admin.overrides(Some(10)));
        assert!(admin.overrides(None));
        assert!(!Standing::NOBODY.can(MANAGE_USERS));
    }

    #[test]
    fn parses_flag_names() {
        assert_eq!(
            parse_flags("manage_users,manage_reports"),
            Some(MANAGE_USERS | MANAGE_REPORTS)
        );
        assert_eq!(parse_flags("bogus"), None);
    }
}
