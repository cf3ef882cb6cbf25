//! SQL of the admin accounts API: the filtered, id-paginated account list, the batch loads
//! that render a page of Admin::Account, and the moderation changes to accounts and users.

use sqlx::FromRow;

use crate::db::query::rows::fetch_in;
use crate::db::query::rows::{rows_where_in, select_ids};
use crate::db::query::{Args, Conditions, args, fetch_all, fetch_one, paginate};
use crate::db::repo::users::UserRow;
use crate::db::{Backend, Exec};
use crate::domain::page::Cursor;

/// The conditions of an account filter (on alias `a` of `accounts`, `u` of `users`).
#[derive(Debug, Default, Clone)]
pub struct AccountConditions {
    pub conds: Conditions,
    /// Drive an account page from `users u` (a user-side status filter): the page then walks
    /// that filter's index by `u.account_id` instead of collecting every matching user.
    pub from_users: bool,
}

/// The statement of one page of accounts matching `conds` (on alias `a` of `accounts`) and
/// its bound values: what [`page_ids`] runs, and what `woolly admin explain-accounts` shows.
pub fn page_query(filter: AccountConditions, cursor: &Cursor) -> (String, Args) {
    let AccountConditions {
        mut conds,
        from_users,
    } = filter;
    let (from, col) = if from_users {
        (
            "users u JOIN accounts a ON a.id = u.account_id",
            "u.account_id",
        )
    } else {
        ("accounts a", "a.id")
    };
    let tail = paginate(&mut conds, col, cursor);
    (
        format!("SELECT a.id FROM {from}{}{tail}", conds.sql()),
        conds.args,
    )
}

/// Ids of accounts matching `conds` (built on alias `a` of `accounts`), one page.
pub async fn page_ids(
    ex: &mut Exec<'_>,
    filter: AccountConditions,
    cursor: &Cursor,
) -> Result<Vec<i64>, sqlx::Error> {
    let (sql, args) = page_query(filter, cursor);
    let mut ids = select_ids(ex, &sql, &args).await?;
    if cursor.min_id.is_some() {
        ids.reverse();
    }
    Ok(ids)
}

pub async fn users_of_accounts(
    ex: &mut Exec<'_>,
    account_ids: &[i64],
) -> Result<Vec<UserRow>, sqlx::Error> {
    rows_where_in(ex, "users", "account_id", account_ids).await
}

/// Per user: the invite request text and the inviting user's account id.
#[derive(Debug, Clone, FromRow)]
pub struct UserExtras {
    pub user_id: i64,
    pub invite_request: Option<String>,
    pub invited_by_account_id: Option<i64>,
}

pub async fn user_extras(
    ex: &mut Exec<'_>,
    user_ids: &[i64],
) -> Result<Vec<UserExtras>, sqlx::Error> {
    let sql = "SELECT u.id AS user_id, r.text AS invite_request, iu.account_id AS invited_by_account_id \
         FROM users u LEFT JOIN user_invite_requests r ON r.user_id = u.id \
         LEFT JOIN invites i ON i.id = u.invite_id LEFT JOIN users iu ON iu.id = i.user_id \
         WHERE u.id IN ({list})";
    fetch_in(ex, sql, Args::new(), user_ids).await
}

/// User ids (with their account ids) whose role is one of `role_ids`.
pub async fn users_with_roles(
    ex: &mut Exec<'_>,
    role_ids: &[i64],
) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    let sql = "SELECT id, account_id FROM users WHERE role_id IN ({list})";
    fetch_in(ex, sql, Args::new(), role_ids).await
}

/// `origin` of the shared filter model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Local,
    Remote,
}

/// `status` of the shared filter model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Active,
    Pending,
    Disabled,
    Silenced,
    Suspended,
    Sensitized,
}

/// Upstream's AccountFilter after parameter translation; each key applies when set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountFilter {
    pub origin: Option<Origin>,
    pub status: Option<Status>,
    /// `Some(empty)` matches nobody (ids that are not numbers).
    pub role_ids: Option<Vec<i64>>,
    pub invited_by: Option<i64>,
    pub by_domain: Option<String>,
    /// Already trimmed, one leading `@` removed, lower-cased.
    pub username: Option<String>,
    pub display_name: Option<String>,
    pub email: Option<String>,
    /// `(lo, hi)` ip_key range; `Some(None)` for an invalid address (matches nobody).
    pub ip: Option<Option<(String, String)>>,
}

/// How a filter is best read, decided from the data rather than the request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FilterPlan {
    /// The ip range holds so many known addresses that walking accounts newest first, and
    /// probing each one's addresses, fills a page sooner than collecting every match (a /8
    /// over most users read 850k index entries at 1M accounts: 0.7–1.1 s).
    pub walk_ip: bool,
}

