-- A customer's history is an append-only event log; its snapshot (what decisions need, never the history) is
-- written in the same transaction as the events it adds up to. Side effects of a commit (private pools, dedup
-- index, pushes, assignment) are queued in the outbox in that same transaction and deleted once delivered.

CREATE TABLE IF NOT EXISTS customer_snapshots (
    customer_id TEXT PRIMARY KEY,
    version     INTEGER NOT NULL,      -- sequence number of the last event applied
    state       BLOB NOT NULL,         -- CustomerState, Orleans binary serializer
    updated_ms  INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS customer_events (
    position    INTEGER PRIMARY KEY,   -- global order of recording; the timeline's cursor
    customer_id TEXT NOT NULL,
    seq         INTEGER NOT NULL,      -- the customer's version after this event
    at_ms       INTEGER NOT NULL,      -- when it happened
    recorded_ms INTEGER NOT NULL,      -- when it was committed
    kind        TEXT NOT NULL,
    actor_id    TEXT NULL,
    data        TEXT NOT NULL          -- the event as JSON (its kind included)
);
CREATE INDEX IF NOT EXISTS ix_customer_events_customer ON customer_events(customer_id, position);

CREATE TABLE IF NOT EXISTS customer_outbox (
    customer_id TEXT NOT NULL,
    version     INTEGER NOT NULL,
    created_ms  INTEGER NOT NULL,
    effects     BLOB NOT NULL,         -- list of OutboxEffect, Orleans binary serializer
    PRIMARY KEY (customer_id, version)
);
