-- Never fail open (docs/dedup.md): a customer created while a dedup strategy failed is queued here in the same
-- commit as the customer, and the per-silo retrier indexes it when the strategy answers again.

CREATE TABLE IF NOT EXISTS dedup_pending (
    customer_id   TEXT PRIMARY KEY,
    queued_ms     BIGINT NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    next_ms       BIGINT NOT NULL,        -- not retried before this (backoff after each failed attempt)
    last_error    TEXT,
    last_error_ms BIGINT
);
CREATE INDEX IF NOT EXISTS ix_dedup_pending_next ON dedup_pending(next_ms);

-- The whole-index rebuild (POST /api/admin/dedup/reindex): one row per job, its cursor saved after every batch so a
-- restarted silo continues where the job stopped.
CREATE TABLE IF NOT EXISTS dedup_reindex (
    id          TEXT PRIMARY KEY,
    status      TEXT NOT NULL,          -- running, finished
    started_ms  BIGINT NOT NULL,
    updated_ms  BIGINT NOT NULL,
    finished_ms BIGINT,
    total       INTEGER NOT NULL,
    processed   INTEGER NOT NULL DEFAULT 0,
    changed     INTEGER NOT NULL DEFAULT 0,
    queued      INTEGER NOT NULL DEFAULT 0,
    flagged     INTEGER NOT NULL DEFAULT 0,
    cursor      TEXT
);
CREATE INDEX IF NOT EXISTS ix_dedup_reindex_status ON dedup_reindex(status);
