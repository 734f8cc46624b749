-- Dedup index: the committed blocking keys and comparison cards of customers, read by each DedupIndexGrain shard
-- when it activates. Customer grains are the truth: they re-commit their keys on activation, so these rows heal.

-- Keyed by customer first: a customer's ~11 keys sit together, and an import's consecutive customer ids fill pages one
-- after another. Keyed by key first (dedup_keys, before 3 December), every key went to a random page of the index and
-- an imported customer dirtied about 11 of them (lookups by key never read this table: the shards hold it in memory).
CREATE TABLE IF NOT EXISTS dedup_customer_keys (
    shard       INTEGER NOT NULL,
    customer_id TEXT NOT NULL,
    key         TEXT NOT NULL,          -- kind:normalized value, e.g. phone:+8613800138000
    PRIMARY KEY (customer_id, key)
);
CREATE INDEX IF NOT EXISTS ix_dedup_customer_keys_shard ON dedup_customer_keys(shard);

-- The rows of the earlier layout move over once; on every later start this creates and drops an empty table.
CREATE TABLE IF NOT EXISTS dedup_keys (
    shard       INTEGER NOT NULL,
    key         TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    PRIMARY KEY (key, customer_id)
);
INSERT INTO dedup_customer_keys (shard, customer_id, key) SELECT shard, customer_id, key FROM dedup_keys ON CONFLICT DO NOTHING;
DROP TABLE dedup_keys;

CREATE TABLE IF NOT EXISTS dedup_cards (
    customer_id TEXT PRIMARY KEY,
    shard       INTEGER NOT NULL,
    card_json   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_dedup_cards_shard ON dedup_cards(shard);
