using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Customers;
using Crm.Grains.Org;
using Crm.Grains.Pools;
using Crm.Grains.Reps;

namespace Crm.Server.Org;

/// <summary>
/// What a unit move may not break. A move takes a whole subtree (its users, pools and customers) elsewhere, but it runs
/// no hand-over: so it is refused (409) when afterwards a region would send its leads to a pool outside the region's
/// unit, or a rep of the subtree would still own a customer of a pool or region it no longer stands under. The admin
/// first changes the region's pool, or hands the rep's customers over (moving the rep on its own, or
/// <c>POST /api/reps/{id}/transfer</c>), then moves the unit. Only what holds now and would not hold afterwards counts.
/// </summary>
public sealed class UnitMoveCheck(OrgTreeCache tree, PoolDirectory pools, IGrainFactory grains)
{
    /// <summary>How many of a rep's customers a refusal names.</summary>
    private const int Named = 10;

    public async Task<CrmError?> CheckAsync(string unitId, string fromPath, string toPath)
    {
        var snapshot = await tree.SnapshotAsync();
        string? PathOf(string? id) => id is null ? null : snapshot.Paths.GetValueOrDefault(id);
        string? Moved(string? path) => path is not null && path.StartsWith(fromPath, StringComparison.Ordinal) ? toPath + path[fromPath.Length..] : path;
        bool Breaks(string? outer, string? inner) => OrgPaths.Reaches(outer, inner) && !OrgPaths.Reaches(Moved(outer), Moved(inner));

        foreach (var region in snapshot.Regions)
        {
            var poolPath = PathOf((await pools.AccessAsync(region.PoolId))?.OrgUnitId);
            if (Breaks(PathOf(region.OrgUnitId), poolPath))
            {
                return CrmError.Conflict(ErrorCodes.RegionPoolOutside,
                    $"After the move, the pool of region '{region.Name}' would lie outside the region's unit and nobody could take its leads; give the region another pool first.",
                    new() { ["unitId"] = unitId, ["regionId"] = region.Id, ["poolId"] = region.PoolId });
            }
        }

        var reps = snapshot.Members.Values.Where(m => m is { Active: true, Role: UserRole.Rep } && OrgPaths.Reaches(fromPath, m.OrgUnitPath));
        foreach (var rep in reps)
        {
            var stranded = new List<Guid>();
            foreach (var owned in await grains.GetGrain<IRepGrain>(rep.UserId).GetOwned())
            {
                var lost = Breaks(PathOf((await pools.AccessAsync(owned.PoolId))?.OrgUnitId), rep.OrgUnitPath)
                    || Breaks(PathOf(await grains.GetGrain<ICustomerGrain>(owned.CustomerId).GetRegionUnitId()), rep.OrgUnitPath);
                if (lost)
                {
                    stranded.Add(owned.CustomerId);
                }
            }

            if (stranded.Count > 0)
            {
                return CrmError.Conflict(ErrorCodes.CustomersLeftBehind,
                    $"After the move, rep '{rep.UserId}' would own {stranded.Count} customer(s) of pools or regions it no longer stands under; hand them over first (move the rep on its own, or POST /api/reps/{rep.UserId}/transfer).",
                    new() { ["unitId"] = unitId, ["repId"] = rep.UserId, ["customerIds"] = string.Join(",", stranded.Take(Named)) });
            }
        }

        return null;
    }
}
