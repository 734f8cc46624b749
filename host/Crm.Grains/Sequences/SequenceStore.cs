using System.Globalization;
using System.Text.Json;
using Crm.Grains.Common;
using Crm.Grains.Storage;
using Dapper;

namespace Crm.Grains.Sequences;

/// <summary>
/// The rows of sequences. A definition is written once (sequences are not edited: a new version is a new sequence);
/// enrolments and steps of a rep are written by that rep's <see cref="RepSequenceGrain"/>, stops by the customer's
/// commit (<see cref="SequenceProjection"/>) and by an unenrolment, each a conditional update.
/// </summary>
public sealed class SequenceStore(CrmDatabase database, SqlBatchWriter writer)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public sealed record Definition(string Id, string Name, string? OrgUnitId, string CreatedBy, DateTimeOffset CreatedAt,
        IReadOnlyList<SequenceStep> Steps, IReadOnlyList<string> StopOutcomes);

    private sealed record DefinitionRow(string Id, string Name, string? OrgUnitId, string CreatedBy, long CreatedMs, string Steps);

    // Properties, not a constructor: Dapper converts a column's integer width into a property (SQLite answers 64-bit, PostgreSQL 32-bit).
    private sealed class StepDbRow
    {
        public string SequenceId { get; set; } = "";
        public string CustomerId { get; set; } = "";
        public int StepIndex { get; set; }
        public string RepId { get; set; } = "";
        public string Channel { get; set; } = "";
        public string DueDate { get; set; } = "";
        public long DueMs { get; set; }
        public string Status { get; set; } = "";
        public string? Outcome { get; set; }
        public long? DoneMs { get; set; }
    }

    public const string StepColumns = """
        sequence_id AS SequenceId, customer_id AS CustomerId, step_index AS StepIndex, rep_id AS RepId, channel AS Channel,
        due_date AS DueDate, due_ms AS DueMs, status AS Status, outcome AS Outcome, done_ms AS DoneMs
        """;

    public Task CreateAsync(Definition definition) => writer.WriteAsync((connection, transaction) =>
    {
        connection.Execute("""
            INSERT INTO sequences (id, name, org_unit_id, created_by, created_ms, steps) VALUES (@Id, @Name, @OrgUnitId, @CreatedBy, @CreatedMs, @Steps)
            """, new
        {
            definition.Id, definition.Name, definition.OrgUnitId, definition.CreatedBy, CreatedMs = UnixTime.ToMs(definition.CreatedAt),
            Steps = JsonSerializer.Serialize(definition.Steps, Json),
        }, transaction);
        connection.Execute("INSERT INTO sequence_stop_outcomes (sequence_id, outcome) VALUES (@Id, @Outcome)",
            definition.StopOutcomes.Select(o => new { definition.Id, Outcome = o }), transaction);
    });

    public async Task<Definition?> GetAsync(string id)
    {
        await using var connection = await database.OpenAsync();
        var row = await connection.QuerySingleOrDefaultAsync<DefinitionRow>("""
            SELECT id AS Id, name AS Name, org_unit_id AS OrgUnitId, created_by AS CreatedBy, created_ms AS CreatedMs, steps AS Steps
            FROM sequences WHERE id = @id
            """, new { id });
        if (row is null)
        {
            return null;
        }

        var outcomes = await connection.QueryAsync<string>("SELECT outcome FROM sequence_stop_outcomes WHERE sequence_id = @id ORDER BY outcome", new { id });
        return new Definition(row.Id, row.Name, row.OrgUnitId, row.CreatedBy, UnixTime.FromMs(row.CreatedMs),
            JsonSerializer.Deserialize<List<SequenceStep>>(row.Steps, Json)!, outcomes.ToList());
    }

    /// <summary>The rep's steps per day from <paramref name="from"/> on (stopped ones free their place).</summary>
    public async Task<Dictionary<DateOnly, int>> LoadAsync(string repId, DateOnly from)
    {
        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync<(string Day, long Count)>("""
            SELECT due_date, COUNT(*) FROM sequence_steps WHERE rep_id = @repId AND due_date >= @from AND status <> 'stopped' GROUP BY due_date
            """, new { repId, from = Day(from) });
        return rows.ToDictionary(r => ParseDay(r.Day), r => (int)r.Count);
    }

    public async Task<IReadOnlySet<Guid>> EnrolledAsync(string sequenceId, IReadOnlyList<Guid> customers)
    {
        var found = new HashSet<Guid>();
        await using var connection = await database.OpenAsync();
        foreach (var chunk in customers.Chunk(500))
        {
            var args = new DynamicParameters(new { sequenceId });
            var list = SqlIn.List("customer_id", chunk.Select(c => c.ToString()).ToList(), args, "c");
            found.UnionWith((await connection.QueryAsync<string>(
                $"SELECT customer_id FROM sequence_enrolments WHERE sequence_id = @sequenceId AND {list}", args)).Select(Guid.Parse));
        }

        return found;
    }

    /// <summary>The enrolments, their steps and the steps' send rows, in one transaction.</summary>
    public Task WritePlanAsync(string sequenceId, string repId, IReadOnlyList<Guid> customers, IReadOnlyList<StepRow> steps, DateTimeOffset now) =>
        writer.WriteAsync((connection, transaction) =>
        {
            connection.Execute("""
                INSERT INTO sequence_enrolments (sequence_id, customer_id, rep_id, status, enrolled_ms) VALUES (@sequenceId, @CustomerId, @repId, 'active', @now)
                """, customers.Select(c => new { sequenceId, CustomerId = c.ToString(), repId, now = UnixTime.ToMs(now) }), transaction);
            connection.Execute("""
                INSERT INTO sequence_steps (sequence_id, customer_id, step_index, rep_id, channel, due_date, due_ms, status)
                VALUES (@SequenceId, @CustomerId, @StepIndex, @RepId, @Channel, @DueDate, @DueMs, 'planned')
                """, steps.Select(s => new
            {
                s.SequenceId, CustomerId = s.CustomerId.ToString(), s.StepIndex, s.RepId, s.Channel, DueDate = Day(s.DueDate), DueMs = UnixTime.ToMs(s.DueAt),
            }), transaction);
            // Each step is tried on its channel from its due morning (SequenceSendSweep).
            connection.Execute("""
                INSERT INTO sequence_sends (sequence_id, customer_id, step_index, rep_id, state, attempts, next_ms)
                VALUES (@SequenceId, @CustomerId, @StepIndex, @RepId, 'waiting', 0, @DueMs)
                """, steps.Select(s => new { s.SequenceId, CustomerId = s.CustomerId.ToString(), s.StepIndex, s.RepId, DueMs = UnixTime.ToMs(s.DueAt) }),
                transaction);
        });

    public async Task<StepRow?> StepAsync(string sequenceId, Guid customerId, int stepIndex)
    {
        await using var connection = await database.OpenAsync();
        var row = await connection.QuerySingleOrDefaultAsync<StepDbRow>(
            $"SELECT {StepColumns} FROM sequence_steps WHERE sequence_id = @sequenceId AND customer_id = @customerId AND step_index = @stepIndex",
            new { sequenceId, customerId = customerId.ToString(), stepIndex });
        return row is null ? null : ToStep(row);
    }

    /// <summary>Marks a step done (also one a reply stopped in the same moment: the rep did send it).</summary>
    public Task MarkDoneAsync(string sequenceId, Guid customerId, int stepIndex, string outcome, DateTimeOffset now) =>
        writer.WriteAsync((connection, transaction) => connection.Execute("""
            UPDATE sequence_steps SET status = 'done', outcome = @outcome, done_ms = @now
            WHERE sequence_id = @sequenceId AND customer_id = @customerId AND step_index = @stepIndex AND status <> 'done'
            """, new { sequenceId, customerId = customerId.ToString(), stepIndex, outcome, now = UnixTime.ToMs(now) }, transaction));

    /// <summary>Stops an active enrolment and its planned steps; false if it was not active.</summary>
    public async Task<bool> StopAsync(string sequenceId, Guid customerId, string reason, DateTimeOffset now)
    {
        var stopped = 0;
        await writer.WriteAsync((connection, transaction) =>
        {
            stopped = connection.Execute("""
                UPDATE sequence_enrolments SET status = 'stopped', stop_reason = @reason, stopped_ms = @now
                WHERE sequence_id = @sequenceId AND customer_id = @customerId AND status = 'active'
                """, new { sequenceId, customerId = customerId.ToString(), reason, now = UnixTime.ToMs(now) }, transaction);
            connection.Execute("""
                UPDATE sequence_steps SET status = 'stopped' WHERE sequence_id = @sequenceId AND customer_id = @customerId AND status = 'planned'
                """, new { sequenceId, customerId = customerId.ToString() }, transaction);
        });
        return stopped > 0;
    }

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateOnly ParseDay(string day) => DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static StepRow ToStep(StepDbRow r) => new(r.SequenceId, Guid.Parse(r.CustomerId), r.StepIndex, r.RepId, r.Channel, ParseDay(r.DueDate),
        UnixTime.FromMs(r.DueMs), r.Status, r.Outcome, UnixTime.FromMs(r.DoneMs));
}
