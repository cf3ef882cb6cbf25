//! E-mail confirmation: the instructions mail, the confirmation link, and resending it
//! (`POST /api/v1/emails/confirmations`). Tokens are stored as digests and expire in 2 days.

use minijinja::{Environment, context};

use crate::config::RegistrationsMode;
use crate::db::Exec;
use crate::db::repo::users::{self, UserRow};
use crate::db::repo::{accounts, registrations};
use crate::domain::registration_rules::normalize_email;
use crate::domain::{permissions, secrets, time};
use crate::error::{ApiError, ApiResult, Validation};
use crate::mail::Mail;
use crate::services::email_policy::{self, EmailStanding};
use crate::services::moderation;
use crate::state::AppState;

/// Devise's `confirm_within`: 2 days.
pub const CONFIRM_WITHIN_MS: i64 = 2 * 24 * 3600 * 1000;

const INSTRUCTIONS: &str = include_str!("../../templates/mail/confirmation_instructions.txt");

/// Renders and sends the confirmation instructions (after the caller's commit).
pub fn send_instructions(
    state: &AppState,
    username: &str,
    email: &str,
    token: &str,
) -> ApiResult<()> {
    let config = state.config();
    let link = format!(
        "{}/auth/confirmation?confirmation_token={token}",
        state.base_url()
    );
    let body = Environment::new()
        .render_str(
            INSTRUCTIONS,
            context! { username => username, domain => &config.domain, link => link },
        )
        .map_err(ApiError::internal)?;
    state.send_mail(Mail {
        to: email.to_owned(),
        subject: format!(
            "{}: Confirmation instructions for {}",
            config.title, config.domain
        ),
        body,
    });
    Ok(())
}

/// What a confirmation link did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Confirmed,
    /// No user holds this token (never issued, already used, or replaced by a newer one).
    Invalid,
    Expired,
}

/// Confirms the user holding `token`. A pending address change takes effect; on an open
/// server a user no approval rule holds back is approved.
pub async fn confirm(state: &AppState, token: &str) -> ApiResult<Outcome> {
    if token.is_empty() {
        return Ok(Outcome::Invalid);
    }
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    let Some(user) = users::find_by_confirmation_digest(&mut ex, &secrets::digest(token)).await?
    else {
        return Ok(Outcome::Invalid);
    };
    let now = time::now();
    let sent_at = user.confirmation_sent_at.unwrap_or(user.created_at);
    if now - sent_at > CONFIRM_WITHIN_MS {
        return Ok(Outcome::Expired);
    }
    registrations::confirm_user(&mut ex, user.id, now).await?;
    let email = user.unconfirmed_email.as_deref().unwrap_or(&user.email);
    let approve = !user.approved
        && state.config().registrations == RegistrationsMode::Open
        && email_policy::email_standing(&mut ex, email).await? != EmailStanding::RequiresApproval;
    if approve {
        users::set_approved(&mut ex, user.id, true, now).await?;
    }
    let pending = !user.approved && !approve && user.confirmed_at.is_none();
    let review = if pending {
        Some(pending_review(state, &mut ex, &user, email).await?)
    } else {
        None
    };
    tx.commit().await?;
    for mail in review.into_iter().flatten() {
        state.send_mail(mail);
    }
    Ok(Outcome::Confirmed)
}

const NEW_PENDING: &str = include_str!("../../templates/mail/new_pending_account.txt");

/// Mails for staff who can manage users: a confirmed account awaits their approval.
async fn pending_review(
    state: &AppState,
    ex: &mut Exec<'_>,
    user: &UserRow,
    email: &str,
) -> ApiResult<Vec<Mail>> {
    let roles = moderation::roles_that_can(ex, permissions::MANAGE_USERS).await?;
    let staff = registrations::emails_of_roles(ex, &roles).await?;
    if staff.is_empty() {
        return Ok(Vec::new());
    }
    let username = accounts::find(ex, user.account_id)
        .await?
        .map(|r| r.account.username)
        .unwrap_or_default();
    let reason = registrations::invite_request_text(ex, user.id).await?;
    let config = state.config();
    let body = Environment::new()
        .render_str(
            NEW_PENDING,
            context! {
                username => &username,
                email => email,
                reason => reason.filter(|r| !r.is_empty()),
                link => format!("{}/admin/accounts/{}", state.base_url(), user.account_id),
            },
        )
        .map_err(ApiError::internal)?;
    let subject = format!(
        "New account up for review on {} ({username})",
        config.domain
    );
    Ok(staff
        .into_iter()
        .map(|to| Mail {
            to,
            subject: subject.clone(),
            body: body.clone(),
        })
        .collect())
}

/// Resends the instructions, first changing the address when `email` is given.
pub async fn resend(
    state: &AppState,
    user: Option<&UserRow>,
    token_application_id: Option<i64>,
    email: Option<&str>,
) -> ApiResult<()> {
    let Some(user) = user.filter(|u| {
        u.created_by_application_id.is_some() && u.created_by_application_id == token_application_id
    }) else {
        return Err(ApiError::Forbidden(
            "This method is only available to the application the user originally signed-up with"
                .into(),
        ));
    };
    let confirmed = user.confirmed_at.is_some();
    if confirmed && user.unconfirmed_email.is_none() {
        return Err(ApiError::Forbidden(
            "This method is only available while the e-mail is awaiting confirmation".into(),
        ));
    }
    let now = time::now();
    let token = secrets::random_token().map_err(ApiError::internal)?;
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    let mut to = user
        .unconfirmed_email
        .clone()
        .unwrap_or_else(|| user.email.clone());
    if let Some(raw) = email {
        let address = normalize_email(raw);
        let current = if confirmed { &user.email } else { &to };
        if address != *current {
            let mut v = Validation::new();
            email_policy::check_email(&mut ex, &mut v, &address, true).await?;
            if let Err(e) = v.into_result() {
                // upstream's `update!` fails with RecordInvalid: a plain 422
                let message = e.body()["error"].as_str().unwrap_or_default().to_owned();
                return Err(ApiError::Unprocessable(message));
            }
            registrations::set_pending_email(&mut ex, user.id, &address, confirmed, now).await?;
            to = address;
        }
    }
    users::set_confirmation_token(&mut ex, user.id, &secrets::digest(&token), now).await?;
    tx.commit().await?;
    let username =
        crate::db::repo::accounts::find(&mut state.db().conn().await?.exec(), user.account_id)
            .await?
            .map(|r| r.account.username)
            .unwrap_or_default();
    send_instructions(state, &username, &to, &token)
}
