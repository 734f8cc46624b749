using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Customers;
using Crm.Grains.Pools;

namespace Crm.Grains.Org;

/// <summary>
/// The command side of the data permissions, in one place: whether a user's request may touch a customer, and
/// whether a rep may own it. Calls by the server itself (unscoped actors) pass. Refusals that would reveal a
/// customer outside the caller's reach answer 404, as if it did not exist. The org tree comes from the silo's own
/// <see cref="OrgTreeCache"/>, the pool from its <see cref="PoolDirectory"/>.
/// </summary>
public sealed class CustomerAccess(PoolDirectory pools, OrgTreeCache tree)
{
    /// <summary>An admin reaches all; a manager its unit's subtree; a rep its own customers and its pools' customers.</summary>
    public async Task<CrmError?> ReachAsync(Actor actor, Guid customerId, string? orgUnitId, string poolId, string? ownerId, PoolAccess? pool = null)
    {
        if (!actor.IsScoped || actor.Role == UserRole.Admin)
        {
            return null;
        }

        if (actor.Role == UserRole.Manager)
        {
            var unitPath = orgUnitId is null ? null : await tree.PathOf(orgUnitId);
            return OrgPaths.Reaches(actor.OrgUnitPath, unitPath) ? null : NotFound(customerId);
        }

        if (ownerId == actor.UserId)
        {
            return null;
        }

        return await StandingAsync(actor.UserId, actor.OrgUnitPath, poolId, pool) == PoolStanding.Outside ? NotFound(customerId) : null;
    }

    /// <summary>
    /// Whether a user may read the customer: the rule of the read model's lists (Server/Permissions/Visibility), answered
    /// from the grain's own snapshot and the silo's org tree. A rep reads its own customers and the unowned ones of its
    /// member pools, not a colleague's; a manager its subtree; an admin all.
    /// </summary>
    public async Task<bool> SeesAsync(Actor reader, string? orgUnitId, string poolId, string? ownerId, PoolAccess? pool = null)
    {
        if (!reader.IsScoped || reader.Role == UserRole.Admin)
        {
            return true;
        }

        if (reader.Role == UserRole.Manager)
        {
            return orgUnitId is not null && OrgPaths.Reaches(reader.OrgUnitPath, await tree.PathOf(orgUnitId));
        }

        return ownerId is not null
            ? ownerId == reader.UserId
            : await StandingAsync(reader.UserId, reader.OrgUnitPath, poolId, pool) == PoolStanding.Member;
    }

    /// <summary>
    /// Whether a rep, not the caller, would see the customer by <see cref="SeesAsync"/>: its own customer, or an unowned
    /// one of a pool it is a member of. Who a deal may be given to (Deals/): a deal's rep reads it through its customer.
    /// </summary>
    public Task<bool> RepSeesAsync(OrgMember rep, string? orgUnitId, string poolId, string? ownerId, PoolAccess? pool = null) =>
        rep.Role == UserRole.Rep
            ? SeesAsync(new Actor(rep.UserId, UserRole.Rep, rep.OrgUnitId, rep.OrgUnitPath ?? OrgPaths.Nowhere), orgUnitId, poolId, ownerId, pool)
            : Task.FromResult(false);

    /// <summary>
    /// Whether a user may record follow-ups on a customer, the rule of the customer grain's follow-up command: an admin
    /// always, a manager inside its subtree, a rep on its own customers. For an unowned customer a rep who may own it
    /// (<see cref="MayOwnAsync"/>) gets <see cref="FollowUpStanding.ClaimFirst"/>: what a task over pool leads asks of it.
    /// </summary>
    public async Task<FollowUpStanding> FollowUpStandingAsync(
        OrgMember user, Guid customerId, string? orgUnitId, string poolId, string? ownerId, string? regionUnitId, PoolAccess? pool = null)
    {
        switch (user.Role)
        {
            case UserRole.Admin:
                return FollowUpStanding.Allowed;
            case UserRole.Manager:
                return orgUnitId is not null && OrgPaths.Reaches(user.OrgUnitPath, await tree.PathOf(orgUnitId))
                    ? FollowUpStanding.Allowed
                    : FollowUpStanding.OutOfReach;
        }

        if (ownerId is not null)
        {
            return ownerId == user.UserId ? FollowUpStanding.Allowed : FollowUpStanding.OwnedByOther;
        }

        return await MayOwnAsync(customerId, user.UserId, user.OrgUnitPath, poolId, regionUnitId, pool) is null
            ? FollowUpStanding.ClaimFirst
            : FollowUpStanding.OutOfReach;
    }

