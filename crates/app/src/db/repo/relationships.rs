//! Everything a Relationship needs between one viewer and many targets, in a fixed number of
//! queries whatever the number of targets.

use std::collections::{HashMap, HashSet};

use crate::db::query::rows::{fetch_in, scalars_in};
use crate::db::query::{Args, args, fetch_all, placeholders, value_rows};
use crate::db::repo::follows::FollowRow;
use crate::db::sqlite_reads::query_rows;
use crate::db::{Backend, Db, Exec};

/// The viewer's graph around a set of targets, keyed by target id.
#[derive(Debug, Default)]
pub struct GraphFacts {
    pub following: HashMap<i64, FollowRow>,
    pub requested: HashMap<i64, FollowRow>,
    pub followed_by: HashSet<i64>,
    pub requested_by: HashSet<i64>,
    pub blocking: HashSet<i64>,
    pub blocked_by: HashSet<i64>,
    /// target → (hide_notifications, expires_at)
    pub muting: HashMap<i64, (bool, Option<i64>)>,
    pub endorsed: HashSet<i64>,
    pub notes: HashMap<i64, String>,
    /// Domains (of the targets) that the viewer blocks.
    pub domain_blocking: HashSet<String>,
    /// With a [`TargetCheck`]: the asked-for ids that are accounts to answer for, with their
    /// domains, in database order.
    pub targets: Vec<(i64, Option<String>)>,
}

impl GraphFacts {
    /// The domains of the remote [`targets`](Self::targets), once each.
    fn remote_target_domains(&self) -> Vec<String> {
        let mut domains: Vec<String> = self.targets.iter().filter_map(|t| t.1.clone()).collect();
        domains.sort();
        domains.dedup();
        domains
    }
}

/// One fact of the combined query: what it is, about which target, and its details.
#[derive(sqlx::FromRow)]
struct FactRow {
    kind: String,
    target: i64,
    id: i64,
    flag_a: bool,
    flag_b: bool,
    num: Option<i64>,
    text: Option<String>,
}

/// Which of the asked-for ids are accounts to answer for, found in the same statement as
/// the facts (`GET /api/v1/accounts/relationships`).
#[derive(Debug, Clone, Copy)]
pub struct TargetCheck {
    pub with_suspended: bool,
}

/// How the statement walks the asked-for ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TargetList {
    /// `col IN ($2, …)`: PostgreSQL turns it into index probes of `= ANY`.
    InList,
    /// A `VALUES` list read as a co-routine and joined to each table: SQLite builds an
    /// ephemeral b-tree for every `IN (…)` list (a pager and page cache each, ten per
    /// statement), which cost more than the index probes themselves (33 → 9 µs for 2 ids).
    Rows,
}

impl TargetList {
    fn of(backend: Backend) -> Self {
        match backend {
            Backend::Sqlite => Self::Rows,
            Backend::Postgres => Self::InList,
        }
    }
}

/// The facts as one `UNION ALL` query: a Relationship page costs one round trip to the
/// database (plus one for domain blocks of remote targets) however many facts it has.
/// The ids must be distinct (the `Rows` form does not collapse duplicates).
fn facts_sql(n: usize, check: Option<TargetCheck>, list: TargetList) -> String {
    let parts = FactParts {
        ids: placeholders(2, n),
        list,
    };
    let mut union = parts.relations(n + 2);
    if let Some(check) = check {
        union.push(parts.target(check));
    }
    let union = union.join(" UNION ALL ");
    match list {
        TargetList::InList => union,
        TargetList::Rows => {
            let values = value_rows(2, n, 1);
            format!("WITH ids(id) AS NOT MATERIALIZED (VALUES {values}) {union}")
        }
    }
}

/// The parts of [`facts_sql`], each one table's rows for the asked-for ids (`$2…`).
struct FactParts {
    ids: String,
    list: TargetList,
}

impl FactParts {
    /// FROM and the id match of a part over `table` aliased `alias`, matching `alias.col`.
    fn source(&self, table: &str, alias: &str, col: &str) -> (String, String) {
        match self.list {
            TargetList::InList => (
                format!("{table} {alias}"),
                format!("{alias}.{col} IN ({})", self.ids),
            ),
            TargetList::Rows => (
                format!("ids CROSS JOIN {table} {alias}"),
                format!("{alias}.{col} = ids.id"),
            ),
        }
    }

    /// The rows of `table` (alias `x`) whose `key` is the viewer and `col` an asked-for id.
    fn part(&self, select: &str, table: &str, key: &str, col: &str, extra: &str) -> String {
        let (from, matching) = self.source(table, "x", col);
        format!("SELECT {select} FROM {from} WHERE x.{key} = $1 AND {matching}{extra}")
    }

