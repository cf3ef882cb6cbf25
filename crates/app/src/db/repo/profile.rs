//! Writes of a local account's own profile: the profile columns, the posting defaults of its
//! user, and the follow requests an unlocked account accepts.

use sqlx::FromRow;

use crate::db::Exec;
use crate::db::query::{args, execute, fetch_all};

/// Every profile column `update_credentials` may change, as they will be stored.
#[derive(Debug, Clone)]
pub struct ProfileColumns {
    pub display_name: String,
    pub note: String,
    pub note_html: String,
    /// JSON array of `StoredField`
    pub fields: String,
    /// JSON array of strings
    pub attribution_domains: String,
    pub actor_type: String,
    pub locked: bool,
    pub discoverable: Option<bool>,
    pub indexable: bool,
    pub hide_collections: Option<bool>,
    pub avatar_key: Option<String>,
    pub avatar_static_key: Option<String>,
    pub avatar_description: String,
    pub header_key: Option<String>,
    pub header_static_key: Option<String>,
    pub header_description: String,
}

pub async fn update_account(
    ex: &mut Exec<'_>,
    account_id: i64,
    p: &ProfileColumns,
    now: i64,
) -> Result<(), sqlx::Error> {
    let sql = "UPDATE accounts SET display_name = $1, display_name_lower = $2, note = $3, note_html = $4, \
        fields = $5, attribution_domains = $6, actor_type = $7, locked = $8, discoverable = $9, \
        indexable = $10, hide_collections = $11, avatar_key = $12, avatar_static_key = $13, \
        avatar_description = $14, header_key = $15, header_static_key = $16, header_description = $17, \
        updated_at = $18 WHERE id = $19";
    execute(
        ex,
        sql,
        &args![
            &p.display_name,
            p.display_name.to_lowercase(),
            &p.note,
            &p.note_html,
            &p.fields,
            &p.attribution_domains,
            &p.actor_type,
            p.locked,
            p.discoverable,
            p.indexable,
            p.hide_collections,
            &p.avatar_key,
            &p.avatar_static_key,
            &p.avatar_description,
            &p.header_key,
            &p.header_static_key,
            &p.header_description,
            now,
            account_id
        ],
    )
    .await?;
    crate::db::repo::search::index_name(ex, account_id, &p.display_name).await?;
    Ok(())
}

/// The posting defaults (`source[...]`) of a user.
#[derive(Debug, Clone)]
pub struct PostingDefaults {
    pub privacy: Option<String>,
    pub sensitive: bool,
    pub language: Option<String>,
    pub quote_policy: String,
}

pub async fn update_posting_defaults(
    ex: &mut Exec<'_>,
    user_id: i64,
    d: &PostingDefaults,
    now: i64,
) -> Result<(), sqlx::Error> {
    let sql = "UPDATE users SET setting_default_privacy = $1, setting_default_sensitive = $2, \
        setting_default_language = $3, setting_default_quote_policy = $4, updated_at = $5 WHERE id = $6";
    execute(
        ex,
        sql,
        &args![
            &d.privacy,
            d.sensitive,
            &d.language,
            &d.quote_policy,
            now,
            user_id
        ],
    )
    .await?;
    Ok(())
}

/// A pending follow request to an account.
#[derive(Debug, Clone, FromRow)]
pub struct PendingRequest {
    pub id: i64,
    pub account_id: i64,
    pub show_reblogs: bool,
    pub notify: bool,
    pub languages: Option<String>,
    pub uri: Option<String>,
}

/// Requests to `target_id` from accounts that are not silenced (what unlocking accepts).
pub async fn acceptable_requests(
    ex: &mut Exec<'_>,
    target_id: i64,
) -> Result<Vec<PendingRequest>, sqlx::Error> {
    let sql = "SELECT fr.id, fr.account_id, fr.show_reblogs, fr.notify, fr.languages, fr.uri \
        FROM follow_requests fr JOIN accounts a ON a.id = fr.account_id \
        WHERE fr.target_account_id = $1 AND a.silenced_at IS NULL ORDER BY fr.id";
    fetch_all(ex, sql, &args![target_id]).await
}

/// Turns one request into a follow (`follow_id` is the new row's id) and counts it.
pub async fn accept_request(
    ex: &mut Exec<'_>,
    r: &PendingRequest,
    target_id: i64,
    follow_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO follows (id, account_id, target_account_id, show_reblogs, notify, languages, uri, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (account_id, target_account_id) DO NOTHING";
    let inserted = execute(
        ex,
        sql,
        &args![
            follow_id,
            r.account_id,
            target_id,
            r.show_reblogs,
            r.notify,
            &r.languages,
            &r.uri,
            now
        ],
    )
    .await?;
    execute(
        ex,
        "DELETE FROM follow_requests WHERE id = $1",
        &args![r.id],
    )
    .await?;
    if inserted == 1 {
        execute(
            ex,
            "UPDATE accounts SET following_count = following_count + 1 WHERE id = $1",
            &args![r.account_id],
        )
        .await?;
        execute(
            ex,
            "UPDATE accounts SET followers_count = followers_count + 1 WHERE id = $1",
            &args![target_id],
        )
        .await?;
    }
    Ok(())
}

/// Clears one image of an account: the header when `header`, else the avatar.
pub async fn clear_image(
    ex: &mut Exec<'_>,
    account_id: i64,
    header: bool,
    now: i64,
) -> Result<(), sqlx::Error> {
    let sql = if header {
        "UPDATE accounts SET header_key = NULL, header_static_key = NULL, updated_at = $1 WHERE id = $2"
    } else {
        "UPDATE accounts SET avatar_key = NULL, avatar_static_key = NULL, updated_at = $1 WHERE id = $2"
    };
    execute(ex, sql, &args![now, account_id]).await?;
    Ok(())
}

/// Replaces an account's fields JSON only if it still is `expected` (a compare-and-set, so a
/// background writer never overwrites a newer save). True when the row was updated.
pub async fn replace_fields_if_unchanged(
    ex: &mut Exec<'_>,
    account_id: i64,
    expected: &str,
    fields: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let sql = "UPDATE accounts SET fields = $1, updated_at = $2 WHERE id = $3 AND fields = $4";
    let n = execute(ex, sql, &args![fields, now, account_id, expected]).await?;
    Ok(n == 1)
}