    /// <summary>
    /// Whether a user may see a pool: the rule of the read model's pool lists (Server/Permissions/Visibility), answered
    /// from the silo's pool directory and org tree without a database read. An admin sees every pool; a manager those
    /// of its subtree; a rep its member pools.
    /// </summary>
    public async Task<bool> SeesPoolAsync(OrgMember user, string poolId)
    {
        if (await pools.AccessAsync(poolId) is not { } pool)
        {
            return false;
        }

        if (user.Role == UserRole.Admin)
        {
            return true;
        }

        if (user.Role == UserRole.Manager)
        {
            return OrgPaths.Reaches(user.OrgUnitPath, await tree.PathOf(pool.OrgUnitId));
        }

        return await StandingAsync(user.UserId, user.OrgUnitPath, poolId, pool) == PoolStanding.Member;
    }

    /// <summary>
    /// Whether a pool is one a scoped caller may put customers into: a manager's subtree, a rep's member pools.
    /// </summary>
    public async Task<bool> MayUsePoolAsync(Actor actor, string poolId, string poolUnitId)
    {
        if (!actor.IsScoped || actor.Role == UserRole.Admin)
        {
            return true;
        }

        if (actor.Role == UserRole.Manager)
        {
            return OrgPaths.Reaches(actor.OrgUnitPath, await tree.PathOf(poolUnitId));
        }

        return await StandingAsync(actor.UserId, actor.OrgUnitPath, poolId) == PoolStanding.Member;
    }

    /// <summary>
    /// Whether a rep may own a customer of a pool (claim, assignment, creation with an owner): a member of the
    /// pool, and inside the customer's region if its address fell in one.
    /// </summary>
    public async Task<CrmError?> MayOwnAsync(Guid customerId, string repId, string? repPath, string poolId, string? regionUnitId, PoolAccess? pool = null)
    {
        if (await StandingAsync(repId, repPath, poolId, pool) != PoolStanding.Member)
        {
            return CrmError.Conflict(ErrorCodes.NotAPoolMember, "The rep is not a member of the customer's pool.",
                new() { ["customerId"] = customerId.ToString(), ["poolId"] = poolId, ["repId"] = repId });
        }

        if (regionUnitId is not null && !OrgPaths.Reaches(await tree.PathOf(regionUnitId), repPath))
        {
            return CrmError.Conflict(ErrorCodes.OutOfRegion, "The customer's address lies in a region the rep's unit does not cover.",
                new() { ["customerId"] = customerId.ToString(), ["regionOrgUnitId"] = regionUnitId, ["repId"] = repId });
        }

        return null;
    }

    /// <summary>The target of an assignment as the assigning user may see it: an active rep inside the caller's reach.</summary>
    public async Task<Result<OrgMember>> AssigneeAsync(Actor actor, string repId)
    {
        var member = await tree.NamedMember(repId);
        if (member is not { Role: UserRole.Rep, Active: true } || !OrgPaths.Reaches(actor.OrgUnitPath, member.OrgUnitPath))
        {
            return CrmError.NotFound("Rep", repId);
        }

        return member;
    }

    public async Task<PoolStanding> StandingAsync(string repId, string? repPath, string poolId, PoolAccess? known = null)
    {
        var pool = known ?? await pools.AccessAsync(poolId);
        if (pool is null)
        {
            return PoolStanding.Outside;
        }

        var poolPath = await tree.PathOf(pool.OrgUnitId);
        if (OrgPaths.IsPoolMember(repId, repPath, poolPath, await tree.CountingMembers(pool.Members, poolPath)))
        {
            return PoolStanding.Member;
        }

        return OrgPaths.Reaches(poolPath, repPath) ? PoolStanding.NotListed : PoolStanding.Outside;
    }

    private static CrmError NotFound(Guid customerId) => CrmError.NotFound("Customer", customerId.ToString());
}
