-- Purchases per customer for RFM and repurchase/churn (docs/reports.md), written in the customer's commit by
-- Rfm/PurchaseProjection, never recomputed from the log. rfm_purchases holds one row per payment event (a refund is
-- negative), dated by its local day in the rep's calendar as a day number (DateOnly.DayNumber, so intervals are plain
-- subtraction on both databases). rfm_customers and rfm_money are the customer's summary, rewritten from that
-- customer's own rfm_purchases rows in the same commit: purchase days (days with a positive payment), the last four of
-- them (the last three intervals), and the net money per currency.

CREATE TABLE IF NOT EXISTS rfm_purchases (
    customer_id TEXT NOT NULL,
    seq         BIGINT NOT NULL,   -- the PaymentRecorded event
    day_no      BIGINT NOT NULL,   -- local day of the payment (DateOnly.DayNumber)
    currency    TEXT NOT NULL,
    amount_e4   BIGINT NOT NULL,   -- amount x 10 000; negative for a refund
    PRIMARY KEY (customer_id, seq)
);

CREATE TABLE IF NOT EXISTS rfm_customers (
    customer_id   TEXT PRIMARY KEY,
    purchase_days BIGINT NOT NULL,  -- distinct days with a positive payment
    last_day      BIGINT NULL,      -- the latest purchase day, then the three before it (NULL when fewer)
    day2          BIGINT NULL,
    day3          BIGINT NULL,
    day4          BIGINT NULL
);

CREATE TABLE IF NOT EXISTS rfm_money (
    customer_id TEXT NOT NULL,
    currency    TEXT NOT NULL,
    amount_e4   BIGINT NOT NULL,    -- net of refunds
    PRIMARY KEY (customer_id, currency)
);

-- The company's RFM thresholds (one row, id 1); no row: quantiles (the scope's medians).
CREATE TABLE IF NOT EXISTS rfm_settings (
    id           BIGINT PRIMARY KEY,
    method       TEXT NOT NULL,   -- thresholds | quantiles
    recency_days BIGINT NULL,
    frequency    BIGINT NULL,
    monetary_e4  BIGINT NULL,
    updated_ms   BIGINT NOT NULL,
    updated_by   TEXT NOT NULL
);

-- The mornings whose RepurchaseDue list was pushed to a rep: a unit's morning run twice in a day (a restart, two
-- silos) pushes the list once.
CREATE TABLE IF NOT EXISTS repurchase_pushes (
    rep_id TEXT NOT NULL,
    day    TEXT NOT NULL,   -- yyyy-MM-dd, the unit's local morning
    PRIMARY KEY (rep_id, day)
);