    /// A fact that is only present or absent.
    fn plain(&self, kind: &str, col: &str, table: &str, key: &str) -> String {
        self.part(
            &format!(
                "'{kind}' AS kind, x.{col} AS target, CAST(0 AS BIGINT) AS id, FALSE AS flag_a, FALSE AS flag_b, \
                 CAST(NULL AS BIGINT) AS num, CAST(NULL AS TEXT) AS text"
            ),
            table,
            key,
            col,
            "",
        )
    }

    /// A follow (or follow request) of the viewer's, with its options.
    fn follow_rows(&self, kind: &str, table: &str) -> String {
        self.part(
            &format!(
                "'{kind}' AS kind, x.target_account_id AS target, x.id, x.show_reblogs AS flag_a, \
                 x.notify AS flag_b, x.created_at AS num, x.languages AS text"
            ),
            table,
            "account_id",
            "target_account_id",
            "",
        )
    }

    /// Every relation between the viewer and the ids; `$now` ends mutes.
    fn relations(&self, now: usize) -> Vec<String> {
        vec![
            self.follow_rows("following", "follows"),
            self.follow_rows("requested", "follow_requests"),
            self.plain("followed_by", "account_id", "follows", "target_account_id"),
            self.plain(
                "requested_by",
                "account_id",
                "follow_requests",
                "target_account_id",
            ),
            self.plain("blocking", "target_account_id", "blocks", "account_id"),
            self.plain("blocked_by", "account_id", "blocks", "target_account_id"),
            self.plain(
                "endorsed",
                "target_account_id",
                "account_pins",
                "account_id",
            ),
            self.part(
                "'muting', x.target_account_id, CAST(0 AS BIGINT), x.hide_notifications, FALSE, x.expires_at, \
                 CAST(NULL AS TEXT)",
                "mutes",
                "account_id",
                "target_account_id",
                &format!(" AND (x.expires_at IS NULL OR x.expires_at > ${now})"),
            ),
            self.part(
                "'note', x.target_account_id, CAST(0 AS BIGINT), FALSE, FALSE, CAST(NULL AS BIGINT), x.comment",
                "account_notes",
                "account_id",
                "target_account_id",
                "",
            ),
        ]
    }

    /// The ids that exist (and, unless asked for, are not suspended), with their domains.
    fn target(&self, check: TargetCheck) -> String {
        let suspended = suspended_clause(check.with_suspended);
        let (from, matching) = self.source("accounts", "a", "id");
        format!(
            "SELECT 'target', a.id, CAST(0 AS BIGINT), FALSE, FALSE, CAST(NULL AS BIGINT), a.domain \
             FROM {from} WHERE {matching} AND a.deleted_at IS NULL{suspended}"
        )
    }
}

/// [`facts_sql`] as `backend` runs it (for the SQL snapshots).
pub fn facts_sql_for(backend: Backend, n: usize, check: Option<TargetCheck>) -> String {
    facts_sql(n, check, TargetList::of(backend))
}

/// The statement `GET /api/v1/accounts/relationships` runs for `n` distinct ids on
/// `backend` (public so its plan can be checked): `$1` viewer, `$2…` ids, then now.
pub fn lookup_sql(backend: Backend, n: usize) -> String {
    let check = TargetCheck {
        with_suspended: false,
    };
    facts_sql_for(backend, n, Some(check))
}

pub async fn facts(
    ex: &mut Exec<'_>,
    viewer: i64,
    targets: &[i64],
    target_domains: &[String],
    now: i64,
) -> Result<GraphFacts, sqlx::Error> {
    let mut f = graph(ex, viewer, targets, None, now).await?;
    f.domain_blocking = domain_blocks(ex, viewer, target_domains).await?;
    Ok(f)
}

/// The facts about `ids` and which of them are accounts to answer for (`check`), with the
/// domain blocks of the remote ones: one statement, plus one when some target is remote.
pub async fn facts_of_existing(
    ex: &mut Exec<'_>,
    viewer: i64,
    ids: &[i64],
    check: TargetCheck,
    now: i64,
) -> Result<GraphFacts, sqlx::Error> {
    let mut f = graph(ex, viewer, ids, Some(check), now).await?;
    f.domain_blocking = domain_blocks(ex, viewer, &f.remote_target_domains()).await?;
    Ok(f)
}

async fn graph(
    ex: &mut Exec<'_>,
    viewer: i64,
    targets: &[i64],
    check: Option<TargetCheck>,
    now: i64,
) -> Result<GraphFacts, sqlx::Error> {
    if targets.is_empty() {
        return Ok(GraphFacts::default());
    }
    let targets = &distinct(targets);
    let sql = facts_sql(targets.len(), check, TargetList::of(ex.backend()));
    let mut args = args![viewer];
    args.list(targets);
    args.push(now);
    let rows: Vec<FactRow> = fetch_all(ex, &sql, &args).await?;
    Ok(collect(viewer, rows))
}

/// The ids once each, sorted (what [`facts_sql`] expects).
fn distinct(ids: &[i64]) -> Vec<i64> {
    let mut out = ids.to_vec();
    out.sort_unstable();
    out.dedup();
    out
}

