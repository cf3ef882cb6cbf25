//! `GET /api/v1/preferences`: the posting defaults a user set (update_credentials' `source`)
//! and the reading ones. Woolly has no web settings for reading yet, so those are upstream's
//! defaults for every user.

use crate::api_types::preferences::Preferences;
use crate::db::repo::accounts::AccountRecord;
use crate::db::repo::users::UserRow;
use crate::services::present::default_privacy;

pub fn of(record: &AccountRecord, user: &UserRow) -> Preferences {
    Preferences {
        visibility: default_privacy(record, user),
        sensitive: user.setting_default_sensitive,
        language: user
            .setting_default_language
            .clone()
            .filter(|l| !l.is_empty()),
        quote_policy: user.setting_default_quote_policy.clone(),
        expand_media: "default".into(),
        expand_spoilers: false,
        autoplay_gifs: false,
    }
}
