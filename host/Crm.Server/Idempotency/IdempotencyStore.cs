using Crm.Grains.Storage;
using Dapper;

namespace Crm.Server.Idempotency;

/// <summary>
/// The <c>idempotency_keys</c> table. Writes go through the group-commit writer (so SQLite keeps one writer, and an
/// outage fails them as <see cref="DatabaseUnavailableException"/>); reads use pooled connections.
/// </summary>
public sealed class IdempotencyStore(CrmDatabase database, SqlBatchWriter writer)
{
    /// <summary>Holds the key for this request; false when a row for it exists already.</summary>
    public async Task<bool> TryInsertAsync(string callerId, string key, string hash, string owner, long nowMs)
    {
        var inserted = 0;
        await writer.WriteAsync((connection, transaction) => inserted = connection.Execute("""
            INSERT INTO idempotency_keys (caller_id, idem_key, request_hash, owner, started_ms)
            VALUES (@callerId, @key, @hash, @owner, @nowMs)
            ON CONFLICT (caller_id, idem_key) DO NOTHING
            """, new { callerId, key, hash, owner, nowMs }, transaction));
        return inserted == 1;
    }

    /// <summary>Takes over a key whose request was cut off (held by <paramref name="staleOwner"/> since <paramref name="staleStartedMs"/>); false if someone else took it first.</summary>
    public async Task<bool> TryTakeOverAsync(string callerId, string key, string hash, string owner, long nowMs, string staleOwner, long staleStartedMs)
    {
        var taken = 0;
        await writer.WriteAsync((connection, transaction) => taken = connection.Execute("""
            UPDATE idempotency_keys SET request_hash = @hash, owner = @owner, started_ms = @nowMs
            WHERE caller_id = @callerId AND idem_key = @key AND status IS NULL AND owner = @staleOwner AND started_ms = @staleStartedMs
            """, new { callerId, key, hash, owner, nowMs, staleOwner, staleStartedMs }, transaction));
        return taken == 1;
    }

    public async Task<IdempotencyRecord?> FindAsync(string callerId, string key)
    {
        await using var connection = await database.OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<IdempotencyRecord>("""
            SELECT caller_id AS CallerId, idem_key AS Key, request_hash AS RequestHash, owner AS Owner, started_ms AS StartedMs,
                   status AS Status, content_type AS ContentType, location AS Location, body AS Body
            FROM idempotency_keys WHERE caller_id = @callerId AND idem_key = @key
            """, new { callerId, key });
    }

    public Task CompleteAsync(string callerId, string key, string owner, StoredAnswer answer, long nowMs) =>
        writer.WriteAsync((connection, transaction) => connection.Execute("""
            UPDATE idempotency_keys SET status = @Status, content_type = @ContentType, location = @Location, body = @Body, completed_ms = @nowMs
            WHERE caller_id = @callerId AND idem_key = @key AND owner = @owner
            """, new { callerId, key, owner, answer.Status, answer.ContentType, answer.Location, answer.Body, nowMs }, transaction));

    /// <summary>Lets the key go (the request failed in a way a retry should run again).</summary>
    public Task ReleaseAsync(string callerId, string key, string owner) =>
        writer.WriteAsync((connection, transaction) => connection.Execute(
            "DELETE FROM idempotency_keys WHERE caller_id = @callerId AND idem_key = @key AND owner = @owner AND status IS NULL",
            new { callerId, key, owner }, transaction));

    public async Task<int> DeleteStartedBeforeAsync(long beforeMs)
    {
        var deleted = 0;
        await writer.WriteAsync((connection, transaction) => deleted = connection.Execute(
            "DELETE FROM idempotency_keys WHERE started_ms < @beforeMs", new { beforeMs }, transaction));
        return deleted;
    }
}
