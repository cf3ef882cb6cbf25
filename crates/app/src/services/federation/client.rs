//! Signed requests to other servers, through the one outbound fetcher (its SSRF address
//! filter, slots, size and time limits): GETs of ActivityPub documents and WebFinger, POSTs
//! of activities to inboxes.

use std::time::SystemTime;

use reqwest::Method;
use serde_json::Value;
use url::Url;
use woolly_activitypub::{ACTIVITY_JSON, signature};

use crate::error::ApiError;
use crate::services::federation::keys::Signer;
use crate::state::AppState;

/// Why a remote request failed (kept apart from `ApiError` so deliveries can retry).
#[derive(Debug, thiserror::Error)]
pub enum RemoteError {
    #[error("bad url: {0}")]
    Url(String),
    #[error("{0}")]
    Fetch(#[from] crate::federation::fetch::FetchError),
    #[error("status {0}")]
    Status(u16),
    #[error("not JSON: {0}")]
    Json(String),
    #[error("signing: {0}")]
    Sign(String),
}

impl From<RemoteError> for ApiError {
    fn from(e: RemoteError) -> Self {
        ApiError::internal(e)
    }
}

fn parse(url: &str) -> Result<Url, RemoteError> {
    Url::parse(url).map_err(|e| RemoteError::Url(e.to_string()))
}

fn signed_headers(
    method: &str,
    url: &Url,
    body: Option<&[u8]>,
    signer: &Signer,
) -> Result<Vec<(&'static str, String)>, RemoteError> {
    let mut headers = signature::sign(
        method,
        url,
        body,
        &signer.key_id,
        &signer.key,
        SystemTime::now(),
    )
    .map_err(|e| RemoteError::Sign(e.to_string()))?;
    // reqwest writes the same Host itself.
    headers.retain(|(n, _)| *n != "host");
    Ok(headers)
}

/// GETs a JSON document (ActivityPub or JRD), signed when a signer is given.
pub async fn get_json(
    state: &AppState,
    url: &str,
    accept: &str,
    signer: Option<&Signer>,
) -> Result<Value, RemoteError> {
    let url = parse(url)?;
    let mut headers = match signer {
        Some(s) => signed_headers("GET", &url, None, s)?,
        None => Vec::new(),
    };
    headers.push(("accept", accept.to_owned()));
    let fetcher = state.fetcher()?;
    let (status, body) = fetcher.send(Method::GET, &url, &headers, None).await?;
    if !(200..300).contains(&status) {
        return Err(RemoteError::Status(status));
    }
    serde_json::from_slice(&body).map_err(|e| RemoteError::Json(e.to_string()))
}

/// GETs an ActivityPub document.
pub async fn get_activity(
    state: &AppState,
    url: &str,
    signer: Option<&Signer>,
) -> Result<Value, RemoteError> {
    let accept = format!("{ACTIVITY_JSON}, {}", woolly_activitypub::LD_JSON_AS);
    get_json(state, url, &accept, signer).await
}

/// POSTs an activity to an inbox, signed; Ok on a 2xx answer.
pub async fn post_activity(
    state: &AppState,
    inbox: &str,
    body: &[u8],
    signer: &Signer,
) -> Result<(), RemoteError> {
    let url = parse(inbox)?;
    let mut headers = signed_headers("POST", &url, Some(body), signer)?;
    headers.push(("content-type", ACTIVITY_JSON.to_owned()));
    let fetcher = state.fetcher()?;
    let (status, _) = fetcher
        .send(Method::POST, &url, &headers, Some(body.to_vec()))
        .await?;
    if (200..300).contains(&status) {
        Ok(())
    } else {
        Err(RemoteError::Status(status))
    }
}

/// An error for a client request that needed a remote server.
pub fn unreachable(e: &RemoteError) -> ApiError {
    tracing::info!(error = %e, "remote request failed");
    ApiError::NotFound
}

/// `ApiResult` of a remote request.
pub type RemoteResult<T> = Result<T, RemoteError>;
