-- Work calendars of org units (time zone, weekends, holidays, make-up working days, morning time), as JSON.
-- A unit without a row follows the nearest unit above it that has one.
CREATE TABLE IF NOT EXISTS work_calendars (
    org_unit_id TEXT PRIMARY KEY,
    definition  TEXT NOT NULL,
    updated_ms  BIGINT NOT NULL
);
