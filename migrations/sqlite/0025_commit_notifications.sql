-- PostgreSQL only (commit notifications by trigger, db/pg_generation.rs): SQLite processes
-- see commits through PRAGMA data_version (db/data_version.rs). Kept for the numbering.
SELECT 1;
