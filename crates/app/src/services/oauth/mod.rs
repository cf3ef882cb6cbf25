//! OAuth 2 as Mastodon configures Doorkeeper: app registration, the authorization-code flow
//! (with S256 PKCE), client credentials, revocation, and the browser sessions of the sign-in
//! and consent pages. Secrets, codes, tokens and sessions are stored as SHA-256 digests.

pub mod apps;
pub mod authorize;
pub mod clients;
pub mod sessions;
pub mod tokens;
pub mod userinfo;

use crate::api_types::oauth::OAuthError;
use crate::error::ApiError;

/// Authorization codes live 10 minutes (Doorkeeper's default).
pub const CODE_TTL_MS: i64 = 10 * 60 * 1000;

/// An OAuth protocol error (rendered as Doorkeeper does) or an ordinary API error.
#[derive(Debug)]
pub enum OAuthFailure {
    OAuth(OAuthError),
    Api(ApiError),
}

impl From<OAuthError> for OAuthFailure {
    fn from(e: OAuthError) -> Self {
        Self::OAuth(e)
    }
}

impl From<ApiError> for OAuthFailure {
    fn from(e: ApiError) -> Self {
        Self::Api(e)
    }
}

impl From<sqlx::Error> for OAuthFailure {
    fn from(e: sqlx::Error) -> Self {
        Self::Api(ApiError::internal(e))
    }
}

pub type OAuthResult<T> = Result<T, OAuthFailure>;
