-- Federation (issue 13). Keys: a local account's RSA key pair is made on first use (the
-- seeder stays fast); a remote account's public key is stored as its actor published it.
-- The private key never leaves this table: no API entity or log line carries it.
CREATE TABLE account_keys (
    account_id BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    -- the actor's publicKey id (uri#main-key)
    key_id TEXT NOT NULL,
    public_key_pem TEXT NOT NULL,
    -- local accounts only
    private_key_pem TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX index_account_keys_on_key_id ON account_keys (key_id);

-- What a remote account's actor document says about where to reach it.
CREATE TABLE remote_actors (
    account_id BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    inbox_url TEXT NOT NULL,
    shared_inbox_url TEXT,
    outbox_url TEXT,
    followers_url TEXT,
    following_url TEXT,
    featured_url TEXT,
    -- when the actor document was last read (upstream refreshes after a day)
    fetched_at BIGINT NOT NULL
);

-- Activities already taken from an inbox, by id: the same activity twice changes nothing.
CREATE TABLE inbox_seen (
    uri TEXT PRIMARY KEY,
    created_at BIGINT NOT NULL
);

-- The persistent work queue of federation: 'deliver' (a signed POST of payload to
-- target_url on behalf of account_id) and 'inbox' (a verified inbound activity to apply).
-- A worker claims due jobs (run_at <= now, unlocked), and on failure puts them back with an
-- exponential backoff; a job that has failed too often is dropped with its last error logged.
CREATE TABLE federation_jobs (
    id BIGINT PRIMARY KEY,
    kind TEXT NOT NULL,
    account_id BIGINT,
    target_url TEXT,
    payload TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    run_at BIGINT NOT NULL,
    locked_until BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX index_federation_jobs_on_run_at ON federation_jobs (run_at);

-- The instance actor's key (`/actor`, signed fetches not made on behalf of a user).
CREATE TABLE instance_actor_keys (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    public_key_pem TEXT NOT NULL,
    private_key_pem TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
