//! Turns stored accounts into the wire `Account` / `CredentialAccount` entities: the one place
//! that knows upstream's rendering rules (unavailable accounts, midnight `created_at`, …).

use std::collections::HashMap;

use serde::Deserialize;

use crate::api_types::account::FeatureApproval;
use crate::api_types::{Account, CredentialAccount, CustomEmoji, Field, Role, RoleBadge, Source};
use crate::db::repo::accounts::{self, AccountRecord, AccountRow, EmojiRow};
use crate::db::repo::admin_accounts::{self, DomainEmojiRow};
use crate::db::repo::follows;
use crate::db::repo::roles::RoleRow;
use crate::db::repo::users::UserRow;
use crate::db::{Db, Exec};
use crate::domain::{permissions, time};
use crate::error::ApiResult;

/// A profile field as stored in `accounts.fields`.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, PartialEq)]
pub struct StoredField {
    pub name: String,
    pub value: String,
    #[serde(default)]
    pub value_html: String,
    #[serde(default)]
    pub verified_at: Option<i64>,
}

pub fn stored_fields(json: &str) -> Vec<StoredField> {
    serde_json::from_str(json).unwrap_or_default()
}

const FIELD_LIMIT: usize = 255;

fn truncate(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// Upstream's "unavailable": suspended or deleted.
pub fn unavailable(a: &AccountRow) -> bool {
    a.suspended_at.is_some() || a.deleted_at.is_some()
}

pub struct Presenter<'a> {
    pub base_url: &'a str,
}

impl Presenter<'_> {
    pub fn media_url(&self, key: &str) -> String {
        format!("{}/system/{}", self.base_url, key)
    }

    fn image(&self, key: Option<&str>, remote: Option<&str>, missing: &str) -> String {
        match (key, remote) {
            (Some(k), _) => self.media_url(k),
            (None, Some(r)) if !r.is_empty() => r.to_owned(),
            _ => format!("{}{}", self.base_url, missing),
        }
    }

    fn profile_url(&self, a: &AccountRow) -> String {
        match &a.domain {
            None => format!("{}/@{}", self.base_url, a.username),
            Some(_) => match &a.url {
                Some(u) if u.starts_with("http://") || u.starts_with("https://") => u.clone(),
                _ => a.uri.clone(),
            },
        }
    }

    pub fn emoji(&self, e: &EmojiRow) -> CustomEmoji {
        let url = match (&e.image_key, &e.image_remote_url) {
            (Some(k), _) => self.media_url(k),
            (None, Some(r)) => r.clone(),
            _ => String::new(),
        };
        CustomEmoji {
            shortcode: e.shortcode.clone(),
            static_url: url.clone(),
            url,
            visible_in_picker: e.visible_in_picker,
            category: e.category.clone(),
        }
    }

    /// Avatar, static avatar, header and static header URLs (the missing images when `gone`).
    fn images(&self, a: &AccountRow, gone: bool) -> (String, String, String, String) {
        if gone {
            let av = format!("{}/avatars/original/missing.png", self.base_url);
            let hd = format!("{}/headers/original/missing.png", self.base_url);
            return (av.clone(), av, hd.clone(), hd);
        }
        let av = self.image(
            a.avatar_key.as_deref(),
            a.avatar_remote_url.as_deref(),
            "/avatars/original/missing.png",
        );
        let av_static = match &a.avatar_static_key {
            Some(k) => self.media_url(k),
            None => av.clone(),
        };
        let hd = self.image(
            a.header_key.as_deref(),
            a.header_remote_url.as_deref(),
            "/headers/original/missing.png",
        );
        let hd_static = match &a.header_static_key {
            Some(k) => self.media_url(k),
            None => hd.clone(),
        };
        (av, av_static, hd, hd_static)
    }

    /// Renders an account; `moved` is the account it moved to, already rendered.
    pub fn account(
        &self,
        r: &AccountRecord,
        emojis: &[EmojiRow],
        moved: Option<Account>,
    ) -> Account {
        let a = &r.account;
        let gone = unavailable(a);
        let local = a.domain.is_none();
        let (avatar, avatar_static, header, header_static) = self.images(a, gone);
        let shown = |text: &String| if gone { String::new() } else { text.clone() };
        Account {
            id: a.id.to_string(),
            username: a.username.clone(),
            acct: crate::domain::acct::acct(&a.username, a.domain.as_deref()),
            display_name: shown(&a.display_name),
            locked: !gone && a.locked,
            bot: !gone && matches!(a.actor_type.as_str(), "Application" | "Service"),
            discoverable: if gone { Some(false) } else { a.discoverable },
            indexable: !gone && a.indexable,
            group: a.actor_type == "Group",
            created_at: time::iso8601_midnight(a.created_at),
            note: shown(&a.note_html),
            url: self.profile_url(a),
            uri: a.uri.clone(),
            avatar,
            avatar_static,
            avatar_description: shown(&a.avatar_description),
            header,
            header_static,
            header_description: shown(&a.header_description),
            followers_count: a.followers_count.max(0),
            following_count: a.following_count.max(0),
            statuses_count: a.statuses_count.max(0),
            last_status_at: a.last_status_at.map(time::date),
            hide_collections: a.hide_collections,
            show_media: a.show_media,
            show_media_replies: a.show_media_replies,
            show_featured: a.show_featured,
            moved: a
                .moved_to_account_id
                .map(|_| if gone { None } else { moved.map(Box::new) }),
            emojis: if gone {
                Vec::new()
            } else {
                emojis.iter().map(|e| self.emoji(e)).collect()
            },
            suspended: gone.then_some(true),
            limited: a.silenced_at.is_some().then_some(true),
            noindex: local.then_some(r.user_noindex),
            memorial: a.memorial.then_some(true),
            feature_approval: feature_approval(a),
            roles: local.then(|| role_badges(r, gone)),
            fields: if gone { Vec::new() } else { public_fields(a) },
        }
    }
}

