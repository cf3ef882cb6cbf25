//! Whether an e-mail address may be used for an account: its format, whether it is taken,
//! and how it fares against the e-mail domain and canonical-address blocks. Shared by sign-up
//! and the change of address of an unconfirmed user.

use crate::db::Exec;
use crate::db::repo::{registrations, users};
use crate::domain::registration_rules::{
    self as rules, canonical_email_hash, email_domains, email_is_valid,
};
use crate::error::{ApiResult, Validation};

/// How an e-mail address fares against the domain and canonical blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailStanding {
    Allowed,
    RequiresApproval,
    Blocked,
}

/// Domain blocks (the domain or a parent): a plain block refuses, an allow-with-approval one
/// forces approval.
pub async fn email_standing(ex: &mut Exec<'_>, email: &str) -> ApiResult<EmailStanding> {
    let flags = registrations::email_domain_blocks(ex, &email_domains(email)).await?;
    Ok(if flags.iter().any(|allow| !allow) {
        EmailStanding::Blocked
    } else if flags.is_empty() {
        EmailStanding::Allowed
    } else {
        EmailStanding::RequiresApproval
    })
}

/// Validates a new e-mail address (format, length, taken, blocked); `check_blocks` is off
/// when a valid invite was used.
pub async fn check_email(
    ex: &mut Exec<'_>,
    v: &mut Validation,
    email: &str,
    check_blocks: bool,
) -> ApiResult<EmailStanding> {
    if email.is_empty() {
        // Upstream's presence check and its EmailAddressValidator both refuse a blank.
        rules::blank(v, rules::EMAIL);
        v.add(rules::EMAIL.0, rules::EMAIL.1, "invalid", "is invalid");
        return Ok(EmailStanding::Allowed);
    }
    if !email_is_valid(email) {
        v.add(rules::EMAIL.0, rules::EMAIL.1, "invalid", "is invalid");
    }
    if email.chars().count() > rules::EMAIL_MAX {
        rules::too_long(v, rules::EMAIL, rules::EMAIL_MAX);
    }
    if users::email_taken(ex, email).await?
        || (check_blocks
            && registrations::canonical_email_blocked(ex, &canonical_email_hash(email)).await?)
    {
        rules::taken(v, rules::EMAIL);
    }
    if !check_blocks {
        return Ok(EmailStanding::Allowed);
    }
    let standing = email_standing(ex, email).await?;
    if standing == EmailStanding::Blocked {
        v.add(
            rules::EMAIL.0,
            rules::EMAIL.1,
            "blocked",
            "uses a disallowed e-mail provider",
        );
    }
    Ok(standing)
}
