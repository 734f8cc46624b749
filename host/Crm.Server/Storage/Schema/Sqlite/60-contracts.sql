-- Contracts, their payment plans and payments: read-model rows written in the customer's commit, beside the events
-- they follow (ContractSigned, PaymentRecorded, InstalmentOverdue). Amounts are exact *_e4 integers (amount x 10 000).
-- And the company's currency rates, kept by admins (the base currency is the setting 'base-currency').

CREATE TABLE IF NOT EXISTS contracts (
    id          TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL,
    deal_id     TEXT NOT NULL,
    number      TEXT NOT NULL,
    number_key  TEXT NOT NULL UNIQUE,  -- trimmed, upper-cased: numbers are unique regardless of case
    amount_e4   INTEGER NOT NULL,
    paid_e4     INTEGER NOT NULL,
    currency    TEXT NOT NULL,
    signed_ms   INTEGER NOT NULL,
    rep_id      TEXT NOT NULL,
    rep_unit_id TEXT NULL,
    created_ms  INTEGER NOT NULL,
    updated_ms  INTEGER NOT NULL,
    version     INTEGER NOT NULL       -- the customer's version that wrote it
);
CREATE INDEX IF NOT EXISTS ix_contracts_customer ON contracts(customer_id);
CREATE INDEX IF NOT EXISTS ix_contracts_deal ON contracts(deal_id);
CREATE INDEX IF NOT EXISTS ix_contracts_signed ON contracts(signed_ms, id);
CREATE INDEX IF NOT EXISTS ix_contracts_rep ON contracts(rep_id, signed_ms);

CREATE TABLE IF NOT EXISTS payment_plan (
    contract_id     TEXT NOT NULL,
    instalment_no   INTEGER NOT NULL,  -- 1.. in due order
    customer_id     TEXT NOT NULL,
    due_date        TEXT NOT NULL,     -- yyyy-MM-dd, the customer's unit's local date
    amount_e4       INTEGER NOT NULL,
    paid_e4         INTEGER NOT NULL,
    overdue_ms      INTEGER NOT NULL,  -- the instant it falls overdue: the start of the next local day
    open_overdue_ms INTEGER NULL,      -- overdue_ms while unpaid and not yet announced, else NULL: the overdue sweep's index
    overdue_raised  INTEGER NOT NULL,
    version         INTEGER NOT NULL,
    PRIMARY KEY (contract_id, instalment_no)
);
CREATE INDEX IF NOT EXISTS ix_payment_plan_open_overdue ON payment_plan(open_overdue_ms);
CREATE INDEX IF NOT EXISTS ix_payment_plan_due ON payment_plan(due_date, contract_id, instalment_no);
CREATE INDEX IF NOT EXISTS ix_payment_plan_customer ON payment_plan(customer_id);

CREATE TABLE IF NOT EXISTS payments (
    customer_id TEXT NOT NULL,
    seq         INTEGER NOT NULL,      -- the event's sequence number in the customer's log
    id          TEXT NOT NULL,
    contract_id TEXT NOT NULL,
    amount_e4   INTEGER NOT NULL,      -- negative: a refund
    currency    TEXT NOT NULL,
    received_ms INTEGER NOT NULL,
    method      TEXT NOT NULL,
    reference   TEXT NULL,
    reason      TEXT NULL,
    allocations TEXT NOT NULL,         -- 'instalmentNo:amount_e4;...'
    rep_id      TEXT NOT NULL,
    actor_id    TEXT NULL,
    recorded_ms INTEGER NOT NULL,
    PRIMARY KEY (customer_id, seq)
);
CREATE INDEX IF NOT EXISTS ix_payments_contract ON payments(contract_id, received_ms);
CREATE INDEX IF NOT EXISTS ix_payments_received ON payments(received_ms);

CREATE TABLE IF NOT EXISTS currency_rates (
    currency   TEXT NOT NULL,          -- ISO 4217, not the base currency
    day        TEXT NOT NULL,          -- yyyy-MM-dd: the rate holds from this day until the next row of the currency
    rate_e10   INTEGER NOT NULL,       -- units of the base currency for one unit of this currency, x 10^10
    updated_ms INTEGER NOT NULL,
    PRIMARY KEY (currency, day)
);
