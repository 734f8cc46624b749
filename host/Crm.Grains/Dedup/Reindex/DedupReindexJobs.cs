using Crm.Grains.Storage;
using Dapper;

namespace Crm.Grains.Dedup.Reindex;

/// <summary>The table <c>dedup_reindex</c>: one row per reindex job, its counters and the cursor saved after every step.</summary>
public sealed class DedupReindexJobs(CrmDatabase database, SqlBatchWriter writer)
{
    private const string Columns = """
        id AS Id, status AS Status, started_ms AS StartedMs, updated_ms AS UpdatedMs, finished_ms AS FinishedMs, total AS Total,
        processed AS Processed, changed AS Changed, queued AS Queued, flagged AS Flagged, cursor AS Cursor
        """;

    public Task<ReindexJob?> RunningAsync() => OneAsync($"SELECT {Columns} FROM dedup_reindex WHERE status = 'running' ORDER BY started_ms LIMIT 1", null);

    public Task<ReindexJob?> LatestAsync() => OneAsync($"SELECT {Columns} FROM dedup_reindex ORDER BY started_ms DESC, id LIMIT 1", null);

    public Task<ReindexJob?> GetAsync(string id) => OneAsync($"SELECT {Columns} FROM dedup_reindex WHERE id = @id", new { id });

    public async Task<int> CountCustomersAsync()
    {
        await using var connection = await database.OpenAsync();
        return (int)await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM customer_snapshots");
    }

    public Task SaveAsync(ReindexJob job) =>
        writer.WriteAsync((connection, transaction) => connection.Execute("""
            INSERT INTO dedup_reindex (id, status, started_ms, updated_ms, finished_ms, total, processed, changed, queued, flagged, cursor)
            VALUES (@Id, @Status, @StartedMs, @UpdatedMs, @FinishedMs, @Total, @Processed, @Changed, @Queued, @Flagged, @Cursor)
            ON CONFLICT (id) DO UPDATE SET status = excluded.status, updated_ms = excluded.updated_ms, finished_ms = excluded.finished_ms,
                processed = excluded.processed, changed = excluded.changed, queued = excluded.queued, flagged = excluded.flagged,
                cursor = excluded.cursor
            """, job, transaction));

    private async Task<ReindexJob?> OneAsync(string sql, object? args)
    {
        await using var connection = await database.OpenAsync();
        return await connection.QueryFirstOrDefaultAsync<ReindexJob>(sql, args);
    }
}

/// <summary>A reindex job as stored. <see cref="Cursor"/> is the last customer id handled (ids are walked in order).</summary>
[GenerateSerializer, Immutable]
public sealed record ReindexJob
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string Status { get; init; }
    [Id(2)] public long StartedMs { get; init; }
    [Id(3)] public long UpdatedMs { get; init; }
    [Id(4)] public long? FinishedMs { get; init; }
    [Id(5)] public int Total { get; init; }
    [Id(6)] public int Processed { get; init; }
    [Id(7)] public int Changed { get; init; }
    [Id(8)] public int Queued { get; init; }
    [Id(9)] public int Flagged { get; init; }
    [Id(10)] public string? Cursor { get; init; }

    public const string Running = "running";
    public const string Finished = "finished";
}
