-- Social graph extras: an index for prefix searches on remote domains (account search).
-- SQLite compares text bytewise (BINARY), so the plain column serves range conditions.
CREATE INDEX index_accounts_on_domain_c ON accounts (domain COLLATE BINARY);
