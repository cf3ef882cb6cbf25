//! Upstream's rack-attack throttles that apply to the API.

/// One throttle: a name (for the key), a limit and a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttle {
    pub name: &'static str,
    pub limit: u64,
    pub period_secs: u64,
}

pub const AUTHENTICATED_API: Throttle = Throttle {
    name: "authenticated_api",
    limit: 1500,
    period_secs: 300,
};
pub const PER_TOKEN_API: Throttle = Throttle {
    name: "per_token_api",
    limit: 300,
    period_secs: 300,
};
pub const UNAUTHENTICATED_API: Throttle = Throttle {
    name: "unauthenticated_api",
    limit: 300,
    period_secs: 300,
};
pub const AUTHENTICATED_PAGING: Throttle = Throttle {
    name: "authenticated_paging",
    limit: 300,
    period_secs: 900,
};
pub const UNAUTHENTICATED_PAGING: Throttle = Throttle {
    name: "unauthenticated_paging",
    limit: 300,
    period_secs: 900,
};
pub const API_SIGN_UP: Throttle = Throttle {
    name: "api_sign_up",
    limit: 5,
    period_secs: 1800,
};
pub const APP_REGISTRATIONS: Throttle = Throttle {
    name: "oauth_application_registrations",
    limit: 5,
    period_secs: 600,
};
/// Resending confirmation mail (`POST /api/v1/emails/confirmations`), per IP.
pub const EMAIL_CONFIRMATIONS_IP: Throttle = Throttle {
    name: "email_confirmations_ip",
    limit: 25,
    period_secs: 300,
};
/// Resending confirmation mail, per user.
pub const EMAIL_CONFIRMATIONS_USER: Throttle = Throttle {
    name: "email_confirmations_user",
    limit: 5,
    period_secs: 1800,
};
pub const API_MEDIA: Throttle = Throttle {
    name: "api_media",
    limit: 30,
    period_secs: 1800,
};
pub const API_DELETE: Throttle = Throttle {
    name: "api_delete",
    limit: 30,
    period_secs: 1800,
};
/// App-level family: new follows per account.
pub const FOLLOWS: Throttle = Throttle {
    name: "follows",
    limit: 400,
    period_secs: 86_400,
};
pub const REPORTS: Throttle = Throttle {
    name: "reports",
    limit: 400,
    period_secs: 86_400,
};
pub const STATUSES: Throttle = Throttle {
    name: "statuses",
    limit: 300,
    period_secs: 10_800,
};
