-- What each rep's closed deals taught about its stated probabilities (docs/reports.md, forecast): written in the
-- customer's commit by Forecast/CalibrationProjection. forecast_closed is the ledger of closed deals (one row per
-- DealClosedWon / DealClosedLost event, with the probability stated just before); rep_calibration adds them up per rep,
-- added to only when the ledger has no row for the event yet, so a commit written twice adds once.

CREATE TABLE IF NOT EXISTS forecast_closed (
    customer_id TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    deal_id     TEXT NOT NULL,
    rep_id      TEXT NOT NULL,
    probability INTEGER NOT NULL,   -- percent, as stated before the close
    won         INTEGER NOT NULL,   -- 1 won, 0 lost
    closed_ms   INTEGER NOT NULL,
    PRIMARY KEY (customer_id, seq)
);

CREATE TABLE IF NOT EXISTS rep_calibration (
    rep_id     TEXT PRIMARY KEY,
    closed     INTEGER NOT NULL,    -- closed deals
    won        INTEGER NOT NULL,    -- of which won
    stated_sum INTEGER NOT NULL     -- the sum of their stated probabilities, in percent
);