/// From this many known addresses in the range on, the ip filter walks accounts instead of
/// collecting the matches: a walk stops after about `page × total / matches` accounts.
pub const IP_MATCHES_WALK_FROM: i64 = 5_000;

/// Looks at the data the filter touches to choose its plan (one bounded index range).
pub async fn plan_for(ex: &mut Exec<'_>, f: &AccountFilter) -> Result<FilterPlan, sqlx::Error> {
    let walk_ip = match &f.ip {
        Some(Some((lo, hi))) => {
            let sql = "SELECT COUNT(*) FROM (SELECT 1 FROM user_ips i \
                       WHERE i.ip_key BETWEEN $1 AND $2 LIMIT $3) m";
            let (matches,): (i64,) =
                fetch_one(ex, sql, &args![lo, hi, IP_MATCHES_WALK_FROM]).await?;
            matches >= IP_MATCHES_WALK_FROM
        }
        _ => false,
    };
    Ok(FilterPlan { walk_ip })
}

/// The literal prefix of a LIKE pattern (up to the first wildcard or escape) and the least
/// string above every string with that prefix, for an index range.
pub fn prefix_range(pattern: &str) -> Option<(String, Option<String>)> {
    let literal: String = pattern
        .chars()
        .take_while(|c| !matches!(c, '%' | '_' | '\\'))
        .collect();
    if literal.is_empty() {
        return None;
    }
    let mut upper: Vec<char> = literal.chars().collect();
    let hi = loop {
        let Some(last) = upper.pop() else { break None };
        let next = (u32::from(last) + 1..=u32::from(char::MAX)).find_map(char::from_u32);
        if let Some(n) = next {
            upper.push(n);
            break Some(upper.iter().collect());
        }
    };
    Some((literal, hi))
}

/// `col LIKE 'value%'` plus the index range of its literal prefix.
fn prefix_condition(conds: &mut Conditions, col: &str, value: &str) -> String {
    let mut parts = Vec::new();
    if let Some((lo, hi)) = prefix_range(value) {
        let p = conds.arg(lo);
        parts.push(format!("{col} >= {p}"));
        if let Some(hi) = hi {
            let p = conds.arg(hi);
            parts.push(format!("{col} < {p}"));
        }
    }
    let p = conds.arg(format!("{value}%"));
    parts.push(format!("{col} LIKE {p}"));
    parts.join(" AND ")
}

const NOT_DELETED: &str = "a.suspended_at IS NULL AND a.deleted_at IS NULL AND NOT EXISTS \
    (SELECT 1 FROM account_deletion_requests d WHERE d.account_id = a.id)";

/// The WHERE conditions of a filter, on alias `a` of `accounts`; every key is served by an
/// index (see BENCHMARKS.md / the moderation report for the plans).
pub fn filter_conditions(
    f: &AccountFilter,
    plan: FilterPlan,
    backend: Backend,
) -> AccountConditions {
    let mut c = Conditions::default();
    c.push("a.id <> -99");
    push_origin(&mut c, f.origin, f.by_domain.as_deref());
    let from_users = push_status(&mut c, f.status);
    if let Some(ids) = &f.role_ids {
        push_roles(&mut c, ids);
    }
    if let Some(user_id) = f.invited_by {
        push_invited_by(&mut c, user_id, backend);
    }
    if let Some(v) = &f.username {
        let cond = prefix_condition(&mut c, "a.username_lower", v);
        c.push(cond);
    }
    if let Some(v) = &f.display_name {
        let cond = prefix_condition(&mut c, "a.display_name_lower", v);
        c.push(cond);
    }
    if let Some(v) = &f.email {
        let cond = prefix_condition(&mut c, "u.email", v);
        c.push(format!(
            "a.id IN (SELECT u.account_id FROM users u WHERE {cond})"
        ));
    }
    match &f.ip {
        Some(Some((lo, hi))) => push_ip_range(&mut c, lo, hi, plan.walk_ip, backend),
        Some(None) => c.push("1 = 0"),
        None => {}
    }
    AccountConditions {
        conds: c,
        from_users,
    }
}

/// `origin` and `by_domain`: a domain wins over `remote`, but `local` with a domain matches
/// nobody (a local account has no domain), as upstream's two scopes combined.
fn push_origin(c: &mut Conditions, origin: Option<Origin>, by_domain: Option<&str>) {
    match (origin, by_domain) {
        (_, Some(d)) => {
            if origin == Some(Origin::Local) {
                c.push("a.domain IS NULL");
            }
            c.eq("a.domain", d);
        }
        (Some(Origin::Local), None) => c.push("a.domain IS NULL"),
        (Some(Origin::Remote), None) => c.push("a.domain IS NOT NULL"),
        (None, None) => {}
    }
}

