-- status=silenced is served, filter and id order alike, by index_accounts_silenced_by_id;
-- the older index on silenced_at let planners pick it and sort every silenced account.
DROP INDEX index_accounts_on_silenced_at;
