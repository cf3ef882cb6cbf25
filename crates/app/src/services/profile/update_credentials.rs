//! `PATCH /api/v1/accounts/update_credentials`: validate every change first, then write the
//! account, the posting defaults and (when unlocking) the accepted follow requests in one
//! transaction. Nothing is written when anything is invalid.

use crate::api_types::CredentialAccount;
use crate::db::Exec;
use crate::db::repo::accounts::{self, AccountRow};
use crate::db::repo::notifications;
use crate::db::repo::profile::{self, PostingDefaults, ProfileColumns};
use crate::db::repo::users::{self, UserRow};
use crate::domain::text::within_raw_cap;
use crate::domain::time;
use crate::error::{ApiError, ApiResult, Validation};
use crate::services::present::{self, StoredField};
use crate::services::profile::fields::{self, FieldInput};
use crate::services::profile::images::{self, ImageChange, StoredImages};
use crate::services::profile::text;
use crate::services::profile::verify;
use crate::state::AppState;

pub const DISPLAY_NAME_MAX: usize = 30;
pub const NOTE_MAX: usize = 500;
pub const DESCRIPTION_MAX: usize = 150;
pub const ATTRIBUTION_DOMAINS_MAX: usize = 100;

/// `source[...]`: each member None keeps the current value.
#[derive(Debug, Clone, Default)]
pub struct SourceChanges {
    pub privacy: Option<String>,
    pub sensitive: Option<bool>,
    pub language: Option<String>,
    pub quote_policy: Option<String>,
}

/// The permitted parameters; None keeps the current value. For nullable booleans,
/// `Some(None)` stores null (an empty parameter, as Rails casts it).
#[derive(Debug, Default)]
pub struct Changes {
    pub display_name: Option<String>,
    pub note: Option<String>,
    pub locked: Option<bool>,
    pub bot: Option<bool>,
    pub discoverable: Option<Option<bool>>,
    pub hide_collections: Option<Option<bool>>,
    pub indexable: Option<bool>,
    pub attribution_domains: Option<Vec<String>>,
    pub fields: Option<Vec<(String, String)>>,
    pub source: Option<SourceChanges>,
    pub avatar: Option<images::Upload>,
    pub header: Option<images::Upload>,
    pub avatar_description: Option<String>,
    pub header_description: Option<String>,
}

fn too_long(v: &mut Validation, key: &str, label: &str, max: usize) {
    v.add(
        key,
        label,
        "too_long",
        &format!("is too long (maximum is {max} characters)"),
    );
}

/// Strips schemes and `*.`, drops blanks and duplicates.
pub fn normalize_domains(list: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for raw in list {
        let mut d = raw.trim();
        for prefix in ["http://", "https://", "*."] {
            d = d.strip_prefix(prefix).unwrap_or(d);
        }
        let d = d.trim().to_owned();
        if !d.is_empty() && !out.contains(&d) {
            out.push(d);
        }
    }
    out
}

