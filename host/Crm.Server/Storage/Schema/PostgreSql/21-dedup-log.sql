-- Dedup index log: see the SQLite schema (21-dedup-log.sql) for the why. One row per write of a shard's keys and cards;
-- a shard replays its rows at activation and, when it read many, writes its state back as one base in their place.
CREATE TABLE IF NOT EXISTS dedup_log (
    position BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    shard    INTEGER NOT NULL,
    base_of  BIGINT NULL,
    entries  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_dedup_log_shard ON dedup_log(shard, position);
