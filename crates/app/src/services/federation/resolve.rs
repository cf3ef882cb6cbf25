//! `resolve=true` searches and `accounts/lookup` of remote handles: `user@domain` through
//! WebFinger and the actor document, an `http(s)://` URL through the actor document. The
//! result is stored as an account, so the search that follows finds it.

use woolly_activitypub::webfinger::{Jrd, split_acct};

use crate::db::repo::accounts;
use crate::error::ApiResult;
use crate::services::federation::{client, keys, remote};
use crate::state::AppState;

/// The WebFinger URLs to try for a domain: https, and http too when private addresses are
/// allowed (the test-only setting; loopback test servers speak plain HTTP).
fn webfinger_urls(state: &AppState, user: &str, domain: &str) -> Vec<String> {
    let resource = format!("acct:{user}@{domain}");
    let query: String = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("resource", &resource)
        .finish();
    let mut schemes = vec!["https"];
    if state.config().allow_private_fetches {
        schemes.push("http");
    }
    schemes
        .into_iter()
        .map(|s| format!("{s}://{domain}/.well-known/webfinger?{query}"))
        .collect()
}

/// Finds the actor URI of `user@domain` by WebFinger.
async fn webfinger(state: &AppState, user: &str, domain: &str) -> Option<String> {
    let signer = keys::instance_signer(state).await.ok();
    for url in webfinger_urls(state, user, domain) {
        match client::get_json(
            state,
            &url,
            "application/jrd+json, application/json",
            signer.as_ref(),
        )
        .await
        {
            Ok(doc) => {
                let jrd: Jrd = serde_json::from_value(doc).ok()?;
                return jrd.actor_uri().map(str::to_owned);
            }
            Err(e) => tracing::debug!(error = %e, %url, "webfinger failed"),
        }
    }
    None
}

/// Makes `q` known when it names a remote account (a handle or an actor URL); returns the
/// account id when it does. Failures are quiet: the search then finds what it finds.
pub async fn remote_query(state: &AppState, q: &str) -> ApiResult<Option<i64>> {
    let q = q.trim();
    if q.starts_with("https://") || q.starts_with("http://") {
        if q.starts_with(&state.base_url()) {
            return Ok(None);
        }
        return Ok(remote::resolve(state, q, false).await.ok());
    }
    let Some((user, domain)) = split_acct(q) else {
        return Ok(None);
    };
    if domain.eq_ignore_ascii_case(&state.config().domain) {
        return Ok(None);
    }
    let known = {
        let mut conn = state.db().conn().await?;
        accounts::find_by_username(&mut conn.exec(), user, Some(domain)).await?
    };
    if let Some(r) = known {
        // Refetched when stale (upstream's `possibly_stale?`: a day), else as stored.
        let id = remote::resolve(state, &r.account.uri, false).await;
        return Ok(Some(id.unwrap_or(r.account.id)));
    }
    if crate::services::domain_policy::refused_now(state, domain).await? {
        return Ok(None);
    }
    let Some(uri) = webfinger(state, user, domain).await else {
        return Ok(None);
    };
    Ok(remote::resolve(state, &uri, false).await.ok())
}
