using Crm.Grains.Storage;
using Dapper;

namespace Crm.Grains.Dedup.Pending;

/// <summary>
/// The table <c>dedup_pending</c>: customers whose dedup keys are incomplete because a strategy failed. Rows come in
/// with the customer's commit (<see cref="DedupPendingProjection"/>) or from a reindex that met a failing strategy; the
/// retrier reads the due ones, and deletes them once indexed or pushes them back (backoff) with the fault.
/// </summary>
public sealed class DedupPendingQueue(CrmDatabase database, SqlBatchWriter writer)
{
    /// <summary>The longest fault text kept (plugin messages can be long).</summary>
    public const int MaxReason = 1000;

    /// <summary>The faults of a creation as one queue reason, or null when nothing failed.</summary>
    public static string? Reason(IReadOnlyCollection<StrategyFault> faults) =>
        faults.Count == 0 ? null : Truncate(string.Join("; ", faults.Select(f => f.Message).Distinct()));

    /// <summary>
    /// A queued customer. Settable properties, not a positional record: on an empty queue SQLite reports the CAST column's
    /// type as BLOB, and Dapper refuses a constructor whose parameter types do not match the reader's.
    /// </summary>
    public sealed class Due
    {
        public string CustomerId { get; init; } = "";

        public long Attempts { get; init; }
    }

    public sealed record Summary(int Count, long? OldestQueuedMs, string? LastError, long? LastErrorMs);

    public async Task<IReadOnlyList<Due>> DueAsync(long nowMs, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<Due>(new CommandDefinition("""
            SELECT customer_id AS CustomerId, CAST(attempts AS BIGINT) AS Attempts FROM dedup_pending WHERE next_ms <= @nowMs ORDER BY next_ms, customer_id LIMIT @limit
            """, new { nowMs, limit }, cancellationToken: cancellationToken))).ToList();
    }

    public Task DoneAsync(string customerId) =>
        writer.WriteAsync((connection, transaction) =>
            connection.Execute("DELETE FROM dedup_pending WHERE customer_id = @customerId", new { customerId }, transaction));

    /// <summary>Another failed attempt: not before <paramref name="nextMs"/>, with the fault.</summary>
    public Task FailedAsync(string customerId, long nextMs, string error, long nowMs) =>
        writer.WriteAsync((connection, transaction) => connection.Execute("""
            UPDATE dedup_pending SET attempts = attempts + 1, next_ms = @nextMs, last_error = @error, last_error_ms = @nowMs
            WHERE customer_id = @customerId
            """, new { customerId, nextMs, error = Truncate(error), nowMs }, transaction));

    /// <summary>Queues a customer that already exists (a reindex met a failing strategy); keeps an older queue entry's age.</summary>
    public Task EnqueueAsync(string customerId, string error, long nowMs) =>
        writer.WriteAsync((connection, transaction) => connection.Execute("""
            INSERT INTO dedup_pending (customer_id, queued_ms, attempts, next_ms, last_error, last_error_ms)
            VALUES (@customerId, @nowMs, 0, @nowMs, @error, @nowMs)
            ON CONFLICT (customer_id) DO UPDATE SET last_error = excluded.last_error, last_error_ms = excluded.last_error_ms
            """, new { customerId, error = Truncate(error), nowMs }, transaction));

    public async Task<Summary> SummaryAsync()
    {
        await using var connection = await database.OpenAsync();
        var (count, oldest) = await connection.QuerySingleAsync<(long, long?)>("SELECT COUNT(*), MIN(queued_ms) FROM dedup_pending");
        var last = await connection.QueryFirstOrDefaultAsync<(string?, long?)>(
            "SELECT last_error, last_error_ms FROM dedup_pending WHERE last_error_ms IS NOT NULL ORDER BY last_error_ms DESC LIMIT 1");
        return new Summary((int)count, oldest, last.Item1, last.Item2);
    }

    private static string Truncate(string text) => text.Length <= MaxReason ? text : text[..MaxReason];
}
