-- A customer's history is an append-only event log; its snapshot (what decisions need, never the history) is
-- written in the same transaction as the events it adds up to. Side effects of a commit (private pools, dedup
-- index, pushes, assignment) are queued in the outbox in that same transaction and deleted once delivered.

CREATE TABLE IF NOT EXISTS customer_snapshots (
    customer_id TEXT PRIMARY KEY,
    version     BIGINT NOT NULL,
    state       BYTEA NOT NULL,
    updated_ms  BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS customer_events (
    position    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id TEXT NOT NULL,
    seq         BIGINT NOT NULL,
    at_ms       BIGINT NOT NULL,
    recorded_ms BIGINT NOT NULL,
    kind        TEXT NOT NULL,
    actor_id    TEXT NULL,
    data        TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_customer_events_customer ON customer_events(customer_id, position);

CREATE TABLE IF NOT EXISTS customer_outbox (
    customer_id TEXT NOT NULL,
    version     BIGINT NOT NULL,
    created_ms  BIGINT NOT NULL,
    effects     BYTEA NOT NULL,
    PRIMARY KEY (customer_id, version)
);
