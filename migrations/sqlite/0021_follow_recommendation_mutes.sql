-- Follow suggestions a user dismissed (DELETE /api/v1/suggestions/:id): never suggested to
-- them again.
CREATE TABLE follow_recommendation_mutes (
    id INTEGER PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    target_account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX index_follow_recommendation_mutes_on_account_id_and_target_account_id ON follow_recommendation_mutes (account_id, target_account_id);
