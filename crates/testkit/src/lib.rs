//! Test harness: a [`TestApp`] over a fresh database per test, on SQLite always and on
//! PostgreSQL when `TEST_DATABASE_URL` is set (each test in its own schema), driven through
//! the router in-process. [`db_test`] writes one test for both; `sql.rs` holds the raw-SQL
//! helpers, `request.rs` the request helpers, `mail.rs` the outbox reader.

pub mod html;
pub mod mail;
mod request;
mod sql;

use std::str::FromStr;

use axum::Router;
use sqlx::postgres::PgConnectOptions;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, PgConnection};
use woolly::config::Config;
use woolly::db::{Conn, Db};
use woolly::mail::Mailer;
use woolly::services::operator::{self, CreateAccount};
use woolly::state::AppState;

pub use html::{consent_form, hidden_input};
pub use request::{Part, TestResponse, multipart};
pub use woolly_testkit_macros::{db_test, needs_env};

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub state: AppState,
    pub router: Router,
    pub backend: Backend,
    pub dir: tempfile::TempDir,
}

/// A signed-in local user made for a test.
#[derive(Debug, Clone)]
pub struct Fixture {
    pub username: String,
    pub account_id: String,
    pub token: String,
}

fn random_suffix() -> String {
    let mut b = [0u8; 6];
    let _ = getrandom::fill(&mut b);
    hex::encode(b)
}

/// The `id`s of a JSON array of entities, in order. Panics on anything else, so a test
/// comparing ids cannot pass on an error body.
pub fn ids(entities: &serde_json::Value) -> Vec<String> {
    let Some(list) = entities.as_array() else {
        fail("ids", format!("not an array: {entities}"))
    };
    list.iter()
        .map(|e| match e["id"].as_str() {
            Some(id) => id.to_owned(),
            None => fail("ids", format!("no string id in {e}")),
        })
        .collect()
}

/// The path of the first URL in a `Link` header (the `next` page, which Mastodon lists
/// first), with the test origin removed so it can be requested through the router.
pub fn first_link_path(link: &str) -> String {
    link.split('<')
        .nth(1)
        .and_then(|s| s.split('>').next())
        .unwrap_or_default()
        .replace("https://woolly.test", "")
}

/// Panics with context: tests only.
#[allow(clippy::panic)]
fn fail(what: &str, e: impl std::fmt::Display) -> ! {
    panic!("test setup: {what}: {e}")
}

fn test_config(dir: &std::path::Path) -> Config {
    Config {
        data_dir: dir.to_path_buf(),
        domain: "woolly.test".into(),
        scheme: "https".into(),
        database_pool_size: 4,
        // No network in tests but loopback: link checks run only where a test turns them on.
        verify_profile_links: false,
        ..Config::default()
    }
}

impl TestApp {
    pub async fn sqlite() -> Self {
        Self::sqlite_with(|_| {}).await
    }

    pub async fn sqlite_with(tweak: impl FnOnce(&mut Config)) -> Self {
        let dir = tempfile::tempdir().unwrap_or_else(|e| fail("tempdir", e));
        let mut config = test_config(dir.path());
        tweak(&mut config);
        let options = SqliteConnectOptions::from_str(&format!(
            "sqlite://{}",
            dir.path().join("test.sqlite3").display()
        ))
        .unwrap_or_else(|e| fail("sqlite url", e));
        let db = Db::connect_sqlite(options, 4)
            .await
            .unwrap_or_else(|e| fail("sqlite connect", e));
        Self::finish(config, db, Backend::Sqlite, dir).await
    }

