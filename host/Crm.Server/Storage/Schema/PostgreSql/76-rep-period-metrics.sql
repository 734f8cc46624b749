-- The count metrics of rep_day_metrics added up per rep and local ISO week (yyyy-Www), month (yyyy-MM) and quarter
-- (yyyy-Qn), written in the same commit by MetricProjection under the same metric_facts guard: a board or progress
-- over whole periods reads one row per rep and period by a range of the key (metric, period), never every rep's days
-- or months (docs/reports.md). Money is not here: it converts at each day's rate.
CREATE TABLE IF NOT EXISTS rep_period_metrics (
    metric   TEXT NOT NULL,
    period   TEXT NOT NULL,   -- 2026-W49, 2026-12 or 2026-Q4: the periods holding rep_day_metrics.day
    rep_id   TEXT NOT NULL,
    value_e4 BIGINT NOT NULL,
    PRIMARY KEY (metric, period, rep_id)
);

-- Schema 75's month table, superseded by the month rows above.
DROP TABLE IF EXISTS rep_month_metrics;

-- A database from before this table: its periods from the day rows, once (while the table is still empty).
INSERT INTO rep_period_metrics (metric, period, rep_id, value_e4)
SELECT metric, period, rep_id, SUM(value_e4) FROM (
    SELECT metric, rep_id, value_e4, to_char(day::date, 'IYYY-"W"IW') AS period FROM rep_day_metrics WHERE currency = ''
    UNION ALL SELECT metric, rep_id, value_e4, substr(day, 1, 7) FROM rep_day_metrics WHERE currency = ''
    UNION ALL SELECT metric, rep_id, value_e4, substr(day, 1, 4) || '-Q' || ((CAST(substr(day, 6, 2) AS INTEGER) + 2) / 3)
    FROM rep_day_metrics WHERE currency = ''
) days
WHERE NOT EXISTS (SELECT 1 FROM rep_period_metrics)
GROUP BY metric, period, rep_id;
