-- Field work (docs/field-work.md): customers' locations behind a spatial index, visits, uploaded files, location
-- consents and the units' field-work settings. Locations and visits are written in the customer's commit.

-- PostGIS 3. Creating it needs a superuser: scripts/postgres.sh creates it (in template1 for test databases); an
-- operator creates it once per database, after which this line is a no-op for the CRM's own role.
CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE IF NOT EXISTS customer_locations (
    customer_id TEXT PRIMARY KEY,
    lat         DOUBLE PRECISION NOT NULL,
    lon         DOUBLE PRECISION NOT NULL,
    source      TEXT NOT NULL,           -- manual, geocoder:<name>
    accuracy_m  DOUBLE PRECISION NULL,
    set_ms      BIGINT NOT NULL,
    version     BIGINT NOT NULL,         -- the customer's version that set it; upserts never go back
    geog        geography(Point, 4326) GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography) STORED
);
CREATE INDEX IF NOT EXISTS ix_customer_locations_geog ON customer_locations USING gist (geog);

CREATE TABLE IF NOT EXISTS visits (
    id               TEXT PRIMARY KEY,
    customer_id      TEXT NOT NULL,
    rep_id           TEXT NOT NULL,
    device_id        TEXT NOT NULL,
    checked_in_ms    BIGINT NOT NULL,
    lat              DOUBLE PRECISION NOT NULL,
    lon              DOUBLE PRECISION NOT NULL,
    accuracy_m       DOUBLE PRECISION NULL,
    distance_m       DOUBLE PRECISION NULL,   -- NULL when the customer had no location
    flags            TEXT NOT NULL,           -- comma-separated VisitFlags
    photos           TEXT NOT NULL,           -- comma-separated file ids
    outcome          TEXT NULL,
    checked_out_ms   BIGINT NULL,
    duration_minutes DOUBLE PRECISION NULL,
    out_flags        TEXT NULL,
    out_lat          DOUBLE PRECISION NULL,
    out_lon          DOUBLE PRECISION NULL
);
CREATE INDEX IF NOT EXISTS ix_visits_rep_at ON visits(rep_id, checked_in_ms);
CREATE INDEX IF NOT EXISTS ix_visits_customer_at ON visits(customer_id, checked_in_ms);

-- Uploaded files (visit photos); the bytes live under <data dir>/files/.
CREATE TABLE IF NOT EXISTS files (
    id           TEXT PRIMARY KEY,
    uploader_id  TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes   BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    created_ms   BIGINT NOT NULL,
    visit_id     TEXT NULL,
    customer_id  TEXT NULL
);
CREATE INDEX IF NOT EXISTS ix_files_visit ON files(visit_id);

-- A rep's consent to location collection, per device: check-ins without one are refused.
CREATE TABLE IF NOT EXISTS location_consents (
    rep_id     TEXT NOT NULL,
    device_id  TEXT NOT NULL,
    granted    BIGINT NOT NULL,
    changed_ms BIGINT NOT NULL,
    PRIMARY KEY (rep_id, device_id)
);

-- Per org unit: whether its reps may check in outside working hours (the nearest unit up the tree that says wins).
CREATE TABLE IF NOT EXISTS field_work_units (
    org_unit_id         TEXT PRIMARY KEY,
    allow_outside_hours BIGINT NOT NULL,
    updated_ms          BIGINT NOT NULL
);
