-- Social graph extras: an index for prefix searches on remote domains (account search).
-- Range conditions need bytewise order, hence the "C" collation expression.
CREATE INDEX index_accounts_on_domain_c ON accounts ((domain COLLATE "C"));
