-- Daily reports per rep (docs/daily-reports.md). daily_follow_ups and customer_pulse are projections written in the
-- customer's commit (DailyActivityProjection): one row per follow-up event, counted for the rep's local day, and per
-- customer the last time it moved along the funnel. Generated reports are stored once per (rep, local day): the id
-- is made from both, so generating twice, or on two silos, writes one row.

CREATE TABLE IF NOT EXISTS daily_follow_ups (
    customer_id TEXT NOT NULL,
    seq         INTEGER NOT NULL,  -- the FollowedUp event's sequence number in the customer's log
    rep_id      TEXT NOT NULL,
    day         TEXT NOT NULL,     -- yyyy-MM-dd, local to the rep's unit's calendar
    type        TEXT NOT NULL,
    outcome     TEXT NOT NULL,     -- '' when none was given
    PRIMARY KEY (customer_id, seq)
);
CREATE INDEX IF NOT EXISTS ix_daily_follow_ups_rep ON daily_follow_ups(rep_id, day);

CREATE TABLE IF NOT EXISTS customer_pulse (
    customer_id TEXT PRIMARY KEY,
    moved_ms    INTEGER NULL,      -- the latest of: created, stage moved, a deal opened, moved a stage or won
    owned_ms    INTEGER NULL       -- the latest claim or assignment (or creation for an owner)
);

CREATE TABLE IF NOT EXISTS daily_report_settings (
    org_unit_id TEXT PRIMARY KEY,
    local_time  TEXT NOT NULL,     -- HH:mm in the unit's calendar; units below without their own follow it
    updated_ms  INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS daily_reports (
    id           TEXT PRIMARY KEY,  -- derived from rep and day
    rep_id       TEXT NOT NULL,
    day          TEXT NOT NULL,     -- yyyy-MM-dd, the rep's local day
    org_unit_id  TEXT NULL,
    generated_ms INTEGER NOT NULL,
    figures      TEXT NOT NULL,     -- the figures as JSON, as they were when generated
    comments     TEXT NULL,         -- the rep's own
    plan         TEXT NULL,
    commented_ms INTEGER NULL
);
CREATE INDEX IF NOT EXISTS ix_daily_reports_rep ON daily_reports(rep_id, day);

CREATE TABLE IF NOT EXISTS daily_report_replies (
    report_id TEXT NOT NULL,
    id        TEXT NOT NULL,
    author_id TEXT NOT NULL,
    text      TEXT NOT NULL,
    at_ms     INTEGER NOT NULL,
    PRIMARY KEY (report_id, id)
);
