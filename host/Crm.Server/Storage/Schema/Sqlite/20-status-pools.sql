-- Status pools (nurturing, success, failure, invalid) of every customer, kept beside the customers table
-- rather than as a new column of it, so that this script stays idempotent on both databases.
CREATE TABLE IF NOT EXISTS customer_status_pools (
    id          TEXT PRIMARY KEY,
    status_pool TEXT NOT NULL,
    version     BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_customer_status_pools_status ON customer_status_pools(status_pool);
