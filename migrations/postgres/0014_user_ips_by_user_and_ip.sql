-- The ip filter, when it walks users newest first, probes each user's known addresses for
-- the range: (user_id, ip_key) answers that from the index alone.
CREATE INDEX index_user_ips_on_user_id_and_ip_key ON user_ips (user_id, ip_key);
