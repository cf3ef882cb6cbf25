-- Unavailable domains, as upstream's DeliveryFailureTracker (services/federation/availability.rs).
-- Each failed delivery attempt records its UTC day for the inbox's domain (host[:port]); a
-- domain with failures on 7 distinct days is unavailable: deliveries to it are dropped
-- until it answers a delivery or one of its actors posts to our inbox, which clears both.
CREATE TABLE delivery_failure_days (
    domain TEXT NOT NULL,
    -- days since 1970-01-01 (UTC)
    day BIGINT NOT NULL,
    PRIMARY KEY (domain, day)
);

CREATE TABLE unavailable_domains (
    domain TEXT PRIMARY KEY,
    created_at BIGINT NOT NULL
);
