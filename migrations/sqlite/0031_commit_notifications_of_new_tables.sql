-- PostgreSQL only (the commit trigger on tables created after migration 0025): SQLite
-- processes see commits through PRAGMA data_version. Kept for the numbering.
SELECT 1;
