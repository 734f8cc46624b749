using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Customers;
using Crm.Grains.Storage;
using Crm.Server.Permissions;
using Dapper;

namespace Crm.Server.Api.Tasks;

/// <summary>Reads for tasks: the customers a task may name, the reps a split spreads over, a rep's to-do and a task's progress.</summary>
public sealed class TaskQueries(CrmDatabase database)
{
    /// <summary>The customers of <paramref name="ids"/> the caller sees, with their owners.</summary>
    public async Task<IReadOnlyDictionary<Guid, string?>> VisibleCustomersAsync(IReadOnlyList<Guid> ids, Visibility visibility)
    {
        var found = new Dictionary<Guid, string?>();
        await using var connection = await database.OpenAsync();
        foreach (var chunk in ids.Chunk(500))
        {
            var args = new DynamicParameters();
            var list = SqlIn.List("customers.id", chunk.Select(i => i.ToString()).ToList(), args, "c");
            foreach (var (id, owner) in await connection.QueryAsync<(string, string?)>(
                $"SELECT customers.id, customers.owner_id FROM customers WHERE {list} AND customers.version > 0 AND {visibility.Customers(args)}", args))
            {
                found[Guid.Parse(id)] = owner;
            }
        }

        return found;
    }

    /// <summary>The active reps of a unit and the units below it, with what each carries (owned customers and open task items).</summary>
    public async Task<IReadOnlyDictionary<string, int>> RepsUnderAsync(string unitPath)
    {
        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync<(string Id, long Owned, long Open)>("""
            SELECT u.id,
                   (SELECT COUNT(*) FROM customers c WHERE c.owner_id = u.id),
                   (SELECT COUNT(*) FROM task_items i WHERE i.assignee_id = u.id AND i.status = 'open')
            FROM users u JOIN org_units o ON o.id = u.org_unit_id
            WHERE o.path LIKE @prefix AND LOWER(u.role) = 'rep'
              AND NOT EXISTS (SELECT 1 FROM departed_users d WHERE d.user_id = u.id)
            """, new { prefix = unitPath + "%" });
        return rows.ToDictionary(r => r.Id, r => (int)(r.Owned + r.Open));
    }

    private sealed record TodoRow(string TaskId, string Title, string Kind, long DueMs, string? Goal, string? Notes, string CreatedBy, string? SequenceId,
        string CustomerId, string Status, long DueAlertMs);

    /// <summary>A page of a rep's to-do: the tasks with items of that status, soonest due first, each with the rep's customers of that status.</summary>
    public async Task<Page<RepTaskDto>> RepTasksAsync(string repId, string status, DateTimeOffset now, int limit, int offset)
    {
        var filter = status switch
        {
            TaskStatuses.Due => "i.status = 'open' AND i.due_alert_ms <= @now AND i.due_ms > @now",
            TaskStatuses.Overdue => "i.status = 'open' AND i.due_ms <= @now",
            TaskStatuses.Done => "i.status = 'done'",
            TaskStatuses.Cancelled => "i.status = 'cancelled'",
            _ => "i.status = 'open'",
        };
        var args = new { repId, now = UnixTime.ToMs(now), limit, offset };
        await using var connection = await database.OpenAsync();
        var total = await connection.ExecuteScalarAsync<long>(
            $"SELECT COUNT(DISTINCT i.task_id) FROM task_items i WHERE i.assignee_id = @repId AND {filter}", args);
        var page = (await connection.QueryAsync<string>($"""
            SELECT i.task_id FROM task_items i WHERE i.assignee_id = @repId AND {filter}
            GROUP BY i.task_id ORDER BY MIN(i.due_ms), i.task_id LIMIT @limit OFFSET @offset
            """, args)).ToList();
        if (page.Count == 0)
        {
            return new Page<RepTaskDto>([], total);
        }

        var ids = new DynamicParameters(args);
        var rows = (await connection.QueryAsync<TodoRow>($"""
            SELECT t.id AS TaskId, t.title AS Title, t.kind AS Kind, t.due_ms AS DueMs, t.goal AS Goal, t.notes AS Notes,
                   t.created_by AS CreatedBy, t.sequence_id AS SequenceId, i.customer_id AS CustomerId, i.status AS Status,
                   i.due_alert_ms AS DueAlertMs
            FROM task_items i JOIN tasks t ON t.id = i.task_id
            WHERE i.assignee_id = @repId AND {SqlIn.List("i.task_id", page, ids, "t")}
            """, ids)).ToLookup(r => r.TaskId);
        var items = page.Select(id =>
        {
            var mine = rows[id].ToList();
            var first = mine[0];
            var matching = mine.Where(r => Matches(r, status, now)).Select(r => Guid.Parse(r.CustomerId)).Order().ToList();
            return new RepTaskDto(id, first.Title, first.Kind, UnixTime.FromMs(first.DueMs), status, matching,
                mine.Count(r => r.Status == TaskStatuses.Open), mine.Count(r => r.Status == TaskStatuses.Done),
                first.Goal, first.Notes, first.CreatedBy, first.SequenceId);
        }).ToList();
        return new Page<RepTaskDto>(items, total);
    }

    private sealed record ProgressRow(string AssigneeId, string Status, long DueMs, long Converted);

    /// <summary>
    /// Done, converted and overdue, per rep and in all. Converted: since the task was given, the customer won a deal, or
    /// moved to stage customer and is still there (read from the customers' event log).
    /// </summary>
    public async Task<TaskProgressDto> ProgressAsync(string taskId, DateTimeOffset now)
    {
        await using var connection = await database.OpenAsync();
        var rows = (await connection.QueryAsync<ProgressRow>("""
            SELECT i.assignee_id AS AssigneeId, i.status AS Status, i.due_ms AS DueMs,
                   CAST(CASE WHEN EXISTS (SELECT 1 FROM customer_events e WHERE e.customer_id = i.customer_id AND e.at_ms >= t.created_ms
                                     AND (e.kind = @won OR (e.kind = @stage AND c.stage = 'customer'))) THEN 1 ELSE 0 END AS BIGINT) AS Converted
            FROM task_items i JOIN tasks t ON t.id = i.task_id LEFT JOIN customers c ON c.id = i.customer_id
            WHERE i.task_id = @taskId
            """, new { taskId, won = TimelineKinds.DealWon, stage = TimelineKinds.StageChanged })).ToList();
        var nowMs = UnixTime.ToMs(now);
        bool Overdue(ProgressRow r) => r.Status == TaskStatuses.Open && r.DueMs <= nowMs;
        var reps = rows.GroupBy(r => r.AssigneeId).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new TaskRepProgressDto(g.Key, g.Count(), g.Count(r => r.Status == TaskStatuses.Open), g.Count(r => r.Status == TaskStatuses.Done),
                g.Count(r => r.Converted == 1), g.Count(Overdue)))
            .ToList();
        return new TaskProgressDto(taskId, rows.Count, rows.Count(r => r.Status == TaskStatuses.Open), rows.Count(r => r.Status == TaskStatuses.Done),
            rows.Count(r => r.Status == TaskStatuses.Cancelled), rows.Count(r => r.Converted == 1), rows.Count(Overdue), reps);
    }

    private static bool Matches(TodoRow row, string status, DateTimeOffset now)
    {
        var nowMs = UnixTime.ToMs(now);
        return status switch
        {
            TaskStatuses.Due => row.Status == TaskStatuses.Open && row.DueAlertMs <= nowMs && row.DueMs > nowMs,
            TaskStatuses.Overdue => row.Status == TaskStatuses.Open && row.DueMs <= nowMs,
            _ => row.Status == status,
        };
    }
}