/// The profile fields as shown to others: the name as stored (plain text, as upstream's
/// FieldSerializer sends it), the value as HTML.
fn public_fields(a: &AccountRow) -> Vec<Field> {
    stored_fields(&a.fields)
        .iter()
        .map(|f| Field {
            name: truncate(&f.name, FIELD_LIMIT),
            value: if f.value_html.is_empty() {
                woolly_text::escape_html(&truncate(&f.value, FIELD_LIMIT))
            } else {
                f.value_html.clone()
            },
            verified_at: f.verified_at.map(time::iso8601),
        })
        .collect()
}

/// Who may feature the account: automatic for discoverable local accounts (followers only
/// when locked), manual otherwise; unknown for remote ones.
fn feature_approval(a: &AccountRow) -> FeatureApproval {
    let local = a.domain.is_none();
    let automatic: Vec<String> = if !local || a.discoverable != Some(true) {
        Vec::new()
    } else if a.locked {
        vec!["followers".into()]
    } else {
        vec!["public".into()]
    };
    let current_user = if !local {
        "unknown"
    } else if automatic.is_empty() {
        "manual"
    } else {
        "automatic"
    };
    FeatureApproval {
        automatic,
        manual: Vec::new(),
        current_user: current_user.into(),
    }
}

/// The highlighted role of a local account's user, if any.
fn role_badges(r: &AccountRecord, gone: bool) -> Vec<RoleBadge> {
    match (&r.role_id, &r.role_highlighted) {
        (Some(id), Some(true)) if !gone => vec![RoleBadge {
            id: id.to_string(),
            name: r.role_name.clone().unwrap_or_default(),
            color: r.role_color.clone().unwrap_or_default(),
        }],
        _ => Vec::new(),
    }
}

/// `:shortcode:` names used in a text.
pub fn shortcodes_in(text: &str, out: &mut Vec<String>) {
    let mut rest = text;
    while let Some(start) = rest.find(':') {
        let after = &rest[start + 1..];
        match after.find(':') {
            Some(end) => {
                let code = &after[..end];
                if code.len() >= 2 && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
                    if !out.iter().any(|c| c == code) {
                        out.push(code.to_owned());
                    }
                    rest = &after[end + 1..];
                } else {
                    rest = after;
                }
            }
            None => break,
        }
    }
}

