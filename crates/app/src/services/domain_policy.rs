//! The federation policy of domain moderation, asked by the inbox, the delivery queue and
//! the remote-account store (upstream's `DomainControlHelpers#domain_not_allowed?` and
//! `DomainBlock.rule_for`): a domain is refused when a suspending block covers it, or, in
//! limited federation mode, when no allow covers it. The local domain is never refused.

use crate::db::Exec;
use crate::db::repo::domain_blocks::{self as repo, DomainBlockRow};
use crate::domain::domain_rules::{Severity, variants};
use crate::error::ApiResult;
use crate::services::federation::remote::domain_of;
use crate::state::AppState;

/// The most specific block covering `domain`.
pub async fn rule_for(ex: &mut Exec<'_>, domain: &str) -> ApiResult<Option<DomainBlockRow>> {
    let v = variants(domain);
    if v.is_empty() {
        return Ok(None);
    }
    Ok(repo::rule_for(ex, &v).await?)
}

/// True when nothing may be exchanged with `domain`.
pub async fn refused(state: &AppState, ex: &mut Exec<'_>, domain: &str) -> ApiResult<bool> {
    if domain.eq_ignore_ascii_case(&state.config().domain) {
        return Ok(false);
    }
    if state.config().limited_federation {
        return Ok(!repo::allowed(ex, &variants(domain)).await?);
    }
    Ok(rule_for(ex, domain)
        .await?
        .is_some_and(|b| Severity::parse(&b.severity) == Some(Severity::Suspend)))
}

/// [`refused`] for the host of a URL (an inbox, an actor, a key id); a URL without a host
/// is refused.
pub async fn refused_url(state: &AppState, ex: &mut Exec<'_>, url: &str) -> ApiResult<bool> {
    match domain_of(url) {
        Some(d) => refused(state, ex, &d).await,
        None => Ok(true),
    }
}

/// [`refused_url`] on a connection of its own.
pub async fn refused_url_now(state: &AppState, url: &str) -> ApiResult<bool> {
    let mut conn = state.db().conn().await?;
    refused_url(state, &mut conn.exec(), url).await
}

/// [`refused`] on a connection of its own.
pub async fn refused_now(state: &AppState, domain: &str) -> ApiResult<bool> {
    let mut conn = state.db().conn().await?;
    refused(state, &mut conn.exec(), domain).await
}

/// True when account `account_id` is remote and its domain is refused now (an activity it
/// sent before its domain was blocked is dropped rather than applied).
pub async fn refused_account(state: &AppState, account_id: i64) -> ApiResult<bool> {
    let mut conn = state.db().conn().await?;
    let mut ex = conn.exec();
    let domain = crate::db::repo::accounts::find(&mut ex, account_id)
        .await?
        .and_then(|r| r.account.domain);
    match domain {
        Some(d) => refused(state, &mut ex, &d).await,
        None => Ok(false),
    }
}

/// Marks a remote account stored for the first time as the block covering its domain says:
/// silenced or suspended, with the block's time (upstream's `auto_silence?` and
/// `auto_suspend?` when an account is created).
pub async fn mark_new(
    ex: &mut Exec<'_>,
    account_id: i64,
    rule: Option<&DomainBlockRow>,
) -> ApiResult<()> {
    let Some(block) = rule else {
        return Ok(());
    };
    let severity = Severity::parse(&block.severity);
    let silence = severity == Some(Severity::Silence);
    let suspend = severity == Some(Severity::Suspend);
    if silence || suspend {
        repo::mark_new(ex, account_id, silence, suspend, block.created_at).await?;
    }
    Ok(())
}
