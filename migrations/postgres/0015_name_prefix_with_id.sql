-- Prefix filters on usernames and display names (admin list, search) need each match's id
-- to order a page: with it in the index the range is read from the index alone (PostgreSQL
-- otherwise visits one heap page per match; SQLite's indexes carry the rowid already).
CREATE INDEX index_accounts_on_username_lower_and_id ON accounts (username_lower, id);
CREATE INDEX index_accounts_on_display_name_lower_and_id ON accounts (display_name_lower, id);
DROP INDEX index_accounts_on_display_name_lower;
-- The e-mail filter's range ends at the first wildcard of the input (`_` in most addresses):
-- with the account id beside the address the range is read from the index alone.
CREATE INDEX index_users_on_email_and_account_id ON users (email, account_id);
