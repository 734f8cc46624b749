using System.Data.Common;
using System.Globalization;
using Crm.Grains.Storage;
using Dapper;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Crm.Server.Storage.GroupCommit;

/// <summary>
/// Orleans' reminder table on the embedded (SQLite) profile: the rows and the statements of Orleans' ADO.NET provider
/// (<c>OrleansRemindersTable</c>, the queries kept in <c>OrleansQuery</c>), so either reads what the other wrote, but
/// every change goes through the group-commit writer and reads run on pooled connections.
/// </summary>
/// <remarks>
/// SQLite has one write lock. A reminder written on a connection of its own took that lock from the writer, whose
/// busy handler then slept 1, 2, 5, 10, 15... ms before it tried again, and every durable write of the silo waited
/// behind it: in the claim storm each rep's first claim registers its recycle reminder, and claims ran at 782/s with
/// the writer busy 19 % of the time (9,539/s with the reminders off the file; docs/scale.md, "Claim storm").
/// </remarks>
public sealed class GroupCommitReminderTable(CrmDatabase database, SqlBatchWriter writer, IOptions<ClusterOptions> cluster) : IReminderTable
{
    private readonly string _serviceId = cluster.Value.ServiceId;
    private Dictionary<string, string> _queries = [];

    private static readonly string[] QueryKeys =
        ["ReadReminderRowsKey", "ReadRangeRows1Key", "ReadRangeRows2Key", "ReadReminderRowKey", "UpsertReminderRowKey", "DeleteReminderRowKey", "DeleteReminderRowsKey"];

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Key, string Text)>(
            "SELECT QueryKey, QueryText FROM OrleansQuery WHERE QueryKey IN @QueryKeys", new { QueryKeys });
        _queries = rows.ToDictionary(r => r.Key, r => r.Text);
        foreach (var key in QueryKeys)
        {
            if (!_queries.ContainsKey(key))
            {
                throw new InvalidOperationException($"The reminder query '{key}' is missing from OrleansQuery: the schema was not installed.");
            }
        }
    }

    public async Task<ReminderTableData> ReadRows(GrainId grainId) =>
        new(await ReadAsync("ReadReminderRowsKey", new { ServiceId = _serviceId, GrainId = grainId.ToString() }));

    public async Task<ReminderTableData> ReadRows(uint begin, uint end) =>
        // Hashes are stored as signed 32-bit values; the range wraps when begin is not below end, read as signed (as
        // Orleans' ADO.NET provider decides it).
        new(await ReadAsync((int)begin < (int)end ? "ReadRangeRows1Key" : "ReadRangeRows2Key",
            new { ServiceId = _serviceId, BeginHash = (int)begin, EndHash = (int)end }));

    public async Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) =>
        (await ReadAsync("ReadReminderRowKey", new { ServiceId = _serviceId, GrainId = grainId.ToString(), ReminderName = reminderName }))
        .FirstOrDefault();

    public async Task<string?> UpsertRow(ReminderEntry entry)
    {
        var startAt = entry.StartAt.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(entry.StartAt, DateTimeKind.Utc) : entry.StartAt;
        var periodMs = (long)entry.Period.TotalMilliseconds;
        var version = await WriteAsync("UpsertReminderRowKey", new
        {
            ServiceId = _serviceId,
            GrainId = entry.GrainId.ToString(),
            ReminderName = entry.ReminderName,
            StartTime = startAt,
            Period = periodMs,
            GrainHash = (int)entry.GrainId.GetUniformHashCode(),
        });
        return Convert.ToInt64(version, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
    }

    public async Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag)
    {
        if (!int.TryParse(eTag, NumberStyles.Integer, CultureInfo.InvariantCulture, out var version))
        {
            return false; // not an ETag this table gave out: no row has it
        }

        var deleted = await WriteAsync("DeleteReminderRowKey",
            new { ServiceId = _serviceId, GrainId = grainId.ToString(), ReminderName = reminderName, Version = version });
        return Convert.ToInt64(deleted, CultureInfo.InvariantCulture) > 0;
    }

    public Task TestOnlyClearTable() => WriteAsync("DeleteReminderRowsKey", new { ServiceId = _serviceId });

    private async Task<List<ReminderEntry>> ReadAsync(string query, object parameters)
    {
        // Off the caller's scheduler: Microsoft.Data.Sqlite's "async" calls run synchronously.
        return await Task.Run(async () =>
        {
            await using var connection = await database.OpenAsync();
            var rows = await connection.QueryAsync<ReminderRow>(_queries[query], parameters);
            return rows.Select(r => r.ToEntry()).ToList();
        });
    }

    private async Task<object?> WriteAsync(string query, object parameters)
    {
        object? result = null;
        await writer.WriteAsync((connection, transaction) =>
            result = connection.ExecuteScalar(_queries[query], parameters, transaction));
        return result;
    }

    private sealed record ReminderRow(string GrainId, string ReminderName, string StartTime, long Period, long Version)
    {
        public ReminderEntry ToEntry() => new()
        {
            GrainId = Orleans.Runtime.GrainId.Parse(GrainId),
            ReminderName = ReminderName,
            StartAt = DateTime.SpecifyKind(DateTime.Parse(StartTime, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), DateTimeKind.Utc),
            Period = TimeSpan.FromMilliseconds(Period),
            ETag = Version.ToString(CultureInfo.InvariantCulture),
        };
    }
}
