-- Deals (opportunities) and their catalogue. The catalogue (pipelines, products, currencies) is configuration that
-- admins keep through the API. Deals, their lines and attempts are read-model rows written in the customer's commit,
-- beside the events they follow (the customer grain is their single writer). Amounts are exact: *_e4 columns hold the
-- amount times 10 000 as an integer, so sums in SQL are exact on both databases.

CREATE TABLE IF NOT EXISTS pipelines (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    org_unit_id TEXT NULL,             -- NULL: company-wide
    is_default  BIGINT NOT NULL,      -- the default of its unit (or of the company when org_unit_id is NULL)
    stages_json TEXT NOT NULL,
    created_ms  BIGINT NOT NULL,
    updated_ms  BIGINT NOT NULL
);
INSERT INTO pipelines (id, name, org_unit_id, is_default, stages_json, created_ms, updated_ms) VALUES ('default', 'Default', NULL, 1,
    '[{"key":"contact","names":{"zh":"初步沟通","en":"Initial contact","ru":"Первичный контакт"},"probability":10},{"key":"intent","names":{"zh":"确定意向","en":"Intent confirmed","ru":"Интерес подтверждён"},"probability":30},{"key":"negotiation","names":{"zh":"商务洽谈","en":"Negotiation","ru":"Переговоры"},"probability":60},{"key":"signing","names":{"zh":"签约","en":"Signing","ru":"Подписание"},"probability":100}]',
    0, 0) ON CONFLICT (id) DO NOTHING;

CREATE TABLE IF NOT EXISTS products (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    sku           TEXT NOT NULL,
    sku_key       TEXT NOT NULL UNIQUE, -- lower-cased: SKUs are unique regardless of case
    unit          TEXT NULL,
    list_price_e4 BIGINT NOT NULL,
    currency      TEXT NOT NULL,
    active        BIGINT NOT NULL,
    created_ms    BIGINT NOT NULL,
    updated_ms    BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS currencies (
    code        TEXT PRIMARY KEY,      -- ISO 4217
    minor_units BIGINT NOT NULL       -- decimals amounts are rounded to (CNY 2, JPY 0, KWD 3)
);
INSERT INTO currencies (code, minor_units) VALUES
    ('CNY', 2), ('USD', 2), ('EUR', 2), ('RUB', 2), ('HKD', 2), ('TWD', 2), ('JPY', 0), ('KRW', 0), ('GBP', 2),
    ('SGD', 2), ('AUD', 2), ('CAD', 2), ('CHF', 2), ('INR', 2), ('KZT', 2), ('AED', 2), ('BHD', 3), ('KWD', 3)
    ON CONFLICT (code) DO NOTHING;

CREATE TABLE IF NOT EXISTS deals (
    id                TEXT PRIMARY KEY,
    customer_id       TEXT NOT NULL,
    title             TEXT NOT NULL,
    amount_e4         BIGINT NOT NULL,
    currency          TEXT NOT NULL,
    rep_id            TEXT NOT NULL,
    rep_unit_id       TEXT NULL,
    pipeline_id       TEXT NOT NULL,
    stage_key         TEXT NOT NULL,
    probability       BIGINT NOT NULL,
    status            TEXT NOT NULL,   -- open, won, lost
    expected_close_ms BIGINT NULL,    -- the expected close date, at 00:00 UTC
    created_ms        BIGINT NOT NULL,
    updated_ms        BIGINT NOT NULL,
    closed_ms         BIGINT NULL,
    lose_reason       TEXT NULL,
    version           BIGINT NOT NULL -- the customer's version that wrote it
);
CREATE INDEX IF NOT EXISTS ix_deals_customer ON deals(customer_id);
CREATE INDEX IF NOT EXISTS ix_deals_created ON deals(created_ms, id);
CREATE INDEX IF NOT EXISTS ix_deals_rep ON deals(rep_id, created_ms);
CREATE INDEX IF NOT EXISTS ix_deals_status_close ON deals(status, expected_close_ms);

CREATE TABLE IF NOT EXISTS deal_lines (
    deal_id       TEXT NOT NULL,
    line_no       BIGINT NOT NULL,
    product_id    TEXT NULL,
    name          TEXT NOT NULL,
    quantity_e4   BIGINT NOT NULL,
    unit_price_e4 BIGINT NOT NULL,
    discount_e4   BIGINT NOT NULL,    -- percent
    total_e4      BIGINT NOT NULL,
    PRIMARY KEY (deal_id, line_no)
);

CREATE TABLE IF NOT EXISTS deal_attempts (
    customer_id TEXT NOT NULL,
    seq         BIGINT NOT NULL,      -- the event's sequence number in the customer's log
    deal_id     TEXT NOT NULL,
    rep_id      TEXT NOT NULL,
    actor_id    TEXT NULL,
    pipeline_id TEXT NOT NULL,
    stage_key   TEXT NOT NULL,
    kind        TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    reason      TEXT NULL,
    at_ms       BIGINT NOT NULL,
    PRIMARY KEY (customer_id, seq)
);
CREATE INDEX IF NOT EXISTS ix_deal_attempts_deal ON deal_attempts(deal_id, at_ms);
CREATE INDEX IF NOT EXISTS ix_deal_attempts_rep ON deal_attempts(rep_id, at_ms);
