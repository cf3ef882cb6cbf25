-- Server-wide domain moderation (upstream's DomainBlock and DomainAllow). A block's severity
-- is 'silence', 'suspend' or 'noop'; a block applies to its domain and every subdomain.
-- Accounts limited by a block carry the block's created_at as their silenced_at or
-- suspended_at, which is how removing the block finds what to undo (as upstream).
CREATE TABLE domain_blocks (
    id INTEGER PRIMARY KEY,
    domain TEXT NOT NULL UNIQUE,
    severity TEXT NOT NULL DEFAULT 'silence',
    reject_media BOOLEAN NOT NULL DEFAULT FALSE,
    reject_reports BOOLEAN NOT NULL DEFAULT FALSE,
    private_comment TEXT,
    public_comment TEXT,
    obfuscate BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- The domains that federate in limited federation mode (`limited_federation`).
CREATE TABLE domain_allows (
    id INTEGER PRIMARY KEY,
    domain TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
