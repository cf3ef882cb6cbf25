//! `domain_blocks` and `domain_allows` (server-wide domain moderation), and the account
//! updates a block makes and its removal undoes on the accounts of its domains.

use sqlx::FromRow;

use crate::db::Exec;
use crate::db::query::rows::{execute_in, fetch_in, page_rows, scalars_in};
use crate::db::query::{Args, Conditions, args, execute, fetch_all, fetch_optional, fetch_scalars};
use crate::domain::page::Cursor;

#[derive(Debug, Clone, FromRow)]
pub struct DomainBlockRow {
    pub id: i64,
    pub domain: String,
    pub severity: String,
    pub reject_media: bool,
    pub reject_reports: bool,
    pub private_comment: Option<String>,
    pub public_comment: Option<String>,
    pub obfuscate: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, FromRow)]
pub struct DomainAllowRow {
    pub id: i64,
    pub domain: String,
    pub created_at: i64,
    pub updated_at: i64,
}

pub async fn insert(ex: &mut Exec<'_>, b: &DomainBlockRow) -> Result<(), sqlx::Error> {
    execute(
        ex,
        "INSERT INTO domain_blocks (id, domain, severity, reject_media, reject_reports, \
         private_comment, public_comment, obfuscate, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        &args![
            b.id,
            &b.domain,
            &b.severity,
            b.reject_media,
            b.reject_reports,
            &b.private_comment,
            &b.public_comment,
            b.obfuscate,
            b.created_at,
            b.updated_at
        ],
    )
    .await?;
    Ok(())
}

/// Writes every changeable column of `b` (the domain and creation time stay).
pub async fn update(ex: &mut Exec<'_>, b: &DomainBlockRow) -> Result<(), sqlx::Error> {
    execute(
        ex,
        "UPDATE domain_blocks SET severity = $1, reject_media = $2, reject_reports = $3, \
         private_comment = $4, public_comment = $5, obfuscate = $6, updated_at = $7 WHERE id = $8",
        &args![
            &b.severity,
            b.reject_media,
            b.reject_reports,
            &b.private_comment,
            &b.public_comment,
            b.obfuscate,
            b.updated_at,
            b.id
        ],
    )
    .await?;
    Ok(())
}

pub async fn delete(ex: &mut Exec<'_>, id: i64) -> Result<(), sqlx::Error> {
    execute(ex, "DELETE FROM domain_blocks WHERE id = $1", &args![id]).await?;
    Ok(())
}

pub async fn find(ex: &mut Exec<'_>, id: i64) -> Result<Option<DomainBlockRow>, sqlx::Error> {
    fetch_optional(ex, "SELECT * FROM domain_blocks WHERE id = $1", &args![id]).await
}

/// The most specific block among `variants` (a domain and its parents), as upstream's
/// `rule_for` (longest domain first).
pub async fn rule_for(
    ex: &mut Exec<'_>,
    variants: &[String],
) -> Result<Option<DomainBlockRow>, sqlx::Error> {
    let rows: Vec<DomainBlockRow> = fetch_in(
        ex,
        "SELECT * FROM domain_blocks WHERE domain IN ({list}) ORDER BY LENGTH(domain) DESC LIMIT 1",
        Args::new(),
        variants.iter().map(String::as_str),
    )
    .await?;
    Ok(rows.into_iter().next())
}

/// A page of blocks, newest first.
pub async fn page(ex: &mut Exec<'_>, cursor: &Cursor) -> Result<Vec<DomainBlockRow>, sqlx::Error> {
    page_rows(ex, "domain_blocks", Conditions::default(), cursor).await
}

/// The blocks users may be shown (silence and suspend), upstream's `by_severity` order:
/// silences, then suspensions, each by domain.
pub async fn user_facing(ex: &mut Exec<'_>) -> Result<Vec<DomainBlockRow>, sqlx::Error> {
    fetch_all(
        ex,
        "SELECT * FROM domain_blocks WHERE severity IN ('silence', 'suspend') \
         ORDER BY CASE severity WHEN 'silence' THEN 1 ELSE 2 END, domain",
        &[],
    )
    .await
}

pub async fn insert_allow(ex: &mut Exec<'_>, a: &DomainAllowRow) -> Result<(), sqlx::Error> {
    execute(
        ex,
        "INSERT INTO domain_allows (id, domain, created_at, updated_at) VALUES ($1, $2, $3, $4)",
        &args![a.id, &a.domain, a.created_at, a.updated_at],
    )
    .await?;
    Ok(())
}

pub async fn find_allow(ex: &mut Exec<'_>, id: i64) -> Result<Option<DomainAllowRow>, sqlx::Error> {
    fetch_optional(ex, "SELECT * FROM domain_allows WHERE id = $1", &args![id]).await
}

