-- Targets (docs/reports.md): one per scope, period and metric; a split writes the targets of the scopes below with
-- parent_id set. Values are exact value_e4 integers (value x 10 000), money in the base currency.

CREATE TABLE IF NOT EXISTS targets (
    id         TEXT PRIMARY KEY,
    scope      TEXT NOT NULL,   -- company | orgUnit | rep
    scope_id   TEXT NOT NULL,   -- '' for the company
    scope_path TEXT NOT NULL,   -- the org unit path the scope sits in ('/' for the company): what visibility checks
    period     TEXT NOT NULL,   -- 2026-12, 2026-W49, 2026-Q4, 2026
    metric     TEXT NOT NULL,
    value_e4   BIGINT NOT NULL,
    parent_id  TEXT NULL,
    updated_ms BIGINT NOT NULL,
    UNIQUE (scope, scope_id, period, metric)
);
CREATE INDEX IF NOT EXISTS ix_targets_period ON targets(period, scope_path);
CREATE INDEX IF NOT EXISTS ix_targets_parent ON targets(parent_id);
