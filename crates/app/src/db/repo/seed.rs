//! Bulk inserts for the benchmark seeder: multi-row INSERTs inside large transactions.

use crate::db::Exec;
use crate::on;

/// One seeded account (and its user when local).
#[derive(Debug, Clone)]
pub struct SeedAccount {
    pub id: i64,
    pub username: String,
    pub domain: Option<String>,
    pub display_name: String,
    pub followers_count: i64,
    pub following_count: i64,
    pub statuses_count: i64,
    pub last_status_at: Option<i64>,
    pub silenced_at: Option<i64>,
    pub suspended_at: Option<i64>,
    pub created_at: i64,
    pub user: Option<SeedUser>,
}

#[derive(Debug, Clone)]
pub struct SeedUser {
    pub id: i64,
    pub email: String,
    pub role_id: Option<i64>,
    pub approved: bool,
    pub disabled: bool,
    pub confirmed: bool,
    pub ip: std::net::IpAddr,
}

fn placeholders(rows: usize, cols: usize) -> String {
    let mut out = String::with_capacity(rows * cols * 5);
    for r in 0..rows {
        if r > 0 {
            out.push(',');
        }
        out.push('(');
        for c in 0..cols {
            if c > 0 {
                out.push(',');
            }
            out.push('$');
            out.push_str(&(r * cols + c + 1).to_string());
        }
        out.push(')');
    }
    out
}

/// Rows per statement. Small on purpose: SQLite resolves `$N` parameters by name, a scan per
/// bind, so the cost of a statement grows with the square of its parameter count.
pub const BATCH: usize = 100;

pub async fn insert_accounts(
    ex: &mut Exec<'_>,
    base_url: &str,
    password_hash: &str,
    rows: &[SeedAccount],
) -> Result<(), sqlx::Error> {
    if rows.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "INSERT INTO accounts (id, username, username_lower, domain, display_name, display_name_lower, uri, url, \
         followers_count, following_count, statuses_count, last_status_at, silenced_at, suspended_at, \
         suspension_origin, discoverable, indexable, created_at, updated_at) VALUES {}",
        placeholders(rows.len(), 19)
    );
    on!(ex, c => {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()));
        for a in rows {
            let uri = match &a.domain {
                None => format!("{base_url}/users/{}", a.username),
                Some(d) => format!("https://{d}/users/{}", a.username),
            };
            let url = match &a.domain {
                None => format!("{base_url}/@{}", a.username),
                Some(d) => format!("https://{d}/@{}", a.username),
            };
            q = q
                .bind(a.id)
                .bind(a.username.clone())
                .bind(a.username.to_lowercase())
                .bind(a.domain.clone())
                .bind(a.display_name.clone())
                .bind(a.display_name.to_lowercase())
                .bind(uri)
                .bind(url)
                .bind(a.followers_count)
                .bind(a.following_count)
                .bind(a.statuses_count)
                .bind(a.last_status_at)
                .bind(a.silenced_at)
                .bind(a.suspended_at)
                .bind(a.suspended_at.map(|_| "local"))
                .bind(true)
                .bind(true)
                .bind(a.created_at)
                .bind(a.created_at);
        }
        q.execute(c).await.map(|r| r.rows_affected())
    })?;
    let names: Vec<(i64, &str, &str)> = rows
        .iter()
        .map(|a| (a.id, a.username.as_str(), a.display_name.as_str()))
        .collect();
    crate::db::repo::search::index_names(ex, &names).await?;
    let users: Vec<(&SeedAccount, &SeedUser)> = rows
        .iter()
        .filter_map(|a| a.user.as_ref().map(|u| (a, u)))
        .collect();
    if users.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "INSERT INTO users (id, account_id, email, encrypted_password, role_id, approved, disabled, confirmed_at, \
         sign_up_ip, created_at, updated_at) VALUES {}",
        placeholders(users.len(), 11)
    );
    on!(ex, c => {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()));
        for (a, u) in &users {
            q = q
                .bind(u.id)
                .bind(a.id)
                .bind(u.email.clone())
                .bind(password_hash.to_owned())
                .bind(u.role_id)
                .bind(u.approved)
                .bind(u.disabled)
                .bind(u.confirmed.then_some(a.created_at))
                .bind(u.ip.to_string())
                .bind(a.created_at)
                .bind(a.created_at);
        }
        q.execute(c).await.map(|r| r.rows_affected())
    })?;
    let sql = format!(
        "INSERT INTO user_ips (user_id, account_id, ip, ip_key, used_at) VALUES {}",
        placeholders(users.len(), 5)
    );
    on!(ex, c => {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()));
        for (a, u) in &users {
            q = q
                .bind(u.id)
                .bind(a.id)
                .bind(crate::domain::ip::display(u.ip))
                .bind(crate::domain::ip::key(u.ip))
                .bind(a.created_at);
        }
        q.execute(c).await.map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// (id, follower, target, created_at)
pub async fn insert_follows(
    ex: &mut Exec<'_>,
    rows: &[(i64, i64, i64, i64)],
) -> Result<(), sqlx::Error> {
    if rows.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "INSERT INTO follows (id, account_id, target_account_id, created_at) VALUES {}",
        placeholders(rows.len(), 4)
    );
    on!(ex, c => {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()));
        for (id, a, t, at) in rows {
            q = q.bind(*id).bind(*a).bind(*t).bind(*at);
        }
        q.execute(c).await.map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// (id, account, text, visibility, created_at)
pub async fn insert_statuses(
    ex: &mut Exec<'_>,
    base_url: &str,
    rows: &[(i64, i64, String, i64, i64)],
) -> Result<(), sqlx::Error> {
    if rows.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "INSERT INTO statuses (id, account_id, uri, text, content_html, visibility, created_at, updated_at) VALUES {}",
        placeholders(rows.len(), 8)
    );
    on!(ex, c => {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()));
        for (id, a, text, vis, at) in rows {
            q = q
                .bind(*id)
                .bind(*a)
                .bind(format!("{base_url}/statuses/{id}"))
                .bind(text.clone())
                .bind(format!("<p>{text}</p>"))
                .bind(*vis)
                .bind(*at)
                .bind(*at);
        }
        q.execute(c).await.map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Refreshes planner statistics after a bulk load; on PostgreSQL also vacuums, which sets the
/// visibility map so index-only scans need no heap visits (autovacuum would, much later).
pub async fn analyze(ex: &mut Exec<'_>) -> Result<(), sqlx::Error> {
    let sql = match ex.backend() {
        crate::db::Backend::Sqlite => "ANALYZE",
        crate::db::Backend::Postgres => "VACUUM ANALYZE",
    };
    // the simple protocol: VACUUM refuses to run inside a transaction block
    on!(ex, c => sqlx::raw_sql(sql).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}
