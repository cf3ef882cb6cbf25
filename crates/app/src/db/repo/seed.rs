//! Bulk inserts for the benchmark seeder: multi-row INSERTs inside large transactions.

use crate::db::Exec;
use crate::db::on;
use crate::db::query::{Arg, execute, values};

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

/// Rows per statement. Small on purpose: SQLite resolves `$N` parameters by name, a scan per
/// bind, so the cost of a statement grows with the square of its parameter count.
pub const BATCH: usize = 100;

/// Inserts the accounts, their name words, and the users (with their sign-up address) of the
/// local ones.
pub async fn insert_accounts(
    ex: &mut Exec<'_>,
    base_url: &str,
    password_hash: &str,
    rows: &[SeedAccount],
) -> Result<(), sqlx::Error> {
    if rows.is_empty() {
        return Ok(());
    }
    insert_account_rows(ex, base_url, rows).await?;
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
    insert_user_rows(ex, password_hash, &users).await?;
    insert_user_ips(ex, &users).await
}

async fn insert_account_rows(
    ex: &mut Exec<'_>,
    base_url: &str,
    rows: &[SeedAccount],
) -> Result<(), sqlx::Error> {
    let (list, args) = values(rows.iter().map(|a| {
        let uri = match &a.domain {
            None => format!("{base_url}/users/{}", a.username),
            Some(d) => format!("https://{d}/users/{}", a.username),
        };
        let url = match &a.domain {
            None => format!("{base_url}/@{}", a.username),
            Some(d) => format!("https://{d}/@{}", a.username),
        };
        [
            a.id.into(),
            (&a.username).into(),
            a.username.to_lowercase().into(),
            a.domain.clone().into(),
            (&a.display_name).into(),
            a.display_name.to_lowercase().into(),
            uri.into(),
            url.into(),
            a.followers_count.into(),
            a.following_count.into(),
            a.statuses_count.into(),
            a.last_status_at.into(),
            a.silenced_at.into(),
            a.suspended_at.into(),
            a.suspended_at.map(|_| "local").into(),
            true.into(),
            true.into(),
            a.created_at.into(),
            a.created_at.into(),
        ]
    }));
    let sql = format!(
        "INSERT INTO accounts (id, username, username_lower, domain, display_name, display_name_lower, uri, url, \
         followers_count, following_count, statuses_count, last_status_at, silenced_at, suspended_at, \
         suspension_origin, discoverable, indexable, created_at, updated_at) VALUES {list}"
    );
    execute(ex, &sql, &args).await?;
    Ok(())
}

async fn insert_user_rows(
    ex: &mut Exec<'_>,
    password_hash: &str,
    users: &[(&SeedAccount, &SeedUser)],
) -> Result<(), sqlx::Error> {
    let (list, args) = values(users.iter().map(|(a, u)| {
        [
            u.id.into(),
            a.id.into(),
            (&u.email).into(),
            password_hash.into(),
            u.role_id.into(),
            u.approved.into(),
            u.disabled.into(),
            u.confirmed.then_some(a.created_at).into(),
            u.ip.to_string().into(),
            a.created_at.into(),
            a.created_at.into(),
        ]
    }));
    let sql = format!(
        "INSERT INTO users (id, account_id, email, encrypted_password, role_id, approved, disabled, confirmed_at, \
         sign_up_ip, created_at, updated_at) VALUES {list}"
    );
    execute(ex, &sql, &args).await?;
    Ok(())
}

/// Each user's sign-up address as its one known address.
async fn insert_user_ips(
    ex: &mut Exec<'_>,
    users: &[(&SeedAccount, &SeedUser)],
) -> Result<(), sqlx::Error> {
    let (list, args) = values(users.iter().map(|(a, u)| {
        [
            u.id.into(),
            a.id.into(),
            crate::domain::ip::display(u.ip).into(),
            crate::domain::ip::key(u.ip).into(),
            a.created_at.into(),
        ]
    }));
    let sql =
        format!("INSERT INTO user_ips (user_id, account_id, ip, ip_key, used_at) VALUES {list}");
    execute(ex, &sql, &args).await?;
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
    let (list, args) = values(
        rows.iter()
            .map(|&(id, a, t, at)| [id, a, t, at].map(Arg::Int)),
    );
    let sql = format!(
        "INSERT INTO follows (id, account_id, target_account_id, created_at) VALUES {list}"
    );
    execute(ex, &sql, &args).await?;
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
    let (list, args) = values(rows.iter().map(|(id, a, text, vis, at)| {
        [
            id.into(),
            a.into(),
            format!("{base_url}/statuses/{id}").into(),
            text.into(),
            format!("<p>{text}</p>").into(),
            vis.into(),
            at.into(),
            at.into(),
        ]
    }));
    let sql = format!(
        "INSERT INTO statuses (id, account_id, uri, text, content_html, visibility, created_at, updated_at) VALUES {list}"
    );
    execute(ex, &sql, &args).await?;
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
