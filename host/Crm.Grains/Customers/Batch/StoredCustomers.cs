using Crm.Grains.Customers.Events;
using Crm.Grains.EventLog;
using Crm.Grains.Storage;
using Dapper;

namespace Crm.Grains.Customers.Batch;

/// <summary>Which customers are stored already: what a retried import asks before it decides a row again.</summary>
public sealed class StoredCustomers(CrmDatabase database)
{
    /// <summary>
    /// Whether any customer is stored with an id between <paramref name="first"/> and <paramref name="last"/> (as text): one
    /// look at the primary key tells an import's first attempt, which finds nothing, from a retry.
    /// </summary>
    public async Task<bool> AnyBetweenAsync(Guid first, Guid last)
    {
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long?>("SELECT 1 FROM customer_snapshots WHERE customer_id BETWEEN @first AND @last LIMIT 1",
            new { first = first.ToString(), last = last.ToString() }) is not null;
    }

    /// <summary>
    /// Of these ids, those whose customer is already stored (an earlier attempt of the same import made them), each with the
    /// pool it was created in and the duplicate flags stored in its creation's commit (what that attempt flagged it
    /// against), in the order they were stored.
    /// </summary>
    public async Task<Dictionary<Guid, StoredCreation>> AmongAsync(IReadOnlyList<Guid> ids)
    {
        var stored = new Dictionary<Guid, StoredCreation>();
        foreach (var chunk in ids.Chunk(500))
        {
            var args = new DynamicParameters();
            var where = SqlIn.List("customer_id", chunk.Select(id => id.ToString()).ToList(), args, "id");
            await using var connection = await database.OpenAsync();
            // The creation is the customer's first event.
            foreach (var (id, data) in await connection.QueryAsync<(string, string)>($"SELECT customer_id, data FROM customer_events WHERE {where} AND seq = 1", args))
            {
                stored.Add(Guid.Parse(id), new StoredCreation(EventJson.Read(data) is Created created ? created.PoolId : null, []));
            }
        }

        foreach (var chunk in stored.Keys.ToList().Chunk(500))
        {
            var args = new DynamicParameters();
            args.Add("kind", TimelineKinds.DuplicateFlagged);
            var where = SqlIn.List("f.customer_id", chunk.Select(id => id.ToString()).ToList(), args, "id");
            await using var connection = await database.OpenAsync();
            // The flags committed with the creation carry its recording time and its time.
            var flags = await connection.QueryAsync<(string CustomerId, string Data)>($"""
                SELECT f.customer_id, f.data FROM customer_events f
                JOIN customer_events c ON c.customer_id = f.customer_id AND c.seq = 1
                WHERE {where} AND f.kind = @kind AND f.recorded_ms = c.recorded_ms AND f.at_ms = c.at_ms
                ORDER BY f.customer_id, f.seq
                """, args);
            foreach (var (customerId, data) in flags)
            {
                stored[Guid.Parse(customerId)].Flags.Add((DuplicateSuspected)EventJson.Read(data));
            }
        }

        return stored;
    }
}

/// <summary>A customer an earlier attempt of an import created: its pool and the flags stored with it.</summary>
public sealed record StoredCreation(string? PoolId, List<DuplicateSuspected> Flags);
