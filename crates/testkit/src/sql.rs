//! Raw SQL on the test database, for the rows the API cannot make (remote accounts, old
//! timestamps) and for asserting effects the API does not show. Panics on any error.

use sqlx::AssertSqlSafe;
use woolly::db::Db;

use crate::{TestApp, fail};

/// `$body` once per backend, with `$pool` the app's pool (each arm type-checks on its own).
macro_rules! on_pool {
    ($db:expr, |$pool:ident| $body:expr) => {
        match $db {
            Db::Sqlite($pool, ..) => $body,
            Db::Pg($pool) => $body,
        }
    };
}

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

    async fn write(&self, q: &str, binds: &[i64]) {
        let db = self.state.db();
        let done = on_pool!(db, |pool| {
            let mut query = sqlx::query(AssertSqlSafe(q.to_owned()));
            for &value in binds {
                query = query.bind(value);
            }
            query.execute(pool).await.map(|_| ())
        });
        done.unwrap_or_else(|e| fail(q, e));
        // Written beside the app's own connections: let its inline reads see the commit now.
        db.note_write();
    }

    async fn read(&self, q: &str, binds: &[i64]) -> i64 {
        let row = on_pool!(self.state.db(), |pool| {
            let mut query = sqlx::query_as::<_, (i64,)>(AssertSqlSafe(q.to_owned()));
            for &value in binds {
                query = query.bind(value);
            }
            query.fetch_one(pool).await
        });
        row.unwrap_or_else(|e| fail(q, e)).0
    }
}
