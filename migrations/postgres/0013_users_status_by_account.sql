-- status=pending and status=disabled pages walk these newest account first and stop after one
-- page; the older indexes on the flag alone made every request collect all such users.
CREATE INDEX index_users_pending_by_account ON users (account_id) WHERE approved = FALSE;
CREATE INDEX index_users_disabled_by_account ON users (account_id) WHERE disabled = TRUE;
DROP INDEX index_users_on_approved;
DROP INDEX index_users_on_disabled;
