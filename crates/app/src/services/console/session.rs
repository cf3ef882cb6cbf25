//! Console sessions: the browser session of the OAuth sign-in pages, accepted by the console
//! only while it is younger than [`CONSOLE_MAX_AGE_MS`] (staff sign in again after that).

use crate::db::repo::sessions;
use crate::domain::permissions::Standing;
use crate::domain::{secrets, time};
use crate::error::ApiResult;
use crate::services::moderation::accounts::Actor;
use crate::services::oauth::sessions::current_user;
use crate::services::viewer::standing_of_record;
use crate::state::AppState;

/// Moderation pages want a recent sign-in: 12 hours.
pub const CONSOLE_MAX_AGE_MS: i64 = 12 * 3600 * 1000;

/// The signed-in person as the console sees them.
#[derive(Debug, Clone)]
pub struct Staff {
    pub actor: Actor,
    pub username: String,
    pub standing: Standing,
}

#[derive(Debug, Clone)]
pub enum ConsoleSession {
    /// No session cookie, or one that matches no live session (or whose user may no longer
    /// sign in).
    None,
    /// A live web session signed in longer ago than the console accepts.
    Expired,
    SignedIn(Staff),
}

/// Whether a session created at `created_at` is still good for the console at `now`.
pub fn fresh(created_at: i64, now: i64) -> bool {
    now - created_at < CONSOLE_MAX_AGE_MS
}

pub async fn resolve(state: &AppState, secret: Option<&str>) -> ApiResult<ConsoleSession> {
    let Some(secret) = secret.filter(|s| !s.is_empty()) else {
        return Ok(ConsoleSession::None);
    };
    let now = time::now();
    let session = {
        let mut conn = state.db().conn().await?;
        sessions::find(&mut conn.exec(), &secrets::digest(secret), now).await?
    };
    let Some(session) = session else {
        return Ok(ConsoleSession::None);
    };
    if !fresh(session.created_at, now) {
        return Ok(ConsoleSession::Expired);
    }
    Ok(match current_user(state, secret).await? {
        Some(signed) => {
            let standing = standing_of_record(&signed.account);
            ConsoleSession::SignedIn(Staff {
                actor: Actor {
                    standing,
                    account_id: Some(signed.account.account.id),
                },
                username: signed.account.account.username.clone(),
                standing,
            })
        }
        None => ConsoleSession::None,
    })
}

/// Ends the session (sign-out).
pub async fn sign_out(state: &AppState, secret: &str) -> ApiResult<()> {
    let mut conn = state.db().conn().await?;
    sessions::delete(&mut conn.exec(), &secrets::digest(secret)).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_older_than_twelve_hours_are_stale() {
        assert!(fresh(0, CONSOLE_MAX_AGE_MS - 1));
        assert!(!fresh(0, CONSOLE_MAX_AGE_MS));
    }
}
