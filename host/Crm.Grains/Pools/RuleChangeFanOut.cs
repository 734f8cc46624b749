using Crm.Grains.Reps;
using Crm.Grains.Storage;
using Dapper;

namespace Crm.Grains.Pools;

/// <summary>
/// Tells the reps who own customers of a pool that its rules changed, so that a shorter clock takes effect at once
/// rather than at each rep's next wake-up (a rep grain sleeps until its next deadline). The owners come from the read
/// model (index on pool and owner); a rep whose first customer of the pool is not there yet reads the rules again at its
/// next wake-up, which is at most a day away (see RepGrain's reminder).
/// </summary>
public sealed class RuleChangeFanOut(CrmDatabase database, IGrainFactory grains)
{
    public async Task<int> NotifyOwnersAsync(string poolId, long version)
    {
        await using var connection = await database.OpenAsync();
        var owners = (await connection.QueryAsync<string>(
            "SELECT DISTINCT owner_id FROM customers WHERE pool_id = @poolId AND owner_id IS NOT NULL", new { poolId })).ToList();
        foreach (var owner in owners)
        {
            // One-way: the pool does not wait for a rep, and a rep that asks the pool for its rules cannot deadlock it.
            _ = grains.GetGrain<IRepGrain>(owner).RulesChanged(poolId, version);
        }

        return owners.Count;
    }
}
