//! Signing keys. A local account's RSA-2048 key pair is made on its first federated use (an
//! actor fetch or a delivery), not at sign-up, so creating accounts (and seeding a million)
//! stays fast. The instance actor has its own key. Private keys stay in the database and in
//! [`Signer`], whose `Debug` hides them.

use std::sync::Arc;

use woolly_activitypub::keys::{self, SigningKey};

use crate::db::repo::federation::{self as repo, KeyRow};
use crate::domain::time;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// A key that signs on behalf of an actor.
#[derive(Clone, Debug)]
pub struct Signer {
    pub key_id: String,
    pub key: Arc<SigningKey>,
}

/// The `publicKey.id` of an actor.
pub fn key_id_of(actor_uri: &str) -> String {
    format!("{actor_uri}#main-key")
}

async fn generate() -> ApiResult<keys::KeyPair> {
    tokio::task::spawn_blocking(keys::generate)
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)
}

/// The key row of a local account, made now if it has none.
pub async fn local_key(state: &AppState, account_id: i64, actor_uri: &str) -> ApiResult<KeyRow> {
    if let Some(k) = repo::key_of(&mut state.db().conn().await?.exec(), account_id).await? {
        return Ok(k);
    }
    let pair = generate().await?;
    let row = KeyRow {
        account_id,
        key_id: key_id_of(actor_uri),
        public_key_pem: pair.public_pem,
        private_key_pem: Some(pair.private_pem),
    };
    let mut tx = state.db().begin().await?;
    repo::insert_key(&mut tx.exec(), &row, time::now()).await?;
    // A concurrent first use may have stored its key first: use whichever is stored.
    let stored = repo::key_of(&mut tx.exec(), account_id).await?;
    tx.commit().await?;
    stored.ok_or(ApiError::NotFound)
}

/// A signer for a local account.
pub async fn local_signer(state: &AppState, account_id: i64, actor_uri: &str) -> ApiResult<Signer> {
    let row = local_key(state, account_id, actor_uri).await?;
    let pem = row
        .private_key_pem
        .ok_or_else(|| ApiError::internal("local account without a private key"))?;
    let key = SigningKey::from_pem(&pem).map_err(ApiError::internal)?;
    Ok(Signer {
        key_id: row.key_id,
        key: Arc::new(key),
    })
}

/// The instance actor's URI (`/actor`, as upstream).
pub fn instance_actor_uri(state: &AppState) -> String {
    format!("{}/actor", state.base_url())
}

/// The instance actor's key pair (made on first use).
pub async fn instance_key(state: &AppState) -> ApiResult<(String, String)> {
    if let Some(k) = repo::instance_key(&mut state.db().conn().await?.exec()).await? {
        return Ok(k);
    }
    let pair = generate().await?;
    let mut tx = state.db().begin().await?;
    repo::insert_instance_key(
        &mut tx.exec(),
        &pair.public_pem,
        &pair.private_pem,
        time::now(),
    )
    .await?;
    let stored = repo::instance_key(&mut tx.exec()).await?;
    tx.commit().await?;
    stored.ok_or(ApiError::NotFound)
}

/// A signer for requests not made on behalf of a user (actor and WebFinger fetches).
pub async fn instance_signer(state: &AppState) -> ApiResult<Signer> {
    let (_, private) = instance_key(state).await?;
    let key = SigningKey::from_pem(&private).map_err(ApiError::internal)?;
    Ok(Signer {
        key_id: key_id_of(&instance_actor_uri(state)),
        key: Arc::new(key),
    })
}
