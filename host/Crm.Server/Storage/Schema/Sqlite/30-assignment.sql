-- Assignment: the rep profiles that strategies match leads against, and whether a rep takes leads now.
-- Lists are JSON arrays of text; flags are 0/1 so the same SQL runs on SQLite and PostgreSQL.

CREATE TABLE IF NOT EXISTS rep_profiles (
    rep_id     TEXT PRIMARY KEY,
    industries TEXT NOT NULL,
    regions    TEXT NOT NULL,
    languages  TEXT NOT NULL,
    seniority  INTEGER NOT NULL,
    active     INTEGER NOT NULL,
    on_duty    INTEGER NOT NULL,
    joined_ms  BIGINT NULL,
    attributes TEXT NOT NULL,
    updated_ms BIGINT NOT NULL
);
