//! Account search candidates: the rows upstream's ranking needs (`domain::search_rank`,
//! applied in `services::search`), collected through index ranges only, never a scan that
//! grows with the accounts table.
//!
//! Sources, each an index range (`col >= $lo AND col < $hi`, `$hi = $lo || U+10FFFF`;
//! bytewise order on both backends) capped by its own `LIMIT`:
//! - the words of display names and usernames (`account_name_words`, [`SOURCE_CAP`] rows),
//!   and the starts of usernames and display names (their lower-cased columns, as many);
//! - remote domains (`accounts.domain`, [`SOURCE_CAP`] rows);
//! - the same two ranges among the searcher's follows and followers (driven by the follows
//!   indexes, [`RELATED_CAP`] rows each), so accounts related to the searcher, which sort
//!   first, are not cut off by the caps above;
//! - the searcher themself.
//!
//! With `following`, only the follows sources and the searcher. `user@remote` searches use
//! a prefix of the username and one of the domain instead of the words.
//!
//! The ranking is exact (as upstream's SQL over every account) whenever each source has
//! fewer matching rows than its cap; past that, the capped sources hold the lowest words
//! (an exact word before its longer extensions) and an arbitrary part of a big domain.

use crate::db::query::run::fetch_all_unprepared;
use crate::db::query::{Arg, args, execute, fetch_optional, values};
use crate::db::{Backend, Exec};

/// Rows read from each of the word and domain ranges.
pub const SOURCE_CAP: i64 = 500;
/// Rows read from each of the searcher's follows and followers sources.
pub const RELATED_CAP: i64 = 5000;

/// What the candidates must match.
#[derive(Debug, Clone)]
pub enum Terms {
    /// A prefix of a word of the display name or username (`word`), or of the domain
    /// (`lexeme`: a whole query lexeme, as a host stays one lexeme).
    Words {
        word: String,
        lexeme: String,
        /// The domain range is read too (not for `user@<local domain>` searches).
        domains: bool,
    },
    /// `user@remote`: a prefix of the username and of the domain.
    Handle { username: String, domain: String },
}

/// One candidate with what its score needs.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Candidate {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub domain: Option<String>,
    pub followers_count: i64,
    pub following_count: i64,
    pub last_status_at: Option<i64>,
    /// The searcher follows this account (0 or 1).
    pub follows_them: i32,
    /// This account follows the searcher (0 or 1).
    pub follows_me: i32,
}

/// Upper bound of a prefix range.
fn hi(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}

fn dom(backend: Backend, table: &str) -> String {
    match backend {
        Backend::Sqlite => format!("{table}.domain"),
        Backend::Postgres => format!("({table}.domain COLLATE \"C\")"),
    }
}

/// The candidate statement (public so the plan can be checked). Binds: `$1`/`$2` the word
/// (or username) range, `$3`/`$4` the domain range, `$5` the searcher.
pub fn search_sql(backend: Backend, terms: &Terms, following: bool) -> String {
    // the searcher's follows, and (unless `following`) followers
    let sides: &[(&str, &str)] = if following {
        &[("account_id", "target_account_id")]
    } else {
        &[
            ("account_id", "target_account_id"),
            ("target_account_id", "account_id"),
        ]
    };
    let mut sources = match terms {
        Terms::Words { domains, .. } => word_sources(backend, *domains, following, sides),
        Terms::Handle { .. } => handle_sources(backend, following, sides),
    };
    sources.push("SELECT CAST($5 AS BIGINT)".to_owned());
    visible_candidates(&sources.join(" UNION "), following)
}

/// One related source: the `other` side of the searcher's follows rows where the searcher
/// is `side`, joined by `join` and matching `pred`.
fn related_source(side: &str, other: &str, pred: &str, join: &str) -> String {
    format!(
        "SELECT r.id FROM (SELECT f.{other} AS id FROM follows f {join} \
         WHERE f.{side} = $5 AND {pred} LIMIT {RELATED_CAP}) r"
    )
}

/// The sources of a words search: name words, name starts and domains (unless
/// `following`), then the same ranges among the searcher's follows `sides`.
fn word_sources(
    backend: Backend,
    domains: bool,
    following: bool,
    sides: &[(&str, &str)],
) -> Vec<String> {
    let a_dom = dom(backend, "a");
    let t_dom = dom(backend, "t");
    let mut sources = Vec::new();
    let words = "w.word >= $1 AND w.word < $2";
    let t_range = format!("{t_dom} >= $3 AND {t_dom} < $4");
    if !following {
        sources.push(format!(
            "SELECT s.id FROM (SELECT w.account_id AS id FROM account_name_words w \
             WHERE {words} LIMIT {SOURCE_CAP}) s"
        ));
        // the starts of usernames and display names too: rows written without their
        // words (raw inserts) are still found by their first word
        for col in ["username_lower", "display_name_lower"] {
            sources.push(format!(
                "SELECT s.id FROM (SELECT a.id FROM accounts a \
                 WHERE a.{col} >= $1 AND a.{col} < $2 LIMIT {SOURCE_CAP}) s"
            ));
        }
        if domains {
            sources.push(format!(
                "SELECT s.id FROM (SELECT a.id FROM accounts a \
                 WHERE {a_dom} >= $3 AND {a_dom} < $4 LIMIT {SOURCE_CAP}) s"
            ));
        }
    }
    for (side, other) in sides {
        let join = format!("JOIN account_name_words w ON w.account_id = f.{other}");
        sources.push(related_source(side, other, words, &join));
        if domains {
            let join = format!("JOIN accounts t ON t.id = f.{other}");
            sources.push(related_source(side, other, &t_range, &join));
        }
    }
    sources
}

