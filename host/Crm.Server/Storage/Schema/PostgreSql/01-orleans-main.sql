-- CRM server, cluster (PostgreSQL) profile: base schema for the Orleans ADO.NET providers.
-- Applied at every start-up in file-name order as one command per file, so every statement is
-- idempotent. The advisory lock (held until this file's implicit transaction ends) keeps silos
-- that start at the same moment from racing on the same CREATE statements.
SELECT pg_advisory_xact_lock(7243100);

-- The Orleans providers load their SQL from this table by key at start-up.
-- Later scripts upsert their rows, so editing a query here and restarting is enough to change it.
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL,
    QueryText text        NOT NULL,
    CONSTRAINT PK_OrleansQuery PRIMARY KEY (QueryKey)
);
