//! `GET /api/v1/accounts/search`: an exact `user@domain` match first, then upstream's
//! database search (Mastodon 4.x `Account::Search`, no Elasticsearch).
//!
//! - The term is matched as one phrase of prefixes against the weighted document of display
//!   name (A), username (B) and domain (C) (`domain::search_rank`); for `user@<local domain>`
//!   the username part is searched that way (as upstream), for `user@remote` a username
//!   prefix at a domain prefix.
//! - score = boost (follower ratio, log10 of followers, posted at all) × `ts_rank_cd`.
//! - Ordered by the number of follows between you and the account (0–2: mutual first), then
//!   score; with `following`, only accounts you follow and yourself, by score × (1 + whether
//!   they follow you). Ties by account id. `offset` and `limit` apply to that order.
//! - The candidates come from index ranges with caps (`db::repo::search`), so the ranking is
//!   exact unless a range holds more rows than its cap.
//!
//! `resolve` cannot fetch anything yet (no federation): it answers from known accounts only,
//! exactly as without it.

use crate::api_types::Account;
use crate::db::Exec;
use crate::db::repo::accounts::{self, AccountRecord};
use crate::db::repo::follows::{self, FollowKind};
use crate::db::repo::search::{self, Candidate, Terms};
use crate::domain::acct::parse_acct;
use crate::domain::name_words;
use crate::domain::search_rank;
use crate::error::ApiResult;
use crate::services::present;
use crate::state::AppState;

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

/// How the fuzzy part matches: the query lexemes, which document they are matched against,
/// and the candidate ranges.
struct Plan {
    query: Vec<String>,
    /// `user@remote`: the username and domain prefixes (lower-cased).
    handle: Option<(String, String)>,
    terms: Terms,
}

/// The index ranges for a phrase: the first word of the query lexeme whose first word is
/// longest (every matching account has a word starting with it, or a domain starting with
/// that lexeme). None when the query has no lexemes (it matches nothing).
fn words_terms(query: &[String], domains: bool) -> Option<Terms> {
    let (word, lexeme) = query
        .iter()
        .filter_map(|l| name_words::words(l).into_iter().next().map(|w| (w, l)))
        .max_by_key(|(w, _)| w.chars().count())?;
    Some(Terms::Words {
        word,
        lexeme: lexeme.clone(),
        domains,
    })
}

fn plan(q: &str, local_domain: &str) -> Option<Plan> {
    match q.split_once('@') {
        Some((user, domain)) => {
            let local =
                domain.is_empty() || parse_acct(q, local_domain).is_some_and(|(_, d)| d.is_none());
            let query = search_rank::query_terms(user);
            if local {
                // Upstream searches the username part like any term (`terms_for_query`).
                let terms = words_terms(&query, true)?;
                return Some(Plan {
                    query,
                    handle: None,
                    terms,
                });
            }
            let (user, domain) = (user.to_lowercase(), domain.to_lowercase());
            Some(Plan {
                query,
                handle: Some((user.clone(), domain.clone())),
                terms: Terms::Handle {
                    username: user,
                    domain,
                },
            })
        }
        None => {
            let query = search_rank::query_terms(q);
            let terms = words_terms(&query, true)?;
            Some(Plan {
                query,
                handle: None,
                terms,
            })
        }
    }
}

/// The text rank of a candidate, None when it does not match.
fn text_rank(plan: &Plan, c: &Candidate) -> Option<f64> {
    if let Some((user, domain)) = &plan.handle {
        let matches = c.username.to_lowercase().starts_with(user.as_str())
            && c.domain
                .as_deref()
                .is_some_and(|d| d.to_lowercase().starts_with(domain.as_str()));
        let doc = search_rank::document(&c.display_name, &c.username, c.domain.as_deref());
        return matches.then(|| search_rank::rank_cd(&doc, &plan.query));
    }
    let doc = search_rank::document(&c.display_name, &c.username, c.domain.as_deref());
    let rank = search_rank::rank_cd(&doc, &plan.query);
    (rank > 0.0).then_some(rank)
}

/// Upstream's order of the matching candidates (see the module comment), as ids.
fn ranked(plan: &Plan, candidates: &[Candidate], following: bool) -> Vec<i64> {
    let mut scored: Vec<(i32, f64, i64)> = candidates
        .iter()
        .filter_map(|c| {
            let rank = text_rank(plan, c)?;
            let score =
                search_rank::boost(c.followers_count, c.following_count, c.last_status_at) * rank;
            Some(if following {
                (0, score * f64::from(1 + c.follows_me), c.id)
            } else {
                (c.follows_them + c.follows_me, score, c.id)
            })
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.total_cmp(&a.1)).then(a.2.cmp(&b.2)));
    scored.into_iter().map(|s| s.2).collect()
}

/// `GET /api/v1/accounts/search`.
pub async fn search(state: &AppState, viewer: i64, sq: &SearchQuery) -> ApiResult<Vec<Account>> {
    let mut conn = state.db().conn().await?;
    let base = state.base_url();
    let local_domain = &state.config().domain;
    find_accounts(&mut conn.exec(), &base, local_domain, viewer, sq).await
}

/// The accounts matching `sq` on the caller's connection (v1 and v2 search).
pub async fn find_accounts(
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
    if fuzzy_limit > 0
        && let Some(plan) = plan(q, local_domain)
    {
        let candidates = search::candidates(ex, &plan.terms, viewer, sq.following).await?;
        let offset = usize::try_from(sq.offset.max(0)).unwrap_or(usize::MAX);
        let page = ranked(&plan, &candidates, sq.following)
            .into_iter()
            .skip(offset)
            .take(fuzzy_limit);
        for id in page {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    let records = records_in_order(ex, &ids).await?;
    present::render_accounts(ex, base, &records).await
}
