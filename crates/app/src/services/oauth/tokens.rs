//! `POST /oauth/token` (authorization_code and client_credentials) and `POST /oauth/revoke`.

use crate::api_types::Token;
use crate::api_types::oauth::OAuthError;
use crate::db::Exec;
use crate::db::repo::oauth::{self, AppRow, GrantRow};
use crate::domain::scopes::{self, Scopes};
use crate::domain::{secrets, time};
use crate::error::ApiError;
use crate::state::AppState;

use super::clients::{self, ClientCredentials};
use super::{OAuthFailure, OAuthResult};

/// The parameters of a token request.
#[derive(Debug, Clone, Default)]
pub struct TokenRequest {
    pub grant_type: Option<String>,
    pub client: ClientCredentials,
    pub code: Option<String>,
    pub redirect_uri: Option<String>,
    pub code_verifier: Option<String>,
    pub scope: Option<String>,
}

fn blank(s: Option<&String>) -> bool {
    s.is_none_or(|s| s.trim().is_empty())
}

/// Issues a token. Grant types other than `authorization_code` and `client_credentials`
/// (password, refresh_token, …) are unsupported, as in Mastodon 4.4+.
pub async fn exchange(state: &AppState, req: TokenRequest) -> OAuthResult<Token> {
    match req.grant_type.as_deref().map(str::trim) {
        None | Some("") => Err(OAuthError::missing_param("grant_type").into()),
        Some("authorization_code") => authorization_code(state, &req).await,
        Some("client_credentials") => client_credentials(state, &req).await,
        Some(_) => Err(OAuthError::unsupported_grant_type().into()),
    }
}

/// Stores a new random token and returns Doorkeeper's response body.
///
/// Deviation from upstream: Doorkeeper (`reuse_access_token`) hands back the existing token
/// string for the same app, user and scopes. We keep only SHA-256 digests of tokens, so a
/// user's old token cannot be returned: every code exchange issues a new token. App tokens
/// (client_credentials) are reused, see [`client_credentials`].
async fn issue(
    state: &AppState,
    ex: &mut Exec<'_>,
    app: &AppRow,
    user_id: Option<i64>,
    scopes: &str,
    grant_id: Option<i64>,
) -> OAuthResult<Token> {
    let token = secrets::random_token().map_err(ApiError::internal)?;
    store(ex, state.next_id(), token, app, user_id, scopes, grant_id).await
}

async fn store(
    ex: &mut Exec<'_>,
    id: i64,
    token: String,
    app: &AppRow,
    user_id: Option<i64>,
    scopes: &str,
    grant_id: Option<i64>,
) -> OAuthResult<Token> {
    let now = time::now();
    oauth::insert_token(
        ex,
        &oauth::NewToken {
            id,
            digest: &secrets::digest(&token),
            application_id: Some(app.id),
            resource_owner_id: user_id,
            scopes,
            grant_id,
            now,
        },
    )
    .await?;
    Ok(Token {
        access_token: token,
        token_type: "Bearer",
        scope: scopes.to_owned(),
        created_at: now / 1000,
    })
}

/// Checks in Doorkeeper's order: parameters, client, grant, redirect URI, PKCE verifier.
async fn authorization_code(state: &AppState, req: &TokenRequest) -> OAuthResult<Token> {
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    let grant = match req.code.as_deref().filter(|c| !c.is_empty()) {
        Some(code) => oauth::find_grant(&mut ex, &secrets::digest(code)).await?,
        None => None,
    };
    if grant.as_ref().is_some_and(|g| g.code_challenge.is_some())
        && blank(req.code_verifier.as_ref())
    {
        return Err(OAuthError::missing_param("code_verifier").into());
    }
    if blank(req.redirect_uri.as_ref()) {
        return Err(OAuthError::missing_param("redirect_uri").into());
    }
    let Some(app) = clients::authenticate(&mut ex, &req.client).await? else {
        return Err(OAuthError::invalid_client().into());
    };
    let Some(grant) = grant.filter(|g| g.application_id == app.id) else {
        return Err(OAuthError::invalid_grant().into());
    };
    let now = time::now();
    if grant.revoked_at.is_some() {
        // A replayed code: the tokens issued from it are revoked too.
        oauth::revoke_tokens_of_grant(&mut ex, grant.id, now).await?;
        tx.commit().await?;
        return Err(OAuthError::invalid_grant().into());
    }
    if grant.expires_at <= now || !verifies(&grant, req) {
        return Err(OAuthError::invalid_grant().into());
    }
    if !oauth::revoke_grant(&mut ex, grant.id, now).await? {
        // A concurrent exchange of the same code won the race: a replay as well.
        oauth::revoke_tokens_of_grant(&mut ex, grant.id, now).await?;
        tx.commit().await?;
        return Err(OAuthError::invalid_grant().into());
    }
    let token = issue(
        state,
        &mut ex,
        &app,
        Some(grant.resource_owner_id),
        &grant.scopes,
        Some(grant.id),
    )
    .await?;
    tx.commit().await?;
    Ok(token)
}

