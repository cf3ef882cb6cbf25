//! Authentication extractors with upstream's semantics (see mastodon-behaviour.md §1.1):
//! - [`TokenAuth`]: a valid token holding one of the scopes (app or user token);
//! - [`User`]: that, plus upstream's `require_user!` checks;
//! - [`MaybeUser`]: optional auth — an absent or unknown token is anonymous;
//! - [`Admin`]: optional-auth scopes, then the caller's role standing for permission checks.

use std::marker::PhantomData;
use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

use super::client_ip::ClientIp;
use super::scopes::ScopeSet;
use crate::db::repo::accounts::AccountRecord;
use crate::db::repo::users::UserRow;
use crate::domain::permissions::Standing;
use crate::error::ApiError;
use crate::services::viewer::{self, TokenLookup, Viewer};
use crate::state::AppState;

/// The token string of a request: `Authorization: Bearer …`, or `access_token` / `bearer_token`
/// in the query (Doorkeeper's defaults).
pub fn token_from_parts(parts: &Parts) -> Option<String> {
    if let Some(value) = parts
        .headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        let value = value.trim();
        if value.len() > 7 && value[..7].eq_ignore_ascii_case("bearer ") {
            return Some(value[7..].trim().to_owned());
        }
    }
    let query = parts.uri.query()?;
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "access_token" || k == "bearer_token")
        .map(|(_, v)| v.into_owned())
}

/// Resolves the token once per request; the API middleware stores the result in extensions.
pub async fn lookup(parts: &mut Parts, state: &AppState) -> Result<TokenLookup, ApiError> {
    if let Some(found) = parts.extensions.get::<TokenLookup>() {
        return Ok(found.clone());
    }
    let token = token_from_parts(parts);
    let found = viewer::resolve(
        state,
        token.as_deref(),
        Some(ClientIp::of(parts, state.trusted_proxies())),
    )
    .await?;
    parts.extensions.insert(found.clone());
    Ok(found)
}

fn check_scopes<S: ScopeSet>(v: &Viewer) -> Result<(), ApiError> {
    if S::SCOPES == [""] || v.scopes.any_of(S::SCOPES) {
        Ok(())
    } else {
        Err(ApiError::InsufficientScope(S::SCOPES))
    }
}

/// A required token with one of `S`'s scopes.
async fn required<S: ScopeSet>(
    parts: &mut Parts,
    state: &AppState,
) -> Result<Arc<Viewer>, ApiError> {
    match lookup(parts, state).await? {
        TokenLookup::Absent | TokenLookup::Unknown => {
            Err(ApiError::InvalidToken("The access token is invalid"))
        }
        TokenLookup::Revoked => Err(ApiError::InvalidToken("The access token was revoked")),
        TokenLookup::Found(v) => {
            viewer::check_login_enabled(&v)?;
            check_scopes::<S>(&v)?;
            Ok(v)
        }
    }
}

/// An optional token: checked only when it matches a stored one.
async fn optional<S: ScopeSet>(
    parts: &mut Parts,
    state: &AppState,
) -> Result<Option<Arc<Viewer>>, ApiError> {
    match lookup(parts, state).await? {
        TokenLookup::Absent | TokenLookup::Unknown => Ok(None),
        TokenLookup::Revoked => Err(ApiError::InvalidToken("The access token was revoked")),
        TokenLookup::Found(v) => {
            viewer::check_login_enabled(&v)?;
            check_scopes::<S>(&v)?;
            Ok(Some(v))
        }
    }
}

/// A valid token (app or user) with one of the scopes of `S`.
pub struct TokenAuth<S>(pub Arc<Viewer>, pub PhantomData<S>);

impl<S: ScopeSet> FromRequestParts<AppState> for TokenAuth<S> {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self(required::<S>(parts, state).await?, PhantomData))
    }
}

/// A signed-in, confirmed, approved and functional user.
pub struct User<S> {
    pub viewer: Arc<Viewer>,
    _scopes: PhantomData<S>,
}

impl<S> User<S> {
    pub fn user(&self) -> &UserRow {
        // Construction guarantees both are present.
        self.viewer
            .user
            .as_ref()
            .unwrap_or_else(|| unreachable!("User without user"))
    }

    pub fn record(&self) -> &AccountRecord {
        self.viewer
            .account
            .as_ref()
            .unwrap_or_else(|| unreachable!("User without account"))
    }

    pub fn account_id(&self) -> i64 {
        self.record().account.id
    }
}

impl<S: ScopeSet> FromRequestParts<AppState> for User<S> {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let viewer = required::<S>(parts, state).await?;
        viewer::require_user(&viewer)?;
        Ok(Self {
            viewer,
            _scopes: PhantomData,
        })
    }
}

/// Optional authentication: `None` for anonymous requests.
pub struct MaybeUser<S> {
    pub viewer: Option<Arc<Viewer>>,
    _scopes: PhantomData<S>,
}

impl<S> MaybeUser<S> {
    /// The viewer's account id, when a user is signed in.
    pub fn account_id(&self) -> Option<i64> {
        self.viewer.as_ref().and_then(|v| v.account_id())
    }
}

impl<S: ScopeSet> FromRequestParts<AppState> for MaybeUser<S> {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self {
            viewer: optional::<S>(parts, state).await?,
            _scopes: PhantomData,
        })
    }
}

/// Admin endpoints: scopes are checked only when a token is present; the caller's standing
/// is the nobody role without one, so permission checks answer 403 as upstream.
pub struct Admin<S> {
    pub viewer: Option<Arc<Viewer>>,
    pub standing: Standing,
    _scopes: PhantomData<S>,
}

impl<S> Admin<S> {
    /// 403 `This action is not allowed` unless the caller holds all of `bits`.
    pub fn require(&self, bits: i64) -> Result<(), ApiError> {
        if self.standing.can(bits) {
            Ok(())
        } else {
            Err(ApiError::not_allowed())
        }
    }

    pub fn account_id(&self) -> Option<i64> {
        self.viewer.as_ref().and_then(|v| v.account_id())
    }
}

impl<S: ScopeSet> FromRequestParts<AppState> for Admin<S> {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let viewer = optional::<S>(parts, state).await?;
        let standing = match &viewer {
            Some(v) if v.user.is_some() => v.standing,
            _ => Standing::NOBODY,
        };
        Ok(Self {
            viewer,
            standing,
            _scopes: PhantomData,
        })
    }
}
