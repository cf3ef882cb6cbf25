//! Moving a local account, as upstream Mastodon 4.x does it in its settings (aliases and
//! `AccountMigration`), offered to clients through GoToSocial's API: `POST
//! /api/v1/accounts/alias` sets the URIs the account is also known as (the accounts it may be
//! moved from), `POST /api/v1/accounts/move` moves it. A move needs the password, a target
//! that lists this account in its `alsoKnownAs` (fetched fresh when remote), and 30 days
//! since the last move. The account then points at the target (`moved`), its actor carries
//! `movedTo` (an Update to its followers), its remote followers get a `Move`, and its local
//! followers follow the target (upstream's `MoveService`).

use url::Url;

use crate::api_types::CredentialAccount;
use crate::db::repo::account_migration::{self as repo, NewMigration};
use crate::db::repo::accounts::AccountRecord;
use crate::db::repo::users::UserRow;
use crate::domain::password::{self, Verified};
use crate::domain::time;
use crate::error::{ApiError, ApiResult};
use crate::services::federation::{moves, outbound};
use crate::services::{present, profile};
use crate::state::AppState;

/// Upstream's `AccountMigration::COOLDOWN_PERIOD`.
pub const COOLDOWN_MS: i64 = 30 * 24 * 60 * 60 * 1000;

/// At most this many aliases (GoToSocial's limit is lower; upstream sets none).
const MAX_ALIASES: usize = 20;

fn failed(message: &str) -> ApiError {
    ApiError::Unprocessable(format!("Validation failed: {message}"))
}

/// An actor URI as given: an absolute `http(s)` URL.
fn actor_uri(raw: &str) -> Option<String> {
    let u = Url::parse(raw.trim()).ok()?;
    (matches!(u.scheme(), "https" | "http") && u.host_str().is_some()).then(|| u.to_string())
}

/// `POST /api/v1/accounts/alias`: replaces the account's aliases (an empty list clears
/// them); its followers' servers get the Update. Answers the credential account.
pub async fn set_aliases(
    state: &AppState,
    me: &AccountRecord,
    user: &UserRow,
    uris: &[String],
) -> ApiResult<CredentialAccount> {
    let mut clean: Vec<String> = Vec::new();
    for raw in uris.iter().filter(|u| !u.trim().is_empty()) {
        let uri = actor_uri(raw).ok_or_else(|| failed("Also known as is invalid"))?;
        if uri == me.account.uri {
            return Err(failed("Handle of the old account can't be current account"));
        }
        if !clean.contains(&uri) {
            clean.push(uri);
        }
    }
    if clean.len() > MAX_ALIASES {
        return Err(failed(&format!(
            "Also known as is too long (maximum is {MAX_ALIASES} aliases)"
        )));
    }
    let now = time::now();
    let rows: Vec<(i64, String)> = clean.into_iter().map(|u| (state.next_id(), u)).collect();
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    repo::replace_aliases(&mut ex, me.account.id, &rows, now).await?;
    outbound::update_actor(state, &mut ex, &me.account).await?;
    let (record, user) = profile::own_rows(&mut ex, me.account.id, user.id).await?;
    let entity =
        present::render_credential_account(&mut ex, &state.base_url(), &record, &user).await?;
    tx.commit().await?;
    Ok(entity)
}

/// `POST /api/v1/accounts/move`: checks, in upstream's order, the password, then the
/// cooldown and the target (found, listing this account, not already the target, not this
/// account); then moves. The local followers are moved after the commit.
pub async fn move_to(
    state: &AppState,
    me: &AccountRecord,
    user: &UserRow,
    password: Option<&str>,
    moved_to_uri: Option<&str>,
) -> ApiResult<()> {
    check_password(state, user, password.unwrap_or_default()).await?;
    let a = &me.account;
    let now = time::now();
    let last = {
        let mut conn = state.db().conn().await?;
        repo::last_move_at(&mut conn.exec(), a.id).await?
    };
    if last.is_some_and(|at| now - at < COOLDOWN_MS) {
        return Err(failed("You are on cooldown"));
    }
    let uri = moved_to_uri
        .and_then(actor_uri)
        .ok_or_else(|| failed("Handle of the new account could not be found"))?;
    let target = moves::target(state, &uri)
        .await?
        .filter(|t| !t.unavailable)
        .ok_or_else(|| failed("Handle of the new account could not be found"))?;
    if target.account_id == a.id {
        return Err(failed("Handle of the new account can't be current account"));
    }
    if a.moved_to_account_id == Some(target.account_id) {
        return Err(failed(
            "Handle of the new account is the same account you have already moved to",
        ));
    }
    if !target.also_known_as.contains(&a.uri) {
        return Err(failed(
            "Handle of the new account is not an alias of this account",
        ));
    }
    let migration_id = state.next_id();
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    repo::insert_migration(
        &mut ex,
        &NewMigration {
            id: migration_id,
            account_id: a.id,
            target_account_id: target.account_id,
            target_uri: &uri,
            followers_count: a.followers_count,
            now,
        },
    )
    .await?;
    repo::set_moved_to(&mut ex, a.id, Some(target.account_id), now).await?;
    outbound::update_actor(state, &mut ex, a).await?;
    moves::send_move(state, &mut ex, a, &uri, migration_id).await?;
    tx.commit().await?;
    moves::redirect(state, a.id, target.account_id).await
}

/// The user's password, at the cost of a sign-in: `Current password is invalid` otherwise.
async fn check_password(state: &AppState, user: &UserRow, given: &str) -> ApiResult<()> {
    let stored = Some(user.encrypted_password.clone()).filter(|p| !p.is_empty());
    let given = given.to_owned();
    state.count_password_check();
    let verified =
        tokio::task::spawn_blocking(move || password::verify_or_dummy(&given, stored.as_deref()))
            .await
            .map_err(ApiError::internal)?;
    if matches!(verified, Verified::No) {
        return Err(failed("Current password is invalid"));
    }
    Ok(())
}
