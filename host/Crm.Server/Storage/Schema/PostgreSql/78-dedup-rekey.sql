-- An edited customer whose dedup card is not keyed again yet (docs/dedup.md, "Edited customers"): written in the edit's
-- own commit, deleted once the keys of that version or a later one are recorded. The API keys the card before it
-- answers; the retrier keys what a crash (or a failure) left here after a grace.
CREATE TABLE IF NOT EXISTS dedup_rekey (
    customer_id TEXT PRIMARY KEY,
    version     BIGINT  NOT NULL,   -- the latest edit's commit: its card, or a later one, must be keyed
    due_ms      BIGINT  NOT NULL,   -- the retrier's turn: after the edit's grace, then after each failed attempt's backoff
    attempts    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS ix_dedup_rekey_due ON dedup_rekey(due_ms);
