//! Server-wide domain moderation: `/api/v1/admin/domain_blocks`, `/api/v1/admin/domain_allows`
//! and `GET /api/v1/instance/domain_blocks`, as upstream's controllers, `BlockDomainService`
//! and `UnblockDomainService`. The effect on existing accounts is applied in the request's
//! transaction (upstream runs it in a job): a silence marks the domain's accounts silenced,
//! a suspension suspends them and severs their follows both ways, `reject_media` drops their
//! images; accounts are marked with the block's `created_at`, which is how an update or the
//! removal finds what came from this block and undoes it. Every change writes an audit
//! entry (`create` / `update` / `destroy` on a `DomainBlock` or `DomainAllow`).

use crate::api_types::domain_block::{
    AdminDomainAllow, AdminDomainBlock, DomainBlock, ExistingDomainBlockError,
};
use crate::db::Exec;
use crate::db::repo::domain_blocks::{self as repo, DomainAllowRow, DomainBlockRow};
use crate::db::repo::follows::sever_all;
use crate::domain::domain_rules::{self, Limits, Severity, covers};
use crate::domain::page::{Cursor, Page};
use crate::domain::{permissions, time};
use crate::error::{ApiError, ApiResult};
use crate::services::domain_policy;
use crate::services::moderation::accounts::Actor;
use crate::services::moderation::{Target, audit};
use crate::state::AppState;

/// The parameters of a create (all) or an update (all but `domain`); `None` is absent.
#[derive(Debug, Clone, Default)]
pub struct BlockInput {
    pub domain: Option<String>,
    pub severity: Option<String>,
    pub reject_media: Option<bool>,
    pub reject_reports: Option<bool>,
    pub private_comment: Option<String>,
    pub public_comment: Option<String>,
    pub obfuscate: Option<bool>,
}

/// What a create answers: the new block, or (422) the existing one that covers it.
pub enum Created {
    Block(AdminDomainBlock),
    Existing(ExistingDomainBlockError),
}

fn render(b: &DomainBlockRow) -> AdminDomainBlock {
    AdminDomainBlock {
        id: b.id.to_string(),
        domain: b.domain.clone(),
        digest: domain_rules::digest(&b.domain),
        created_at: time::iso8601(b.created_at),
        severity: b.severity.clone(),
        reject_media: b.reject_media,
        reject_reports: b.reject_reports,
        private_comment: b.private_comment.clone(),
        public_comment: b.public_comment.clone(),
        obfuscate: b.obfuscate,
    }
}

fn render_allow(a: &DomainAllowRow) -> AdminDomainAllow {
    AdminDomainAllow {
        id: a.id.to_string(),
        domain: a.domain.clone(),
        created_at: time::iso8601(a.created_at),
    }
}

fn limits(b: &DomainBlockRow) -> Limits {
    Limits {
        severity: Severity::parse(&b.severity).unwrap_or(Severity::Silence),
        reject_media: b.reject_media,
        reject_reports: b.reject_reports,
    }
}

fn target(kind: &'static str, id: i64, domain: &str) -> Target {
    Target {
        kind,
        id,
        account_id: None,
        human: domain.to_owned(),
    }
}

fn severity(raw: Option<&str>) -> ApiResult<Option<Severity>> {
    match raw {
        None => Ok(None),
        Some(s) => Severity::parse(s.trim()).map(Some).ok_or_else(|| {
            ApiError::Unprocessable(
                "Validation failed: Severity is not included in the list".into(),
            )
        }),
    }
}

/// `GET /api/v1/admin/domain_blocks`
pub async fn list(
    state: &AppState,
    actor: &Actor,
    cursor: &Cursor,
) -> ApiResult<Page<AdminDomainBlock>> {
    actor.require(permissions::MANAGE_FEDERATION)?;
    let mut conn = state.db().conn().await?;
    let rows = repo::page(&mut conn.exec(), cursor).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    Ok(Page::new(rows.iter().map(render).collect(), &ids, cursor))
}

async fn find(ex: &mut Exec<'_>, id: i64) -> ApiResult<DomainBlockRow> {
    repo::find(ex, id).await?.ok_or(ApiError::NotFound)
}

/// `GET /api/v1/admin/domain_blocks/:id` (an unknown id is 404 before the permission check,
/// as upstream finds the record first).
pub async fn show(state: &AppState, actor: &Actor, id: i64) -> ApiResult<AdminDomainBlock> {
    let mut conn = state.db().conn().await?;
    let b = find(&mut conn.exec(), id).await?;
    actor.require(permissions::MANAGE_FEDERATION)?;
    Ok(render(&b))
}

