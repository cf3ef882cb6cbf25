-- Reports, strikes (account warnings), warning presets and the admin audit log.

CREATE TABLE reports (
    id INTEGER PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    target_account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    -- JSON arrays of ids
    status_ids TEXT NOT NULL DEFAULT '[]',
    rule_ids TEXT NOT NULL DEFAULT '[]',
    comment TEXT NOT NULL DEFAULT '',
    forwarded BOOLEAN NOT NULL DEFAULT FALSE,
    -- 'other' | 'spam' | 'legal' | 'violation'
    category TEXT NOT NULL DEFAULT 'other',
    action_taken_at BIGINT,
    action_taken_by_account_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    assigned_account_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX index_reports_on_target_account_id ON reports (target_account_id, id);
CREATE INDEX index_reports_on_account_id ON reports (account_id, id);
CREATE INDEX index_reports_unresolved ON reports (id) WHERE action_taken_at IS NULL;

CREATE TABLE account_warning_presets (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE account_warnings (
    id INTEGER PRIMARY KEY,
    -- the acting moderator's account
    account_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    target_account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    -- 0 none, 1000 disable, 2000 sensitive, 3000 silence, 4000 suspend (upstream's values)
    action INTEGER NOT NULL DEFAULT 0,
    text TEXT NOT NULL DEFAULT '',
    report_id BIGINT REFERENCES reports (id) ON DELETE SET NULL,
    status_ids TEXT,
    overruled_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX index_account_warnings_on_target_account_id ON account_warnings (target_account_id, id);

-- Audit trail of admin actions. target_id is the id of the row acted on (an account, a user,
-- a report, a warning); human_identifier keeps a readable name after the target is gone.
CREATE TABLE admin_action_logs (
    id INTEGER PRIMARY KEY,
    account_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    action TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id BIGINT NOT NULL,
    -- the account the action concerns, for filtering the trail by account
    target_account_id BIGINT,
    human_identifier TEXT,
    text TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX index_admin_action_logs_on_account_id ON admin_action_logs (account_id, id);
CREATE INDEX index_admin_action_logs_on_target_account_id ON admin_action_logs (target_account_id, id);
CREATE INDEX index_admin_action_logs_on_action ON admin_action_logs (action, id);
