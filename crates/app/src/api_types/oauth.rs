//! OAuth wire types: Doorkeeper's error bodies, the authorization server metadata and
//! `/oauth/userinfo`.

use serde::Serialize;

/// An OAuth error as Doorkeeper reports it: a code and its en-locale description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OAuthError {
    pub error: &'static str,
    pub error_description: String,
}

impl OAuthError {
    fn new(error: &'static str, description: impl Into<String>) -> Self {
        Self {
            error,
            error_description: description.into(),
        }
    }

    pub fn invalid_request() -> Self {
        Self::new(
            "invalid_request",
            "The request is missing a required parameter, includes an unsupported parameter value, or is otherwise malformed.",
        )
    }

    /// `Missing required parameter: code_verifier.`
    pub fn missing_param(name: &str) -> Self {
        Self::new(
            "invalid_request",
            format!("Missing required parameter: {name}."),
        )
    }

    pub fn invalid_client() -> Self {
        Self::new(
            "invalid_client",
            "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.",
        )
    }

    pub fn invalid_grant() -> Self {
        Self::new(
            "invalid_grant",
            "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.",
        )
    }

    pub fn invalid_scope() -> Self {
        Self::new(
            "invalid_scope",
            "The requested scope is invalid, unknown, or malformed.",
        )
    }

    pub fn invalid_redirect_uri() -> Self {
        Self::new(
            "invalid_redirect_uri",
            "The redirect uri included is not valid.",
        )
    }

    pub fn unsupported_grant_type() -> Self {
        Self::new(
            "unsupported_grant_type",
            "The authorization grant type is not supported by the authorization server.",
        )
    }

    pub fn unsupported_response_type() -> Self {
        Self::new(
            "unsupported_response_type",
            "The authorization server does not support this response type.",
        )
    }

    pub fn invalid_code_challenge_method() -> Self {
        Self::new(
            "invalid_code_challenge_method",
            "The code_challenge_method must be S256.",
        )
    }

    pub fn access_denied() -> Self {
        Self::new(
            "access_denied",
            "The resource owner or authorization server denied the request.",
        )
    }

    /// RFC 7009 refusals of `/oauth/revoke`.
    pub fn unauthorized_revoke() -> Self {
        Self::new(
            "unauthorized_client",
            "You are not authorized to revoke this token",
        )
    }

    pub fn server_error() -> Self {
        Self::new(
            "server_error",
            "The authorization server encountered an unexpected condition which prevented it from fulfilling the request.",
        )
    }

    /// The HTTP status Doorkeeper answers with: 401 for client authentication, 403 for a
    /// refused revocation, 500 for server errors, else 400.
    pub fn status(&self) -> u16 {
        match self.error {
            "invalid_client" => 401,
            "unauthorized_client" => 403,
            "server_error" => 500,
            _ => 400,
        }
    }
}

/// `GET /.well-known/oauth-authorization-server` (RFC 8414 as Mastodon fills it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuthServerMetadata {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub revocation_endpoint: String,
    pub userinfo_endpoint: String,
    pub scopes_supported: Vec<&'static str>,
    pub response_types_supported: Vec<&'static str>,
    pub response_modes_supported: Vec<&'static str>,
    pub grant_types_supported: Vec<&'static str>,
    pub token_endpoint_auth_methods_supported: Vec<&'static str>,
    pub code_challenge_methods_supported: Vec<&'static str>,
    pub service_documentation: &'static str,
    pub app_registration_endpoint: String,
}

/// `GET|POST /oauth/userinfo`
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UserInfo {
    pub iss: String,
    pub sub: String,
    pub name: String,
    pub preferred_username: String,
    pub profile: String,
    pub picture: String,
}
