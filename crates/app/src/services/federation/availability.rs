//! Unavailable domains, as upstream's `DeliveryFailureTracker`: every failed delivery
//! attempt records its UTC day for the inbox's domain; once a domain has failed on
//! [`FAILURE_DAYS_THRESHOLD`] distinct days it is unavailable, and deliveries to it are
//! dropped instead of tried. A delivery it answers, or a signed activity from one of its
//! actors (`reset` by the signer's inbox, as upstream's inbox controller), makes it available
//! again and forgets its failures. Domains are `host[:port]`, as `acct` shows them (upstream
//! drops the port; here two test servers on one loopback address stay apart).

use crate::db::repo::availability as repo;
use crate::domain::time;
use crate::error::ApiResult;
use crate::services::federation::remote::domain_of;
use crate::state::AppState;

/// Distinct days of failure after which a domain is unavailable (upstream's number).
pub const FAILURE_DAYS_THRESHOLD: i64 = 7;
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// What a delivery's answer means for its domain: a 2xx, or an answer that retrying cannot
/// change (4xx other than 401, 408 and 429; 501), shows the server is there.
pub fn answered(status: u16) -> bool {
    (200..300).contains(&status)
        || status == 501
        || ((400..500).contains(&status) && !matches!(status, 401 | 408 | 429))
}

/// Whether deliveries to the domain of `url` are still tried.
pub async fn available(state: &AppState, url: &str) -> ApiResult<bool> {
    let Some(domain) = domain_of(url) else {
        return Ok(true);
    };
    let mut conn = state.db().conn().await?;
    Ok(!repo::is_unavailable(&mut conn.exec(), &domain).await?)
}

/// A delivery to `url` failed now: its domain's day is recorded, and the domain marked
/// unavailable when it has failed on enough distinct days.
pub async fn track_failure(state: &AppState, url: &str) -> ApiResult<()> {
    let Some(domain) = domain_of(url) else {
        return Ok(());
    };
    let now = time::now();
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    let days = repo::record_failure(&mut ex, &domain, now.div_euclid(DAY_MS)).await?;
    if days >= FAILURE_DAYS_THRESHOLD {
        repo::mark_unavailable(&mut ex, &domain, now).await?;
        tracing::warn!(%domain, days, "domain marked unavailable: deliveries to it stop");
    }
    tx.commit().await?;
    Ok(())
}

/// The domain of `url` answered (a delivery) or spoke (a signed activity): it is available
/// again and its failures are forgotten. Reads before it writes: the inbox calls it for every
/// activity.
pub async fn reset(state: &AppState, url: &str) -> ApiResult<()> {
    let Some(domain) = domain_of(url) else {
        return Ok(());
    };
    let mut conn = state.db().conn().await?;
    let mut ex = conn.exec();
    if repo::any_recorded(&mut ex, &domain).await? && repo::reset(&mut ex, &domain).await? {
        tracing::info!(%domain, "domain available again");
    }
    Ok(())
}

/// A signed activity came from `account_id`: the domain of its inbox is available again, as
/// upstream's inbox controller (`DeliveryFailureTracker.reset!(signed_request_actor.inbox_url)`).
pub async fn heard_from(state: &AppState, account_id: i64) -> ApiResult<()> {
    let inbox = {
        let mut conn = state.db().conn().await?;
        crate::db::repo::federation::remote_actor(&mut conn.exec(), account_id).await?
    };
    match inbox {
        Some(r) => reset(state, &r.inbox_url).await,
        None => Ok(()),
    }
}

/// Domains with failures: (domain, distinct failure days, unavailable since), for
/// `woolly admin deliveries`.
pub async fn domains(state: &AppState) -> ApiResult<Vec<repo::DomainState>> {
    let mut conn = state.db().conn().await?;
    Ok(repo::all(&mut conn.exec()).await?)
}

#[cfg(test)]
mod tests {
    use super::answered;

    #[test]
    fn answers_that_show_a_server_is_there() {
        for s in [200, 202, 400, 403, 404, 410, 422, 501] {
            assert!(answered(s), "{s}");
        }
        for s in [401, 408, 429, 500, 502, 503, 504] {
            assert!(!answered(s), "{s}");
        }
    }
}
