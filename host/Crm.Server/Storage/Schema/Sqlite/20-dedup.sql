-- Dedup index: the committed blocking keys and comparison cards of customers, read by each DedupIndexGrain shard
-- when it activates. Customer grains are the truth: they re-commit their keys on activation, so these rows heal.

-- A key row lives in its shard's range of one B-tree (no rowid table beside it): a shard's load reads a range, and a
-- batch's keys for one shard land in that range instead of at random places of a rowid table's key index. The unique
-- (key, customer_id) index moves a key stored under another shard count to its new shard (reindex).
CREATE TABLE IF NOT EXISTS dedup_index_keys (
    shard       INTEGER NOT NULL,
    key         TEXT NOT NULL,          -- kind:normalized value, e.g. phone:+8613800138000
    customer_id TEXT NOT NULL,
    PRIMARY KEY (shard, key, customer_id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS ux_dedup_index_keys_key ON dedup_index_keys(key, customer_id);

-- A data file from before: its keys (the rowid table dedup_keys) are copied once and that table goes. On a file
-- that has none, an empty one is made and dropped again.
CREATE TABLE IF NOT EXISTS dedup_keys (
    shard       INTEGER NOT NULL,
    key         TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    PRIMARY KEY (key, customer_id)
);
INSERT INTO dedup_index_keys (shard, key, customer_id)
SELECT shard, key, customer_id FROM dedup_keys WHERE true ON CONFLICT DO NOTHING;
DROP TABLE dedup_keys;

CREATE TABLE IF NOT EXISTS dedup_cards (
    customer_id TEXT PRIMARY KEY,
    shard       INTEGER NOT NULL,
    card_json   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_dedup_cards_shard ON dedup_cards(shard);
