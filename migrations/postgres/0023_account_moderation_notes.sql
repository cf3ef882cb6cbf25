-- Staff notes about an account (upstream's account_moderation_notes), shown on the
-- moderation console's account page; newest first by target.
CREATE TABLE account_moderation_notes (
    id BIGINT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    target_account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    content TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX index_account_moderation_notes_on_target_account_id ON account_moderation_notes (target_account_id, id);
CREATE INDEX index_account_moderation_notes_on_account_id ON account_moderation_notes (account_id);
