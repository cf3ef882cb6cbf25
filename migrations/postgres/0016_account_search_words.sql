-- Account search ranks as upstream (a phrase of prefixes over the lexemes of display name,
-- username and domain) and finds its candidates through account_name_words: it now holds
-- the words of display names *and* usernames, split on every character that is not a letter
-- or digit (`john_doe` gives `john` and `doe`). The app keeps it in step with accounts; this
-- refills it for the accounts that exist.
DELETE FROM account_name_words;

INSERT INTO account_name_words (word, account_id)
SELECT DISTINCT w, id
FROM accounts, regexp_split_to_table(display_name_lower || ' ' || username_lower, '[^[:alnum:]]+') AS w
WHERE w <> ''
ON CONFLICT DO NOTHING;