    /// On the database `TEST_DATABASE_URL` names, in a schema of its own. Panics when the
    /// variable is unset or the server cannot be reached: a PostgreSQL test that did not run
    /// must not pass (`#[db_test]` marks it ignored when the variable is unset at build time).
    pub async fn postgres_with(tweak: impl FnOnce(&mut Config)) -> Self {
        let url = std::env::var("TEST_DATABASE_URL")
            .ok()
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| fail("postgres", "TEST_DATABASE_URL is not set"));
        let dir = tempfile::tempdir().unwrap_or_else(|e| fail("tempdir", e));
        let mut config = test_config(dir.path());
        tweak(&mut config);
        let schema = format!("t_{}", random_suffix());
        let mut admin = PgConnection::connect(&url)
            .await
            .unwrap_or_else(|e| fail("postgres connect", e));
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
            .execute(&mut admin)
            .await
            .unwrap_or_else(|e| fail("create schema", e));
        let _ = admin.close().await;
        let options = PgConnectOptions::from_str(&url)
            .unwrap_or_else(|e| fail("postgres url", e))
            .options([("search_path", schema.as_str())]);
        let db = Db::connect_pg(options, 4)
            .await
            .unwrap_or_else(|e| fail("postgres pool", e));
        Self::finish(config, db, Backend::Postgres, dir).await
    }

    async fn finish(config: Config, db: Db, backend: Backend, dir: tempfile::TempDir) -> Self {
        woolly::db::migrate::run(&db)
            .await
            .unwrap_or_else(|e| fail("migrate", e));
        let mailer =
            Mailer::from_config("", &config.outbox_dir()).unwrap_or_else(|e| fail("mailer", e));
        let media = woolly::media::LocalMediaStorage::new(config.media_dir())
            .unwrap_or_else(|e| fail("media dir", e));
        let state = AppState::new(config, db, mailer, std::sync::Arc::new(media));
        let router = woolly::http::router(state.clone());
        Self {
            state,
            router,
            backend,
            dir,
        }
    }

    /// A confirmed, approved local user with a token of `scopes` and an optional role.
    pub async fn user_with(&self, username: &str, role: Option<&str>, scopes: &str) -> Fixture {
        let (account_id, _) = operator::create_account(
            &self.state,
            CreateAccount {
                username: username.into(),
                email: format!("{username}@example.com"),
                role: role.map(str::to_owned),
                confirmed: true,
                approved: true,
                password: Some("password123".into()),
            },
        )
        .await
        .unwrap_or_else(|e| fail("create account", e));
        let token = operator::issue_token(&self.state, username, scopes)
            .await
            .unwrap_or_else(|e| fail("issue token", e));
        Fixture {
            username: username.into(),
            account_id: account_id.to_string(),
            token,
        }
    }

    /// A user with `read write follow` scopes and no role.
    pub async fn user(&self, username: &str) -> Fixture {
        self.user_with(username, None, "read write follow push profile")
            .await
    }

    /// A user with the Owner role and user and admin scopes (`read write follow admin:*`).
    pub async fn owner(&self, username: &str) -> Fixture {
        self.user_with(
            username,
            Some("Owner"),
            "read write follow admin:read admin:write",
        )
        .await
    }

    /// A known remote account `username@domain` (display name "`username` display"); its id.
    pub async fn remote_account(&self, username: &str, domain: &str, locked: bool) -> String {
        let id = self.state.next_id();
        let lower = username.to_lowercase();
        self.sql(&format!(
            "INSERT INTO accounts (id, username, username_lower, domain, display_name, \
             display_name_lower, uri, url, locked, created_at, updated_at) \
             VALUES ({id}, '{username}', '{lower}', '{domain}', '{username} display', \
             '{lower} display', 'https://{domain}/users/{username}', \
             'https://{domain}/@{username}', {locked}, 1, 1)"
        ))
        .await;
        id.to_string()
    }

    /// A pooled connection to the test database, for calling repos and services directly.
    pub async fn conn(&self) -> Conn {
        self.state
            .db()
            .conn()
            .await
            .unwrap_or_else(|e| fail("connection", e))
    }

    /// `GET /api/v1/accounts/relationships?id[]=<id>` as `token`: the JSON array.
    pub async fn relationships(&self, token: &str, id: &str) -> serde_json::Value {
        let path = format!("/api/v1/accounts/relationships?id[]={id}");
        self.get(&path, Some(token)).await.json()
    }

    /// The decoded texts of every mail in the outbox so far.
    pub fn mails(&self) -> Vec<String> {
        mail::mails(&self.state.config().outbox_dir())
    }

    /// The decoded texts of the mails in the outbox addressed to `to`.
    pub fn mails_to(&self, to: &str) -> Vec<String> {
        mail::mails_to(&self.state.config().outbox_dir(), to)
    }

    /// The confirmation tokens in the mails to `to`, in no particular order.
    pub fn confirmation_tokens(&self, to: &str) -> Vec<String> {
        mail::confirmation_tokens(&self.state.config().outbox_dir(), to)
    }
}

/// Waits until the current fixed rate-limit window of `period_secs` (aligned to the epoch, as
/// the limiter's) has at least `needed_secs` left, so a test that fills a window is not cut
/// in two by its end.
pub async fn clear_of_window_end(period_secs: u64, needed_secs: u64) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let period_ms = u128::from(period_secs) * 1000;
    let left_ms = period_ms - now.as_millis() % period_ms;
    if left_ms < u128::from(needed_secs) * 1000 {
        let wait = u64::try_from(left_ms).unwrap_or(0) + 50;
        tokio::time::sleep(std::time::Duration::from_millis(wait)).await;
    }
}
