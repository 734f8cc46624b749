-- The count metrics of rep_day_metrics added up per rep and local month (yyyy-MM), written in the same commit by
-- MetricProjection under the same metric_facts guard: a month's or a quarter's board or progress reads one row per rep
-- and month instead of one per rep and day (docs/reports.md). Money is not here: it converts at each day's rate.
CREATE TABLE IF NOT EXISTS rep_month_metrics (
    metric   TEXT NOT NULL,
    rep_id   TEXT NOT NULL,
    month    TEXT NOT NULL,   -- yyyy-MM, the month of rep_day_metrics.day
    value_e4 INTEGER NOT NULL,
    PRIMARY KEY (metric, rep_id, month)
) WITHOUT ROWID;

-- A database from before this table: its months from the day rows, once (while the table is still empty).
INSERT INTO rep_month_metrics (metric, rep_id, month, value_e4)
SELECT metric, rep_id, substr(day, 1, 7), SUM(value_e4) FROM rep_day_metrics
WHERE currency = '' AND NOT EXISTS (SELECT 1 FROM rep_month_metrics)
GROUP BY metric, rep_id, substr(day, 1, 7);
