-- Sending sequence steps through message channels (docs/tasks-and-notifications.md, docs/plugins.md). One row per
-- step, written with the step; next_ms is when a sweep tries it (its due morning, then a retry time, then nothing),
-- under a partial index, so a sweep reads what falls due and never the steps already handled.
CREATE TABLE IF NOT EXISTS sequence_sends (
    sequence_id TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    step_index  INTEGER NOT NULL,
    rep_id      TEXT NOT NULL,
    state       TEXT NOT NULL,           -- waiting, retrying, sent, prepared, failed, skipped
    channel     TEXT NULL,               -- the message channel tried last
    attempts    INTEGER NOT NULL,
    next_ms     INTEGER NULL,
    last_error  TEXT NULL,
    at_ms       INTEGER NULL,              -- when it was sent, prepared or last failed
    PRIMARY KEY (sequence_id, customer_id, step_index)
);
CREATE INDEX IF NOT EXISTS ix_sequence_sends_next ON sequence_sends(next_ms, rep_id) WHERE next_ms IS NOT NULL;
