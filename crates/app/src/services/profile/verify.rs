//! Profile link verification (rel="me"): after a profile save commits, every field whose value
//! is a link and not yet verified is fetched in the background; a page that links back to the
//! account with rel="me" marks the field verified. Best effort: nothing is kept in the
//! process, a lost check (restart, network error) is simply retried on the next save, and the
//! result is written with a compare-and-set so a newer save is never overwritten. One check
//! per account runs at a time (a newer save aborts the older check, see `verify_jobs`), and
//! every fetch holds one of the process-wide outbound slots (`federation::slots`).

use futures::future::join_all;

use crate::db::repo::{accounts, profile};
use crate::domain::time;
use crate::error::{ApiError, ApiResult};
use crate::federation::fetch::Fetcher;
use crate::federation::rel_me;
use crate::services::present::{self, StoredField};
use crate::services::profile::fields::FIELD_TEXT_LIMIT;
use crate::services::profile::verify_jobs::Job;
use crate::state::AppState;

/// Attempts of the final compare-and-set before giving up (each re-reads the fields).
const STORE_ATTEMPTS: usize = 3;

/// Can this value be verified? An absolute `https://` URL (also `http://` when `allow_http`)
/// with a host, written plainly: printable ASCII, no spaces, within the render limit.
pub fn verifiable(value: &str, allow_http: bool) -> bool {
    if value.is_empty()
        || value.len() > FIELD_TEXT_LIMIT
        || !value.bytes().all(|b| b.is_ascii_graphic())
    {
        return false;
    }
    let Ok(url) = url::Url::parse(value) else {
        return false;
    };
    let scheme_ok = url.scheme() == "https" || (allow_http && url.scheme() == "http");
    scheme_ok && url.host().is_some()
}

/// The distinct values that still need a check, in field order.
pub fn pending(fields: &[StoredField], allow_http: bool) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for f in fields {
        if f.verified_at.is_none() && verifiable(&f.value, allow_http) && !out.contains(&f.value) {
            out.push(f.value.clone());
        }
    }
    out
}

/// The fields with `verified_at = now` on every unverified field whose value is in
/// `verified`; None when that changes nothing (the values are gone or already verified).
pub fn mark(fields: &[StoredField], verified: &[String], now: i64) -> Option<Vec<StoredField>> {
    let mut changed = false;
    let out = fields
        .iter()
        .map(|f| {
            let mut f = f.clone();
            if f.verified_at.is_none() && verified.contains(&f.value) {
                f.verified_at = Some(now);
                changed = true;
            }
            f
        })
        .collect();
    changed.then_some(out)
}

/// Starts the check for a local account's fields, superseding any check still running for
/// it; returns at once. Call after commit.
pub fn after_save(state: &AppState, account_id: i64) {
    if !state.config().verify_profile_links {
        return;
    }
    let state = state.clone();
    let job = state.verify_jobs().start(account_id);
    tokio::spawn(async move {
        if let Err(error) = run(&state, account_id, &job).await {
            tracing::warn!(%error, account_id, "profile link verification failed");
        }
        state.verify_jobs().finished(account_id, &job);
    });
}

async fn run(state: &AppState, account_id: i64, job: &Job) -> ApiResult<()> {
    let allow_private = state.config().allow_private_fetches;
    let record = {
        let mut conn = state.db().conn().await?;
        accounts::find(&mut conn.exec(), account_id).await?
    };
    let Some(account) = record.map(|r| r.account).filter(|a| a.domain.is_none()) else {
        return Ok(());
    };
    let values = pending(&present::stored_fields(&account.fields), allow_private);
    if values.is_empty() || job.is_superseded() {
        return Ok(());
    }
    let base_url = state.base_url();
    let targets = vec![format!("{base_url}/@{}", account.username), account.uri];
    let fetcher = state.fetcher().map_err(ApiError::internal)?;
    let checks = values.into_iter().map(|value| {
        let (fetcher, targets) = (fetcher.clone(), targets.clone());
        async move { check(&fetcher, &value, targets, job).await.then_some(value) }
    });
    let verified: Vec<String> = join_all(checks).await.into_iter().flatten().collect();
    // A newer save's check will look at the fields as they are now.
    if verified.is_empty() || job.is_superseded() {
        return Ok(());
    }
    store(state, account_id, &verified).await
}

