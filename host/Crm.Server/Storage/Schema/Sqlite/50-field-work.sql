-- Field work (docs/field-work.md): customers' locations behind a spatial index, visits, uploaded files, location
-- consents and the units' field-work settings. Locations and visits are written in the customer's commit.

CREATE TABLE IF NOT EXISTS customer_locations (
    rid         INTEGER PRIMARY KEY,     -- the R*Tree's integer key
    customer_id TEXT NOT NULL UNIQUE,
    lat         REAL NOT NULL,
    lon         REAL NOT NULL,
    source      TEXT NOT NULL,           -- manual, geocoder:<name>
    accuracy_m  REAL NULL,
    set_ms      INTEGER NOT NULL,
    version     INTEGER NOT NULL         -- the customer's version that set it; upserts never go back
);

-- SQLite's R*Tree module: a point is a box of zero size. Kept by the triggers below, so every writer of
-- customer_locations keeps the index without knowing it exists. (No INSERT OR REPLACE in them: inside a trigger the
-- outer statement's conflict policy wins, and the outer statement is an upsert.)
CREATE VIRTUAL TABLE IF NOT EXISTS customer_locations_rtree USING rtree(id, min_lat, max_lat, min_lon, max_lon);

CREATE TRIGGER IF NOT EXISTS tr_customer_locations_insert AFTER INSERT ON customer_locations BEGIN
    INSERT INTO customer_locations_rtree (id, min_lat, max_lat, min_lon, max_lon)
    VALUES (new.rid, new.lat, new.lat, new.lon, new.lon);
END;

CREATE TRIGGER IF NOT EXISTS tr_customer_locations_update AFTER UPDATE OF lat, lon ON customer_locations BEGIN
    UPDATE customer_locations_rtree SET min_lat = new.lat, max_lat = new.lat, min_lon = new.lon, max_lon = new.lon WHERE id = new.rid;
END;

CREATE TRIGGER IF NOT EXISTS tr_customer_locations_delete AFTER DELETE ON customer_locations BEGIN
    DELETE FROM customer_locations_rtree WHERE id = old.rid;
END;

CREATE TABLE IF NOT EXISTS visits (
    id               TEXT PRIMARY KEY,
    customer_id      TEXT NOT NULL,
    rep_id           TEXT NOT NULL,
    device_id        TEXT NOT NULL,
    checked_in_ms    INTEGER NOT NULL,
    lat              REAL NOT NULL,
    lon              REAL NOT NULL,
    accuracy_m       REAL NULL,
    distance_m       REAL NULL,          -- NULL when the customer had no location
    flags            TEXT NOT NULL,      -- comma-separated VisitFlags
    photos           TEXT NOT NULL,      -- comma-separated file ids
    outcome          TEXT NULL,
    checked_out_ms   INTEGER NULL,
    duration_minutes REAL NULL,
    out_flags        TEXT NULL,
    out_lat          REAL NULL,
    out_lon          REAL NULL
);
CREATE INDEX IF NOT EXISTS ix_visits_rep_at ON visits(rep_id, checked_in_ms);
CREATE INDEX IF NOT EXISTS ix_visits_customer_at ON visits(customer_id, checked_in_ms);

-- Uploaded files (visit photos); the bytes live under <data dir>/files/.
CREATE TABLE IF NOT EXISTS files (
    id           TEXT PRIMARY KEY,
    uploader_id  TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes   INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    created_ms   INTEGER NOT NULL,
    visit_id     TEXT NULL,
    customer_id  TEXT NULL
);
CREATE INDEX IF NOT EXISTS ix_files_visit ON files(visit_id);

-- A rep's consent to location collection, per device: check-ins without one are refused.
CREATE TABLE IF NOT EXISTS location_consents (
    rep_id     TEXT NOT NULL,
    device_id  TEXT NOT NULL,
    granted    INTEGER NOT NULL,
    changed_ms INTEGER NOT NULL,
    PRIMARY KEY (rep_id, device_id)
);

-- Per org unit: whether its reps may check in outside working hours (the nearest unit up the tree that says wins).
CREATE TABLE IF NOT EXISTS field_work_units (
    org_unit_id         TEXT PRIMARY KEY,
    allow_outside_hours INTEGER NOT NULL,
    updated_ms          INTEGER NOT NULL
);
