//! `POST /inbox` and `/users/:username/inbox`: the signature is verified here (the sender's
//! key fetched and cached; fetched again once when it fails, for rotated keys), then the
//! activity is queued and the request answered 202. Nothing changes for an unsigned, badly
//! signed, stale, tampered or spoofed request (401), and the same activity id twice is
//! queued once.

use std::time::SystemTime;

use serde_json::Value;
use woolly_activitypub::activity::{Incoming, same_origin};
use woolly_activitypub::inbound::InboundSignature;
use woolly_activitypub::keys::VerifyingKey;
use woolly_activitypub::signature::{self, Request};

use crate::db::repo::accounts;
use crate::db::repo::federation::{self as repo, NewJob};
use crate::domain::time;
use crate::error::{ApiError, ApiResult};
use crate::services::domain_policy;
use crate::services::federation::{availability, outbound, remote};
use crate::state::AppState;

/// What the handler passes: the request as received.
pub struct Received<'a> {
    pub username: Option<&'a str>,
    pub path: &'a str,
    pub query: Option<&'a str>,
    pub headers: Vec<(String, String)>,
    pub body: &'a [u8],
}

fn unauthorized(why: &'static str) -> ApiError {
    ApiError::Unauthorized(why)
}

/// The public key for `key_id` and the account that owns it: stored, or fetched now.
async fn key_for(state: &AppState, key_id: &str, refresh: bool) -> ApiResult<(i64, String)> {
    if !refresh {
        let stored = repo::key_by_id(&mut state.db().conn().await?.exec(), key_id).await?;
        if let Some(k) = stored.filter(|k| k.private_key_pem.is_none()) {
            return Ok((k.account_id, k.public_key_pem));
        }
    }
    let owner = signature::key_owner_guess(key_id);
    let account_id = remote::resolve(state, owner, refresh)
        .await
        .map_err(|_| unauthorized("Could not fetch the signing key"))?;
    let k = repo::key_of(&mut state.db().conn().await?.exec(), account_id)
        .await?
        .filter(|k| k.key_id == key_id)
        .ok_or(unauthorized("Signing key not found"))?;
    Ok((account_id, k.public_key_pem))
}

fn verify_with(
    state: &AppState,
    pem: &str,
    sig: &InboundSignature,
    req: &Request<'_>,
) -> Result<(), signature::SignatureError> {
    let key =
        VerifyingKey::from_pem(pem).map_err(|e| signature::SignatureError::Key(e.to_string()))?;
    sig.verify(req, &state.config().scheme, &key, SystemTime::now())
}

/// Verifies and queues one inbox POST.
pub async fn receive(state: &AppState, r: Received<'_>) -> ApiResult<()> {
    if let Some(username) = r.username {
        let mut conn = state.db().conn().await?;
        accounts::find_by_username(&mut conn.exec(), username, None)
            .await?
            .ok_or(ApiError::NotFound)?;
    }
    // draft-cavage `Signature`, or RFC 9421 `Signature-Input` + `Signature`
    let sig = InboundSignature::from_headers(&r.headers).map_err(|e| match e {
        signature::SignatureError::Missing => unauthorized("Request not signed"),
        _ => unauthorized("Incompatible request signature"),
    })?;
    let req = Request {
        method: "POST",
        path: r.path,
        query: r.query,
        headers: r.headers.clone(),
        body: r.body,
    };
    // a refused domain is not even asked for its key (upstream answers 403)
    if domain_policy::refused_url_now(state, sig.key_id()).await? {
        return Err(ApiError::Forbidden(format!(
            "Public key not found for key {}",
            sig.key_id()
        )));
    }
    let (mut signer_id, pem) = key_for(state, sig.key_id(), false).await?;
    if let Err(first) = verify_with(state, &pem, &sig, &req) {
        // Only a signature that failed against a possibly old key is worth a refetch.
        if first != signature::SignatureError::Invalid {
            tracing::info!(error = %first, key_id = %sig.key_id(), "inbox signature refused");
            return Err(unauthorized("Verification failed"));
        }
        let (id, pem) = key_for(state, sig.key_id(), true).await?;
        verify_with(state, &pem, &sig, &req).map_err(|_| unauthorized("Verification failed"))?;
        signer_id = id;
    }
    let doc: Value =
        serde_json::from_slice(r.body).map_err(|_| ApiError::BadRequest("Invalid JSON".into()))?;
    let activity = Incoming::parse(&doc).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let signer_uri = {
        let mut conn = state.db().conn().await?;
        accounts::find(&mut conn.exec(), signer_id)
            .await?
            .map(|a| a.account.uri)
            .ok_or(ApiError::NotFound)?
    };
    // The activity speaks for the key's owner only, and names itself on its actor's origin.
    if activity.actor != signer_uri || !same_origin(&activity.id, &activity.actor) {
        return Err(unauthorized("Activity actor does not match the signature"));
    }
    availability::heard_from(state, signer_id).await?;
    queue(state, signer_id, &activity.id, &doc).await
}

async fn queue(state: &AppState, signer_id: i64, activity_id: &str, doc: &Value) -> ApiResult<()> {
    let now = time::now();
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    if repo::mark_seen(&mut ex, activity_id, now).await? {
        let payload = doc.to_string();
        repo::enqueue(
            &mut ex,
            &NewJob {
                id: state.next_id(),
                kind: outbound::INBOX,
                account_id: Some(signer_id),
                target_url: None,
                payload: &payload,
                run_at: now,
            },
        )
        .await?;
    }
    tx.commit().await?;
    state.federation_wake();
    Ok(())
}
