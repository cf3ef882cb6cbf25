//! Client authentication: `client_id` + `client_secret`, from HTTP Basic or the body.

use crate::db::Exec;
use crate::db::repo::oauth::{self, AppRow};
use crate::domain::secrets;

/// Credentials as presented; the handler reads HTTP Basic first, then the body (Doorkeeper's
/// `client_credentials_methods`).
#[derive(Debug, Clone, Default)]
pub struct ClientCredentials {
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
}

/// The app whose id and secret both match, else None.
pub async fn authenticate(
    ex: &mut Exec<'_>,
    creds: &ClientCredentials,
) -> Result<Option<AppRow>, sqlx::Error> {
    let (Some(id), Some(secret)) = (
        creds.client_id.as_deref().filter(|s| !s.is_empty()),
        creds.client_secret.as_deref().filter(|s| !s.is_empty()),
    ) else {
        return Ok(None);
    };
    let Some(app) = oauth::find_app_by_client_id(ex, id).await? else {
        return Ok(None);
    };
    Ok(secrets::matches_digest(secret, &app.client_secret_digest).then_some(app))
}
