using Crm.Grains.Storage;
using Dapper;

namespace Crm.Grains.Dedup.Pending;

/// <summary>
/// The table <c>dedup_rekey</c>: customers whose card an edit changed (details, custom fields) and whose dedup keys are
/// not recorded for that edit yet. A row comes with the edit's own commit (<see cref="DedupPendingProjection"/>), so a
/// crash between the edit and its re-keying cannot leave the index on the old phone or e-mail; it goes once the keys
/// of that version, or a later one, are recorded. Rows are kept per customer with the latest edit's version, so keys
/// recorded for an older card never end the wait of a newer edit.
/// </summary>
public sealed class DedupRekeys(CrmDatabase database, SqlBatchWriter writer)
{
    /// <summary>The statement an edit's commit carries: the customer, the edit's version and when the retrier may take it.</summary>
    public const string UpsertSql = """
        INSERT INTO dedup_rekey (customer_id, version, due_ms, attempts) VALUES (@p0, @p1, @p2, 0)
        ON CONFLICT (customer_id) DO UPDATE SET version = excluded.version, due_ms = excluded.due_ms, attempts = 0
        """;

    /// <summary>
    /// A customer waiting for its keys. Settable properties, as <see cref="DedupPendingQueue.Due"/> (SQLite's column types of
    /// an empty result).
    /// </summary>
    public sealed class Waiting
    {
        public string CustomerId { get; init; } = "";

        public long Attempts { get; init; }
    }

    public async Task<IReadOnlyList<Waiting>> DueAsync(long nowMs, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<Waiting>(new CommandDefinition("""
            SELECT customer_id AS CustomerId, CAST(attempts AS BIGINT) AS Attempts FROM dedup_rekey WHERE due_ms <= @nowMs ORDER BY due_ms, customer_id LIMIT @limit
            """, new { nowMs, limit }, cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>The keys of <paramref name="indexedVersion"/> are recorded: an edit at that version or before it is done.</summary>
    public Task KeyedAsync(string customerId, long indexedVersion) =>
        writer.WriteAsync((connection, transaction) => connection.Execute(
            "DELETE FROM dedup_rekey WHERE customer_id = @customerId AND version <= @indexedVersion", new { customerId, indexedVersion }, transaction));

    /// <summary>The customer is gone (merged away): nothing left to key.</summary>
    public Task GoneAsync(string customerId) =>
        writer.WriteAsync((connection, transaction) => connection.Execute("DELETE FROM dedup_rekey WHERE customer_id = @customerId", new { customerId }, transaction));

    /// <summary>Another failed attempt: not before <paramref name="dueMs"/>.</summary>
    public Task FailedAsync(string customerId, long dueMs) =>
        writer.WriteAsync((connection, transaction) => connection.Execute(
            "UPDATE dedup_rekey SET attempts = attempts + 1, due_ms = @dueMs WHERE customer_id = @customerId", new { customerId, dueMs }, transaction));

    public async Task<int> CountAsync()
    {
        await using var connection = await database.OpenAsync();
        return (int)await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM dedup_rekey");
    }
}
