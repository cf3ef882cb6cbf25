//! Helpers of the social-graph tests: raw SQL on either backend, remote accounts, counters.
#![allow(clippy::expect_used)]

use woolly::db::Db;
use woolly_testkit::TestApp;

/// Runs one statement on the test database.
pub async fn sql(app: &TestApp, q: &str) {
    let q = q.to_owned();
    match app.state.db() {
        Db::Sqlite(p, ..) => {
            sqlx::query(sqlx::AssertSqlSafe(q))
                .execute(p)
                .await
                .expect("sql");
        }
        Db::Pg(p, _) => {
            sqlx::query(sqlx::AssertSqlSafe(q))
                .execute(p)
                .await
                .expect("sql");
        }
    }
    // Written straight on the pool: let the process see the commit now.
    app.state.db().note_write();
}

/// One integer from a query.
pub async fn scalar(app: &TestApp, q: &str) -> i64 {
    let q = q.to_owned();
    match app.state.db() {
        Db::Sqlite(p, ..) => {
            sqlx::query_as::<_, (i64,)>(sqlx::AssertSqlSafe(q))
                .fetch_one(p)
                .await
                .expect("scalar")
                .0
        }
        Db::Pg(p, _) => {
            sqlx::query_as::<_, (i64,)>(sqlx::AssertSqlSafe(q))
                .fetch_one(p)
                .await
                .expect("scalar")
                .0
        }
    }
}

/// (followers_count, following_count) of an account.
pub async fn counts(app: &TestApp, id: &str) -> (i64, i64) {
    let followers = scalar(
        app,
        &format!("SELECT followers_count FROM accounts WHERE id = {id}"),
    )
    .await;
    let following = scalar(
        app,
        &format!("SELECT following_count FROM accounts WHERE id = {id}"),
    )
    .await;
    (followers, following)
}

/// A known remote account; returns its id.
pub async fn remote(app: &TestApp, username: &str, domain: &str, locked: bool) -> String {
    let id = app.state.next_id();
    sql(
        app,
        &format!(
            "INSERT INTO accounts (id, username, username_lower, domain, display_name, display_name_lower, uri, url, locked, created_at, updated_at) \
             VALUES ({id}, '{username}', '{}', '{domain}', '{username} display', '{} display', 'https://{domain}/users/{username}', 'https://{domain}/@{username}', {}, 1, 1)",
            username.to_lowercase(),
            username.to_lowercase(),
            if locked { "TRUE" } else { "FALSE" }
        ),
    )
    .await;
    id.to_string()
}

pub async fn post(app: &TestApp, token: &str, path: &str) -> woolly_testkit::TestResponse {
    app.post(path, Some(token), &[]).await
}

pub fn path(id: &str, action: &str) -> String {
    format!("/api/v1/accounts/{id}/{action}")
}