/// `status`; returns whether the page is driven from `users u` (a user-side status).
fn push_status(c: &mut Conditions, status: Option<Status>) -> bool {
    match status {
        Some(Status::Active) => c.push(NOT_DELETED),
        Some(Status::Pending) => {
            c.push("u.approved = FALSE");
            return true;
        }
        Some(Status::Disabled) => {
            c.push("u.disabled = TRUE");
            c.push(NOT_DELETED);
            return true;
        }
        Some(Status::Silenced) => c.push("a.silenced_at IS NOT NULL"),
        Some(Status::Suspended) => c.push("a.suspended_at IS NOT NULL"),
        Some(Status::Sensitized) => c.push("a.sensitized_at IS NOT NULL"),
        None => {}
    }
    false
}

/// `role_ids`: accounts whose user holds one of the roles (none given matches nobody).
fn push_roles(c: &mut Conditions, ids: &[i64]) {
    if ids.is_empty() {
        c.push("1 = 0");
    } else {
        let list = c.args.list(ids);
        c.push(format!(
            "a.id IN (SELECT u.account_id FROM users u WHERE u.role_id IN ({list}))"
        ));
    }
}

/// `invited_by`: accounts of the users who used one of the inviter's invites.
fn push_invited_by(c: &mut Conditions, user_id: i64, backend: Backend) {
    let p = c.arg(user_id);
    // From the inviter's invites to the users who used them, never a walk of accounts:
    // PostgreSQL gets the (small) list first as an array, since with few invites its
    // estimates otherwise pick a backward walk of every account (1.2 s at 1M).
    let invitees = format!(
        "SELECT u.account_id FROM users u WHERE u.invite_id IN \
         (SELECT i.id FROM invites i WHERE i.user_id = {p})"
    );
    c.push(match backend {
        Backend::Sqlite => format!("a.id IN ({invitees})"),
        Backend::Postgres => format!("a.id = ANY(ARRAY({invitees}))"),
    });
}

/// `ip`: accounts with a known address in the `ip_key` range, probed per account when the
/// plan walks accounts, else collected from the range.
fn push_ip_range(c: &mut Conditions, lo: &str, hi: &str, walk: bool, backend: Backend) {
    let (plo, phi) = (c.arg(lo), c.arg(hi));
    let collected =
        format!("SELECT i.account_id FROM user_ips i WHERE i.ip_key BETWEEN {plo} AND {phi}");
    c.push(match (walk, backend) {
        // A correlated scalar subquery, probed per account: as EXISTS, SQLite
        // would first build a bloom filter over every row of user_ips.
        (true, _) => format!(
            "(SELECT 1 FROM user_ips i WHERE i.account_id = a.id \
             AND i.ip_key BETWEEN {plo} AND {phi} LIMIT 1) IS NOT NULL"
        ),
        (false, Backend::Sqlite) => format!("a.id IN ({collected})"),
        // Fewer than IP_MATCHES_WALK_FROM addresses: PostgreSQL gets them first as an array
        // and reads the page's accounts by primary key, newest first, stopping after one page.
        // As a semi-join it merged a backward walk of accounts with the sorted matches, and
        // that walk reads until the page's oldest match (30k accounts for a /16 at 1M: 10 ms).
        (false, Backend::Postgres) => format!("a.id = ANY(ARRAY({collected}))"),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_ranges() {
        assert_eq!(
            prefix_range("ali%x"),
            Some(("ali".into(), Some("alj".into())))
        );
        assert_eq!(prefix_range("_x"), None);
        assert_eq!(
            prefix_range("a\u{10FFFF}"),
            Some(("a\u{10FFFF}".into(), Some("b".into())))
        );
    }
}

/// Enabled custom emojis among `shortcodes` on any of `domains` ('' = local), in one query;
/// the caller picks each account's own domain from `domain_key`.
#[derive(Debug, Clone, FromRow)]
pub struct DomainEmojiRow {
    pub domain_key: String,
    #[sqlx(flatten)]
    pub emoji: crate::db::repo::accounts::EmojiRow,
}

pub async fn emojis_batch(
    ex: &mut Exec<'_>,
    domains: &[String],
    shortcodes: &[String],
) -> Result<Vec<DomainEmojiRow>, sqlx::Error> {
    if domains.is_empty() || shortcodes.is_empty() {
        return Ok(Vec::new());
    }
    let mut args = Args::new();
    let sql = format!(
        "SELECT COALESCE(domain, '') AS domain_key, shortcode, image_key, image_remote_url, \
         visible_in_picker, category FROM custom_emojis \
         WHERE disabled = FALSE AND COALESCE(domain, '') IN ({}) AND shortcode IN ({}) \
         ORDER BY shortcode",
        args.list(domains),
        args.list(shortcodes)
    );
    fetch_all(ex, &sql, &args).await
}
