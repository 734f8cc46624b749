using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Push;
using Crm.Grains.Storage;
using Dapper;

namespace Crm.Grains.DailyReports;

/// <summary>A stored report: its figures as generated, the rep's notes, and the unit the rep was in.</summary>
public sealed record StoredDailyReport(string Id, string RepId, DateOnly Date, string? OrgUnitId, DateTimeOffset GeneratedAt, DailyFiguresDto Figures,
    string? Comments, string? Plan, DateTimeOffset? CommentedAt);

/// <summary>
/// The generated reports and the replies on them. A report's id comes from its rep and day, and the insert does nothing
/// when the row is there, so only one generation of a (rep, day) ever lands and only that one is told about.
/// </summary>
public sealed class DailyReportStore(CrmDatabase database)
{
    private sealed class Row
    {
        public string Id { get; set; } = "";
        public string RepId { get; set; } = "";
        public string Day { get; set; } = "";
        public string? OrgUnitId { get; set; }
        public long GeneratedMs { get; set; }
        public string Figures { get; set; } = "";
        public string? Comments { get; set; }
        public string? Plan { get; set; }
        public long? CommentedMs { get; set; }
    }

    private const string Columns = """
        id AS Id, rep_id AS RepId, day AS Day, org_unit_id AS OrgUnitId, generated_ms AS GeneratedMs, figures AS Figures,
        comments AS Comments, plan AS Plan, commented_ms AS CommentedMs
        """;

    public static string IdOf(string repId, DateOnly day) =>
        "dr-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{repId}|{Day(day)}")))[..24];

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public async Task<StoredDailyReport?> GetAsync(string id)
    {
        await using var connection = await database.OpenAsync();
        var row = await connection.QueryFirstOrDefaultAsync<Row>($"SELECT {Columns} FROM daily_reports WHERE id = @id", new { id });
        return row is null ? null : ToReport(row);
    }

    /// <summary>The stored reports of <paramref name="reps"/> on local days in [from, to], by day then rep; at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<StoredDailyReport>> ListAsync(IReadOnlyList<string> reps, DateOnly from, DateOnly to, int limit)
    {
        var result = new List<StoredDailyReport>();
        await using var connection = await database.OpenAsync();
        foreach (var chunk in reps.Distinct(StringComparer.Ordinal).Chunk(500))
        {
            var args = new DynamicParameters(new { from = Day(from), to = Day(to), limit });
            var list = SqlIn.List("rep_id", chunk, args, "r");
            result.AddRange((await connection.QueryAsync<Row>(
                $"SELECT {Columns} FROM daily_reports WHERE {list} AND day >= @from AND day <= @to ORDER BY day, rep_id LIMIT @limit", args)).Select(ToReport));
        }

        return result.OrderBy(r => r.Date).ThenBy(r => r.RepId, StringComparer.Ordinal).Take(limit).ToList();
    }

    /// <summary>Stores a generated report unless one is there: true when this call stored it.</summary>
    public async Task<bool> InsertAsync(string repId, DateOnly day, string? orgUnitId, DateTimeOffset generatedAt, DailyFiguresDto figures)
    {
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteAsync("""
            INSERT INTO daily_reports (id, rep_id, day, org_unit_id, generated_ms, figures)
            VALUES (@id, @repId, @day, @orgUnitId, @generatedMs, @figures)
            ON CONFLICT (id) DO NOTHING
            """, new
        {
            id = IdOf(repId, day),
            repId,
            day = Day(day),
            orgUnitId,
            generatedMs = UnixTime.ToMs(generatedAt),
            figures = JsonSerializer.Serialize(figures, EventPublisher.Json),
        }) == 1;
    }

    public async Task SetNotesAsync(string id, string? comments, string? plan, DateTimeOffset at)
    {
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync("UPDATE daily_reports SET comments = @comments, plan = @plan, commented_ms = @at WHERE id = @id",
            new { id, comments, plan, at = UnixTime.ToMs(at) });
    }

    public async Task<IReadOnlyList<DailyReportReplyDto>> RepliesAsync(string reportId)
    {
        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync<(string Id, string Author, string Text, long AtMs)>(
            "SELECT id, author_id, text, at_ms FROM daily_report_replies WHERE report_id = @reportId ORDER BY at_ms, id", new { reportId });
        return rows.Select(r => new DailyReportReplyDto(r.Id, r.Author, r.Text, UnixTime.FromMs(r.AtMs))).ToList();
    }

    public async Task<int> ReplyCountAsync(string reportId)
    {
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM daily_report_replies WHERE report_id = @reportId", new { reportId });
    }

    public async Task AddReplyAsync(string reportId, DailyReportReplyDto reply)
    {
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync("INSERT INTO daily_report_replies (report_id, id, author_id, text, at_ms) VALUES (@reportId, @id, @author, @text, @at)",
            new { reportId, id = reply.Id, author = reply.AuthorId, text = reply.Text, at = UnixTime.ToMs(reply.At) });
    }

    private static StoredDailyReport ToReport(Row r) => new(r.Id, r.RepId, DateOnly.ParseExact(r.Day, "yyyy-MM-dd", CultureInfo.InvariantCulture), r.OrgUnitId,
        UnixTime.FromMs(r.GeneratedMs), JsonSerializer.Deserialize<DailyFiguresDto>(r.Figures, EventPublisher.Json)!, r.Comments, r.Plan, UnixTime.FromMs(r.CommentedMs));
}
