-- The commit trigger of migration 0025 on the tables created since (domain blocks and
-- allows, account migration, unavailable domains, …): a table without it would let other
-- processes serve what they cached before its commits (scale_out.rs checks every table).
DO $$
DECLARE
    t text;
BEGIN
    FOR t IN
        SELECT tablename FROM pg_tables p
        WHERE schemaname = current_schema()
          AND tablename NOT IN ('_sqlx_migrations', 'node_leases')
          AND NOT EXISTS (
              SELECT 1 FROM pg_trigger g
              JOIN pg_class c ON c.oid = g.tgrelid
              JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE c.relname = p.tablename AND n.nspname = p.schemaname
                AND g.tgname = 'woolly_notify_commit')
    LOOP
        EXECUTE format(
            'CREATE TRIGGER woolly_notify_commit AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I '
            'FOR EACH STATEMENT EXECUTE FUNCTION woolly_notify_commit()',
            t
        );
    END LOOP;
END;
$$;
