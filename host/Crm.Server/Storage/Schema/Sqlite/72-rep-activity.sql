-- Per-rep, per-local-day counts of what reps did on deals and customers (funnel and activity reports), written in the
-- customer's commit by ActivityProjection, never recomputed from the log. One row per (rep, day in the rep's unit's
-- time zone, pipeline, stage, measure, detail):
--   entered   a deal was opened at the stage or moved into it         (pipeline, stage)
--   moved     a deal moved out of the stage, detail = the stage it went to (the read side knows the stage order)
--   won       a deal was won from the stage
--   lost      a deal was lost at the stage, detail = the lose reason
--   declined  an attempt at the stage was declined, detail = its reason ('' when none given)
--   followUp  a follow-up, detail = its type (call, visit, ...); pipeline and stage ''
--   checkIn   a visit check-in; note: a note written (pipeline, stage, detail '')
-- activity_facts is the ledger of the events already counted, so a commit written twice counts once.

CREATE TABLE IF NOT EXISTS rep_day_activity (
    rep_id      TEXT NOT NULL,
    day         TEXT NOT NULL,
    pipeline_id TEXT NOT NULL,
    stage_key   TEXT NOT NULL,
    measure     TEXT NOT NULL,
    detail      TEXT NOT NULL,
    count       INTEGER NOT NULL,
    PRIMARY KEY (rep_id, day, measure, pipeline_id, stage_key, detail)
);
CREATE INDEX IF NOT EXISTS ix_rep_day_activity_day ON rep_day_activity(day, rep_id);

CREATE TABLE IF NOT EXISTS activity_facts (
    customer_id TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    PRIMARY KEY (customer_id, seq)
);
