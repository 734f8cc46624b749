-- Dedup index: the committed blocking keys and comparison cards of customers, read by each DedupIndexGrain shard
-- when it activates. Customer grains are the truth: they re-commit their keys on activation, so these rows heal.

CREATE TABLE IF NOT EXISTS dedup_keys (
    shard       INTEGER NOT NULL,
    key         TEXT NOT NULL,          -- kind:normalized value, e.g. phone:+8613800138000
    customer_id TEXT NOT NULL,
    PRIMARY KEY (key, customer_id)
);
CREATE INDEX IF NOT EXISTS ix_dedup_keys_shard ON dedup_keys(shard);

CREATE TABLE IF NOT EXISTS dedup_cards (
    customer_id TEXT PRIMARY KEY,
    shard       INTEGER NOT NULL,
    card_json   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_dedup_cards_shard ON dedup_cards(shard);