/// The sources of a `user@remote` search: the username and domain ranges together, among
/// all accounts (unless `following`) and among the searcher's follows `sides`.
fn handle_sources(backend: Backend, following: bool, sides: &[(&str, &str)]) -> Vec<String> {
    let pred = |t: &str, d: &str| {
        format!(
            "{t}.username_lower >= $1 AND {t}.username_lower < $2 \
             AND {d} >= $3 AND {d} < $4"
        )
    };
    let mut sources = Vec::new();
    if !following {
        sources.push(format!(
            "SELECT s.id FROM (SELECT a.id FROM accounts a WHERE {} LIMIT {SOURCE_CAP}) s",
            pred("a", &dom(backend, "a"))
        ));
    }
    let t_pred = pred("t", &dom(backend, "t"));
    for (side, other) in sides {
        let join = format!("JOIN accounts t ON t.id = f.{other}");
        sources.push(related_source(side, other, &t_pred, &join));
    }
    sources
}

/// The rows of the `candidates` ids that a search may show, with what ranking needs.
fn visible_candidates(candidates: &str, following: bool) -> String {
    let follows_them =
        "EXISTS (SELECT 1 FROM follows f WHERE f.account_id = $5 AND f.target_account_id = a.id)";
    let follows_me =
        "EXISTS (SELECT 1 FROM follows f WHERE f.account_id = a.id AND f.target_account_id = $5)";
    // Silenced (limited) accounts are found only by their followers and themselves: beyond
    // upstream, as the moderation brief asks (docs/admin-action-logs.md).
    let limited = format!(" AND (a.silenced_at IS NULL OR a.id = $5 OR {follows_them})");
    let filter = if following {
        format!(" AND (a.id = $5 OR {follows_them})")
    } else {
        String::new()
    };
    format!(
        "SELECT a.id, a.username, a.display_name, a.domain, a.followers_count, a.following_count, \
         a.last_status_at, CASE WHEN {follows_them} THEN 1 ELSE 0 END AS follows_them, \
         CASE WHEN {follows_me} THEN 1 ELSE 0 END AS follows_me \
         FROM accounts a LEFT JOIN users u ON u.account_id = a.id \
         WHERE a.id IN ({candidates}) \
         AND a.suspended_at IS NULL AND a.deleted_at IS NULL AND a.moved_to_account_id IS NULL \
         AND NOT EXISTS (SELECT 1 FROM account_deletion_requests d WHERE d.account_id = a.id) \
         AND (a.domain IS NOT NULL OR (u.approved = TRUE AND u.confirmed_at IS NOT NULL)){limited}{filter}"
    )
}

/// The values bound to [`search_sql`]'s `$1`…`$4`.
pub fn search_args(terms: &Terms) -> [String; 4] {
    let (a, b) = match terms {
        Terms::Words { word, lexeme, .. } => (word.to_lowercase(), lexeme.to_lowercase()),
        Terms::Handle { username, domain } => (username.to_lowercase(), domain.to_lowercase()),
    };
    let (ha, hb) = (hi(&a), hi(&b));
    [a, ha, b, hb]
}

/// The candidates for `terms` and `viewer` (unordered; the service ranks them).
pub async fn candidates(
    ex: &mut Exec<'_>,
    terms: &Terms,
    viewer: i64,
    following: bool,
) -> Result<Vec<Candidate>, sqlx::Error> {
    let sql = search_sql(ex.backend(), terms, following);
    let [lo, lo_hi, dom_lo, dom_hi] = search_args(terms);
    // Unprepared, like the admin filters: a prefix's selectivity decides the plan, and a
    // generic PostgreSQL plan would not know it.
    let args = args![lo, lo_hi, dom_lo, dom_hi, viewer];
    fetch_all_unprepared(ex, &sql, &args).await
}

async fn insert_words(ex: &mut Exec<'_>, rows: &[(String, i64)]) -> Result<(), sqlx::Error> {
    // bounded statements: both drivers cap bound parameters
    for chunk in rows.chunks(400) {
        let (list, args) = values(chunk.iter().map(|(w, id)| [Arg::from(w), Arg::from(id)]));
        let sql = format!(
            "INSERT INTO account_name_words (word, account_id) VALUES {list} ON CONFLICT DO NOTHING"
        );
        execute(ex, &sql, &args).await?;
    }
    Ok(())
}

/// The searchable words of one account: its display name's and its username's.
fn account_words(id: i64, username: &str, display_name: &str) -> Vec<(String, i64)> {
    let mut words = crate::domain::name_words::words(display_name);
    for w in crate::domain::name_words::words(username) {
        if !words.contains(&w) {
            words.push(w);
        }
    }
    words.into_iter().map(|w| (w, id)).collect()
}

/// Keeps the searchable words of an account (display name and username) in step with its
/// display name; the username is read from its row, which must exist.
pub async fn index_name(
    ex: &mut Exec<'_>,
    account_id: i64,
    display_name: &str,
) -> Result<(), sqlx::Error> {
    let username: Option<(String,)> = fetch_optional(
        ex,
        "SELECT username_lower FROM accounts WHERE id = $1",
        &args![account_id],
    )
    .await?;
    execute(
        ex,
        "DELETE FROM account_name_words WHERE account_id = $1",
        &args![account_id],
    )
    .await?;
    let username = username.map(|u| u.0).unwrap_or_default();
    insert_words(ex, &account_words(account_id, &username, display_name)).await
}

/// The words of many new accounts at once (the benchmark seeder): `(id, username, name)`.
pub async fn index_names(
    ex: &mut Exec<'_>,
    accounts: &[(i64, &str, &str)],
) -> Result<(), sqlx::Error> {
    let rows: Vec<(String, i64)> = accounts
        .iter()
        .flat_map(|(id, username, name)| account_words(*id, username, name))
        .collect();
    insert_words(ex, &rows).await
}
