-- The message center: every stored push, once per recipient user, numbered per user (1, 2, 3, ... with no gaps)
-- by that user's InboxGrain, which is the only writer of new rows. Reads and read marks come from the API.
CREATE TABLE IF NOT EXISTS notifications (
    user_id     TEXT NOT NULL,
    id          BIGINT NOT NULL,       -- per user, strictly increasing, contiguous
    event_type  TEXT NOT NULL,          -- the hub method name (the event record's type name)
    data        TEXT NOT NULL,          -- the event record as JSON
    event_key   TEXT NOT NULL,          -- the push's own key: a push routed twice (outbox retry) is stored once
    at_ms       BIGINT NOT NULL,       -- when the event happened
    created_ms  BIGINT NOT NULL,       -- when it was stored (retention counts from here)
    read_ms     BIGINT NULL,
    PRIMARY KEY (user_id, id)
);
CREATE INDEX IF NOT EXISTS ix_notifications_unread ON notifications(user_id, id) WHERE read_ms IS NULL;
CREATE INDEX IF NOT EXISTS ix_notifications_created ON notifications(created_ms);
