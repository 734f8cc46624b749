-- Idempotency keys of commands (docs/reliability.md): one row per caller and key, held while the request runs and
-- then holding its answer, replayed to retries until the key expires (Crm:Idempotency:KeyLifetime).

CREATE TABLE IF NOT EXISTS idempotency_keys (
    caller_id    TEXT NOT NULL,
    idem_key     TEXT NOT NULL,
    request_hash TEXT NOT NULL,      -- SHA-256 of method, path, query and body
    owner        TEXT NOT NULL,      -- the process running (or that ran) the request
    started_ms   INTEGER NOT NULL,
    status       INTEGER NULL,       -- the answer, once there is one
    content_type TEXT NULL,
    location     TEXT NULL,
    body         BLOB NULL,
    completed_ms INTEGER NULL,
    PRIMARY KEY (caller_id, idem_key)
);
CREATE INDEX IF NOT EXISTS ix_idempotency_keys_started ON idempotency_keys(started_ms);
