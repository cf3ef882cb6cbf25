-- Account search ranks as upstream (a phrase of prefixes over the lexemes of display name,
-- username and domain) and finds its candidates through account_name_words: it now holds
-- the words of display names *and* usernames, split on every character that is not a letter
-- or digit (`john_doe` gives `john` and `doe`). The app keeps it in step with accounts; this
-- refills it for the accounts that exist. SQLite has no Unicode character classes: a letter
-- here is a-z (the texts are lower-cased already), a digit, or a character of the Latin,
-- Greek, Cyrillic … Indic blocks (U+00C0–U+1FFF but × and ÷), kana and CJK (U+3040–U+9FFF)
-- or Hangul (U+AC00–U+D7AF); punctuation and emoji split words. Names saved later are split
-- by the app itself.
DELETE FROM account_name_words;

WITH RECURSIVE walk (account_id, rest, cur, word) AS (
    SELECT id, display_name_lower || ' ' || username_lower || ' ', '', NULL FROM accounts
    UNION ALL
    SELECT account_id, substr(rest, 2),
        CASE WHEN substr(rest, 1, 1) BETWEEN 'a' AND 'z' OR substr(rest, 1, 1) BETWEEN '0' AND '9'
                OR (unicode(substr(rest, 1, 1)) BETWEEN 192 AND 8191 AND unicode(substr(rest, 1, 1)) NOT IN (215, 247))
                OR unicode(substr(rest, 1, 1)) BETWEEN 12352 AND 40959
                OR unicode(substr(rest, 1, 1)) BETWEEN 44032 AND 55215
            THEN cur || substr(rest, 1, 1) ELSE '' END,
        CASE WHEN substr(rest, 1, 1) BETWEEN 'a' AND 'z' OR substr(rest, 1, 1) BETWEEN '0' AND '9'
                OR (unicode(substr(rest, 1, 1)) BETWEEN 192 AND 8191 AND unicode(substr(rest, 1, 1)) NOT IN (215, 247))
                OR unicode(substr(rest, 1, 1)) BETWEEN 12352 AND 40959
                OR unicode(substr(rest, 1, 1)) BETWEEN 44032 AND 55215
            THEN NULL ELSE cur END
    FROM walk WHERE rest <> ''
)
INSERT OR IGNORE INTO account_name_words (word, account_id)
SELECT word, account_id FROM walk WHERE word <> '';
