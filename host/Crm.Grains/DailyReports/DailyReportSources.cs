using System.Text.Json;
using Crm.Client;
using Crm.Grains.Activity;
using Crm.Grains.Common;
using Crm.Grains.Push;
using Crm.Grains.Storage;
using Dapper;

namespace Crm.Grains.DailyReports;

/// <summary>
/// The read-model queries behind one rep's daily report, each bounded by the rep and a day or a time range: the day's
/// rows of <c>rep_day_metrics</c> and <c>daily_follow_ups</c>, the rep's task items, next follow-up dates, instalments,
/// and its active customers with their pulse and their pool's rules. Nothing here reads the event log.
/// </summary>
public sealed class DailyReportSources(CrmDatabase database)
{
    // Rows are set by property: SQLite gives computed columns no declared type, which constructor matching needs.
    public sealed class MetricRow
    {
        public string Metric { get; set; } = "";
        public string Currency { get; set; } = "";
        public long ValueE4 { get; set; }
    }

    public sealed class FollowUpRow
    {
        public string Type { get; set; } = "";
        public string Outcome { get; set; } = "";
        public long Count { get; set; }
    }

    public sealed class TaskRow
    {
        public string TaskId { get; set; } = "";
        public string Title { get; set; } = "";
        public string Kind { get; set; } = "";
        public string CustomerId { get; set; } = "";
        public long DueMs { get; set; }
        public string Status { get; set; } = "";
    }

    public sealed class ReminderRow
    {
        public string CustomerId { get; set; } = "";
        public string Name { get; set; } = "";
        public long DueMs { get; set; }
    }

    public sealed class InstalmentRow
    {
        public string ContractId { get; set; } = "";
        public string Number { get; set; } = "";
        public int InstalmentNo { get; set; }
        public string CustomerId { get; set; } = "";
        public string Name { get; set; } = "";
        public string DueDate { get; set; } = "";
        public long OpenE4 { get; set; }
        public string Currency { get; set; } = "";
    }

    public sealed class CustomerRow
    {
        public string Id { get; set; } = "";
        public string Name { get; set; } = "";
        public string Stage { get; set; } = "";
        public string PoolId { get; set; } = "";
        public long CreatedMs { get; set; }
        public long? LastFollowUpMs { get; set; }
        public long? MovedMs { get; set; }
        public long? OwnedMs { get; set; }
    }

