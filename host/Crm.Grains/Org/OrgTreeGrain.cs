namespace Crm.Grains.Org;

/// <summary>
/// The org tree for callers that hold a grain reference (assignment, tests): answers from its silo's
/// <see cref="OrgTreeCache"/>; <see cref="Reload"/> is a change notice that reaches every silo.
/// </summary>
[Orleans.Concurrency.Reentrant]
[Orleans.Concurrency.StatelessWorker]
public sealed class OrgTreeGrain(OrgTreeCache tree) : Grain, IOrgTreeGrain
{
    public Task<string?> PathOf(string orgUnitId) => tree.PathOf(orgUnitId).AsTask();

    public Task<OrgMember?> Member(string userId) => tree.Member(userId).AsTask();

    public Task<RegionDefinition?> RegionFor(string? address) => tree.RegionFor(address).AsTask();

    public Task Reload() => tree.ChangedAsync();
}
