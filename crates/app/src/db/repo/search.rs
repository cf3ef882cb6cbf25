//! Account search: prefix matches on `username_lower`, `display_name_lower`, the words of
//! display names (`account_name_words`) and `domain`, each an index range (`col >= $lo AND col < $hi`, `$hi = $lo || U+10FFFF`; bytewise order on
//! both backends), never a full scan. Ranking: accounts the searcher follows or is followed by
//! first, then an exact username, then more followers.

use crate::db::{Backend, Exec};
use crate::on;

/// What to match.
#[derive(Debug, Clone)]
pub struct Terms {
    /// Prefix of the username (and, unless `domain` is given, of display name and domain).
    pub term: String,
    /// `user@domain` searches: prefix of a remote domain; usernames must match too.
    pub domain: Option<String>,
    /// Only local `user@…` handles: search usernames only.
    pub username_only: bool,
}

/// Upper bound of a prefix range.
fn hi(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}

/// The search statement (public so the plan can be checked).
pub fn search_sql(backend: Backend, terms: &Terms, following: bool) -> String {
    let dom = match backend {
        Backend::Sqlite => "domain",
        Backend::Postgres => "(domain COLLATE \"C\")",
    };
    let candidates = if terms.domain.is_some() {
        format!(
            "SELECT id FROM accounts WHERE username_lower >= $1 AND username_lower < $2 \
             AND {dom} >= $3 AND {dom} < $4"
        )
    } else if terms.username_only {
        "SELECT id FROM accounts WHERE username_lower >= $1 AND username_lower < $2".to_owned()
    } else {
        format!(
            "SELECT id FROM accounts WHERE username_lower >= $1 AND username_lower < $2 \
             UNION SELECT id FROM accounts WHERE display_name_lower >= $1 AND display_name_lower < $2 \
             UNION SELECT account_id FROM account_name_words WHERE word >= $1 AND word < $2 \
             UNION SELECT id FROM accounts WHERE {dom} >= $3 AND {dom} < $4"
        )
    };
    let follows_them =
        "EXISTS (SELECT 1 FROM follows f WHERE f.account_id = $5 AND f.target_account_id = a.id)";
    let follows_me =
        "EXISTS (SELECT 1 FROM follows f WHERE f.account_id = a.id AND f.target_account_id = $5)";
    // Silenced (limited) accounts are found only by their followers and themselves: beyond
    // upstream, as the moderation brief asks (docs/admin-action-logs.md).
    let limited = format!(" AND (a.silenced_at IS NULL OR a.id = $5 OR {follows_them})");
    let (filter, related) = if following {
        (
            format!(" AND (a.id = $5 OR {follows_them})"),
            format!("CASE WHEN {follows_me} THEN 0 ELSE 1 END"),
        )
    } else {
        (
            String::new(),
            format!("CASE WHEN {follows_them} OR {follows_me} THEN 0 ELSE 1 END"),
        )
    };
    format!(
        "SELECT a.id FROM accounts a LEFT JOIN users u ON u.account_id = a.id \
         WHERE a.id IN ({candidates}) \
         AND a.suspended_at IS NULL AND a.deleted_at IS NULL AND a.moved_to_account_id IS NULL \
         AND NOT EXISTS (SELECT 1 FROM account_deletion_requests d WHERE d.account_id = a.id) \
         AND (a.domain IS NOT NULL OR (u.approved = TRUE AND u.confirmed_at IS NOT NULL)){limited}{filter} \
         ORDER BY {related}, CASE WHEN a.username_lower = $6 THEN 0 ELSE 1 END, a.followers_count DESC, a.id \
         LIMIT $7 OFFSET $8"
    )
}

/// Account ids matching `terms` for `viewer`, ranked, `limit` from `offset`.
pub async fn search(
    ex: &mut Exec<'_>,
    terms: &Terms,
    viewer: i64,
    following: bool,
    limit: i64,
    offset: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    let sql = search_sql(ex.backend(), terms, following);
    let term = terms.term.to_lowercase();
    let domain = terms
        .domain
        .as_deref()
        .map_or_else(|| term.clone(), str::to_lowercase);
    // Unprepared, like the admin filters: a prefix's selectivity decides the plan, and a
    // generic PostgreSQL plan would not know it.
    let rows: Vec<(i64,)> = on!(ex, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).persistent(false)
        .bind(&term)
        .bind(hi(&term))
        .bind(&domain)
        .bind(hi(&domain))
        .bind(viewer)
        .bind(&term)
        .bind(limit)
        .bind(offset)
        .fetch_all(c)
        .await)?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Keeps the searchable words of an account's display name in step with it.
pub async fn index_name(
    ex: &mut Exec<'_>,
    account_id: i64,
    display_name: &str,
) -> Result<(), sqlx::Error> {
    on!(ex, c => sqlx::query("DELETE FROM account_name_words WHERE account_id = $1")
        .bind(account_id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    for word in crate::domain::name_words::words(display_name) {
        on!(ex, c => sqlx::query("INSERT INTO account_name_words (word, account_id) VALUES ($1, $2)")
            .bind(&word)
            .bind(account_id)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// The words of many new accounts' names at once (the benchmark seeder).
pub async fn index_names(ex: &mut Exec<'_>, names: &[(i64, &str)]) -> Result<(), sqlx::Error> {
    let rows: Vec<(String, i64)> = names
        .iter()
        .flat_map(|(id, name)| {
            crate::domain::name_words::words(name)
                .into_iter()
                .map(move |w| (w, *id))
        })
        .collect();
    // bounded statements: both drivers cap bound parameters
    for chunk in rows.chunks(400) {
        let values = (0..chunk.len())
            .map(|i| format!("(${}, ${})", 2 * i + 1, 2 * i + 2))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!("INSERT INTO account_name_words (word, account_id) VALUES {values}");
        on!(ex, c => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()));
            for (w, id) in chunk {
                q = q.bind(w.clone()).bind(*id);
            }
            q.execute(c).await.map(|r| r.rows_affected())
        })?;
    }
    Ok(())
}
