-- Statuses extras: one reblog per account and original (makes reblogging idempotent under
-- concurrent requests, as upstream's unique index does), and pin order by pin time.
CREATE UNIQUE INDEX index_statuses_on_account_id_and_reblog_of_id ON statuses (account_id, reblog_of_id) WHERE reblog_of_id IS NOT NULL;
CREATE INDEX index_status_pins_on_account_id_and_created_at ON status_pins (account_id, created_at);
