//! What the operator CLI (`woolly admin …`) does: accounts, roles and tokens without a browser.

use crate::db::repo::{accounts, oauth, roles, users};
use crate::domain::permissions;
use crate::domain::scopes::Scopes;
use crate::domain::{acct, password, secrets, time};
use crate::error::ApiError;
use crate::services::accounts::{LocalAccountSpec, insert_local_account};
use crate::state::AppState;

/// One clear line for the operator.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct OperatorError(pub String);

impl From<ApiError> for OperatorError {
    fn from(e: ApiError) -> Self {
        match e {
            ApiError::Internal(cause) => Self(format!("internal error: {cause}")),
            ApiError::Validation(_) => {
                Self(e.body()["error"].as_str().unwrap_or("invalid").to_owned())
            }
            other => Self(other.to_string()),
        }
    }
}

impl From<sqlx::Error> for OperatorError {
    fn from(e: sqlx::Error) -> Self {
        Self(format!("database error: {e}"))
    }
}

pub type OpResult<T> = Result<T, OperatorError>;

fn fail<T>(msg: impl Into<String>) -> OpResult<T> {
    Err(OperatorError(msg.into()))
}

async fn hash_password(pw: String) -> OpResult<String> {
    tokio::task::spawn_blocking(move || password::hash(&pw))
        .await
        .map_err(|e| OperatorError(e.to_string()))?
        .map_err(OperatorError)
}

/// Resolves a role name (case-insensitive) or id.
pub async fn find_role(state: &AppState, name: &str) -> OpResult<roles::RoleRow> {
    let mut conn = state.db().conn().await?;
    let mut ex = conn.exec();
    let found = match name.parse::<i64>() {
        Ok(id) => roles::find(&mut ex, id).await?,
        Err(_) => roles::find_by_name(&mut ex, name).await?,
    };
    match found {
        Some(r) => Ok(r),
        None => fail(format!("unknown role: {name}")),
    }
}

pub struct CreateAccount {
    pub username: String,
    pub email: String,
    pub role: Option<String>,
    pub confirmed: bool,
    pub approved: bool,
    pub password: Option<String>,
}