/// Sorts the fact rows into their sets.
fn collect(viewer: i64, rows: Vec<FactRow>) -> GraphFacts {
    let mut f = GraphFacts::default();
    for r in rows {
        let follow = |r: FactRow| FollowRow {
            id: r.id,
            account_id: viewer,
            target_account_id: r.target,
            show_reblogs: r.flag_a,
            notify: r.flag_b,
            languages: r.text,
            created_at: r.num.unwrap_or(0),
        };
        match r.kind.as_str() {
            "following" => {
                f.following.insert(r.target, follow(r));
            }
            "requested" => {
                f.requested.insert(r.target, follow(r));
            }
            "followed_by" => {
                f.followed_by.insert(r.target);
            }
            "requested_by" => {
                f.requested_by.insert(r.target);
            }
            "blocking" => {
                f.blocking.insert(r.target);
            }
            "blocked_by" => {
                f.blocked_by.insert(r.target);
            }
            "endorsed" => {
                f.endorsed.insert(r.target);
            }
            "muting" => {
                f.muting.insert(r.target, (r.flag_a, r.num));
            }
            "note" => {
                f.notes.insert(r.target, r.text.unwrap_or_default());
            }
            "target" => f.targets.push((r.target, r.text)),
            _ => {}
        }
    }
    f
}

/// [`facts_of_existing`] on the inline read path: on SQLite both statements run on this
/// thread, on one connection.
pub async fn facts_of_existing_inline(
    db: &Db,
    viewer: i64,
    ids: &[i64],
    check: TargetCheck,
    now: i64,
) -> Result<GraphFacts, sqlx::Error> {
    let Db::Sqlite(_, _, reads) = db else {
        return facts_of_existing(&mut db.conn().await?.exec(), viewer, ids, check, now).await;
    };
    if ids.is_empty() {
        return Ok(GraphFacts::default());
    }
    let ids = &distinct(ids);
    let sql = facts_sql(ids.len(), Some(check), TargetList::Rows);
    reads.with(|c| {
        let mut values: Vec<&dyn rusqlite::ToSql> = Vec::with_capacity(ids.len() + 2);
        values.push(&viewer);
        values.extend(ids.iter().map(|id| id as &dyn rusqlite::ToSql));
        values.push(&now);
        let rows = query_rows(c, &sql, &values, |r| {
            Ok(FactRow {
                kind: r.take()?,
                target: r.take()?,
                id: r.take()?,
                flag_a: r.take()?,
                flag_b: r.take()?,
                num: r.take()?,
                text: r.take()?,
            })
        })?;
        let mut f = collect(viewer, rows);
        let domains = f.remote_target_domains();
        if !domains.is_empty() {
            let mut values: Vec<&dyn rusqlite::ToSql> = vec![&viewer];
            values.extend(domains.iter().map(|d| d as &dyn rusqlite::ToSql));
            f.domain_blocking = query_rows(
                c,
                &DOMAIN_BLOCKS.replacen("{list}", &placeholders(2, domains.len()), 1),
                &values,
                |r| r.take(),
            )?
            .into_iter()
            .collect();
        }
        Ok(f)
    })
}

/// The viewer's (`$1`) blocks among a list of domains.
const DOMAIN_BLOCKS: &str =
    "SELECT domain FROM account_domain_blocks WHERE account_id = $1 AND domain IN ({list})";

/// Of `target_domains`, the ones `viewer` blocks.
async fn domain_blocks(
    ex: &mut Exec<'_>,
    viewer: i64,
    target_domains: &[String],
) -> Result<HashSet<String>, sqlx::Error> {
    let rows: Vec<String> = scalars_in(ex, DOMAIN_BLOCKS, args![viewer], target_domains).await?;
    Ok(rows.into_iter().collect())
}

/// Which targets count as suspended for `with_suspended`: as upstream, `with_suspended`
/// includes every suspended account, those awaiting deletion too (a moderator's suspension
/// and a self-deletion both leave a deletion request); without it, none of them.
fn suspended_clause(with_suspended: bool) -> &'static str {
    if with_suspended {
        ""
    } else {
        " AND a.suspended_at IS NULL \
         AND NOT EXISTS (SELECT 1 FROM account_deletion_requests d WHERE d.account_id = a.id)"
    }
}

/// Of `ids`, the accounts that exist (not yet purged), optionally skipping suspended ones: (id, domain) in database order.
pub async fn existing_targets(
    ex: &mut Exec<'_>,
    ids: &[i64],
    with_suspended: bool,
) -> Result<Vec<(i64, Option<String>)>, sqlx::Error> {
    let suspended = suspended_clause(with_suspended);
    let sql = format!(
        "SELECT a.id, a.domain FROM accounts a WHERE a.id IN ({{list}}) AND a.deleted_at IS NULL{suspended}"
    );
    fetch_in(ex, &sql, Args::new(), ids).await
}
