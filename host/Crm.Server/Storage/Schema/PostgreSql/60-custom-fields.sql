-- Custom fields (definitions admins keep through the API) and customer levels. The values live in the customer's
-- snapshot and events; the tables below are read-model rows written in the customer's commit, so that lists show
-- and filter them without visiting grains. Side tables rather than new columns keep the scripts idempotent.

CREATE TABLE IF NOT EXISTS custom_fields (
    entity          TEXT NOT NULL,     -- customer, deal
    field_key       TEXT NOT NULL,
    definition_json TEXT NOT NULL,
    created_ms      BIGINT NOT NULL,
    PRIMARY KEY (entity, field_key)
);

-- One row per customer with a card beyond the customers row: its custom field values (JSON) and level.
CREATE TABLE IF NOT EXISTS customer_cards (
    customer_id TEXT PRIMARY KEY,
    fields_json TEXT NULL,
    level       TEXT NULL,
    version     BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_customer_cards_level ON customer_cards(level);

-- The customers' values as exact strings (one row per choice of a multi-choice field): the filter index.
CREATE TABLE IF NOT EXISTS customer_field_values (
    customer_id TEXT NOT NULL,
    field_key   TEXT NOT NULL,
    value       TEXT NOT NULL,
    PRIMARY KEY (customer_id, field_key, value)
);
CREATE INDEX IF NOT EXISTS ix_customer_field_values_value ON customer_field_values(field_key, value);

CREATE TABLE IF NOT EXISTS deal_cards (
    deal_id     TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL,
    fields_json TEXT NULL,
    version     BIGINT NOT NULL
);
