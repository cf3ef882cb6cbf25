-- Account search matches the start of any word of a display name ("smith" finds
-- "John Smith"), as upstream's full-text prefix search does: one row per (word, account),
-- so a word prefix is an index range. The app keeps it in step with display names; this
-- fills it for the accounts that exist (words split on spaces).
CREATE TABLE account_name_words (
    word TEXT COLLATE "C" NOT NULL,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    PRIMARY KEY (word, account_id)
);
CREATE INDEX index_account_name_words_on_account_id ON account_name_words (account_id);

INSERT INTO account_name_words (word, account_id)
SELECT DISTINCT w, id FROM accounts, unnest(string_to_array(display_name_lower, ' ')) AS w
WHERE display_name_lower <> '' AND w <> ''
ON CONFLICT DO NOTHING;
