-- Org tree and data permissions: pool member lists, regions, departed users and the audit log.
-- The org tree itself (org_units with its materialised path) and users are in 10-read-model.sql.

-- A pool that lists members admits only them; a pool without rows here admits the reps of its unit's subtree.
-- The pool grain holds the list; this table is its projection, read by the visibility filter.
CREATE TABLE IF NOT EXISTS pool_members (
    pool_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    PRIMARY KEY (pool_id, user_id)
);
CREATE INDEX IF NOT EXISTS ix_pool_members_user ON pool_members(user_id);

-- Addresses mapped to the org unit that may work them. Empty criteria do not restrict; a region needs at
-- least one criterion. The most specific matching region wins.
CREATE TABLE IF NOT EXISTS regions (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    org_unit_id     TEXT NOT NULL REFERENCES org_units(id),
    pool_id         TEXT NOT NULL,
    province        TEXT NULL,
    city            TEXT NULL,
    district        TEXT NULL,
    postcode_prefix TEXT NULL,
    created_ms      INTEGER NOT NULL
);

-- Users who left: they can no longer sign in, and their tokens stop working at once.
CREATE TABLE IF NOT EXISTS departed_users (
    user_id TEXT PRIMARY KEY REFERENCES users(id),
    left_ms INTEGER NOT NULL,
    by_id   TEXT NOT NULL
);

-- Permission-relevant actions: role and unit changes, unit moves, transfers, departures, exports.
CREATE TABLE IF NOT EXISTS audit_log (
    id          TEXT PRIMARY KEY,
    at_ms       INTEGER NOT NULL,
    actor_id    TEXT NOT NULL,
    action      TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id   TEXT NOT NULL,
    details     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_audit_log_at ON audit_log(at_ms);

-- A manager's lists filter customers by the units of its subtree.
CREATE INDEX IF NOT EXISTS ix_customers_org_unit ON customers(org_unit_id, created_ms);
