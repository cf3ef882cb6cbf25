//! Fixtures for the moderation tests: staff users, fast local targets (no password hashing),
//! remote accounts, and direct row counts for asserting effects.

use woolly::db::query::Arg;
use woolly::db::repo::{accounts, users};
use woolly::domain::time;
use woolly_testkit::{Fixture, TestApp};

pub const ADMIN_SCOPES: &str = "read write admin:read admin:write";

/// The staff of a test: a plain user with admin scopes, and Moderator, Admin, Owner.
pub struct Staff {
    pub user: Fixture,
    pub moderator: Fixture,
    pub admin: Fixture,
    pub owner: Fixture,
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
    let mut conn = app
        .state
        .db()
        .conn()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
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

/// `SELECT COUNT(*) …` with one bound id.
pub async fn count(app: &TestApp, sql: &str, id: i64) -> i64 {
    let mut conn = app
        .state
        .db()
        .conn()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let mut ex = conn.exec();
    let row: (i64,) = woolly::db::query::fetch_one(&mut ex, sql, &[Arg::from(id)])
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    row.0
}

/// Runs a statement with one bound id.
pub async fn exec(app: &TestApp, sql: &str, id: i64) {
    let mut conn = app
        .state
        .db()
        .conn()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let mut ex = conn.exec();
    woolly::db::query::execute(&mut ex, sql, &[Arg::from(id)])
        .await
        .map(|_| ())
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// Ids of a JSON array of entities.
pub fn ids(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

pub fn path(template: &str, id: impl std::fmt::Display) -> String {
    template.replace(":id", &id.to_string())
}
