using Crm.Client;
using Crm.Grains.Common;

namespace Crm.Grains.Pools;

/// <summary>A public pool (key: pool id): its rules and the org unit it belongs to.</summary>
public interface IPoolGrain : IGrainWithStringKey
{
    Task<Result<PoolDto>> Create(string name, string orgUnitId, PoolRules rules);

    Task<PoolDto?> Get();

    Task<Result<PoolDto>> UpdateRules(PoolRules rules);
}
