-- The last instance counts (services/instance_stats.rs), one row: counting takes a full pass
-- over users and statuses, so a process that starts answers from here at once and counts
-- again in the background. Shared by every process on the database.
CREATE TABLE instance_counts (
    id INTEGER PRIMARY KEY,
    user_count INTEGER NOT NULL,
    status_count INTEGER NOT NULL,
    domain_count INTEGER NOT NULL,
    counted_at INTEGER NOT NULL
);
