-- Reading positions a user's clients share (upstream's markers): one row per user and
-- timeline (home, notifications). lock_version is the entity's `version`: it goes up by
-- one on each update that changes the row.
CREATE TABLE markers (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    timeline TEXT NOT NULL,
    last_read_id BIGINT NOT NULL,
    lock_version BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX index_markers_on_user_id_and_timeline ON markers (user_id, timeline);