    public async Task<IReadOnlyList<MetricRow>> MetricsAsync(string repId, string day)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<MetricRow>(
            "SELECT metric AS Metric, currency AS Currency, value_e4 AS ValueE4 FROM rep_day_metrics WHERE rep_id = @repId AND day = @day",
            new { repId, day })).ToList();
    }

    /// <summary>The notes the rep wrote on the day, as the activity projection counted them (<c>rep_day_activity</c>).</summary>
    public async Task<int> NotesAsync(string repId, string day)
    {
        await using var connection = await database.OpenAsync();
        return (int)await connection.ExecuteScalarAsync<long>(
            "SELECT COALESCE(SUM(count), 0) FROM rep_day_activity WHERE rep_id = @repId AND day = @day AND measure = @measure",
            new { repId, day, measure = ActivityMeasures.Note });
    }

    public async Task<IReadOnlyList<FollowUpRow>> FollowUpsAsync(string repId, string day)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<FollowUpRow>("""
            SELECT type AS Type, outcome AS Outcome, COUNT(*) AS Count FROM daily_follow_ups
            WHERE rep_id = @repId AND day = @day GROUP BY type, outcome ORDER BY type, outcome
            """, new { repId, day })).ToList();
    }

    /// <summary>The rep's items of tasks created in [from, to).</summary>
    public Task<IReadOnlyList<TaskRow>> NewTasksAsync(string repId, DateTimeOffset from, DateTimeOffset to) => TasksAsync(repId,
        "t.created_ms >= @fromMs AND t.created_ms < @toMs", from, to);

    /// <summary>The rep's open items due before <paramref name="asOf"/>.</summary>
    public Task<IReadOnlyList<TaskRow>> OverdueTasksAsync(string repId, DateTimeOffset asOf) => TasksAsync(repId,
        "i.status = 'open' AND t.status = 'open' AND i.due_ms < @toMs", asOf, asOf);

    /// <summary>The rep's open items due in [from, to).</summary>
    public Task<IReadOnlyList<TaskRow>> DueTasksAsync(string repId, DateTimeOffset from, DateTimeOffset to) => TasksAsync(repId,
        "i.status = 'open' AND t.status = 'open' AND i.due_ms >= @fromMs AND i.due_ms < @toMs", from, to);

    /// <summary>Next follow-up dates (set by notes, not followed up since) of the rep's customers in [from, to).</summary>
    public async Task<IReadOnlyList<ReminderRow>> RemindersAsync(string repId, DateTimeOffset from, DateTimeOffset to)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<ReminderRow>("""
            SELECT c.id AS CustomerId, c.name AS Name, r.due_ms AS DueMs
            FROM customers c JOIN customer_reminders r ON r.customer_id = c.id
            WHERE c.owner_id = @repId AND c.version > 0 AND r.due_ms >= @fromMs AND r.due_ms < @toMs
              AND (c.last_follow_up_ms IS NULL OR c.last_follow_up_ms < r.set_ms)
            ORDER BY r.due_ms, c.id
            """, new { repId, fromMs = UnixTime.ToMs(from), toMs = UnixTime.ToMs(to) })).ToList();
    }

    /// <summary>Unpaid instalments of the rep's customers due on local dates in [from, to] (the plan's own dates).</summary>
    public async Task<IReadOnlyList<InstalmentRow>> InstalmentsDueAsync(string repId, string from, string to)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<InstalmentRow>("""
            SELECT p.contract_id AS ContractId, k.number AS Number, p.instalment_no AS InstalmentNo, p.customer_id AS CustomerId, c.name AS Name,
                   p.due_date AS DueDate, p.amount_e4 - p.paid_e4 AS OpenE4, k.currency AS Currency
            FROM customers c JOIN payment_plan p ON p.customer_id = c.id JOIN contracts k ON k.id = p.contract_id
            WHERE c.owner_id = @repId AND p.paid_e4 < p.amount_e4 AND p.due_date >= @from AND p.due_date <= @to
            ORDER BY p.due_date, k.number, p.instalment_no
            """, new { repId, from, to })).ToList();
    }

    /// <summary>Unpaid instalments of the rep's customers already overdue at <paramref name="asOf"/>, the oldest first.</summary>
    public async Task<IReadOnlyList<InstalmentRow>> InstalmentsOverdueAsync(string repId, DateTimeOffset asOf)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<InstalmentRow>("""
            SELECT p.contract_id AS ContractId, k.number AS Number, p.instalment_no AS InstalmentNo, p.customer_id AS CustomerId, c.name AS Name,
                   p.due_date AS DueDate, p.amount_e4 - p.paid_e4 AS OpenE4, k.currency AS Currency
            FROM customers c JOIN payment_plan p ON p.customer_id = c.id JOIN contracts k ON k.id = p.contract_id
            WHERE c.owner_id = @repId AND p.paid_e4 < p.amount_e4 AND p.overdue_ms <= @asOf
            ORDER BY p.due_date, k.number, p.instalment_no
            """, new { repId, asOf = UnixTime.ToMs(asOf) })).ToList();
    }

    /// <summary>The rep's customers that are not lost or invalid, with when they last moved and were taken.</summary>
    public async Task<IReadOnlyList<CustomerRow>> ActiveCustomersAsync(string repId)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<CustomerRow>("""
            SELECT c.id AS Id, c.name AS Name, c.stage AS Stage, c.pool_id AS PoolId, c.created_ms AS CreatedMs, c.last_follow_up_ms AS LastFollowUpMs,
                   p.moved_ms AS MovedMs, p.owned_ms AS OwnedMs
            FROM customers c LEFT JOIN customer_pulse p ON p.customer_id = c.id
            WHERE c.owner_id = @repId AND c.version > 0 AND c.stage NOT IN ('lost', 'invalid')
            """, new { repId })).ToList();
    }

    /// <summary>The recycle rules of the pools named (pools without a row get none).</summary>
    public async Task<IReadOnlyDictionary<string, PoolRules>> PoolRulesAsync(IReadOnlyList<string> poolIds)
    {
        var rules = new Dictionary<string, PoolRules>(StringComparer.Ordinal);
        await using var connection = await database.OpenAsync();
        foreach (var chunk in poolIds.Distinct(StringComparer.Ordinal).Chunk(500))
        {
            var args = new DynamicParameters();
            var list = SqlIn.List("id", chunk, args, "p");
            foreach (var (id, json) in await connection.QueryAsync<(string, string)>($"SELECT id, rules_json FROM pools WHERE {list}", args))
            {
                rules[id] = JsonSerializer.Deserialize<PoolRules>(json, EventPublisher.Json) ?? new PoolRules();
            }
        }

        return rules;
    }

    private async Task<IReadOnlyList<TaskRow>> TasksAsync(string repId, string condition, DateTimeOffset from, DateTimeOffset to)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<TaskRow>($"""
            SELECT t.id AS TaskId, t.title AS Title, t.kind AS Kind, i.customer_id AS CustomerId, i.due_ms AS DueMs, i.status AS Status
            FROM task_items i JOIN tasks t ON t.id = i.task_id
            WHERE i.assignee_id = @repId AND {condition}
            ORDER BY i.due_ms, t.id, i.customer_id
            """, new { repId, fromMs = UnixTime.ToMs(from), toMs = UnixTime.ToMs(to) })).ToList();
    }
}
