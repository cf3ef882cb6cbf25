-- The last instance counts (services/instance_stats.rs), one row: counting takes a full pass
-- over users and statuses, so a process that starts answers from here at once and counts
-- again in the background. Shared by every process on the database.
CREATE TABLE instance_counts (
    id BIGINT PRIMARY KEY,
    user_count BIGINT NOT NULL,
    status_count BIGINT NOT NULL,
    domain_count BIGINT NOT NULL,
    counted_at BIGINT NOT NULL
);

CREATE TRIGGER woolly_notify_commit AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON instance_counts
FOR EACH STATEMENT EXECUTE FUNCTION woolly_notify_commit();