/// Creates a local account; returns (account id, the password in effect).
pub async fn create_account(state: &AppState, req: CreateAccount) -> OpResult<(i64, String)> {
    let username = req.username.trim().to_owned();
    if !acct::is_valid_local_username(&username) || username.chars().count() > 30 {
        return fail(format!(
            "invalid username: {username} (letters, numbers and underscores, at most 30)"
        ));
    }
    let email = req.email.trim().to_lowercase();
    if !email.contains('@') || email.starts_with('@') || email.ends_with('@') {
        return fail(format!("invalid email: {email}"));
    }
    let role_id = match &req.role {
        Some(name) => Some(find_role(state, name).await?.id),
        None => None,
    };
    let pw = match req.password {
        Some(p) if p.len() >= 8 => p,
        Some(_) => return fail("password must be at least 8 characters"),
        None => password::generate().map_err(OperatorError)?,
    };
    let hash = hash_password(pw.clone()).await?;
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    if accounts::username_taken(&mut ex, &username).await? {
        return fail(format!("username is taken: {username}"));
    }
    if users::email_taken(&mut ex, &email).await? {
        return fail(format!("email is taken: {email}"));
    }
    let created = insert_local_account(
        state,
        &mut ex,
        &LocalAccountSpec {
            username: &username,
            email: &email,
            password_hash: &hash,
            role_id,
            confirmed: req.confirmed,
            approved: req.approved,
            locale: None,
            time_zone: None,
            sign_up_ip: None,
            created_by_application_id: None,
            invite_id: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok((created.account_id, pw))
}

/// The local user of `username`.
pub async fn find_user(state: &AppState, username: &str) -> OpResult<users::UserRow> {
    let mut conn = state.db().conn().await?;
    let mut ex = conn.exec();
    let username = username.trim().trim_start_matches('@');
    let Some(account) = accounts::find_by_username(&mut ex, username, None).await? else {
        return fail(format!("no local account named {username}"));
    };
    match users::find_by_account(&mut ex, account.account.id).await? {
        Some(u) => Ok(u),
        None => fail(format!("{username} has no user (it cannot sign in)")),
    }
}

pub async fn confirm(state: &AppState, username: &str) -> OpResult<()> {
    let user = find_user(state, username).await?;
    let mut conn = state.db().conn().await?;
    users::confirm(&mut conn.exec(), user.id, time::now()).await?;
    Ok(())
}

pub async fn approve(state: &AppState, username: &str) -> OpResult<()> {
    let user = find_user(state, username).await?;
    let mut conn = state.db().conn().await?;
    users::set_approved(&mut conn.exec(), user.id, true, time::now()).await?;
    Ok(())
}

/// Sets a new password (generated when None), revoking the user's tokens; returns it.
pub async fn reset_password(
    state: &AppState,
    username: &str,
    new_password: Option<String>,
) -> OpResult<String> {
    let user = find_user(state, username).await?;
    let pw = match new_password {
        Some(p) if p.len() >= 8 => p,
        Some(_) => return fail("password must be at least 8 characters"),
        None => password::generate().map_err(OperatorError)?,
    };
    let hash = hash_password(pw.clone()).await?;
    let now = time::now();
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    users::set_password(&mut ex, user.id, &hash, now).await?;
    oauth::revoke_tokens_of_user(&mut ex, user.id, now).await?;
    tx.commit().await?;
    Ok(pw)
}

/// Sets (or with None clears) a user's role.
pub async fn set_role(state: &AppState, username: &str, role: Option<&str>) -> OpResult<()> {
    let user = find_user(state, username).await?;
    let role_id = match role {
        Some(name) if !name.is_empty() && !name.eq_ignore_ascii_case("none") => {
            Some(find_role(state, name).await?.id)
        }
        _ => None,
    };
    let mut conn = state.db().conn().await?;
    users::set_role(&mut conn.exec(), user.id, role_id, time::now()).await?;
    Ok(())
}

/// Creates a custom role; `permissions` is a comma-separated list of flag names or a number.
pub async fn create_role(
    state: &AppState,
    name: &str,
    permissions_spec: &str,
    position: i64,
    color: &str,
    highlighted: bool,
) -> OpResult<i64> {
    if name.trim().is_empty() {
        return fail("role name can't be blank");
    }
    let Some(bits) = permissions::parse_flags(permissions_spec) else {
        return fail(format!("unknown permission in: {permissions_spec}"));
    };
    if position.unsigned_abs() > 2_147_483_647 {
        return fail("position must lie within ±2147483647");
    }
    let mut conn = state.db().conn().await?;
    let mut ex = conn.exec();
    if roles::find_by_name(&mut ex, name).await?.is_some() {
        return fail(format!("a role named {name} exists"));
    }
    let now = time::now();
    let id = state.next_id();
    roles::insert(
        &mut ex,
        &roles::RoleRow {
            id,
            name: name.trim().to_owned(),
            color: color.to_owned(),
            position,
            permissions: bits,
            highlighted,
            created_at: now,
            updated_at: now,
        },
    )
    .await?;
    Ok(id)
}

/// Issues an access token for a user with the given scopes (no OAuth app: an operator token).
pub async fn issue_token(state: &AppState, username: &str, scopes: &str) -> OpResult<String> {
    let scopes = Scopes::parse(scopes);
    if scopes.is_empty() {
        return fail("no scopes given");
    }
    if let Some(bad) = scopes.first_unsupported() {
        return fail(format!("unknown scope: {bad}"));
    }
    let user = find_user(state, username).await?;
    let token = secrets::random_token().map_err(OperatorError)?;
    let mut conn = state.db().conn().await?;
    oauth::insert_token(
        &mut conn.exec(),
        &oauth::NewToken {
            id: state.next_id(),
            digest: &secrets::digest(&token),
            application_id: None,
            resource_owner_id: Some(user.id),
            scopes: &scopes.to_string(),
            grant_id: None,
            now: time::now(),
        },
    )
    .await?;
    Ok(token)
}

pub async fn list_roles(state: &AppState) -> OpResult<Vec<roles::RoleRow>> {
    let mut conn = state.db().conn().await?;
    Ok(roles::all(&mut conn.exec()).await?)
}

/// Creates a warning preset (the text moderators can prefill a strike with); returns its id.
pub async fn create_warning_preset(state: &AppState, title: &str, text: &str) -> OpResult<i64> {
    if text.trim().is_empty() {
        return fail("text can't be blank");
    }
    let now = time::now();
    let id = state.next_id();
    let mut conn = state.db().conn().await?;
    crate::db::repo::warnings::insert_preset(
        &mut conn.exec(),
        &crate::db::repo::warnings::PresetRow {
            id,
            title: title.trim().to_owned(),
            text: text.to_owned(),
            created_at: now,
            updated_at: now,
        },
    )
    .await?;
    Ok(id)
}

pub async fn list_warning_presets(
    state: &AppState,
) -> OpResult<Vec<crate::db::repo::warnings::PresetRow>> {
    let mut conn = state.db().conn().await?;
    Ok(crate::db::repo::warnings::presets(&mut conn.exec()).await?)
}
