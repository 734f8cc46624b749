using Crm.Client;
using Crm.Grains.Common;

namespace Crm.Grains.Pools;

/// <summary>A public pool (key: pool id): its rules and the org unit it belongs to.</summary>
public interface IPoolGrain : IGrainWithStringKey
{
    Task<Result<PoolDto>> Create(string name, string orgUnitId, PoolRules rules);

    Task<PoolDto?> Get();

    Task<Result<PoolDto>> UpdateRules(PoolRules rules);

    /// <summary>The pool's unit and member list, for the permission checks; null when the pool does not exist.</summary>
    [Orleans.Concurrency.ReadOnly]
    Task<PoolAccess?> GetAccess();

    /// <summary>Replaces the member list; an empty list lets the org tree decide (the reps below the pool's unit).</summary>
    Task<Result<PoolAccess>> SetMembers(IReadOnlyList<string> members);
}