fn account_shortcodes(a: &AccountRow) -> Vec<String> {
    let mut codes = Vec::new();
    shortcodes_in(&a.display_name, &mut codes);
    shortcodes_in(&a.note, &mut codes);
    for f in stored_fields(&a.fields) {
        shortcodes_in(&f.name, &mut codes);
        shortcodes_in(&f.value, &mut codes);
    }
    codes
}

/// Renders one account, loading what rendering needs (see [`render_accounts`]).
pub async fn render_account(
    ex: &mut Exec<'_>,
    base_url: &str,
    r: &AccountRecord,
) -> ApiResult<Account> {
    let mut one = render_accounts(ex, base_url, std::slice::from_ref(r)).await?;
    Ok(one
        .pop()
        .unwrap_or_else(|| Presenter { base_url }.account(r, &[], None)))
}

/// Whether rendering `r` reads anything besides its record (custom emojis in its texts, or a
/// moved-to account): most renders read nothing.
fn needs_lookup(r: &AccountRecord) -> bool {
    r.account.moved_to_account_id.is_some() || !account_shortcodes(&r.account).is_empty()
}

/// [`render_accounts`] on the inline read path: a connection is taken only when some account
/// needs a lookup.
pub async fn render_accounts_inline(
    db: &Db,
    base_url: &str,
    records: &[AccountRecord],
) -> ApiResult<Vec<Account>> {
    if !records.iter().any(needs_lookup) {
        let p = Presenter { base_url };
        return Ok(records.iter().map(|r| p.account(r, &[], None)).collect());
    }
    render_accounts(&mut db.conn().await?.exec(), base_url, records).await
}

/// [`render_account`] on the inline read path.
pub async fn render_account_inline(
    db: &Db,
    base_url: &str,
    r: &AccountRecord,
) -> ApiResult<Account> {
    let mut one = render_accounts_inline(db, base_url, std::slice::from_ref(r)).await?;
    Ok(one
        .pop()
        .unwrap_or_else(|| Presenter { base_url }.account(r, &[], None)))
}

/// Renders several accounts in their given order (see [`render_account_refs`]).
pub async fn render_accounts(
    ex: &mut Exec<'_>,
    base_url: &str,
    records: &[AccountRecord],
) -> ApiResult<Vec<Account>> {
    let refs: Vec<&AccountRecord> = records.iter().collect();
    render_account_refs(ex, base_url, &refs).await
}

/// Renders several accounts in their given order, in at most two queries whatever their
/// number: one for the accounts they moved to, one for the custom emojis of all of them.
pub async fn render_account_refs(
    ex: &mut Exec<'_>,
    base_url: &str,
    records: &[&AccountRecord],
) -> ApiResult<Vec<Account>> {
    let mut moved_ids: Vec<i64> = records
        .iter()
        .filter_map(|r| r.account.moved_to_account_id)
        .collect();
    moved_ids.sort_unstable();
    moved_ids.dedup();
    let moved: HashMap<i64, AccountRecord> = accounts::find_many(ex, &moved_ids)
        .await?
        .into_iter()
        .map(|r| (r.account.id, r))
        .collect();
    let emojis = Emojis::load(ex, records.iter().copied().chain(moved.values())).await?;
    let p = Presenter { base_url };
    Ok(records
        .iter()
        .map(|r| {
            let target = r.account.moved_to_account_id.and_then(|id| moved.get(&id));
            let moved = target.map(|t| {
                let mut rendered = p.account(t, &emojis.of(&t.account), None);
                rendered.moved = None;
                rendered
            });
            p.account(r, &emojis.of(&r.account), moved)
        })
        .collect())
}

/// The enabled custom emojis used by a set of accounts, read in one query.
struct Emojis(Vec<DomainEmojiRow>);

impl Emojis {
    async fn load(
        ex: &mut Exec<'_>,
        records: impl Iterator<Item = &AccountRecord>,
    ) -> ApiResult<Self> {
        let mut domains: Vec<String> = Vec::new();
        let mut codes: Vec<String> = Vec::new();
        for r in records {
            let used = account_shortcodes(&r.account);
            if !used.is_empty() {
                domains.push(r.account.domain.clone().unwrap_or_default());
                codes.extend(used);
            }
        }
        domains.sort();
        domains.dedup();
        codes.sort();
        codes.dedup();
        Ok(Self(
            admin_accounts::emojis_batch(ex, &domains, &codes).await?,
        ))
    }

