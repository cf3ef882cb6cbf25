//! Raw SQL on the test database, for the rows the API cannot make (remote accounts, old
//! timestamps) and for asserting effects the API does not show. Panics on any error.

use std::fmt::Display;

use woolly::db::query::{self, Arg};

use crate::{TestApp, fail};

impl TestApp {
    /// Runs one statement (no result).
    pub async fn sql(&self, q: &str) {
        self.write(q, &[]).await;
    }

    /// Runs one statement with `$1`, `$2`, … bound to `binds`.
    pub async fn sql_with(&self, q: &str, binds: &[i64]) {
        self.write(q, binds).await;
    }

    /// The one integer a query returns (`SELECT COUNT(*) …`, a counter column).
    pub async fn scalar(&self, q: &str) -> i64 {
        self.read(q, &[]).await
    }

    /// The one integer a query with `$1`, `$2`, … bound to `binds` returns.
    pub async fn scalar_with(&self, q: &str, binds: &[i64]) -> i64 {
        self.read(q, binds).await
    }

    /// `(followers_count, following_count)` of an account, as stored.
    pub async fn counts(&self, account_id: &str) -> (i64, i64) {
        let column = |name: &str| format!("SELECT {name} FROM accounts WHERE id = {account_id}");
        (
            self.scalar(&column("followers_count")).await,
            self.scalar(&column("following_count")).await,
        )
    }

    /// How many notifications (of any type) account `account_id` has.
    pub async fn notification_count(&self, account_id: &str) -> i64 {
        self.scalar(&format!(
            "SELECT COUNT(*) FROM notifications WHERE account_id = {account_id}"
        ))
        .await
    }

    /// A bare `follows` row, `from` following `to` since the epoch (no counters touched).
    pub async fn follow_row(&self, from: impl Display, to: impl Display) {
        let id = self.state.next_id();
        self.sql(&format!(
            "INSERT INTO follows (id, account_id, target_account_id, created_at) \
             VALUES ({id}, {from}, {to}, 0)"
        ))
        .await;
    }

    /// A bare `mutes` row, `from` muting `to` until `expires_at`.
    pub async fn mute_row(&self, from: impl Display, to: impl Display, expires_at: i64) {
        let id = self.state.next_id();
        self.sql(&format!(
            "INSERT INTO mutes (id, account_id, target_account_id, expires_at, created_at) \
             VALUES ({id}, {from}, {to}, {expires_at}, 0)"
        ))
        .await;
    }

    async fn write(&self, q: &str, binds: &[i64]) {
        let db = self.state.db();
        let args: Vec<Arg> = binds.iter().map(|&v| Arg::Int(v)).collect();
        let done = match db.conn().await {
            Ok(mut conn) => query::execute(&mut conn.exec(), q, &args).await,
            Err(e) => Err(e),
        };
        done.unwrap_or_else(|e| fail(q, e));
        // Written beside the app's own connections: let its inline reads see the commit now.
        db.note_write();
    }

    async fn read(&self, q: &str, binds: &[i64]) -> i64 {
        let args: Vec<Arg> = binds.iter().map(|&v| Arg::Int(v)).collect();
        let row: Result<(i64,), _> = match self.state.db().conn().await {
            Ok(mut conn) => query::fetch_one(&mut conn.exec(), q, &args).await,
            Err(e) => Err(e),
        };
        row.unwrap_or_else(|e| fail(q, e)).0
    }
}
