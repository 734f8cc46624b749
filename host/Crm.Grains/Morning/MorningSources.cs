using Crm.Grains.Common;
using Crm.Grains.Storage;
using Dapper;

namespace Crm.Grains.Morning;

/// <summary>
/// The read-model queries behind morning tasks, for a set of owners at a time: unpaid instalments past their due date
/// (the payment plan the contracts' commits keep), and customers whose occasion fields (date custom fields) fall on
/// the given days. Pool drops come from each rep's grain, which holds the recycle deadlines.
/// </summary>
public sealed class MorningSources(CrmDatabase database)
{
    private const int OwnersPerQuery = 400;

    public sealed class OverdueRow
    {
        public string ContractId { get; set; } = "";
        public string Number { get; set; } = "";
        public int InstalmentNo { get; set; }
        public string CustomerId { get; set; } = "";
        public string OwnerId { get; set; } = "";
        public string? Name { get; set; }
        public string DueDate { get; set; } = "";
        public long OpenE4 { get; set; }
        public string Currency { get; set; } = "";
    }

    public sealed class OccasionRow
    {
        public string CustomerId { get; set; } = "";
        public string FieldKey { get; set; } = "";
        public string Value { get; set; } = "";
        public string OwnerId { get; set; } = "";
        public string? Name { get; set; }
    }

    public sealed record NameRow(string Id, string? Name);

    public async Task<IReadOnlyList<OverdueRow>> OverdueAsync(IReadOnlyList<string> owners, DateTimeOffset now)
    {
        var rows = new List<OverdueRow>();
        await using var connection = await database.OpenAsync();
        foreach (var chunk in owners.Chunk(OwnersPerQuery))
        {
            var args = new DynamicParameters(new { now = UnixTime.ToMs(now) });
            var ownerList = SqlIn.List("c.owner_id", chunk, args, "o");
            rows.AddRange(await connection.QueryAsync<OverdueRow>($"""
                SELECT p.contract_id AS ContractId, k.number AS Number, p.instalment_no AS InstalmentNo, p.customer_id AS CustomerId,
                       c.owner_id AS OwnerId, c.name AS Name, p.due_date AS DueDate, p.amount_e4 - p.paid_e4 AS OpenE4, k.currency AS Currency
                FROM customers c
                JOIN payment_plan p ON p.customer_id = c.id
                JOIN contracts k ON k.id = p.contract_id
                WHERE {ownerList} AND p.paid_e4 < p.amount_e4 AND p.overdue_ms <= @now
                """, args));
        }

        return rows;
    }

    public async Task<IReadOnlyList<OccasionRow>> OccasionsAsync(IReadOnlyList<string> owners, IReadOnlyList<string> fields, IReadOnlyList<string> monthDays)
    {
        var rows = new List<OccasionRow>();
        if (fields.Count == 0)
        {
            return rows;
        }

        await using var connection = await database.OpenAsync();
        foreach (var chunk in owners.Chunk(OwnersPerQuery))
        {
            var args = new DynamicParameters();
            var ownerList = SqlIn.List("c.owner_id", chunk, args, "o");
            var fieldList = SqlIn.List("v.field_key", fields, args, "f");
            var dayList = SqlIn.List("substr(v.value, 6, 5)", monthDays, args, "d");
            rows.AddRange(await connection.QueryAsync<OccasionRow>($"""
                SELECT v.customer_id AS CustomerId, v.field_key AS FieldKey, v.value AS Value, c.owner_id AS OwnerId, c.name AS Name
                FROM customers c JOIN customer_field_values v ON v.customer_id = c.id
                WHERE {ownerList} AND {fieldList} AND {dayList}
                """, args));
        }

        return rows;
    }

    /// <summary>
    /// The open drop tasks (the system's morning tasks of kind follow-up, visit or custom) of these owners whose customer
    /// is no longer theirs: it dropped, was released, handed to another rep or merged away, so the drop they warn of is gone.
    /// </summary>
    public async Task<IReadOnlyList<string>> GoneDropTasksAsync(IReadOnlyList<string> owners)
    {
        var tasks = new List<string>();
        await using var connection = await database.OpenAsync();
        foreach (var chunk in owners.Chunk(OwnersPerQuery))
        {
            var args = new DynamicParameters(new
            {
                system = Actor.System.UserId, open = Crm.Client.TaskStatuses.Open,
                followUp = Crm.Client.TaskKinds.FollowUp, visit = Crm.Client.TaskKinds.Visit, custom = Crm.Client.TaskKinds.Custom,
            });
            var ownerList = SqlIn.List("i.assignee_id", chunk, args, "o");
            tasks.AddRange(await connection.QueryAsync<string>($"""
                SELECT DISTINCT t.id
                FROM task_items i JOIN tasks t ON t.id = i.task_id
                LEFT JOIN customers c ON c.id = i.customer_id
                WHERE {ownerList} AND i.status = @open AND t.status = @open AND t.created_by = @system
                  AND t.kind IN (@followUp, @visit, @custom) AND t.sequence_id IS NULL
                  AND (c.owner_id IS NULL OR c.owner_id <> i.assignee_id)
                """, args));
        }

        return tasks;
    }

    public async Task<IReadOnlyDictionary<Guid, string?>> NamesAsync(IReadOnlyList<Guid> customers)
    {
        var names = new Dictionary<Guid, string?>();
        await using var connection = await database.OpenAsync();
        foreach (var chunk in customers.Chunk(500))
        {
            var args = new DynamicParameters();
            var list = SqlIn.List("id", chunk.Select(c => c.ToString()).ToList(), args, "c");
            foreach (var row in await connection.QueryAsync<NameRow>($"SELECT id AS Id, name AS Name FROM customers WHERE {list}", args))
            {
                names[Guid.Parse(row.Id)] = row.Name;
            }
        }

        return names;
    }
}
