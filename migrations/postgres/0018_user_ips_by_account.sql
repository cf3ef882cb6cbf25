-- A broad ip filter (a range holding thousands of known addresses) walks accounts newest
-- first and probes each one's addresses in the range: (account_id, ip_key). It replaces the
-- (user_id, ip_key) index of 0014, which nothing reads since 0017 put the account id on
-- user_ips (BENCHMARKS.md: ip=10.0.0.0/8 at 1M accounts).
DROP INDEX index_user_ips_on_user_id_and_ip_key;
CREATE INDEX index_user_ips_on_account_id_and_ip_key ON user_ips (account_id, ip_key);
