//! `POST /api/v1/apps`: registering a client, with Doorkeeper's and Mastodon's validations.

use crate::api_types::{Application, CredentialApplication};
use crate::db::repo::oauth::{self, AppRow};
use crate::domain::scopes::{self, Scopes};
use crate::domain::{secrets, time};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

use crate::domain::redirect_uris;

const MAX_NAME: usize = 60;
const MAX_URL: usize = 2000;

/// What a client sent; `scopes` is None when absent or sent as an array (upstream ignores
/// an array, so the app gets the default scope).
#[derive(Debug, Default)]
pub struct NewApp {
    pub name: String,
    pub redirect_uris: String,
    pub scopes: Option<String>,
    pub website: Option<String>,
}

/// Mastodon's UrlValidator: an http(s) URL with a host.
fn is_web_url(s: &str) -> bool {
    url::Url::parse(s)
        .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
}

/// The Rails full messages, in the order the model validates.
fn validate(app: &NewApp, scopes: &Scopes, scope_text: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if app.name.trim().is_empty() {
        errors.push("Application name can't be blank".to_owned());
    }
    if app.redirect_uris.trim().is_empty() {
        errors.push("Redirect URI can't be blank".to_owned());
    } else {
        for p in redirect_uris::problems(&app.redirect_uris) {
            errors.push(format!("Redirect URI {p}"));
        }
    }
    if scope_text.contains(['\n', '\r', '\t']) || scopes.first_unsupported().is_some() {
        errors.push("Scopes doesn't match configured on the server.".to_owned());
    }
    if app.name.chars().count() > MAX_NAME {
        errors.push(format!(
            "Application name is too long (maximum is {MAX_NAME} characters)"
        ));
    }
    if let Some(website) = app.website.as_deref().filter(|w| !w.is_empty()) {
        if !is_web_url(website) {
            errors.push("Application website is invalid".to_owned());
        }
        if website.chars().count() > MAX_URL {
            errors.push(format!(
                "Application website is too long (maximum is {MAX_URL} characters)"
            ));
        }
    }
    if app.redirect_uris.chars().count() > MAX_URL {
        errors.push(format!(
            "Redirect URI is too long (maximum is {MAX_URL} characters)"
        ));
    }
    errors
}

/// Registers an app; returns it with its client secret, which is shown this once only.
pub async fn register(state: &AppState, app: NewApp) -> ApiResult<CredentialApplication> {
    let scope_text = app
        .scopes
        .clone()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| scopes::DEFAULT.to_owned());
    let scopes = Scopes::parse(&scope_text);
    let errors = validate(&app, &scopes, &scope_text);
    if !errors.is_empty() {
        return Err(ApiError::Unprocessable(format!(
            "Validation failed: {}",
            errors.join(", ")
        )));
    }
    let client_id = secrets::random_token().map_err(ApiError::internal)?;
    let client_secret = secrets::random_token().map_err(ApiError::internal)?;
    let row = AppRow {
        id: state.next_id(),
        name: app.name,
        website: app.website.filter(|w| !w.is_empty()),
        redirect_uri: app
            .redirect_uris
            .split_whitespace()
            .collect::<Vec<_>>()
            .join("\n"),
        scopes: scopes.to_string(),
        client_id,
        client_secret_digest: secrets::digest(&client_secret),
        superapp: false,
        created_at: time::now(),
    };
    let mut conn = state.db().conn().await?;
    oauth::insert_app(&mut conn.exec(), &row).await?;
    Ok(CredentialApplication {
        client_id: row.client_id.clone(),
        client_secret,
        client_secret_expires_at: 0,
        application: entity(&row),
    })
}

/// The public `Application` entity (no secrets).
pub fn entity(app: &AppRow) -> Application {
    let uris = app.redirect_uris();
    Application {
        id: app.id.to_string(),
        name: app.name.clone(),
        website: app.website.clone().filter(|w| !w.is_empty()),
        scopes: Scopes::parse(&app.scopes).to_vec(),
        redirect_uri: uris.join("\n"),
        redirect_uris: uris,
        vapid_key: String::new(),
    }
}

/// The app a token was issued to (`GET /api/v1/apps/verify_credentials`).
pub async fn of_token(state: &AppState, application_id: Option<i64>) -> ApiResult<Application> {
    let Some(id) = application_id else {
        // Operator tokens (`woolly admin token`) belong to no app.
        return Err(ApiError::NotFound);
    };
    let mut conn = state.db().conn().await?;
    match oauth::find_app(&mut conn.exec(), id).await? {
        Some(app) => Ok(entity(&app)),
        None => Err(ApiError::NotFound),
    }
}
