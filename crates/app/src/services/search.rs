//! `GET /api/v1/accounts/search`: an exact `user@domain` match first, then prefix matches on
//! username, display name and domain, ranked with your follows first.
//!
//! `resolve` cannot fetch anything yet (no federation): it answers from known accounts only,
//! exactly as without it.

use crate::api_types::Account;
use crate::db::Exec;
use crate::db::repo::accounts::{self, AccountRecord};
use crate::db::repo::follows::{self, FollowKind};
use crate::db::repo::search::{self, Terms};
use crate::domain::acct::parse_acct;
use crate::error::ApiResult;
use crate::services::present;

use super::graph::collections::records_in_order;

/// A search request as parsed from the params.
#[derive(Debug, Clone)]
pub struct SearchQuery {
    pub q: String,
    pub limit: usize,
    pub offset: i64,
    pub resolve: bool,
    pub following: bool,
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// `user@domain` as upstream's mention grammar has it (the whole query).
pub fn is_full_handle(q: &str) -> bool {
    let Some((user, domain)) = q.split_once('@') else {
        return false;
    };
    let user_ok = !user.is_empty()
        && user
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
        && user.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
        && user.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_');
    let domain_ok = domain.chars().count() >= 2
        && domain.chars().all(|c| is_word(c) || matches!(c, '.' | '-'))
        && domain.ends_with(is_word);
    user_ok && domain_ok
}

async fn exact_match(
    ex: &mut Exec<'_>,
    viewer: i64,
    local_domain: &str,
    sq: &SearchQuery,
    q: &str,
) -> ApiResult<Option<AccountRecord>> {
    if sq.offset != 0 || !is_full_handle(q) {
        return Ok(None);
    }
    let Some((user, domain)) = parse_acct(q, local_domain) else {
        return Ok(None);
    };
    let found = accounts::find_by_username(ex, user, domain)
        .await?
        .filter(|r| r.account.deleted_at.is_none());
    match found {
        Some(r) if sq.following => {
            let followed = follows::find(ex, FollowKind::Follow, viewer, r.account.id)
                .await?
                .is_some();
            Ok(followed.then_some(r))
        }
        other => Ok(other),
    }
}

fn terms(q: &str, local_domain: &str) -> Terms {
    match q.split_once('@') {
        Some((user, domain)) => {
            let local =
                domain.is_empty() || parse_acct(q, local_domain).is_some_and(|(_, d)| d.is_none());
            Terms {
                term: user.to_owned(),
                domain: (!local).then(|| domain.to_owned()),
                username_only: local,
            }
        }
        None => Terms {
            term: q.to_owned(),
            domain: None,
            username_only: false,
        },
    }
}

pub async fn search(
    ex: &mut Exec<'_>,
    base: &str,
    local_domain: &str,
    viewer: i64,
    sq: &SearchQuery,
) -> ApiResult<Vec<Account>> {
    let trimmed = sq.q.trim();
    let q = trimmed.strip_prefix('@').unwrap_or(trimmed);
    if q.is_empty() || sq.limit < 1 {
        return Ok(Vec::new());
    }
    let exact = exact_match(ex, viewer, local_domain, sq, q).await?;
    let fuzzy_limit = sq.limit - usize::from(exact.is_some());
    let mut ids: Vec<i64> = exact.iter().map(|r| r.account.id).collect();
    if fuzzy_limit > 0 {
        let t = terms(q, local_domain);
        let limit = i64::try_from(fuzzy_limit).unwrap_or(i64::MAX);
        for id in search::search(ex, &t, viewer, sq.following, limit, sq.offset.max(0)).await? {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    let records = records_in_order(ex, &ids).await?;
    present::render_accounts(ex, base, &records).await
}
