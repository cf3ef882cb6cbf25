//! Domain moderation entities: upstream's `Admin::DomainBlock`, `Admin::DomainAllow`, and the
//! public `DomainBlock` of `GET /api/v1/instance/domain_blocks`.

use serde::Serialize;

/// `REST::Admin::DomainBlockSerializer`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AdminDomainBlock {
    pub id: String,
    pub domain: String,
    /// SHA-256 of the domain, hex.
    pub digest: String,
    pub created_at: String,
    /// `silence`, `suspend` or `noop`.
    pub severity: String,
    pub reject_media: bool,
    pub reject_reports: bool,
    pub private_comment: Option<String>,
    pub public_comment: Option<String>,
    pub obfuscate: bool,
}

/// `REST::Admin::ExistingDomainBlockErrorSerializer`: the 422 of a block that an existing,
/// at least as strict one already covers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExistingDomainBlockError {
    pub error: String,
    pub existing_domain_block: AdminDomainBlock,
}

/// `REST::Admin::DomainAllowSerializer`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AdminDomainAllow {
    pub id: String,
    pub domain: String,
    pub created_at: String,
}

/// `REST::DomainBlockSerializer`: `domain` obfuscated when the block says so; `comment` is
/// the public comment when the server shows rationales to this viewer, else null.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DomainBlock {
    pub domain: String,
    pub digest: String,
    pub severity: String,
    pub comment: Option<String>,
}