/// `POST /api/v1/admin/domain_blocks`: 422 with the existing block when one covers the
/// domain already and the new one is not stricter (a subdomain may be blocked harder).
pub async fn create(state: &AppState, actor: &Actor, input: &BlockInput) -> ApiResult<Created> {
    actor.require(permissions::MANAGE_FEDERATION)?;
    let domain = domain_rules::normalize(input.domain.as_deref());
    let severity = severity(input.severity.as_deref());
    let now = time::now();
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    if let Ok(d) = &domain
        && let Some(existing) = domain_policy::rule_for(&mut ex, d).await?
    {
        let wanted = Limits {
            severity: severity
                .as_ref()
                .ok()
                .and_then(|s| *s)
                .unwrap_or(Severity::Silence),
            reject_media: input.reject_media.unwrap_or(false),
            reject_reports: input.reject_reports.unwrap_or(false),
        };
        if existing.domain == *d || !wanted.stricter_than(&limits(&existing)) {
            return Ok(Created::Existing(ExistingDomainBlockError {
                error: format!(
                    "You have already imposed stricter limits on {}.",
                    existing.domain
                ),
                existing_domain_block: render(&existing),
            }));
        }
    }
    let domain = domain.map_err(|e| ApiError::Unprocessable(e.message().into()))?;
    let row = DomainBlockRow {
        id: state.next_id(),
        domain,
        severity: severity?.unwrap_or(Severity::Silence).as_str().into(),
        reject_media: input.reject_media.unwrap_or(false),
        reject_reports: input.reject_reports.unwrap_or(false),
        private_comment: input.private_comment.clone(),
        public_comment: input.public_comment.clone(),
        obfuscate: input.obfuscate.unwrap_or(false),
        created_at: now,
        updated_at: now,
    };
    repo::insert(&mut ex, &row).await?;
    apply(&mut ex, &row, false).await?;
    let t = target("DomainBlock", row.id, &row.domain);
    audit(&mut ex, state, actor.account_id, "create", &t, "").await?;
    tx.commit().await?;
    Ok(Created::Block(render(&row)))
}

/// `PUT /api/v1/admin/domain_blocks/:id`: the given attributes change (not the domain);
/// a new severity is applied and what the old one did is undone.
pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: i64,
    input: &BlockInput,
) -> ApiResult<AdminDomainBlock> {
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    let mut row = find(&mut ex, id).await?;
    actor.require(permissions::MANAGE_FEDERATION)?;
    let before = row.severity.clone();
    if let Some(s) = severity(input.severity.as_deref())? {
        row.severity = s.as_str().into();
    }
    row.reject_media = input.reject_media.unwrap_or(row.reject_media);
    row.reject_reports = input.reject_reports.unwrap_or(row.reject_reports);
    row.obfuscate = input.obfuscate.unwrap_or(row.obfuscate);
    if let Some(c) = &input.private_comment {
        row.private_comment = Some(c.clone());
    }
    if let Some(c) = &input.public_comment {
        row.public_comment = Some(c.clone());
    }
    row.updated_at = time::now();
    repo::update(&mut ex, &row).await?;
    apply(&mut ex, &row, before != row.severity).await?;
    let t = target("DomainBlock", row.id, &row.domain);
    audit(&mut ex, state, actor.account_id, "update", &t, "").await?;
    tx.commit().await?;
    Ok(render(&row))
}

/// `DELETE /api/v1/admin/domain_blocks/:id`: upstream's `UnblockDomainService`, the
/// silences and suspensions this block made are lifted.
pub async fn destroy(state: &AppState, actor: &Actor, id: i64) -> ApiResult<()> {
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    let row = find(&mut ex, id).await?;
    actor.require(permissions::MANAGE_FEDERATION)?;
    let severity = Severity::parse(&row.severity);
    let domains = covered(&mut ex, &row.domain).await?;
    if severity != Some(Severity::Noop) {
        repo::unsilence(&mut ex, &domains, row.created_at).await?;
    }
    if severity == Some(Severity::Suspend) {
        repo::unsuspend(&mut ex, &domains, row.created_at).await?;
    }
    repo::delete(&mut ex, row.id).await?;
    let t = target("DomainBlock", row.id, &row.domain);
    audit(&mut ex, state, actor.account_id, "destroy", &t, "").await?;
    tx.commit().await?;
    Ok(())
}

/// The account domains a rule on `domain` covers (the domain, its subdomains, any port).
async fn covered(ex: &mut Exec<'_>, domain: &str) -> ApiResult<Vec<String>> {
    Ok(repo::account_domains(ex)
        .await?
        .into_iter()
        .filter(|d| covers(domain, d))
        .collect())
}