/// Fetches one link and looks for the rel="me" link back; a fetch still waiting for a slot
/// when a newer save supersedes the job is given up.
async fn check(fetcher: &Fetcher, url: &str, targets: Vec<String>, job: &Job) -> bool {
    let html = match fetcher.get_html(url, job.superseded()).await {
        Ok(html) => html,
        Err(error) => {
            tracing::debug!(%error, url, "profile link not verified");
            return false;
        }
    };
    tokio::task::spawn_blocking(move || rel_me::links_back(&html, &targets))
        .await
        .unwrap_or(false)
}

/// Marks the verified values on the fields as they are now (the user may have saved new ones
/// meanwhile); only fields whose value is unchanged are marked.
async fn store(state: &AppState, account_id: i64, verified: &[String]) -> ApiResult<()> {
    for _ in 0..STORE_ATTEMPTS {
        let now = time::now();
        let mut tx = state.db().begin().await?;
        let mut ex = tx.exec();
        let Some(record) = accounts::find(&mut ex, account_id).await? else {
            return Ok(());
        };
        let current = record.account.fields;
        let Some(updated) = mark(&present::stored_fields(&current), verified, now) else {
            return Ok(());
        };
        let json = serde_json::to_string(&updated).map_err(ApiError::internal)?;
        let stored =
            profile::replace_fields_if_unchanged(&mut ex, account_id, &current, &json, now).await?;
        tx.commit().await?;
        if stored {
            return Ok(());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(value: &str, verified_at: Option<i64>) -> StoredField {
        StoredField {
            name: "n".into(),
            value: value.into(),
            value_html: String::new(),
            verified_at,
        }
    }

    #[test]
    fn only_plain_links_are_verifiable() {
        assert!(verifiable("https://example.com", false));
        assert!(verifiable("https://example.com/~me?x=1", false));
        assert!(!verifiable("http://example.com", false));
        assert!(verifiable("http://127.0.0.1:8080/", true));
        assert!(!verifiable("she/her", false));
        assert!(!verifiable("example.com", false));
        assert!(!verifiable("https://", false));
        assert!(!verifiable("https://exa mple.com", false));
        assert!(!verifiable("https://bücher.example", false));
        assert!(!verifiable("mailto:me@example.com", false));
        assert!(!verifiable(
            &format!("https://example.com/{}", "a".repeat(255)),
            false
        ));
    }

    #[test]
    fn pending_skips_verified_and_duplicate_values() {
        let fields = vec![
            field("https://a.example", None),
            field("https://b.example", Some(1)),
            field("https://a.example", None),
            field("plain", None),
        ];
        assert_eq!(
            pending(&fields, false),
            vec!["https://a.example".to_owned()]
        );
    }

    #[test]
    fn mark_sets_only_unchanged_unverified_values() {
        let fields = vec![
            field("https://a.example", None),
            field("https://b.example", Some(1)),
            field("https://c.example", None),
        ];
        let verified = vec![
            "https://a.example".to_owned(),
            "https://b.example".to_owned(),
        ];
        let marked = mark(&fields, &verified, 7).unwrap();
        let at: Vec<Option<i64>> = marked.iter().map(|f| f.verified_at).collect();
        assert_eq!(at, vec![Some(7), Some(1), None]);
        // the user replaced the value meanwhile: nothing to mark
        let changed = vec![field("https://other.example", None)];
        assert!(mark(&changed, &verified, 7).is_none());
    }
}
