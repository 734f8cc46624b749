-- Read model of the CRM: projection tables that lists, search and reports read. Grains are the truth;
-- these rows follow them with versioned upserts and can be rebuilt from grain state at any time.

CREATE TABLE IF NOT EXISTS settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS org_units (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    parent_id  TEXT NULL REFERENCES org_units(id),
    path       TEXT NOT NULL,          -- '/root-id/child-id/': a prefix match finds a whole subtree
    created_ms BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_org_units_path ON org_units(path);

CREATE TABLE IF NOT EXISTS users (
    id            TEXT PRIMARY KEY,
    user_name     TEXT NOT NULL,
    user_name_key TEXT NOT NULL UNIQUE, -- lower-cased: user names are unique regardless of case
    password_hash TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL,
    org_unit_id   TEXT NULL REFERENCES org_units(id),
    created_ms    BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS pools (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    org_unit_id TEXT NOT NULL,
    rules_json  TEXT NOT NULL,
    created_ms  BIGINT NOT NULL,
    version     BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS customers (
    id                TEXT PRIMARY KEY,
    name              TEXT NOT NULL,
    company           TEXT NULL,
    phone             TEXT NULL,
    phone_digits      TEXT NULL,
    email             TEXT NULL,
    tax_id            TEXT NULL,
    address           TEXT NULL,
    source            TEXT NULL,
    stage             TEXT NOT NULL,
    pool_id           TEXT NOT NULL,
    owner_id          TEXT NULL,
    org_unit_id       TEXT NULL,
    created_ms        BIGINT NOT NULL,
    updated_ms        BIGINT NOT NULL,
    last_follow_up_ms BIGINT NULL,
    search            TEXT NOT NULL,
    version           BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_customers_pool_owner ON customers(pool_id, owner_id);
CREATE INDEX IF NOT EXISTS ix_customers_owner ON customers(owner_id);
CREATE INDEX IF NOT EXISTS ix_customers_created ON customers(created_ms);

-- Substring search (query=) on PostgreSQL uses trigram indexes where the extension is available.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE INDEX IF NOT EXISTS ix_customers_search_trgm ON customers USING gin (search gin_trgm_ops);
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'pg_trgm not available; customer search scans';
END $$;