/// Upstream's `BlockDomainService`: the block's effect on the existing accounts of its
/// domains; with `severity_changed`, what an earlier severity did is undone.
async fn apply(ex: &mut Exec<'_>, b: &DomainBlockRow, severity_changed: bool) -> ApiResult<()> {
    let domains = covered(ex, &b.domain).await?;
    if domains.is_empty() {
        return Ok(());
    }
    let severity = Severity::parse(&b.severity);
    match severity {
        Some(Severity::Silence) => {
            repo::silence(ex, &domains, b.created_at).await?;
        }
        Some(Severity::Suspend) => {
            // the suspended accounts' follows end both ways; nothing is sent to a
            // suspended domain
            let suspended = repo::suspend(ex, &domains, b.created_at).await?;
            sever_all(ex, &suspended).await?;
        }
        Some(Severity::Noop) | None => {}
    }
    if b.reject_media {
        repo::clear_media(ex, &domains).await?;
    }
    if severity_changed {
        if severity != Some(Severity::Silence) {
            repo::unsilence(ex, &domains, b.created_at).await?;
        }
        if severity != Some(Severity::Suspend) {
            repo::unsuspend(ex, &domains, b.created_at).await?;
        }
    }
    Ok(())
}

/// `GET /api/v1/admin/domain_allows`
pub async fn list_allows(
    state: &AppState,
    actor: &Actor,
    cursor: &Cursor,
) -> ApiResult<Page<AdminDomainAllow>> {
    actor.require(permissions::MANAGE_FEDERATION)?;
    let mut conn = state.db().conn().await?;
    let rows = repo::page_allows(&mut conn.exec(), cursor).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    Ok(Page::new(
        rows.iter().map(render_allow).collect(),
        &ids,
        cursor,
    ))
}

async fn find_allow(ex: &mut Exec<'_>, id: i64) -> ApiResult<DomainAllowRow> {
    repo::find_allow(ex, id).await?.ok_or(ApiError::NotFound)
}

/// `GET /api/v1/admin/domain_allows/:id`
pub async fn show_allow(state: &AppState, actor: &Actor, id: i64) -> ApiResult<AdminDomainAllow> {
    let mut conn = state.db().conn().await?;
    let a = find_allow(&mut conn.exec(), id).await?;
    actor.require(permissions::MANAGE_FEDERATION)?;
    Ok(render_allow(&a))
}

/// `POST /api/v1/admin/domain_allows`: an existing allow of the domain is answered as it is
/// (no second entry, no audit), as upstream's `find_by` before `create!`.
pub async fn create_allow(
    state: &AppState,
    actor: &Actor,
    raw: Option<&str>,
) -> ApiResult<AdminDomainAllow> {
    actor.require(permissions::MANAGE_FEDERATION)?;
    let domain =
        domain_rules::normalize(raw).map_err(|e| ApiError::Unprocessable(e.message().into()))?;
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    if let Some(existing) = repo::allow_by_domain(&mut ex, &domain).await? {
        return Ok(render_allow(&existing));
    }
    let now = time::now();
    let row = DomainAllowRow {
        id: state.next_id(),
        domain,
        created_at: now,
        updated_at: now,
    };
    repo::insert_allow(&mut ex, &row).await?;
    let t = target("DomainAllow", row.id, &row.domain);
    audit(&mut ex, state, actor.account_id, "create", &t, "").await?;
    tx.commit().await?;
    Ok(render_allow(&row))
}

/// `DELETE /api/v1/admin/domain_allows/:id`. In limited federation mode the domain stops
/// federating at once (its inbound activities are refused, nothing is delivered to it);
/// its accounts are kept (upstream purges them).
pub async fn destroy_allow(state: &AppState, actor: &Actor, id: i64) -> ApiResult<()> {
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    let row = find_allow(&mut ex, id).await?;
    actor.require(permissions::MANAGE_FEDERATION)?;
    repo::delete_allow(&mut ex, row.id).await?;
    let t = target("DomainAllow", row.id, &row.domain);
    audit(&mut ex, state, actor.account_id, "destroy", &t, "").await?;
    tx.commit().await?;
    Ok(())
}

/// `GET /api/v1/instance/domain_blocks`: `None` (404) unless the server shows its blocks to
/// this viewer; silences and suspensions only, obfuscated where the block says so.
pub async fn public_list(state: &AppState, signed_in: bool) -> ApiResult<Option<Vec<DomainBlock>>> {
    let config = state.config();
    if !config.show_domain_blocks.shown_to(signed_in) {
        return Ok(None);
    }
    let with_comment = config.show_domain_blocks_rationale.shown_to(signed_in);
    let mut conn = state.db().conn().await?;
    let rows = repo::user_facing(&mut conn.exec()).await?;
    Ok(Some(
        rows.iter()
            .map(|b| DomainBlock {
                domain: if b.obfuscate {
                    domain_rules::obfuscate(&b.domain)
                } else {
                    b.domain.clone()
                },
                digest: domain_rules::digest(&b.domain),
                severity: b.severity.clone(),
                comment: if with_comment {
                    b.public_comment.clone()
                } else {
                    None
                },
            })
            .collect(),
    ))
}
