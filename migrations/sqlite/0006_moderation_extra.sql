-- Moderation lists ordered by id: the admin accounts status filters (suspended, silenced,
-- sensitized) and the resolved-reports list walk these partial indexes newest first and stop
-- at the page limit, instead of sorting every flagged row.
CREATE INDEX index_accounts_suspended_by_id ON accounts (id) WHERE suspended_at IS NOT NULL;
CREATE INDEX index_accounts_silenced_by_id ON accounts (id) WHERE silenced_at IS NOT NULL;
CREATE INDEX index_accounts_sensitized_by_id ON accounts (id) WHERE sensitized_at IS NOT NULL;
CREATE INDEX index_reports_resolved ON reports (id) WHERE action_taken_at IS NOT NULL;