/// The redirect URI equals the grant's, and the verifier matches an S256 challenge.
fn verifies(grant: &GrantRow, req: &TokenRequest) -> bool {
    if req.redirect_uri.as_deref() != Some(grant.redirect_uri.as_str()) {
        return false;
    }
    let verifier = req.code_verifier.as_deref().filter(|v| !v.is_empty());
    match (&grant.code_challenge, verifier) {
        (None, None) => true,
        // Doorkeeper compares a sent verifier even when the grant had no challenge.
        (None, Some(_)) => false,
        (Some(_), None) => false,
        (Some(challenge), Some(verifier)) => {
            grant.code_challenge_method.as_deref() == Some("S256")
                && secrets::pkce_s256(verifier) == *challenge
        }
    }
}

/// The scopes a request may have: those asked for (or the default) when every one is a
/// server scope and one of the app's; None otherwise (`invalid_scope`).
pub fn allowed_scopes(requested: Option<&str>, app_scopes: &str) -> Option<Scopes> {
    let text = requested
        .filter(|s| !s.trim().is_empty())
        .unwrap_or(scopes::DEFAULT);
    if text.contains(['\n', '\r', '\t']) {
        return None;
    }
    let wanted = Scopes::parse(text);
    let ok = !wanted.is_empty()
        && wanted.first_unsupported().is_none()
        && wanted.is_subset_of(&Scopes::parse(app_scopes));
    ok.then_some(wanted)
}

/// The app's newest live app tokens looked at for reuse.
const REUSE_CANDIDATES: i64 = 20;

/// An app token's string: derived from the client secret and the token's row id, so the
/// same token can be handed out again while only its digest is stored. Only a holder of
/// the secret can compute it, and they could ask for a token anyway.
fn app_token(client_secret: &str, token_id: i64) -> String {
    secrets::derived_token(
        client_secret,
        &format!("woolly client_credentials token {token_id}"),
    )
}

/// As Doorkeeper with Mastodon's `reuse_access_token`: the app's live token for the same
/// scopes (in any order) is returned again, with its own `created_at`, instead of writing a
/// new row on every call; a revoked token is not reused. Two concurrent first calls may both
/// write one, as upstream. Older tokens whose string was random are left alone.
async fn client_credentials(state: &AppState, req: &TokenRequest) -> OAuthResult<Token> {
    let mut conn = state.db().conn().await?;
    let mut ex = conn.exec();
    let Some(app) = clients::authenticate(&mut ex, &req.client).await? else {
        return Err(OAuthError::invalid_client().into());
    };
    let Some(scopes) = allowed_scopes(req.scope.as_deref(), &app.scopes) else {
        return Err(OAuthError::invalid_scope().into());
    };
    // authenticate() succeeded, so the secret is there
    let secret = req.client.client_secret.as_deref().unwrap_or_default();
    for row in oauth::live_app_tokens(&mut ex, app.id, REUSE_CANDIDATES).await? {
        let stored = Scopes::parse(&row.scopes);
        if !(stored.is_subset_of(&scopes) && scopes.is_subset_of(&stored)) {
            continue;
        }
        let token = app_token(secret, row.id);
        if secrets::matches_digest(&token, &row.token_digest) {
            return Ok(Token {
                access_token: token,
                token_type: "Bearer",
                scope: row.scopes,
                created_at: row.created_at / 1000,
            });
        }
    }
    let id = state.next_id();
    let token = app_token(secret, id);
    store(&mut ex, id, token, &app, None, &scopes.to_string(), None).await
}

/// RFC 7009 as Doorkeeper does it: the client must authenticate (403 otherwise); an unknown
/// token is a success; a token of another app is refused; tokens issued without an app
/// (operator tokens) may be revoked by any authenticated client.
pub async fn revoke(
    state: &AppState,
    client: &ClientCredentials,
    token: Option<&str>,
) -> OAuthResult<()> {
    let mut conn = state.db().conn().await?;
    let mut ex = conn.exec();
    let Some(app) = clients::authenticate(&mut ex, client).await? else {
        return Err(OAuthFailure::OAuth(OAuthError::unauthorized_revoke()));
    };
    let Some(token) = token.filter(|t| !t.is_empty()) else {
        return Ok(());
    };
    let Some(row) = oauth::find_token(&mut ex, &secrets::digest(token)).await? else {
        return Ok(());
    };
    if row.application_id.is_some_and(|id| id != app.id) {
        return Err(OAuthError::unauthorized_revoke().into());
    }
    oauth::revoke_token(&mut ex, row.id, time::now()).await?;
    crate::services::streaming::publish::token_revoked(state, row.id);
    Ok(())
}
