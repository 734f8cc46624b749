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

    /// <summary>Of these ids, those whose customer is already stored (an earlier attempt of the same import made them).</summary>
    public async Task<HashSet<Guid>> AmongAsync(IReadOnlyList<Guid> ids)
    {
        var stored = new HashSet<Guid>();
        foreach (var chunk in ids.Chunk(500))
        {
            var args = new DynamicParameters();
            var where = SqlIn.List("customer_id", chunk.Select(id => id.ToString()).ToList(), args, "id");
            await using var connection = await database.OpenAsync();
            foreach (var id in await connection.QueryAsync<string>($"SELECT customer_id FROM customer_snapshots WHERE {where}", args))
            {
                stored.Add(Guid.Parse(id));
            }
        }

        return stored;
    }
}
