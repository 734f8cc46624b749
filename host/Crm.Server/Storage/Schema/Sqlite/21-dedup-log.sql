-- Dedup index log: each write of a shard's keys and cards is one row appended here (DedupIndexStore): an import batch
-- settles ~8,000 keys and 500 cards as one row per shard instead of one B-tree row each (about 16 per customer, the one
-- writer's largest cost at a million customers). A row holds keys and cards added and removed; a shard replays its rows
-- in position order when it activates, and then, when it read many, writes its state back as one base (base_of: the
-- last position the base holds) in place of the rows it read. dedup_shard_keys / dedup_shard_cards (20-dedup.sql) are
-- read as the base of a shard that has none yet and emptied when it writes its first.
CREATE TABLE IF NOT EXISTS dedup_log (
    position INTEGER PRIMARY KEY AUTOINCREMENT,
    shard    INTEGER NOT NULL,
    base_of  INTEGER NULL,          -- NULL: a change; else part of a base holding the shard's state up to that position
    entries  TEXT NOT NULL          -- JSON: {"k": added keys, "x": removed keys, "c": cards put, "d": cards removed}
);
CREATE INDEX IF NOT EXISTS ix_dedup_log_shard ON dedup_log(shard, position);
