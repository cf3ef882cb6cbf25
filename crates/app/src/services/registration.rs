//! `POST /api/v1/accounts`: the registrations gate, upstream's validations, the user and
//! account in one transaction, a token for the new user, and the confirmation mail.

pub use crate::domain::registration_rules::{
    canonical_email_hash, email_domains, email_is_valid, normalize_email,
};

use crate::api_types::Token;
use crate::config::RegistrationsMode;
use crate::db::Exec;
use crate::db::repo::registrations::{self, InviteRow};
use crate::db::repo::{accounts, oauth, users};
use crate::domain::registration_rules as rules;
use crate::domain::{password, permissions, secrets, time};
use crate::error::{ApiError, ApiResult, Validation};
use crate::services::accounts::{LocalAccountSpec, insert_local_account};
use crate::services::email_policy::{EmailStanding, check_email, email_standing};
use crate::services::{confirmation, moderation, viewer};
use crate::state::AppState;

/// The permitted parameters, as sent.
#[derive(Debug, Clone, Default)]
pub struct SignUp {
    pub username: Option<String>,
    pub email: Option<String>,
    pub password: Option<String>,
    pub agreement: Option<String>,
    pub locale: Option<String>,
    pub reason: Option<String>,
    pub time_zone: Option<String>,
    pub invite_code: Option<String>,
}

/// Who asks: the application of the client-credentials token, and the client's address.
pub struct Requester {
    pub application_id: i64,
    pub ip: std::net::IpAddr,
}

/// Everything validated, ready to insert.
struct Checked {
    username: String,
    email: String,
    reason: Option<String>,
    invite: Option<InviteRow>,
    approved: bool,
}

async fn check(
    state: &AppState,
    ex: &mut Exec<'_>,
    req: &SignUp,
    invite: Option<InviteRow>,
) -> ApiResult<Checked> {
    let mode = state.config().registrations;
    let mut v = Validation::new();
    let email = normalize_email(req.email.as_deref().unwrap_or(""));
    let standing = check_email(ex, &mut v, &email, invite.is_none()).await?;
    rules::check_password(&mut v, req.password.as_deref());
    let username = rules::squish(req.username.as_deref().unwrap_or(""));
    if username.is_empty() {
        rules::blank(&mut v, rules::USERNAME);
    } else {
        if accounts::username_taken(ex, &username).await? {
            rules::taken(&mut v, rules::USERNAME);
        }
        rules::check_username_shape(&mut v, &username);
    }
    let reason = req.reason.as_deref().map(str::trim).unwrap_or("");
    let config = state.config();
    if config.require_invite_text
        && mode != RegistrationsMode::Open
        && invite.is_none()
        && reason.is_empty()
    {
        rules::blank(&mut v, rules::REASON);
    }
    if reason.chars().count() > rules::REASON_MAX {
        rules::too_long(&mut v, rules::REASON, rules::REASON_MAX);
    }
    rules::check_agreement(&mut v, req.agreement.as_deref());
    v.into_result()?;
    // 4.6+: an invite skips approval only when the inviter's role may grant that
    let invite_bypasses = match &invite {
        Some(i) => viewer::standing_of(ex, i.inviter_role_id)
            .await?
            .can(permissions::INVITE_BYPASS_APPROVAL),
        None => false,
    };
    // an allow-with-approval domain holds the user back even when an invite was used
    let standing = if invite.is_some() && !email.is_empty() {
        email_standing(ex, &email).await?
    } else {
        standing
    };
    let approved = standing != EmailStanding::RequiresApproval
        && (mode == RegistrationsMode::Open || invite_bypasses);
    let keep_reason = !reason.is_empty() || config.require_invite_text;
    Ok(Checked {
        username,
        email,
        reason: keep_reason.then(|| reason.to_owned()),
        invite,
        approved,
    })
}

/// The gate: closed registrations need a valid invite.
async fn gate(state: &AppState, ex: &mut Exec<'_>, req: &SignUp) -> ApiResult<Option<InviteRow>> {
    let invite = match req.invite_code.as_deref().map(str::trim) {
        Some(code) if !code.is_empty() => registrations::find_invite(ex, code)
            .await?
            .filter(|i| i.valid_for_use(time::now())),
        _ => None,
    };
    if state.config().registrations == RegistrationsMode::Closed && invite.is_none() {
        return Err(ApiError::forbidden());
    }
    Ok(invite)
}

async fn hash_password(pw: String) -> ApiResult<String> {
    tokio::task::spawn_blocking(move || password::hash(&pw))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)
}

/// Registers a user; returns the new user's token.
pub async fn register(state: &AppState, who: &Requester, req: SignUp) -> ApiResult<Token> {
    // Validate before hashing so a refused request costs no hash; the transaction checks
    // again, so a race cannot slip a duplicate through.
    let app = {
        let mut conn = state.db().conn().await?;
        let mut ex = conn.exec();
        let invite = gate(state, &mut ex, &req).await?;
        check(state, &mut ex, &req, invite).await?;
        oauth::find_app(&mut ex, who.application_id)
            .await?
            .ok_or_else(|| ApiError::internal("token of a missing application"))?
    };
    let hash = hash_password(req.password.clone().unwrap_or_default()).await?;
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    let invite = gate(state, &mut ex, &req).await?;
    let checked = check(state, &mut ex, &req, invite).await?;
    let ip = crate::domain::ip::display(who.ip);
    let locale = rules::normalize_locale(req.locale.as_deref());
    let time_zone = rules::normalize_time_zone(req.time_zone.as_deref());
    let created = insert_local_account(
        state,
        &mut ex,
        &LocalAccountSpec {
            username: &checked.username,
            email: &checked.email,
            password_hash: &hash,
            role_id: None,
            confirmed: false,
            approved: checked.approved,
            locale: locale.as_deref(),
            time_zone: time_zone.as_deref(),
            sign_up_ip: Some(&ip),
            created_by_application_id: Some(app.id),
            invite_id: checked.invite.as_ref().map(|i| i.id),
        },
    )
    .await?;
    let now = time::now();
    if let Some(text) = &checked.reason {
        users::insert_invite_request(&mut ex, state.next_id(), created.user_id, text, now).await?;
    }
    if let Some(invite) = &checked.invite {
        registrations::use_invite(&mut ex, invite.id).await?;
    }
    moderation::notify_staff_sign_up(&mut ex, state, created.account_id).await?;
    let token = secrets::random_token().map_err(ApiError::internal)?;
    oauth::insert_token(
        &mut ex,
        &oauth::NewToken {
            id: state.next_id(),
            digest: &secrets::digest(&token),
            application_id: Some(app.id),
            resource_owner_id: Some(created.user_id),
            scopes: &app.scopes,
            grant_id: None,
            now,
        },
    )
    .await?;
    tx.commit().await?;
    if let Some(confirmation_token) = &created.confirmation_token {
        confirmation::send_instructions(
            state,
            &checked.username,
            &checked.email,
            confirmation_token,
        )?;
    }
    Ok(Token {
        access_token: token,
        token_type: "Bearer",
        scope: app.scopes.clone(),
        created_at: now / 1000,
    })
}
