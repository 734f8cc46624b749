using Crm.Grains.CustomFields;
using Crm.Grains.Pools;

namespace Crm.Grains.Customers.Batch;

/// <summary>What the checks of one batch's creations read once instead of once per row: fields, pools, pool access.</summary>
public sealed class BatchCaches
{
    private readonly Dictionary<string, PoolInfo?> _pools = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> _mayUse = new(StringComparer.Ordinal);

    public IReadOnlyList<CustomFieldDefinition>? Fields { get; set; }

    public async ValueTask<PoolInfo?> PoolAsync(string id, Func<string, Task<PoolInfo?>> load)
    {
        if (!_pools.TryGetValue(id, out var pool))
        {
            _pools[id] = pool = await load(id);
        }

        return pool;
    }

    public async ValueTask<bool> MayUseAsync(PoolInfo pool, Func<PoolInfo, Task<bool>> check)
    {
        if (!_mayUse.TryGetValue(pool.Id, out var may))
        {
            _mayUse[pool.Id] = may = await check(pool);
        }

        return may;
    }
}
