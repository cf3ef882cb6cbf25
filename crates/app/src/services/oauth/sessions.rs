//! Browser sessions of the sign-in and consent pages: e-mail + password sign-in, sessions
//! stored as digests in `web_sessions`.

use std::net::IpAddr;

use crate::db::repo::accounts::AccountRecord;
use crate::db::repo::users::UserRow;
use crate::db::repo::{accounts, sessions, users};
use crate::domain::password::{self, Verified};
use crate::domain::{ip, secrets, time};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Sessions last two weeks.
pub const SESSION_TTL_MS: i64 = 14 * 24 * 3600 * 1000;

/// Why a sign-in was refused; `message()` is what the page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInRefusal {
    /// Unknown e-mail or wrong password (never says which).
    Invalid,
    Unconfirmed,
    Pending,
    Disabled,
    Suspended,
    /// Over upstream's sign-in throttles (25 per 5 minutes per IP, 25 per hour per e-mail).
    Throttled,
}

impl SignInRefusal {
    pub fn message(self) -> &'static str {
        match self {
            Self::Invalid => "Invalid E-mail address or password.",
            Self::Unconfirmed => "You have to confirm your email address before continuing.",
            Self::Pending => "Your account is still under review.",
            Self::Disabled => "Your login is currently disabled.",
            Self::Suspended => "Your account has been suspended.",
            Self::Throttled => "Too many requests. Please try again later.",
        }
    }
}

#[derive(Debug)]
pub enum SignInError {
    Refused(SignInRefusal),
    Internal(ApiError),
}

impl From<ApiError> for SignInError {
    fn from(e: ApiError) -> Self {
        Self::Internal(e)
    }
}

impl From<sqlx::Error> for SignInError {
    fn from(e: sqlx::Error) -> Self {
        Self::Internal(e.into())
    }
}

/// A signed-in browser: the user and their account.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user: UserRow,
    pub account: AccountRecord,
}

/// Whether a user may hold a browser session now (checked at sign-in and on every use).
async fn standing(
    state: &AppState,
    user: &UserRow,
) -> ApiResult<Result<AccountRecord, SignInRefusal>> {
    if user.confirmed_at.is_none() {
        return Ok(Err(SignInRefusal::Unconfirmed));
    }
    if !user.approved {
        return Ok(Err(SignInRefusal::Pending));
    }
    if user.disabled {
        return Ok(Err(SignInRefusal::Disabled));
    }
    let mut conn = state.db().conn().await?;
    let record = accounts::find(&mut conn.exec(), user.account_id).await?;
    Ok(match record {
        None => Err(SignInRefusal::Disabled),
        Some(r) if r.account.suspended_at.is_some() => Err(SignInRefusal::Suspended),
        Some(r) if r.account.deleted_at.is_some() || r.deletion_requested.is_some() => {
            Err(SignInRefusal::Disabled)
        }
        Some(r) => Ok(r),
    })
}

/// Counts a sign-in attempt against rack-attack's `throttle_login_attempts/ip` and
/// `/email`; true when either is exceeded.
async fn throttled(state: &AppState, email: &str, client_ip: IpAddr) -> ApiResult<bool> {
    if !state.config().rate_limits {
        return Ok(false);
    }
    let now = time::now();
    let keys = [
        (format!("login_attempts/ip:{}", ip::display(client_ip)), 300),
        (
            format!("login_attempts/email:{}", email.trim().to_lowercase()),
            3600,
        ),
    ];
    for (key, period) in keys {
        let hit = state
            .limiter()
            .hit(&key, 25, period, now)
            .await
            .map_err(ApiError::internal)?;
        if hit.exceeded() {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Checks the password (argon2id or a legacy bcrypt hash, rehashed), then the user's
/// standing; on success records the sign-in and returns the new session's secret.
pub async fn sign_in(
    state: &AppState,
    email: &str,
    pw: &str,
    client_ip: IpAddr,
) -> Result<String, SignInError> {
    if throttled(state, email, client_ip).await? {
        return Err(SignInError::Refused(SignInRefusal::Throttled));
    }
    let user = {
        let mut conn = state.db().conn().await?;
        users::find_by_email(&mut conn.exec(), email).await?
    };
    // Unknown e-mail or no password: the dummy hash is verified instead, at the same cost.
    let stored = user
        .as_ref()
        .map(|u| u.encrypted_password.clone())
        .filter(|p| !p.is_empty());
    let given = pw.to_owned();
    state.count_password_check();
    let verified =
        tokio::task::spawn_blocking(move || password::verify_or_dummy(&given, stored.as_deref()))
            .await
            .map_err(ApiError::internal)?;
    let Some(user) = user.filter(|_| verified != Verified::No) else {
        return Err(SignInError::Refused(SignInRefusal::Invalid));
    };
    if let Err(refusal) = standing(state, &user).await? {
        return Err(SignInError::Refused(refusal));
    }
    let secret = secrets::random_token().map_err(ApiError::internal)?;
    let now = time::now();
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    if let Verified::YesRehash(new_hash) = &verified {
        users::set_password(&mut ex, user.id, new_hash, now).await?;
    }
    let ip_text = ip::display(client_ip);
    sessions::insert(
        &mut ex,
        state.next_id(),
        &secrets::digest(&secret),
        user.id,
        Some(&ip_text),
        now,
        now + SESSION_TTL_MS,
    )
    .await?;
    users::touch_ip(&mut ex, user.id, client_ip, now).await?;
    users::record_sign_in(&mut ex, user.id, now).await?;
    crate::db::repo::activity::record_login(&mut ex, time::week_start(now), user.id).await?;
    tx.commit().await?;
    Ok(secret)
}

/// The user of a live session who may still sign in; None otherwise.
pub async fn current_user(state: &AppState, secret: &str) -> ApiResult<Option<SignedIn>> {
    if secret.is_empty() {
        return Ok(None);
    }
    let user = {
        let mut conn = state.db().conn().await?;
        let mut ex = conn.exec();
        match sessions::find(&mut ex, &secrets::digest(secret), time::now()).await? {
            Some(s) => users::find(&mut ex, s.user_id).await?,
            None => None,
        }
    };
    let Some(user) = user else {
        return Ok(None);
    };
    Ok(standing(state, &user)
        .await?
        .ok()
        .map(|account| SignedIn { user, account }))
}
