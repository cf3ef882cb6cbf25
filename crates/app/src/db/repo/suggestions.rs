//! Follow suggestions: the candidate queries of each source, and dismissals
//! (`follow_recommendation_mutes`).

use super::directory::{LISTED, not_domain_blocked_by, not_excluded_by};
use crate::db::Exec;
use crate::db::query::{args, execute, fetch_all};

/// Upstream's `base_account_scope` for viewer `$1` at `$2`: a listed account that is not the
/// viewer, not followed or requested by them, not excluded by them, not of a domain they
/// block, and not dismissed by them.
fn base() -> String {
    format!(
        "{LISTED} AND a.id <> $1 \
         AND NOT EXISTS (SELECT 1 FROM follows f0 WHERE f0.account_id = $1 AND f0.target_account_id = a.id) \
         AND NOT EXISTS (SELECT 1 FROM follow_requests r0 WHERE r0.account_id = $1 AND r0.target_account_id = a.id) \
         AND {} AND {} \
         AND NOT EXISTS (SELECT 1 FROM follow_recommendation_mutes d0 WHERE d0.account_id = $1 AND d0.target_account_id = a.id)",
        not_excluded_by("$1", "$2"),
        not_domain_blocked_by("$1")
    )
}

/// (account id, score) rows of a source query binding `$1` viewer, `$2` now, `$3` limit and,
/// for the sources over a recent window, `$4` its start.
async fn scored(
    ex: &mut Exec<'_>,
    sql: &str,
    viewer: i64,
    now: i64,
    limit: i64,
    since: Option<i64>,
) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    let mut args = args![viewer, now, limit];
    if let Some(since) = since {
        args.push(since);
    }
    fetch_all(ex, sql, &args).await
}

/// Accounts followed by the accounts the viewer follows (those not hiding their
/// collections), most shared first, then most followed.
pub async fn friends_of_friends(
    ex: &mut Exec<'_>,
    viewer: i64,
    now: i64,
    limit: i64,
) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    let sql = format!(
        "SELECT a.id, COUNT(*) AS frequency FROM follows f2 \
         JOIN accounts a ON a.id = f2.target_account_id LEFT JOIN users u ON u.account_id = a.id \
         WHERE f2.account_id IN (SELECT f1.target_account_id FROM follows f1 \
           JOIN accounts fa ON fa.id = f1.target_account_id \
           WHERE f1.account_id = $1 AND (fa.hide_collections IS NULL OR fa.hide_collections = FALSE)) \
         AND {} \
         GROUP BY a.id, a.followers_count ORDER BY frequency DESC, a.followers_count DESC, a.id DESC LIMIT $3",
        base()
    );
    scored(ex, &sql, viewer, now, limit, None).await
}

/// The sources of the global suggestions, each over the window from `since`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GlobalSource {
    /// Local accounts followed at least 5 times by users signed in since `since` (upstream's
    /// `most_followed`), with the follow count.
    MostFollowed,
    /// Local accounts whose statuses since `since` were reblogged and favourited at least 5
    /// times in all (upstream's `most_interactions`), with that sum.
    MostInteractions,
}

impl GlobalSource {
    fn sql(self) -> String {
        match self {
            Self::MostFollowed => format!(
                "SELECT a.id, COUNT(*) AS n FROM follows f \
                 JOIN users fu ON fu.account_id = f.account_id \
                 JOIN accounts a ON a.id = f.target_account_id LEFT JOIN users u ON u.account_id = a.id \
                 WHERE fu.current_sign_in_at >= $4 AND a.domain IS NULL AND a.sensitized_at IS NULL AND {} \
                 GROUP BY a.id HAVING COUNT(*) >= 5 ORDER BY n DESC, a.id DESC LIMIT $3",
                base()
            ),
            Self::MostInteractions => format!(
                "SELECT a.id, CAST(SUM(s.reblogs_count + s.favourites_count) AS BIGINT) AS n FROM statuses s \
                 JOIN accounts a ON a.id = s.account_id LEFT JOIN users u ON u.account_id = a.id \
                 WHERE s.created_at >= $4 AND s.deleted_at IS NULL AND a.domain IS NULL AND a.sensitized_at IS NULL AND {} \
                 GROUP BY a.id HAVING SUM(s.reblogs_count + s.favourites_count) >= 5 ORDER BY n DESC, a.id DESC LIMIT $3",
                base()
            ),
        }
    }
}

/// The (account id, score) rows of a global `source` for `viewer`, highest score first.
pub async fn global(
    ex: &mut Exec<'_>,
    source: GlobalSource,
    viewer: i64,
    now: i64,
    since: i64,
    limit: i64,
) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    scored(ex, &source.sql(), viewer, now, limit, Some(since)).await
}

/// Remembers that `account_id` dismissed `target_account_id` (an unknown target is ignored).
pub async fn dismiss(
    ex: &mut Exec<'_>,
    id: i64,
    account_id: i64,
    target_account_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO follow_recommendation_mutes (id, account_id, target_account_id, created_at) \
               SELECT $1, $2, a.id, $4 FROM accounts a WHERE a.id = $3 \
               ON CONFLICT (account_id, target_account_id) DO NOTHING";
    execute(ex, sql, &args![id, account_id, target_account_id, now]).await?;
    Ok(())
}
