using Crm.Grains.Common;
using Crm.Grains.Storage;
using Dapper;

namespace Crm.Grains.Tasks;

/// <summary>
/// The rows of tasks: loaded by a task's grain when it activates, written by it alone (through the group-commit writer,
/// so many tasks' writes share a transaction), and the sweep's look-up of what is due for an alert.
/// </summary>
public sealed class TaskStore(CrmDatabase database, SqlBatchWriter writer)
{
    private sealed record HeaderRow(string Id, string Title, string Kind, string? Goal, string? Notes, string CreatedBy, string? OrgUnitId,
        long CreatedMs, long DueMs, long DueAlertMs, string Status, string? SequenceId);

    // Properties, not a constructor: Dapper converts a column's integer width into a property (SQLite answers 64-bit, PostgreSQL 32-bit).
    private sealed class ItemRow
    {
        public string CustomerId { get; set; } = "";
        public string AssigneeId { get; set; } = "";
        public string Status { get; set; } = "";
        public string? Outcome { get; set; }
        public long? DoneMs { get; set; }
        public int AlertStage { get; set; }
        public long? NextAlertMs { get; set; }
    }

    public async Task<TaskSnapshot?> LoadAsync(string taskId)
    {
        await using var connection = await database.OpenAsync();
        var header = await connection.QuerySingleOrDefaultAsync<HeaderRow>("""
            SELECT id AS Id, title AS Title, kind AS Kind, goal AS Goal, notes AS Notes, created_by AS CreatedBy, org_unit_id AS OrgUnitId,
                   created_ms AS CreatedMs, due_ms AS DueMs, due_alert_ms AS DueAlertMs, status AS Status, sequence_id AS SequenceId
            FROM tasks WHERE id = @taskId
            """, new { taskId });
        if (header is null)
        {
            return null;
        }

        var items = await connection.QueryAsync<ItemRow>("""
            SELECT customer_id AS CustomerId, assignee_id AS AssigneeId, status AS Status, outcome AS Outcome, done_ms AS DoneMs,
                   alert_stage AS AlertStage, next_alert_ms AS NextAlertMs
            FROM task_items WHERE task_id = @taskId ORDER BY customer_id
            """, new { taskId });
        return new TaskSnapshot(
            new TaskHeader(header.Id, header.Title, header.Kind, header.Goal, header.Notes, header.CreatedBy, header.OrgUnitId,
                UnixTime.FromMs(header.CreatedMs), UnixTime.FromMs(header.DueMs), UnixTime.FromMs(header.DueAlertMs), header.Status, header.SequenceId),
            items.Select(i => new TaskItem(Guid.Parse(i.CustomerId), i.AssigneeId, i.Status, i.Outcome, UnixTime.FromMs(i.DoneMs),
                i.AlertStage, UnixTime.FromMs(i.NextAlertMs))).ToList());
    }

    /// <summary>Writes the header and the items given (all of a new task, or those a command changed) in one transaction.</summary>
    public Task WriteAsync(TaskHeader task, IReadOnlyList<TaskItem> items) => writer.WriteAsync((connection, transaction) =>
    {
        connection.Execute("""
            INSERT INTO tasks (id, title, kind, goal, notes, created_by, org_unit_id, created_ms, due_ms, due_alert_ms, status, sequence_id)
            VALUES (@Id, @Title, @Kind, @Goal, @Notes, @CreatedBy, @OrgUnitId, @CreatedMs, @DueMs, @DueAlertMs, @Status, @SequenceId)
            ON CONFLICT (id) DO UPDATE SET status = excluded.status
            """, new
        {
            task.Id, task.Title, task.Kind, task.Goal, task.Notes, task.CreatedBy, task.OrgUnitId, CreatedMs = UnixTime.ToMs(task.CreatedAt),
            DueMs = UnixTime.ToMs(task.DueAt), DueAlertMs = UnixTime.ToMs(task.DueAlertAt), task.Status, task.SequenceId,
        }, transaction);
        connection.Execute("""
            INSERT INTO task_items (task_id, customer_id, assignee_id, status, outcome, done_ms, due_ms, due_alert_ms, alert_stage, next_alert_ms)
            VALUES (@TaskId, @CustomerId, @AssigneeId, @Status, @Outcome, @DoneMs, @DueMs, @DueAlertMs, @AlertStage, @NextAlertMs)
            ON CONFLICT (task_id, customer_id) DO UPDATE SET
                assignee_id = excluded.assignee_id, status = excluded.status, outcome = excluded.outcome, done_ms = excluded.done_ms,
                alert_stage = excluded.alert_stage, next_alert_ms = excluded.next_alert_ms
            """, items.Select(i => new
        {
            TaskId = task.Id, CustomerId = i.CustomerId.ToString(), i.AssigneeId, i.Status, i.Outcome, DoneMs = UnixTime.ToMs(i.DoneAt),
            DueMs = UnixTime.ToMs(task.DueAt), DueAlertMs = UnixTime.ToMs(task.DueAlertAt), i.AlertStage, NextAlertMs = UnixTime.ToMs(i.NextAlertAt),
        }), transaction);
    });

    /// <summary>The tasks with an item whose alert time has come, soonest first: an index range, whatever the number of tasks.</summary>
    public async Task<IReadOnlyList<string>> AlertsDueAsync(DateTimeOffset now, int limit)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<string>("""
            SELECT task_id FROM task_items WHERE next_alert_ms IS NOT NULL AND next_alert_ms <= @now
            GROUP BY task_id ORDER BY MIN(next_alert_ms) LIMIT @limit
            """, new { now = UnixTime.ToMs(now), limit })).ToList();
    }
}
