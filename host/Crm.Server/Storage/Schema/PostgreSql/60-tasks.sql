-- Tasks (docs/tasks-and-notifications.md): a task and one item per customer it names, each with its assignee.
-- The TaskGrain of a task is the only writer of its rows; the rep's to-do and the progress view read them.
CREATE TABLE IF NOT EXISTS tasks (
    id            TEXT PRIMARY KEY,
    title         TEXT NOT NULL,
    kind          TEXT NOT NULL,          -- call, visit, follow-up, custom
    goal          TEXT NULL,
    notes         TEXT NULL,
    created_by    TEXT NOT NULL,
    org_unit_id   TEXT NULL,              -- the unit the task was given in (the split's, or the assignee's)
    created_ms    BIGINT NOT NULL,
    due_ms        BIGINT NOT NULL,
    due_alert_ms  BIGINT NOT NULL,       -- when it counts as due: the working morning of its due day, at the latest the due time
    status        TEXT NOT NULL,          -- open, done (every item done), cancelled
    sequence_id   TEXT NULL               -- set when a nurturing sequence made it
);
CREATE TABLE IF NOT EXISTS task_items (
    task_id       TEXT NOT NULL,
    customer_id   TEXT NOT NULL,
    assignee_id   TEXT NOT NULL,
    status        TEXT NOT NULL,          -- open, done, cancelled
    outcome       TEXT NULL,
    done_ms       BIGINT NULL,
    due_ms        BIGINT NOT NULL,       -- the task's, copied so that the to-do filters without a join
    due_alert_ms  BIGINT NOT NULL,
    alert_stage   INTEGER NOT NULL,       -- 0 nothing pushed, 1 TaskDue pushed, 2 TaskOverdue pushed
    next_alert_ms BIGINT NULL,           -- when the sweep must look at it next; NULL when nothing is left to push
    PRIMARY KEY (task_id, customer_id)
);
CREATE INDEX IF NOT EXISTS ix_task_items_assignee ON task_items(assignee_id, status, due_ms);
CREATE INDEX IF NOT EXISTS ix_task_items_alert ON task_items(next_alert_ms) WHERE next_alert_ms IS NOT NULL;
CREATE INDEX IF NOT EXISTS ix_task_items_customer ON task_items(customer_id, status);
