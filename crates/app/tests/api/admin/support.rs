//! Fixtures for the moderation tests: staff users, fast local targets (no password hashing)
//! and remote accounts.

use woolly::db::repo::{accounts, users};
use woolly::domain::time;
use woolly_testkit::{Fixture, TestApp, TestResponse};

pub const ADMIN_SCOPES: &str = "read write admin:read admin:write";

/// Pending deletion requests for account `$1`.
pub const DELETION_REQUESTS: &str =
    "SELECT COUNT(*) FROM account_deletion_requests WHERE account_id = $1";
/// Unresolved reports against account `$1`.
pub const OPEN_REPORTS: &str =
    "SELECT COUNT(*) FROM reports WHERE target_account_id = $1 AND action_taken_at IS NULL";
/// Canonical e-mail blocks made from account `$1`.
pub const EMAIL_BLOCKS: &str =
    "SELECT COUNT(*) FROM canonical_email_blocks WHERE reference_account_id = $1";
/// 1 when account `$1` is silenced.
pub const SILENCED: &str =
    "SELECT COUNT(*) FROM accounts WHERE id = $1 AND silenced_at IS NOT NULL";
/// 1 when account `$1` is deleted.
pub const DELETED: &str = "SELECT COUNT(*) FROM accounts WHERE id = $1 AND deleted_at IS NOT NULL";
/// Audit-log entries about account `$1`.
pub const ACTION_LOGS: &str = "SELECT COUNT(*) FROM admin_action_logs WHERE target_account_id = $1";

/// The staff of a test: a plain user with admin scopes, and Moderator, Admin, Owner.
pub struct Staff {
    pub user: Fixture,
    pub moderator: Fixture,
    pub admin: Fixture,
    pub owner: Fixture,
}

impl Staff {
    /// The four account ids, plain user first.
    pub fn account_ids(&self) -> [&String; 4] {
        [
            &self.user.account_id,
            &self.moderator.account_id,
            &self.admin.account_id,
            &self.owner.account_id,
        ]
    }
}

pub async fn staff(app: &TestApp) -> Staff {
    Staff {
        user: app.user_with("plain", None, ADMIN_SCOPES).await,
        moderator: app.user_with("mod", Some("Moderator"), ADMIN_SCOPES).await,
        admin: app.user_with("adm", Some("Admin"), ADMIN_SCOPES).await,
        owner: app.user_with("own", Some("Owner"), ADMIN_SCOPES).await,
    }
}

/// What a fast local target looks like.
#[derive(Default, Clone)]
pub struct Spec<'a> {
    pub display_name: &'a str,
    pub role_id: Option<i64>,
    pub pending: bool,
    pub unconfirmed: bool,
    pub ip: Option<&'a str>,
}

impl Spec<'_> {
    /// A user who signed up and awaits approval.
    pub fn pending() -> Self {
        Self {
            pending: true,
            ..Self::default()
        }
    }

    /// A user holding the role with id `role_id`.
    pub fn role(role_id: i64) -> Self {
        Self {
            role_id: Some(role_id),
            ..Self::default()
        }
    }
}

/// A local account and user inserted directly; returns the account id.
pub async fn local(app: &TestApp, username: &str, spec: Spec<'_>) -> i64 {
    let id = app.state.next_id();
    let user_id = app.state.next_id();
    let now = time::now();
    let mut tx = app
        .state
        .db()
        .begin()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let uri = format!("https://woolly.test/ap/users/{id}");
    let mut ex = tx.exec();
    accounts::insert(
        &mut ex,
        &accounts::NewAccount {
            id,
            username,
            domain: None,
            display_name: spec.display_name,
            uri: &uri,
            url: None,
            locked: false,
            discoverable: None,
            indexable: false,
            now,
        },
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let email = format!("{}@example.com", username.to_lowercase());
    users::insert(
        &mut ex,
        &users::NewUser {
            id: user_id,
            account_id: id,
            email: &email,
            encrypted_password: "",
            role_id: spec.role_id,
            locale: None,
            time_zone: None,
            confirmed_at: if spec.unconfirmed { None } else { Some(now) },
            confirmation_token_digest: None,
            approved: !spec.pending,
            sign_up_ip: spec.ip,
            created_by_application_id: None,
            invite_id: None,
            age_verified_at: None,
            now,
        },
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    if let Some(ip) = spec.ip {
        let addr: std::net::IpAddr = ip.parse().unwrap_or_else(|e| panic!("{e}"));
        users::touch_ip(&mut ex, user_id, addr, now)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    tx.commit().await.unwrap_or_else(|e| panic!("{e}"));
    id
}

/// A remote account (no user).
pub async fn remote(app: &TestApp, username: &str, domain: &str) -> i64 {
    let id = app.state.next_id();
    let uri = format!("https://{domain}/users/{username}");
    let mut conn = app.conn().await;
    accounts::insert(
        &mut conn.exec(),
        &accounts::NewAccount {
            id,
            username,
            domain: Some(domain),
            display_name: "",
            uri: &uri,
            url: None,
            locked: false,
            discoverable: None,
            indexable: false,
            now: time::now(),
        },
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    id
}

/// `POST /api/v1/admin/accounts/:id/<verb>` as `token`, with `pairs` as the form.
pub async fn account_post(
    app: &TestApp,
    token: &str,
    id: impl std::fmt::Display,
    verb: &str,
    pairs: &[(&str, &str)],
) -> TestResponse {
    let path = format!("/api/v1/admin/accounts/{id}/{verb}");
    app.post(&path, Some(token), pairs).await
}

pub fn path(template: &str, id: impl std::fmt::Display) -> String {
    template.replace(":id", &id.to_string())
}
