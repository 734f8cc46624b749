-- Nurturing sequences (docs/tasks-and-notifications.md): a sequence's dated steps per enrolled customer. The steps of a
-- rep are planned and completed by that rep's RepSequenceGrain (it keeps the daily cap); the customer's commit stops
-- them (SequenceProjection: a positive reply, a won deal, a release, a recycle) in the same transaction.
CREATE TABLE IF NOT EXISTS sequences (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    org_unit_id TEXT NULL,
    created_by  TEXT NOT NULL,
    created_ms  BIGINT NOT NULL,
    steps       TEXT NOT NULL            -- JSON: [{ day, channel, template, stopOn }]
);
CREATE TABLE IF NOT EXISTS sequence_stop_outcomes (
    sequence_id TEXT NOT NULL,
    outcome     TEXT NOT NULL,           -- lower case: a follow-up with this outcome stops the customer's enrolment
    PRIMARY KEY (sequence_id, outcome)
);
CREATE TABLE IF NOT EXISTS sequence_enrolments (
    sequence_id TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    rep_id      TEXT NOT NULL,
    status      TEXT NOT NULL,           -- active, stopped
    stop_reason TEXT NULL,               -- reply, won, released, recycled, unenrolled
    enrolled_ms BIGINT NOT NULL,
    stopped_ms  BIGINT NULL,
    PRIMARY KEY (sequence_id, customer_id)
);
CREATE INDEX IF NOT EXISTS ix_sequence_enrolments_customer ON sequence_enrolments(customer_id, status);
CREATE TABLE IF NOT EXISTS sequence_steps (
    sequence_id TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    step_index  INTEGER NOT NULL,
    rep_id      TEXT NOT NULL,
    channel     TEXT NOT NULL,
    due_date    TEXT NOT NULL,           -- yyyy-MM-dd, a working day of the rep's unit calendar
    due_ms      BIGINT NOT NULL,        -- that day's working morning
    status      TEXT NOT NULL,           -- planned, done, stopped
    outcome     TEXT NULL,
    done_ms     BIGINT NULL,
    PRIMARY KEY (sequence_id, customer_id, step_index)
);
CREATE INDEX IF NOT EXISTS ix_sequence_steps_rep_day ON sequence_steps(rep_id, due_date);
CREATE INDEX IF NOT EXISTS ix_sequence_steps_rep_status ON sequence_steps(rep_id, status, due_ms);
CREATE INDEX IF NOT EXISTS ix_sequence_steps_customer ON sequence_steps(customer_id, status);
