-- Every committed write notifies channel woolly_data (db/pg_generation.rs): each process
-- listens and drops what it cached from the database, so caches stay correct across the
-- processes of a deployment. Statement triggers, and PostgreSQL folds identical
-- notifications of one transaction into one: a transaction costs one notification.
-- node_leases is left out: its heartbeats change nothing any cache renders.
CREATE FUNCTION woolly_notify_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('woolly_data', '');
    RETURN NULL;
END;
$$;

DO $$
DECLARE
    t text;
BEGIN
    FOR t IN
        SELECT tablename FROM pg_tables
        WHERE schemaname = current_schema()
          AND tablename NOT IN ('_sqlx_migrations', 'node_leases')
    LOOP
        EXECUTE format(
            'CREATE TRIGGER woolly_notify_commit AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I '
            'FOR EACH STATEMENT EXECUTE FUNCTION woolly_notify_commit()',
            t
        );
    END LOOP;
END;
$$;
