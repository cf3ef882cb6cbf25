//! `/oauth/authorize`: Doorkeeper's pre-authorization checks, the consent decision and the
//! authorization codes it issues.

use crate::api_types::oauth::OAuthError;
use crate::db::repo::oauth::{self, AppRow};
use crate::domain::scopes::Scopes;
use crate::domain::{secrets, time};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

use super::{CODE_TTL_MS, tokens};
use crate::domain::redirect_uris;

/// The parameters of an authorization request (GET query or consent form).
#[derive(Debug, Clone, Default)]
pub struct AuthorizeParams {
    pub response_type: Option<String>,
    pub client_id: Option<String>,
    pub redirect_uri: Option<String>,
    pub scope: Option<String>,
    pub state: Option<String>,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
}

/// A request that passed every check.
#[derive(Debug, Clone)]
pub struct PreAuth {
    pub app: AppRow,
    pub redirect_uri: String,
    pub scopes: Scopes,
    pub state: Option<String>,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
}

/// Where a refused request goes.
#[derive(Debug)]
pub enum Refusal {
    /// Shown on an error page: the client or redirect URI cannot be trusted (or is OOB), so
    /// there is never a redirect.
    Page(OAuthError),
    /// Sent back to the client: the full `Location`.
    Redirect(String),
    Internal(ApiError),
}

impl From<sqlx::Error> for Refusal {
    fn from(e: sqlx::Error) -> Self {
        Self::Internal(ApiError::internal(e))
    }
}

fn present(s: Option<&String>) -> Option<&str> {
    s.map(String::as_str).filter(|s| !s.trim().is_empty())
}

/// `redirect_uri` with `pairs` appended to its query (`state` only when given).
fn with_query(redirect_uri: &str, pairs: &[(&str, &str)], state: Option<&str>) -> String {
    match url::Url::parse(redirect_uri) {
        Ok(mut url) => {
            {
                let mut q = url.query_pairs_mut();
                for (k, v) in pairs {
                    q.append_pair(k, v);
                }
                if let Some(s) = state {
                    q.append_pair("state", s);
                }
            }
            url.to_string()
        }
        Err(_) => redirect_uri.to_owned(),
    }
}

/// The refusal for an error found after the redirect URI was validated.
fn refuse(redirect_uri: &str, error: OAuthError, state: Option<&str>) -> Refusal {
    if redirect_uris::is_oob(redirect_uri) {
        return Refusal::Page(error);
    }
    Refusal::Redirect(with_query(
        redirect_uri,
        &[
            ("error", error.error),
            ("error_description", &error.error_description),
        ],
        state,
    ))
}

/// Doorkeeper's `PreAuthorization` validations, in its order.
pub async fn pre_authorize(state: &AppState, p: &AuthorizeParams) -> Result<PreAuth, Refusal> {
    let Some(client_id) = present(p.client_id.as_ref()) else {
        return Err(Refusal::Page(OAuthError::missing_param("client_id")));
    };
    let mut conn = state.db().conn().await?;
    let Some(app) = oauth::find_app_by_client_id(&mut conn.exec(), client_id).await? else {
        return Err(Refusal::Page(OAuthError::invalid_client()));
    };
    let redirect_uri = match present(p.redirect_uri.as_ref()) {
        Some(uri) if app.redirect_uris().iter().any(|r| r == uri) => uri.to_owned(),
        _ => return Err(Refusal::Page(OAuthError::invalid_redirect_uri())),
    };
    let st = present(p.state.as_ref());
    match present(p.response_type.as_ref()) {
        None => {
            return Err(refuse(
                &redirect_uri,
                OAuthError::missing_param("response_type"),
                st,
            ));
        }
        Some("code") => {}
        Some(_) => {
            return Err(refuse(
                &redirect_uri,
                OAuthError::unsupported_response_type(),
                st,
            ));
        }
    }
    let Some(scopes) = tokens::allowed_scopes(p.scope.as_deref(), &app.scopes) else {
        return Err(refuse(&redirect_uri, OAuthError::invalid_scope(), st));
    };
    let challenge = present(p.code_challenge.as_ref()).map(str::to_owned);
    let method = present(p.code_challenge_method.as_ref()).map(str::to_owned);
    if challenge.is_some() && method.as_deref() != Some("S256") {
        return Err(refuse(
            &redirect_uri,
            OAuthError::invalid_code_challenge_method(),
            st,
        ));
    }
    Ok(PreAuth {
        state: st.map(str::to_owned),
        code_challenge_method: challenge.as_ref().and(method),
        code_challenge: challenge,
        app,
        redirect_uri,
        scopes,
    })
}

/// Whether the consent screen can be skipped: the built-in app, or a live token of this app
/// for this user with exactly these scopes (unless the client asked for `force_login`).
pub async fn can_skip_consent(
    state: &AppState,
    pre: &PreAuth,
    user_id: i64,
    force_login: bool,
) -> ApiResult<bool> {
    if pre.app.superapp {
        return Ok(true);
    }
    if force_login {
        return Ok(false);
    }
    let mut conn = state.db().conn().await?;
    let held = oauth::active_token_scopes(&mut conn.exec(), pre.app.id, user_id).await?;
    Ok(held.iter().any(|s| {
        let s = Scopes::parse(s);
        s.is_subset_of(&pre.scopes) && pre.scopes.is_subset_of(&s)
    }))
}

/// Issues a code for the user and returns where to send the browser: the client's redirect
/// URI with `code` and `state`, or the page that shows the code (OOB).
pub async fn approve(state: &AppState, pre: &PreAuth, user_id: i64) -> ApiResult<String> {
    let code = secrets::random_token().map_err(ApiError::internal)?;
    let now = time::now();
    let scopes = pre.scopes.to_string();
    let mut conn = state.db().conn().await?;
    oauth::insert_grant(
        &mut conn.exec(),
        &oauth::NewGrant {
            id: state.next_id(),
            digest: &secrets::digest(&code),
            application_id: pre.app.id,
            resource_owner_id: user_id,
            redirect_uri: &pre.redirect_uri,
            scopes: &scopes,
            code_challenge: pre.code_challenge.as_deref(),
            code_challenge_method: pre.code_challenge_method.as_deref(),
            expires_at: now + CODE_TTL_MS,
            now,
        },
    )
    .await?;
    if redirect_uris::is_oob(&pre.redirect_uri) {
        return Ok(with_query(
            &format!("{}/oauth/authorize/native", state.base_url()),
            &[("code", &code)],
            None,
        ));
    }
    Ok(with_query(
        &pre.redirect_uri,
        &[("code", &code)],
        pre.state.as_deref(),
    ))
}

/// The user said no: `error=access_denied` back to the client (a page for OOB).
pub fn deny(pre: &PreAuth) -> Refusal {
    refuse(
        &pre.redirect_uri,
        OAuthError::access_denied(),
        pre.state.as_deref(),
    )
}
