-- Quick notes: templates for lists, notes and their countable answers for stats, next follow-up dates set by
-- notes. Projections of TemplateGrain and CustomerGrain state; every write is an idempotent upsert.

CREATE TABLE IF NOT EXISTS note_templates (
    id             TEXT PRIMARY KEY,
    org_unit_id    TEXT NULL,            -- NULL: company-wide
    name           TEXT NOT NULL,
    language       TEXT NOT NULL,
    latest_version INTEGER NOT NULL,
    json           TEXT NOT NULL,        -- the latest version as the API shows it
    updated_ms     INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_note_templates_unit ON note_templates(org_unit_id);

CREATE TABLE IF NOT EXISTS notes (
    id               TEXT PRIMARY KEY,
    customer_id      TEXT NOT NULL,
    template_id      TEXT NOT NULL,
    template_version INTEGER NOT NULL,
    org_unit_id      TEXT NULL,          -- the customer's org unit when the note was written
    author_id        TEXT NULL,
    at_ms            INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_notes_template_at ON notes(template_id, at_ms);
CREATE INDEX IF NOT EXISTS ix_notes_customer ON notes(customer_id);

-- One row per chosen option (choice fields) or yes/no answer: stats are a GROUP BY over this table.
CREATE TABLE IF NOT EXISTS note_choices (
    note_id     TEXT NOT NULL,
    field_key   TEXT NOT NULL,
    value       TEXT NOT NULL,
    template_id TEXT NOT NULL,
    org_unit_id TEXT NULL,
    at_ms       INTEGER NOT NULL,
    PRIMARY KEY (note_id, field_key, value)
);
CREATE INDEX IF NOT EXISTS ix_note_choices_template_at ON note_choices(template_id, at_ms);

-- The next follow-up date of a customer, set by the latest note that answered a next-follow-up question.
CREATE TABLE IF NOT EXISTS customer_reminders (
    customer_id TEXT PRIMARY KEY,
    due_ms      INTEGER NOT NULL,
    set_ms      INTEGER NOT NULL,
    note_id     TEXT NULL,
    template_id TEXT NULL
);
CREATE INDEX IF NOT EXISTS ix_customer_reminders_due ON customer_reminders(due_ms);
