-- CRM server, embedded (SQLite) profile: base schema for the Orleans ADO.NET providers.
-- Applied at every start-up in file-name order, so every statement here is idempotent.

-- Write-ahead logging lets grain reads proceed while a write commits.
PRAGMA journal_mode=WAL;

-- The Orleans providers load their SQL from this table by key at start-up.
-- Later scripts upsert their rows, so editing a query here and restarting is enough to change it.
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  TEXT NOT NULL PRIMARY KEY,
    QueryText TEXT NOT NULL
);
