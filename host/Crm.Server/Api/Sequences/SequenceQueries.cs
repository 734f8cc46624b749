using System.Text.Json;
using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Sequences;
using Crm.Grains.Storage;
using Dapper;

namespace Crm.Server.Api.Sequences;

/// <summary>A rep's sequence steps, with each message rendered for its customer.</summary>
public sealed class SequenceQueries(CrmDatabase database, SequenceTemplates templates)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // Properties, not a constructor: Dapper converts a column's integer width into a property (SQLite answers 64-bit, PostgreSQL 32-bit).
    private sealed class Row
    {
        public string SequenceId { get; set; } = "";
        public string SequenceName { get; set; } = "";
        public string Steps { get; set; } = "";
        public string CustomerId { get; set; } = "";
        public int StepIndex { get; set; }
        public string Channel { get; set; } = "";
        public string DueDate { get; set; } = "";
        public long DueMs { get; set; }
        public string Status { get; set; } = "";
        public string? Outcome { get; set; }
        public long? DoneMs { get; set; }
        public string? Name { get; set; }
        public string? Company { get; set; }
        public string? Phone { get; set; }
        public string? Email { get; set; }
        public string? SendState { get; set; }
        public string? SendChannel { get; set; }
        public int? SendAttempts { get; set; }
        public string? SendError { get; set; }
        public long? SendAtMs { get; set; }
        public long? SendNextMs { get; set; }
    }

    /// <summary><c>due</c>: planned and its morning passed; <c>planned</c>, <c>done</c>, <c>stopped</c>: by status. Soonest first.</summary>
    /// <param name="only">One step (sequence, customer, index) instead of the whole list.</param>
    public async Task<Page<SequenceStepItemDto>> RepStepsAsync(string repId, string status, DateTimeOffset now, int limit, int offset,
        (string SequenceId, Guid CustomerId, int Index)? only = null)
    {
        var filter = only is not null ? "s.sequence_id = @sid AND s.customer_id = @cid AND s.step_index = @idx"
            : status == "due" ? "s.status = 'planned' AND s.due_ms <= @now" : "s.status = @status";
        var args = new
        {
            repId, status, now = UnixTime.ToMs(now), limit, offset, sid = only?.SequenceId, cid = only?.CustomerId.ToString(), idx = only?.Index ?? 0,
        };
        await using var connection = await database.OpenAsync();
        var total = await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM sequence_steps s WHERE s.rep_id = @repId AND {filter}", args);
        var rows = await connection.QueryAsync<Row>($"""
            SELECT s.sequence_id AS SequenceId, q.name AS SequenceName, q.steps AS Steps, s.customer_id AS CustomerId,
                   s.step_index AS StepIndex, s.channel AS Channel, s.due_date AS DueDate, s.due_ms AS DueMs, s.status AS Status,
                   s.outcome AS Outcome, s.done_ms AS DoneMs, c.name AS Name, c.company AS Company, c.phone AS Phone, c.email AS Email,
                   d.state AS SendState, d.channel AS SendChannel, d.attempts AS SendAttempts, d.last_error AS SendError,
                   d.at_ms AS SendAtMs, d.next_ms AS SendNextMs
            FROM sequence_steps s JOIN sequences q ON q.id = s.sequence_id LEFT JOIN customers c ON c.id = s.customer_id
            LEFT JOIN sequence_sends d ON d.sequence_id = s.sequence_id AND d.customer_id = s.customer_id AND d.step_index = s.step_index
            WHERE s.rep_id = @repId AND {filter}
            ORDER BY s.due_ms, s.customer_id, s.step_index LIMIT @limit OFFSET @offset
            """, args);
        var items = new List<SequenceStepItemDto>();
        foreach (var r in rows)
        {
            var step = JsonSerializer.Deserialize<List<SequenceStep>>(r.Steps, Json)![r.StepIndex];
            var (text, error) = await templates.RenderAsync(step.Template, r.Name, r.Company, r.Phone, r.Email, r.StepIndex + 1);
            items.Add(new SequenceStepItemDto(r.SequenceId, r.SequenceName, Guid.Parse(r.CustomerId), r.Name, r.StepIndex, step.Day, r.Channel,
                r.DueDate, UnixTime.FromMs(r.DueMs), r.Status, text, error, r.Outcome, UnixTime.FromMs(r.DoneMs),
                DeliveryOf(r)));
        }

        return new Page<SequenceStepItemDto>(items, total);
    }

    /// <summary>
    /// A step done or stopped before its send was tried is never sent: the send sweep marks it skipped only when it comes to
    /// it (the step's morning), so until then it is answered as what it already is.
    /// </summary>
    private static SequenceDeliveryDto? DeliveryOf(Row r)
    {
        if (r.SendState is null)
        {
            return null;
        }

        var pending = r.SendState is SendPolicy.Waiting or SendPolicy.Retrying;
        return pending && r.Status != SequenceStatuses.Planned
            ? new SequenceDeliveryDto(SendPolicy.Skipped, r.SendChannel, r.SendAttempts ?? 0, r.SendError, UnixTime.FromMs(r.SendAtMs), null)
            : new SequenceDeliveryDto(r.SendState, r.SendChannel, r.SendAttempts ?? 0, r.SendError, UnixTime.FromMs(r.SendAtMs), UnixTime.FromMs(r.SendNextMs));
    }
}
