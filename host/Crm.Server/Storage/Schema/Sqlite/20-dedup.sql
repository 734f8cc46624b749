-- Dedup index: the committed blocking keys and comparison cards of customers, read by each DedupIndexGrain shard
-- when it activates. Customer grains are the truth: they re-commit their keys on activation, so these rows heal.

-- Keyed by shard, then customer: a shard's keys are one range (read at its activation), a customer's keys in a shard
-- sit together, and an import's consecutive customer ids append to each shard's range. One B-tree per row (WITHOUT
-- ROWID): the layout before 4 December (dedup_customer_keys, keyed by customer, then key, with an index on the shard) put
-- each of a customer's ~9 key rows into three B-trees: with the cards' three, 39 KB written per imported customer then, 15.5 KB now.
-- A key found under another shard than its hash names (after Crm:Dedup:Shards changed) is dropped by that shard when it
-- loads; the reindex writes it under the right one.
CREATE TABLE IF NOT EXISTS dedup_shard_keys (
    shard       INTEGER NOT NULL,
    customer_id TEXT NOT NULL,
    key         TEXT NOT NULL,          -- kind:normalized value, e.g. phone:+8613800138000
    PRIMARY KEY (shard, customer_id, key)
) WITHOUT ROWID;

-- The rows of the earlier layouts move over once; on every later start this creates and drops empty tables.
CREATE TABLE IF NOT EXISTS dedup_customer_keys (
    shard       INTEGER NOT NULL,
    customer_id TEXT NOT NULL,
    key         TEXT NOT NULL,
    PRIMARY KEY (customer_id, key)
);
CREATE TABLE IF NOT EXISTS dedup_keys (
    shard       INTEGER NOT NULL,
    key         TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    PRIMARY KEY (key, customer_id)
);
INSERT INTO dedup_shard_keys (shard, customer_id, key) SELECT shard, customer_id, key FROM dedup_keys WHERE true ON CONFLICT DO NOTHING;
INSERT INTO dedup_shard_keys (shard, customer_id, key) SELECT shard, customer_id, key FROM dedup_customer_keys WHERE true ON CONFLICT DO NOTHING;
DROP TABLE dedup_keys;
DROP TABLE dedup_customer_keys;

-- Cards the same way: keyed by shard, then customer (was dedup_cards, keyed by customer, with an index on the shard).
CREATE TABLE IF NOT EXISTS dedup_shard_cards (
    shard       INTEGER NOT NULL,
    customer_id TEXT NOT NULL,
    card_json   TEXT NOT NULL,
    PRIMARY KEY (shard, customer_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS dedup_cards (
    customer_id TEXT PRIMARY KEY,
    shard       INTEGER NOT NULL,
    card_json   TEXT NOT NULL
);
INSERT INTO dedup_shard_cards (shard, customer_id, card_json) SELECT shard, customer_id, card_json FROM dedup_cards WHERE true ON CONFLICT DO NOTHING;
DROP TABLE dedup_cards;
