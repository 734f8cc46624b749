using Orleans.Concurrency;

namespace Crm.Grains.Org;

/// <summary>
/// The org tree, the users' places in it and the regions, held in memory for the permission checks of grains
/// and requests (key 0, one per cluster). The tables are the truth; writers call <see cref="Reload"/> after a
/// change, and a timer reloads every half minute so a lost reload heals.
/// </summary>
public interface IOrgTreeGrain : IGrainWithIntegerKey
{
    [ReadOnly]
    Task<string?> PathOf(string orgUnitId);

    [ReadOnly]
    Task<OrgMember?> Member(string userId);

    [ReadOnly]
    Task<RegionDefinition?> RegionFor(string? address);

    Task Reload();
}