pub async fn allow_by_domain(
    ex: &mut Exec<'_>,
    domain: &str,
) -> Result<Option<DomainAllowRow>, sqlx::Error> {
    fetch_optional(
        ex,
        "SELECT * FROM domain_allows WHERE domain = $1",
        &args![domain],
    )
    .await
}

pub async fn delete_allow(ex: &mut Exec<'_>, id: i64) -> Result<(), sqlx::Error> {
    execute(ex, "DELETE FROM domain_allows WHERE id = $1", &args![id]).await?;
    Ok(())
}

/// A page of allowed domains, newest first.
pub async fn page_allows(
    ex: &mut Exec<'_>,
    cursor: &Cursor,
) -> Result<Vec<DomainAllowRow>, sqlx::Error> {
    page_rows(ex, "domain_allows", Conditions::default(), cursor).await
}

/// True when one of `variants` (a domain and its parents) is allowed.
pub async fn allowed(ex: &mut Exec<'_>, variants: &[String]) -> Result<bool, sqlx::Error> {
    let ids: Vec<i64> = scalars_in(
        ex,
        "SELECT id FROM domain_allows WHERE domain IN ({list}) LIMIT 1",
        Args::new(),
        variants.iter().map(String::as_str),
    )
    .await?;
    Ok(!ids.is_empty())
}

/// Every distinct domain of a remote account (the caller picks those a rule covers).
pub async fn account_domains(ex: &mut Exec<'_>) -> Result<Vec<String>, sqlx::Error> {
    fetch_scalars(
        ex,
        "SELECT DISTINCT domain FROM accounts WHERE domain IS NOT NULL",
        &[],
    )
    .await
}

/// Silences the accounts of `domains` not yet silenced, marking them with `at`.
pub async fn silence(ex: &mut Exec<'_>, domains: &[String], at: i64) -> Result<u64, sqlx::Error> {
    execute_in(
        ex,
        "UPDATE accounts SET silenced_at = $1 WHERE silenced_at IS NULL AND domain IN ({list})",
        args![at],
        domains.iter().map(String::as_str),
    )
    .await
}

/// Lifts the silences marked `at` on the accounts of `domains`.
pub async fn unsilence(ex: &mut Exec<'_>, domains: &[String], at: i64) -> Result<u64, sqlx::Error> {
    execute_in(
        ex,
        "UPDATE accounts SET silenced_at = NULL WHERE silenced_at = $1 AND domain IN ({list})",
        args![at],
        domains.iter().map(String::as_str),
    )
    .await
}

/// Suspends the accounts of `domains` not yet suspended (a local suspension marked `at`);
/// returns their ids.
pub async fn suspend(
    ex: &mut Exec<'_>,
    domains: &[String],
    at: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    let ids: Vec<i64> = scalars_in(
        ex,
        "SELECT id FROM accounts WHERE suspended_at IS NULL AND domain IN ({list}) ORDER BY id",
        Args::new(),
        domains.iter().map(String::as_str),
    )
    .await?;
    execute_in(
        ex,
        "UPDATE accounts SET suspended_at = $1, suspension_origin = 'local' WHERE id IN ({list})",
        args![at],
        ids.iter().copied(),
    )
    .await?;
    Ok(ids)
}

/// Lifts the suspensions marked `at` on the accounts of `domains`.
pub async fn unsuspend(ex: &mut Exec<'_>, domains: &[String], at: i64) -> Result<u64, sqlx::Error> {
    execute_in(
        ex,
        "UPDATE accounts SET suspended_at = NULL, suspension_origin = NULL \
         WHERE suspended_at = $1 AND domain IN ({list})",
        args![at],
        domains.iter().map(String::as_str),
    )
    .await
}

/// Forgets the avatar and header URLs of the accounts of `domains` (`reject_media`).
pub async fn clear_media(ex: &mut Exec<'_>, domains: &[String]) -> Result<u64, sqlx::Error> {
    execute_in(
        ex,
        "UPDATE accounts SET avatar_remote_url = NULL, header_remote_url = NULL \
         WHERE domain IN ({list})",
        Args::new(),
        domains.iter().map(String::as_str),
    )
    .await
}

/// Silences or suspends one new account as the block marked `at` says.
pub async fn mark_new(
    ex: &mut Exec<'_>,
    account_id: i64,
    silence: bool,
    suspend: bool,
    at: i64,
) -> Result<(), sqlx::Error> {
    execute(
        ex,
        "UPDATE accounts SET \
         silenced_at = CASE WHEN $1 THEN COALESCE(silenced_at, $3) ELSE silenced_at END, \
         suspended_at = CASE WHEN $2 THEN COALESCE(suspended_at, $3) ELSE suspended_at END, \
         suspension_origin = CASE WHEN $2 THEN COALESCE(suspension_origin, 'local') \
           ELSE suspension_origin END \
         WHERE id = $4",
        &args![silence, suspend, at, account_id],
    )
    .await?;
    Ok(())
}
