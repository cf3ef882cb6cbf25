//! Mastodon wire entities (serde types). Field order follows upstream's serializers.

pub mod account;
pub mod application;
pub mod instance;
pub mod instance_texts;
pub mod oauth;
pub mod role;
pub mod token;

pub use account::{
    Account, CredentialAccount, CustomEmoji, Field, MutedAccount, RoleBadge, Source,
};
pub use application::{Application, CredentialApplication};
pub use role::Role;
pub use token::Token;
pub mod account_warning;
pub mod action_log;
pub mod admin_account;
pub mod admin_report;
pub mod domain_block;
pub use account_warning::AccountWarning;
pub use action_log::ActionLog;
pub use admin_account::{AdminAccount, AdminIp};
pub use admin_report::{AdminReport, Report};
// social graph
pub mod familiar_followers;
pub mod featured_tag;
pub mod list;
pub mod marker;
pub mod notification;
pub mod relationship;
pub mod suggestion;
pub use relationship::Relationship;
// statuses
pub mod media_attachment;
pub mod status;
pub use media_attachment::MediaAttachment;
pub use status::Status;
pub mod preferences;
pub mod search;
pub mod tag;
pub use tag::Tag;
