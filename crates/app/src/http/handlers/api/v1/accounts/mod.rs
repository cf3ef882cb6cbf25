//! `/api/v1/accounts/…`

pub mod credentials;
pub mod register;
pub mod show;
// social graph
pub mod block;
pub mod endorse;
pub mod follow;
pub mod followers;
pub mod following;
pub mod mute;
pub mod note;
pub mod relationships;
pub mod remove_from_followers;
pub mod unblock;
pub mod unfollow;
pub mod unmute;
pub mod update_credentials;
// statuses
pub mod endorsements;
pub mod familiar_followers;
pub mod featured_tags;
pub mod identity_proofs;
pub mod index;
pub mod lists;
pub mod lookup;
pub mod migration;
pub mod search;
pub mod statuses;
