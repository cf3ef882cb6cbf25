-- Account search matches the start of any word of a display name ("smith" finds
-- "John Smith"), as upstream's full-text prefix search does: one row per (word, account),
-- so a word prefix is an index range. The app keeps it in step with display names; this
-- fills it for the accounts that exist (words split on spaces).
CREATE TABLE account_name_words (
    word TEXT NOT NULL,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    PRIMARY KEY (word, account_id)
);
CREATE INDEX index_account_name_words_on_account_id ON account_name_words (account_id);

WITH RECURSIVE split (account_id, word, rest) AS (
    SELECT id, '', display_name_lower || ' ' FROM accounts WHERE display_name_lower <> ''
    UNION ALL
    SELECT account_id, substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1)
    FROM split WHERE rest <> ''
)
INSERT OR IGNORE INTO account_name_words (word, account_id)
SELECT word, account_id FROM split WHERE word <> '';