    /// The emojis of `a`'s texts, by shortcode.
    fn of(&self, a: &AccountRow) -> Vec<EmojiRow> {
        let domain = a.domain.as_deref().unwrap_or_default();
        let used = account_shortcodes(a);
        self.0
            .iter()
            .filter(|e| e.domain_key == domain && used.contains(&e.emoji.shortcode))
            .map(|e| e.emoji.clone())
            .collect()
    }
}

/// The Role entity of a role row (or the everyone role when None).
pub fn role_entity(role: Option<&RoleRow>, everyone_bits: i64) -> Role {
    match role {
        Some(r) => Role {
            id: r.id.to_string(),
            name: r.name.clone(),
            permissions: permissions::computed(r.permissions, everyone_bits).to_string(),
            color: r.color.clone(),
            highlighted: r.highlighted,
            collection_limit: 10,
        },
        None => Role {
            id: permissions::EVERYONE_ROLE_ID.to_string(),
            name: String::new(),
            permissions: permissions::computed(0, everyone_bits).to_string(),
            color: String::new(),
            highlighted: false,
            collection_limit: 10,
        },
    }
}

/// The Role entity of a local account's user, from the role columns of its record.
pub fn role_of_record(r: &AccountRecord) -> Role {
    let everyone = r.everyone_permissions.unwrap_or(0);
    match (r.role_id, r.role_permissions) {
        (Some(id), Some(bits)) => Role {
            id: id.to_string(),
            name: r.role_name.clone().unwrap_or_default(),
            permissions: permissions::computed(bits, everyone).to_string(),
            color: r.role_color.clone().unwrap_or_default(),
            highlighted: r.role_highlighted.unwrap_or(false),
            collection_limit: 10,
        },
        _ => role_entity(None, everyone),
    }
}

/// `CredentialAccount`: the account plus `source` and `role`.
pub async fn render_credential_account(
    ex: &mut Exec<'_>,
    base_url: &str,
    r: &AccountRecord,
    user: &UserRow,
) -> ApiResult<CredentialAccount> {
    let account = render_account(ex, base_url, r).await?;
    let requests = follows::follow_requests_count(ex, r.account.id).await?;
    Ok(credential_account(account, r, user, requests))
}

/// [`render_credential_account`] on the inline read path (`verify_credentials`).
pub async fn render_credential_account_inline(
    db: &Db,
    base_url: &str,
    r: &AccountRecord,
    user: &UserRow,
) -> ApiResult<CredentialAccount> {
    let account = render_account_inline(db, base_url, r).await?;
    let requests = follows::follow_requests_count_in(db, r.account.id).await?;
    Ok(credential_account(account, r, user, requests))
}

/// The visibility new posts get: the user's setting, else private for a locked account.
pub fn default_privacy(r: &AccountRecord, user: &UserRow) -> String {
    user.setting_default_privacy.clone().unwrap_or_else(|| {
        if r.account.locked {
            "private".into()
        } else {
            "public".into()
        }
    })
}

fn credential_account(
    account: Account,
    r: &AccountRecord,
    user: &UserRow,
    follow_requests_count: i64,
) -> CredentialAccount {
    let a = &r.account;
    let privacy = default_privacy(r, user);
    let fields = stored_fields(&a.fields)
        .iter()
        .map(|f| Field {
            name: truncate(&f.name, FIELD_LIMIT),
            value: truncate(&f.value, FIELD_LIMIT),
            verified_at: f.verified_at.map(time::iso8601),
        })
        .collect();
    let source = Source {
        privacy,
        sensitive: user.setting_default_sensitive,
        language: user
            .setting_default_language
            .clone()
            .filter(|l| !l.is_empty()),
        note: a.note.clone(),
        fields,
        follow_requests_count,
        hide_collections: a.hide_collections.unwrap_or(false),
        discoverable: a.discoverable.unwrap_or(false),
        indexable: a.indexable,
        attribution_domains: serde_json::from_str(&a.attribution_domains).unwrap_or_default(),
        quote_policy: user.setting_default_quote_policy.clone(),
    };
    let role = role_of_record(r);
    CredentialAccount {
        account,
        source,
        role,
    }
}
