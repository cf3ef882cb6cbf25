-- One row per node id a live process holds (services/node_lease.rs): snowflake ids carry the
-- node id, so two processes sharing one would mint the same ids. The holder renews
-- expires_at (unix milliseconds) while it runs and deletes the row at shutdown; a row past
-- expires_at belongs to a process that stopped heartbeating and may be taken over.
CREATE TABLE node_leases (
    node_id BIGINT PRIMARY KEY,
    holder TEXT NOT NULL,
    acquired_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
