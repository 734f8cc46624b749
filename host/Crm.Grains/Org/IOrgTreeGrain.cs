using Orleans.Concurrency;

namespace Crm.Grains.Org;

/// <summary>
/// The org tree, the users' places in it and the regions (key 0), for code that holds a grain reference. A stateless
/// worker: every silo answers from its own <see cref="OrgTreeCache"/>, which hot paths use directly.
/// <see cref="Reload"/> tells every silo that the tables changed.
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
