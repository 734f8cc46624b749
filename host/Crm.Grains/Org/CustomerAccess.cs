using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Pools;

namespace Crm.Grains.Org;

/// <summary>
/// The command side of the data permissions, in one place: whether a user's request may touch a customer, and
/// whether a rep may own it. Calls by the server itself (unscoped actors) pass. Refusals that would reveal a
/// customer outside the caller's reach answer 404, as if it did not exist.
/// </summary>
public static class CustomerAccess
{
    /// <summary>An admin reaches all; a manager its unit's subtree; a rep its own customers and its pools' customers.</summary>
    public static async Task<CrmError?> ReachAsync(IGrainFactory grains, Actor actor, Guid customerId, string? orgUnitId, string poolId, string? ownerId)
    {
        if (!actor.IsScoped || actor.Role == Role.Admin)
        {
            return null;
        }

        if (actor.Role == Role.Manager)
        {
            var unitPath = orgUnitId is null ? null : await Tree(grains).PathOf(orgUnitId);
            return OrgPaths.Reaches(actor.OrgUnitPath, unitPath) ? null : NotFound(customerId);
        }

        if (ownerId == actor.UserId)
        {
            return null;
        }

        return await StandingAsync(grains, actor.UserId, actor.OrgUnitPath, poolId) == PoolStanding.Outside ? NotFound(customerId) : null;
    }

    /// <summary>
    /// Whether a pool is one a scoped caller may put customers into: a manager's subtree, a rep's member pools.
    /// </summary>
    public static async Task<bool> MayUsePoolAsync(IGrainFactory grains, Actor actor, string poolId, string poolUnitId)
    {
        if (!actor.IsScoped || actor.Role == Role.Admin)
        {
            return true;
        }

        if (actor.Role == Role.Manager)
        {
            return OrgPaths.Reaches(actor.OrgUnitPath, await Tree(grains).PathOf(poolUnitId));
        }

        return await StandingAsync(grains, actor.UserId, actor.OrgUnitPath, poolId) == PoolStanding.Member;
    }

    /// <summary>
    /// Whether a rep may own a customer of a pool (claim, assignment, creation with an owner): a member of the
    /// pool, and inside the customer's region if its address fell in one.
    /// </summary>
    public static async Task<CrmError?> MayOwnAsync(IGrainFactory grains, Guid customerId, string repId, string? repPath, string poolId, string? regionUnitId)
    {
        if (await StandingAsync(grains, repId, repPath, poolId) != PoolStanding.Member)
        {
            return CrmError.Conflict("not-a-pool-member", "The rep is not a member of the customer's pool.",
                new() { ["customerId"] = customerId.ToString(), ["poolId"] = poolId, ["repId"] = repId });
        }

        if (regionUnitId is not null && !OrgPaths.Reaches(await Tree(grains).PathOf(regionUnitId), repPath))
        {
            return CrmError.Conflict("out-of-region", "The customer's address lies in a region the rep's unit does not cover.",
                new() { ["customerId"] = customerId.ToString(), ["regionOrgUnitId"] = regionUnitId, ["repId"] = repId });
        }

        return null;
    }

    /// <summary>The target of an assignment as the assigning user may see it: an active rep inside the caller's reach.</summary>
    public static async Task<Result<OrgMember>> AssigneeAsync(IGrainFactory grains, Actor actor, string repId)
    {
        var member = await Tree(grains).Member(repId);
        if (member is not { Role: Role.Rep, Active: true } || !OrgPaths.Reaches(actor.OrgUnitPath, member.OrgUnitPath))
        {
            return CrmError.NotFound("Rep", repId);
        }

        return member;
    }

    public static async Task<PoolStanding> StandingAsync(IGrainFactory grains, string repId, string? repPath, string poolId)
    {
        var pool = await grains.GetGrain<IPoolGrain>(poolId).GetAccess();
        if (pool is null)
        {
            return PoolStanding.Outside;
        }

        var poolPath = await Tree(grains).PathOf(pool.OrgUnitId);
        if (OrgPaths.IsPoolMember(repId, repPath, poolPath, pool.Members))
        {
            return PoolStanding.Member;
        }

        return OrgPaths.Reaches(poolPath, repPath) ? PoolStanding.NotListed : PoolStanding.Outside;
    }

    private static IOrgTreeGrain Tree(IGrainFactory grains) => grains.GetGrain<IOrgTreeGrain>(0);

    private static CrmError NotFound(Guid customerId) => CrmError.NotFound("Customer", customerId.ToString());
}
