-- Per-rep, per-local-day metrics (targets, leaderboards): written in the customer's commit by MetricProjection,
-- never recomputed from the log. rep_day_metrics is what queries read: one row per (rep, day in the rep's unit's
-- time zone, metric, currency; '' for counts), value_e4 = value x 10 000, changed by adding each event's delta.
-- metric_facts is the ledger of the deltas already added (keyed by the event), so a commit written twice adds once
-- and a reversal (a merged-away duplicate's "new customer") can take back exactly what was added.

CREATE TABLE IF NOT EXISTS rep_day_metrics (
    rep_id   TEXT NOT NULL,
    day      TEXT NOT NULL,   -- yyyy-MM-dd, local to the rep's unit's calendar when the event happened
    metric   TEXT NOT NULL,   -- wonAmount | paymentsReceived | newCustomers | followUps | visits | dealsWon
    currency TEXT NOT NULL,   -- the money's currency (wonAmount, paymentsReceived), '' for counts
    value_e4 INTEGER NOT NULL,
    PRIMARY KEY (rep_id, day, metric, currency)
);
CREATE INDEX IF NOT EXISTS ix_rep_day_metrics_day ON rep_day_metrics(metric, day, rep_id);

CREATE TABLE IF NOT EXISTS metric_facts (
    customer_id TEXT NOT NULL,
    seq         INTEGER NOT NULL,  -- the customer event that added the delta
    metric      TEXT NOT NULL,
    rep_id      TEXT NOT NULL,
    day         TEXT NOT NULL,
    currency    TEXT NOT NULL,
    value_e4    INTEGER NOT NULL,
    PRIMARY KEY (customer_id, seq, metric)
);
