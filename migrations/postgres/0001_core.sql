-- Core schema: accounts, users, roles, OAuth, web sessions.
-- Times are BIGINT milliseconds since the Unix epoch (UTC) on both backends, so one SQL text
-- compares and orders them the same way. Ids are app-generated snowflakes unless noted.
-- The SQLite twin of this file differs only in types and collations.

CREATE TABLE user_roles (
    id BIGINT PRIMARY KEY,
    name TEXT NOT NULL DEFAULT '',
    color TEXT NOT NULL DEFAULT '',
    position BIGINT NOT NULL DEFAULT 0,
    permissions BIGINT NOT NULL DEFAULT 0,
    highlighted BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Upstream's seeded roles: the everyone role (-99) and Moderator, Admin, Owner.
INSERT INTO user_roles (id, name, color, position, permissions, highlighted, created_at, updated_at) VALUES
    (-99, '', '', -1, 65536, FALSE, 0, 0),
    (1, 'Moderator', '', 10, 1049884, TRUE, 0, 0),
    (2, 'Admin', '', 100, 2031612, TRUE, 0, 0),
    (3, 'Owner', '', 1000, 1, TRUE, 0, 0);

CREATE TABLE accounts (
    id BIGINT PRIMARY KEY,
    username TEXT NOT NULL,
    -- lower(username) as computed by the app; the case-insensitive key for lookups and prefix filters
    username_lower TEXT COLLATE "C" NOT NULL,
    -- NULL for local accounts
    domain TEXT,
    display_name TEXT NOT NULL DEFAULT '',
    display_name_lower TEXT COLLATE "C" NOT NULL DEFAULT '',
    -- plain-text source of the bio (local) and its rendered HTML
    note TEXT NOT NULL DEFAULT '',
    note_html TEXT NOT NULL DEFAULT '',
    -- JSON array of {name, value, value_html, verified_at}
    fields TEXT NOT NULL DEFAULT '[]',
    -- JSON array of strings
    attribution_domains TEXT NOT NULL DEFAULT '[]',
    uri TEXT NOT NULL,
    url TEXT,
    actor_type TEXT NOT NULL DEFAULT 'Person',
    locked BOOLEAN NOT NULL DEFAULT FALSE,
    discoverable BOOLEAN,
    indexable BOOLEAN NOT NULL DEFAULT FALSE,
    hide_collections BOOLEAN,
    show_media BOOLEAN NOT NULL DEFAULT TRUE,
    show_media_replies BOOLEAN NOT NULL DEFAULT TRUE,
    show_featured BOOLEAN NOT NULL DEFAULT TRUE,
    memorial BOOLEAN NOT NULL DEFAULT FALSE,
    avatar_key TEXT,
    avatar_static_key TEXT,
    avatar_description TEXT NOT NULL DEFAULT '',
    header_key TEXT,
    header_static_key TEXT,
    header_description TEXT NOT NULL DEFAULT '',
    -- remote accounts: the URLs of their images as published
    avatar_remote_url TEXT,
    header_remote_url TEXT,
    moved_to_account_id BIGINT,
    followers_count BIGINT NOT NULL DEFAULT 0,
    following_count BIGINT NOT NULL DEFAULT 0,
    statuses_count BIGINT NOT NULL DEFAULT 0,
    last_status_at BIGINT,
    silenced_at BIGINT,
    suspended_at BIGINT,
    -- 'local' | 'remote'
    suspension_origin TEXT,
    sensitized_at BIGINT,
    -- set when the account's deletion has been carried out (a tombstone remains)
    deleted_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX index_accounts_on_username_and_domain ON accounts (username_lower, COALESCE(domain, ''));
CREATE INDEX index_accounts_on_domain_and_id ON accounts (domain, id);
CREATE INDEX index_accounts_on_display_name_lower ON accounts (display_name_lower);
CREATE INDEX index_accounts_on_uri ON accounts (uri);
CREATE INDEX index_accounts_on_suspended_at ON accounts (suspended_at) WHERE suspended_at IS NOT NULL;
CREATE INDEX index_accounts_on_silenced_at ON accounts (silenced_at) WHERE silenced_at IS NOT NULL;
CREATE INDEX index_accounts_on_sensitized_at ON accounts (sensitized_at) WHERE sensitized_at IS NOT NULL;

CREATE TABLE oauth_applications (
    id BIGINT PRIMARY KEY,
    name TEXT NOT NULL,
    website TEXT,
    -- newline-separated
    redirect_uri TEXT NOT NULL,
    -- space-separated
    scopes TEXT NOT NULL,
    client_id TEXT NOT NULL UNIQUE,
    client_secret_digest TEXT NOT NULL,
    -- the built-in web app skips the consent screen
    superapp BOOLEAN NOT NULL DEFAULT FALSE,
    owner_account_id BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE invites (
    id BIGINT PRIMARY KEY,
    user_id BIGINT NOT NULL,
    code TEXT NOT NULL UNIQUE,
    max_uses BIGINT,
    uses BIGINT NOT NULL DEFAULT 0,
    expires_at BIGINT,
    autofollow BOOLEAN NOT NULL DEFAULT FALSE,
    comment TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX index_invites_on_user_id ON invites (user_id);

CREATE TABLE users (
    id BIGINT PRIMARY KEY,
    account_id BIGINT NOT NULL UNIQUE REFERENCES accounts (id) ON DELETE CASCADE,
    -- stored lower-cased and stripped, as upstream normalises it
    email TEXT COLLATE "C" NOT NULL UNIQUE,
    unconfirmed_email TEXT,
    encrypted_password TEXT NOT NULL DEFAULT '',
    role_id BIGINT REFERENCES user_roles (id) ON DELETE SET NULL,
    locale TEXT,
    time_zone TEXT,
    confirmed_at BIGINT,
    confirmation_token_digest TEXT UNIQUE,
    confirmation_sent_at BIGINT,
    reset_password_token_digest TEXT UNIQUE,
    reset_password_sent_at BIGINT,
    approved BOOLEAN NOT NULL DEFAULT TRUE,
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    sign_up_ip TEXT,
    created_by_application_id BIGINT REFERENCES oauth_applications (id) ON DELETE SET NULL,
    invite_id BIGINT REFERENCES invites (id) ON DELETE SET NULL,
    -- posting defaults (source[privacy|sensitive|language|quote_policy])
    setting_default_privacy TEXT,
    setting_default_sensitive BOOLEAN NOT NULL DEFAULT FALSE,
    setting_default_language TEXT,
    setting_default_quote_policy TEXT NOT NULL DEFAULT 'public',
    setting_noindex BOOLEAN NOT NULL DEFAULT FALSE,
    age_verified_at BIGINT,
    current_sign_in_at BIGINT,
    last_sign_in_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX index_users_on_role_id ON users (role_id) WHERE role_id IS NOT NULL;
CREATE INDEX index_users_on_approved ON users (approved) WHERE approved = FALSE;
CREATE INDEX index_users_on_disabled ON users (disabled) WHERE disabled = TRUE;
CREATE INDEX index_users_on_invite_id ON users (invite_id) WHERE invite_id IS NOT NULL;

CREATE TABLE user_invite_requests (
    id BIGINT PRIMARY KEY,
    user_id BIGINT NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    text TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);

-- Known IPs of a user (sign-up, sign-in, API use), one row per (user, ip), used_at the latest use.
-- ip_key is the address as 32 hex digits of its IPv6 form (IPv4 mapped), so a CIDR filter is an
-- index range on either backend.
CREATE TABLE user_ips (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    ip TEXT NOT NULL,
    ip_key TEXT COLLATE "C" NOT NULL,
    used_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, ip)
);
CREATE INDEX index_user_ips_on_ip_key ON user_ips (ip_key, user_id);

CREATE TABLE oauth_access_grants (
    id BIGINT PRIMARY KEY,
    token_digest TEXT NOT NULL UNIQUE,
    application_id BIGINT NOT NULL REFERENCES oauth_applications (id) ON DELETE CASCADE,
    resource_owner_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    redirect_uri TEXT NOT NULL,
    scopes TEXT NOT NULL,
    code_challenge TEXT,
    code_challenge_method TEXT,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT,
    created_at BIGINT NOT NULL
);

CREATE TABLE oauth_access_tokens (
    id BIGINT PRIMARY KEY,
    token_digest TEXT NOT NULL UNIQUE,
    application_id BIGINT REFERENCES oauth_applications (id) ON DELETE CASCADE,
    -- NULL for app (client_credentials) tokens
    resource_owner_id BIGINT REFERENCES users (id) ON DELETE CASCADE,
    scopes TEXT NOT NULL,
    -- the grant it was issued from, so re-using a code revokes it
    grant_id BIGINT,
    revoked_at BIGINT,
    last_used_at BIGINT,
    last_used_ip TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX index_oauth_access_tokens_on_resource_owner_id ON oauth_access_tokens (resource_owner_id);
CREATE INDEX index_oauth_access_tokens_on_application_id ON oauth_access_tokens (application_id);
CREATE INDEX index_oauth_access_tokens_on_grant_id ON oauth_access_tokens (grant_id) WHERE grant_id IS NOT NULL;

-- Browser sessions of the sign-in / consent pages
CREATE TABLE web_sessions (
    id BIGINT PRIMARY KEY,
    session_digest TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    ip TEXT,
    user_agent TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX index_web_sessions_on_user_id ON web_sessions (user_id);

CREATE TABLE account_deletion_requests (
    id BIGINT PRIMARY KEY,
    account_id BIGINT NOT NULL UNIQUE REFERENCES accounts (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL
);

CREATE TABLE canonical_email_blocks (
    id BIGINT PRIMARY KEY,
    canonical_email_hash TEXT NOT NULL UNIQUE,
    reference_account_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX index_canonical_email_blocks_on_reference_account_id ON canonical_email_blocks (reference_account_id);

CREATE TABLE email_domain_blocks (
    id BIGINT PRIMARY KEY,
    domain TEXT NOT NULL UNIQUE,
    allow_with_approval BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL
);

CREATE TABLE custom_emojis (
    id BIGINT PRIMARY KEY,
    shortcode TEXT NOT NULL,
    domain TEXT,
    image_key TEXT,
    image_remote_url TEXT,
    visible_in_picker BOOLEAN NOT NULL DEFAULT TRUE,
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    category TEXT,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX index_custom_emojis_on_shortcode_and_domain ON custom_emojis (shortcode, COALESCE(domain, ''));