/// A syntactically valid (possibly internationalised) domain name.
pub fn is_valid_domain(domain: &str) -> bool {
    let Ok(ascii) = url::Url::parse(&format!("http://{domain}/")) else {
        return false;
    };
    let Some(url::Host::Domain(host)) = ascii.host() else {
        return false;
    };
    host.len() <= 253
        && ascii.port().is_none()
        && !domain.contains(['/', '@', ':', '?', '#'])
        && host.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

fn inclusion(v: &mut Validation, key: &str, label: &str, value: Option<&str>, allowed: &[&str]) {
    if let Some(x) = value
        && !allowed.contains(&x)
    {
        v.add(key, label, "inclusion", "is not included in the list");
    }
}

/// Every check that needs no database.
fn validate(c: &Changes, v: &mut Validation) -> Option<Vec<FieldInput>> {
    if let Some(name) = &c.display_name
        && (!within_raw_cap(name, DISPLAY_NAME_MAX)
            || name.trim().chars().count() > DISPLAY_NAME_MAX)
    {
        too_long(v, "display_name", "Display name", DISPLAY_NAME_MAX);
    }
    if let Some(note) = &c.note
        && (!within_raw_cap(note, NOTE_MAX) || text::note_length(note.trim()) > NOTE_MAX)
    {
        too_long(v, "note", "Note", NOTE_MAX);
    }
    let new_fields = c.fields.clone().map(fields::present_pairs);
    if let Some(f) = &new_fields {
        fields::validate(v, f);
    }
    if let Some(list) = &c.attribution_domains {
        let domains = normalize_domains(list);
        if domains.len() > ATTRIBUTION_DOMAINS_MAX {
            too_long(
                v,
                "attribution_domains",
                "Attribution domains",
                ATTRIBUTION_DOMAINS_MAX,
            );
        }
        if domains.iter().any(|d| !is_valid_domain(d)) {
            v.add(
                "attribution_domains",
                "Attribution domains",
                "invalid",
                "is invalid",
            );
        }
    }
    for (value, key, label) in [
        (
            &c.avatar_description,
            "avatar_description",
            "Avatar description",
        ),
        (
            &c.header_description,
            "header_description",
            "Header description",
        ),
    ] {
        if value.as_ref().is_some_and(|d| {
            !within_raw_cap(d, DESCRIPTION_MAX) || d.chars().count() > DESCRIPTION_MAX
        }) {
            too_long(v, key, label, DESCRIPTION_MAX);
        }
    }
    if let Some(s) = &c.source {
        let choices: [(&str, &str, Option<&str>, &[&str]); 2] = [
            (
                "source[privacy]",
                "Default post privacy",
                s.privacy.as_deref(),
                &["public", "unlisted", "private"],
            ),
            (
                "source[quote_policy]",
                "Default quote policy",
                s.quote_policy.as_deref(),
                &["public", "followers", "nobody"],
            ),
        ];
        for (key, label, value, allowed) in choices {
            inclusion(v, key, label, value, allowed);
        }
    }
    new_fields
}

async fn columns(
    ex: &mut Exec<'_>,
    state: &AppState,
    a: &AccountRow,
    c: &Changes,
    new_fields: Option<Vec<FieldInput>>,
    img: &StoredImages,
) -> ApiResult<ProfileColumns> {
    let note = c
        .note
        .as_deref()
        .map_or_else(|| a.note.clone(), |n| n.trim().to_owned());
    let note_html = match &c.note {
        Some(_) => text::render_note(ex, state, &note).await?,
        None => a.note_html.clone(),
    };
    let fields_json = match new_fields {
        Some(new) => {
            let mut rendered = Vec::with_capacity(new.len());
            for f in &new {
                rendered.push(text::render_field_value(ex, state, &fields::cut(&f.value)).await?);
            }
            let old: Vec<StoredField> = present::stored_fields(&a.fields);
            serde_json::to_string(&fields::merge(&old, &new, rendered))
                .map_err(ApiError::internal)?
        }
        None => a.fields.clone(),
    };
    let attribution_domains = match &c.attribution_domains {
        Some(list) => {
            serde_json::to_string(&normalize_domains(list)).map_err(ApiError::internal)?
        }
        None => a.attribution_domains.clone(),
    };
    let actor_type = match c.bot {
        Some(true) => "Service".to_owned(),
        Some(false) => "Person".to_owned(),
        None => a.actor_type.clone(),
    };
    let (avatar_key, avatar_static_key) = img
        .avatar
        .clone()
        .unwrap_or_else(|| (a.avatar_key.clone(), a.avatar_static_key.clone()));
    let (header_key, header_static_key) = img
        .header
        .clone()
        .unwrap_or_else(|| (a.header_key.clone(), a.header_static_key.clone()));
    Ok(ProfileColumns {
        display_name: c
            .display_name
            .as_deref()
            .map_or_else(|| a.display_name.clone(), |d| d.trim().to_owned()),
        note,
        note_html,
        fields: fields_json,
        attribution_domains,
        actor_type,
        locked: c.locked.unwrap_or(a.locked),
        discoverable: c.discoverable.unwrap_or(a.discoverable),
        indexable: c.indexable.unwrap_or(a.indexable),
        hide_collections: c.hide_collections.unwrap_or(a.hide_collections),
        avatar_key,
        avatar_static_key,
        avatar_description: c
            .avatar_description
            .clone()
            .unwrap_or_else(|| a.avatar_description.clone()),
        header_key,
        header_static_key,
        header_description: c
            .header_description
            .clone()
            .unwrap_or_else(|| a.header_description.clone()),
    })
}

fn posting_defaults(u: &UserRow, s: &SourceChanges) -> PostingDefaults {
    PostingDefaults {
        privacy: s
            .privacy
            .clone()
            .or_else(|| u.setting_default_privacy.clone()),
        sensitive: s.sensitive.unwrap_or(u.setting_default_sensitive),
        language: match &s.language {
            Some(l) if l.trim().is_empty() => None,
            Some(l) => Some(l.trim().to_owned()),
            None => u.setting_default_language.clone(),
        },
        quote_policy: s
            .quote_policy
            .clone()
            .unwrap_or_else(|| u.setting_default_quote_policy.clone()),
    }
}

/// Accepts the requests an unlocked account no longer holds back.
async fn accept_pending(
    state: &AppState,
    ex: &mut Exec<'_>,
    account_id: i64,
    now: i64,
) -> ApiResult<()> {
    for r in profile::acceptable_requests(ex, account_id).await? {
        let uri = crate::services::federation::follow_uri_of(ex, r.account_id, account_id).await?;
        profile::accept_request(ex, &r, account_id, state.next_id(), now).await?;
        // the request is gone, and so is the notification it made (as authorize does)
        notifications::delete_activity(ex, account_id, r.account_id, "follow_request").await?;
        // a remote requester learns of it by an Accept, as after authorize
        let requester = accounts::find(ex, r.account_id).await?;
        let me = accounts::find(ex, account_id).await?;
        if let (Some(requester), Some(me)) = (requester, me)
            && requester.account.domain.is_some()
        {
            crate::services::federation::outbound::answer_follow(
                state,
                ex,
                &me.account,
                &requester.account,
                uri,
                true,
            )
            .await?;
        }
    }
    Ok(())
}

pub async fn update(
    state: &AppState,
    user_id: i64,
    account_id: i64,
    mut c: Changes,
) -> ApiResult<CredentialAccount> {
    let mut v = Validation::new();
    let new_fields = validate(&c, &mut v);
    let changes = ImageChange::take(&mut c.avatar, &mut c.header);
    let processed = images::process(changes, &mut v).await?;
    v.into_result()?;
    let base_url = state.base_url();
    let stored = images::store(state, account_id, processed).await?;
    let result = write(
        state, user_id, account_id, &c, new_fields, &stored, &base_url,
    )
    .await;
    match result {
        Ok((old, credential)) => {
            images::delete_replaced(state, &old, &stored).await;
            verify::after_save(state, account_id);
            Ok(credential)
        }
        Err(e) => {
            images::delete_new(state, &stored).await;
            Err(e)
        }
    }
}

async fn write(
    state: &AppState,
    user_id: i64,
    account_id: i64,
    c: &Changes,
    new_fields: Option<Vec<FieldInput>>,
    stored: &StoredImages,
    base_url: &str,
) -> ApiResult<(AccountRow, CredentialAccount)> {
    let now = time::now();
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    let (record, user) = super::own_rows(&mut ex, account_id, user_id).await?;
    let old = record.account;
    let cols = columns(&mut ex, state, &old, c, new_fields, stored).await?;
    let unlocking = old.locked && !cols.locked;
    profile::update_account(&mut ex, account_id, &cols, now).await?;
    if let Some(s) = &c.source {
        profile::update_posting_defaults(&mut ex, user_id, &posting_defaults(&user, s), now)
            .await?;
    }
    if unlocking {
        accept_pending(state, &mut ex, account_id, now).await?;
    }
    let record = accounts::find(&mut ex, account_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let user = users::find(&mut ex, user_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let credential = present::render_credential_account(&mut ex, base_url, &record, &user).await?;
    crate::services::federation::outbound::update_actor(state, &mut ex, &record.account).await?;
    tx.commit().await?;
    Ok((old, credential))
}
