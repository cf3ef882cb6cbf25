-- Account migration (issue 13), as upstream's account_aliases and account_migrations.
-- The actor URIs a local account says it is also known as (its actor's `alsoKnownAs`): an
-- account may only be moved to from an account it lists here.
CREATE TABLE account_aliases (
    id BIGINT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    uri TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX index_account_aliases_on_account_id_and_uri ON account_aliases (account_id, uri);

-- Each move of a local account to another (local or remote) one; the latest sets the
-- 30-day cooldown before the next.
CREATE TABLE account_migrations (
    id BIGINT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    target_account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    -- the target's URI as it was given
    target_uri TEXT NOT NULL,
    followers_count BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX index_account_migrations_on_account_id ON account_migrations (account_id, created_at);
