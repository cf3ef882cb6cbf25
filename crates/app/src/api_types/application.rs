//! `Application` and `CredentialApplication`.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Application {
    pub id: String,
    pub name: String,
    pub website: Option<String>,
    pub scopes: Vec<String>,
    pub redirect_uris: Vec<String>,
    /// Deprecated: the redirect URIs joined by newlines.
    pub redirect_uri: String,
    /// Deprecated; we have no Web Push.
    pub vapid_key: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CredentialApplication {
    #[serde(flatten)]
    pub application: Application,
    pub client_id: String,
    pub client_secret: String,
    pub client_secret_expires_at: i64,
}
