using System.Text.Json;
using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Notes;
using Crm.Grains.Storage;
using Dapper;

namespace Crm.Server.Api.Notes;

/// <summary>Template lists, answer statistics and due reminders, answered from the notes read model.</summary>
public sealed class NoteQueries(CrmDatabase database)
{
    // A class, not a positional record: on an empty result SQLite cannot type COUNT(*), and Dapper then finds no matching constructor.
    private sealed class CountRow
    {
        public string FieldKey { get; init; } = "";
        public string Value { get; init; } = "";
        public long Count { get; init; }
    }

    private sealed record DueRow(string CustomerId, string Name, long DueMs, long SetMs, string? NoteId, string? TemplateId);

    /// <summary>The latest version of every template (a business has tens of templates, not thousands).</summary>
    public async Task<IReadOnlyList<NoteTemplateDto>> AllTemplatesAsync()
    {
        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync<string>("SELECT json FROM note_templates ORDER BY name, id");
        return rows.Select(json => JsonSerializer.Deserialize<NoteTemplateDto>(json, NoteJson.Options)!).ToList();
    }

    /// <summary>
    /// How many notes of a template were written in [from, to) by customers of the given units (all units when null),
    /// and how often each choice was picked.
    /// </summary>
    public async Task<(long Notes, IReadOnlyDictionary<string, Dictionary<string, long>> Counts)> StatsAsync(
        string templateId, DateTimeOffset? from, DateTimeOffset? to, IReadOnlyList<string>? units)
    {
        var where = new System.Text.StringBuilder("template_id = @templateId AND at_ms >= @fromMs AND at_ms < @toMs");
        var args = new DynamicParameters(new
        {
            templateId,
            fromMs = from is { } f ? UnixTime.ToMs(f) : long.MinValue,
            toMs = to is { } t ? UnixTime.ToMs(t) : long.MaxValue,
        });
        if (units is { Count: 0 })
        {
            return (0, new Dictionary<string, Dictionary<string, long>>());
        }

        if (units is not null)
        {
            where.Append(" AND ").Append(SqlIn.List("org_unit_id", units, args, "unit"));
        }

        await using var connection = await database.OpenAsync();
        var notes = await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM notes WHERE {where}", args);
        var rows = await connection.QueryAsync<CountRow>(
            $"SELECT field_key AS FieldKey, value AS Value, COUNT(*) AS Count FROM note_choices WHERE {where} GROUP BY field_key, value", args);
        var counts = new Dictionary<string, Dictionary<string, long>>();
        foreach (var row in rows)
        {
            (counts.TryGetValue(row.FieldKey, out var values) ? values : counts[row.FieldKey] = [])[row.Value] = row.Count;
        }

        return (notes, counts);
    }

    /// <summary>
    /// A rep's customers whose next follow-up date (set by a note) is at or before <paramref name="until"/> and who
    /// have had no follow-up since that note.
    /// </summary>
    public async Task<Page<DueReminderDto>> DueAsync(string repId, DateTimeOffset until, int? page, int? pageSize)
    {
        const string from = """
            FROM customer_reminders r JOIN customers c ON c.id = r.customer_id
            WHERE c.owner_id = @repId AND r.due_ms <= @untilMs AND (c.last_follow_up_ms IS NULL OR c.last_follow_up_ms < r.set_ms)
            """;
        var (limit, offset) = Common.Paging.LimitOffset(page, pageSize);
        var args = new { repId, untilMs = UnixTime.ToMs(until), limit, offset };
        await using var connection = await database.OpenAsync();
        var total = await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) {from}", args);
        var rows = await connection.QueryAsync<DueRow>($"""
            SELECT r.customer_id AS CustomerId, c.name AS Name, r.due_ms AS DueMs, r.set_ms AS SetMs, r.note_id AS NoteId,
                   r.template_id AS TemplateId
            {from}
            ORDER BY r.due_ms, r.customer_id LIMIT @limit OFFSET @offset
            """, args);
        return new Page<DueReminderDto>(rows.Select(r => new DueReminderDto(Guid.Parse(r.CustomerId), r.Name,
            UnixTime.FromMs(r.DueMs), UnixTime.FromMs(r.SetMs), r.NoteId, r.TemplateId)).ToList(), total);
    }
}
