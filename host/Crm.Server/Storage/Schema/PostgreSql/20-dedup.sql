-- Dedup index: the committed blocking keys and comparison cards of customers, read by each DedupIndexGrain shard
-- when it activates. Customer grains are the truth: they re-commit their keys on activation, so these rows heal.

-- Named dedup_index_keys as on SQLite (where the table became a WITHOUT ROWID one under that name); PostgreSQL keeps
-- its form: a heap table has no clustered key, so the primary key and the shard index are what it needs. A database
-- from before renames its table once.
ALTER TABLE IF EXISTS dedup_keys RENAME TO dedup_index_keys;
ALTER INDEX IF EXISTS ix_dedup_keys_shard RENAME TO ix_dedup_index_keys_shard;
CREATE TABLE IF NOT EXISTS dedup_index_keys (
    shard       INTEGER NOT NULL,
    key         TEXT NOT NULL,          -- kind:normalized value, e.g. phone:+8613800138000
    customer_id TEXT NOT NULL,
    PRIMARY KEY (key, customer_id)
);
CREATE INDEX IF NOT EXISTS ix_dedup_index_keys_shard ON dedup_index_keys(shard);

CREATE TABLE IF NOT EXISTS dedup_cards (
    customer_id TEXT PRIMARY KEY,
    shard       INTEGER NOT NULL,
    card_json   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_dedup_cards_shard ON dedup_cards(shard);
